//! Compiling a dataflow document: stages in dependency order, each turned into DataFrame
//! operations over the DataFrames of its input ports. Every output port is tapped (row
//! counter); a port read by several stages is computed once when running.
//!
//! Compilation keeps going after a stage fails where it can, so validation reports every
//! problem at once; stages downstream of a failed one are skipped.

mod combine;
mod databases;
mod extra;
mod modules;
mod relational;
pub(crate) mod sources;

pub use sources::input_schema;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::execution::TaskContext;
use datafusion::prelude::{DataFrame, SessionContext};
use model::{DataflowDocument, EdgeEnd, Stage, stage_ports};
use serde_json::Value;

use crate::error::{EngineError, EngineResult};
use crate::options::Options;
use crate::sink::{SinkFormat, WriteMode};
use crate::tap::{Counter, tap};
use crate::{Engine, params};

/// Where `subflow` stages find the documents they embed.
#[async_trait]
pub trait SubflowSource: Send + Sync {
    /// The document of `name` at `version`, or at its exposed version when `None`.
    async fn load(&self, name: &str, version: Option<i32>) -> EngineResult<DataflowDocument>;
}

/// No subflows available (tests, previews without a store).
pub struct NoSubflows;

#[async_trait]
impl SubflowSource for NoSubflows {
    async fn load(&self, name: &str, _version: Option<i32>) -> EngineResult<DataflowDocument> {
        Err(EngineError::user("", format!("subflow {name:?} is not available here")))
    }
}

/// Records handed to `input` stages (service calls, previews), by stage id.
pub type Inputs = BTreeMap<String, DataFrame>;

/// Compile for checking only (schemas, errors) or for running (fan-out ports are computed once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Check,
    Run,
    /// Check, and read only the first `rows` records of each source.
    Preview {
        rows: usize,
    },
}

/// A file the run writes (or, with `database`, a table).
pub struct Sink {
    pub stage: String,
    pub format: SinkFormat,
    /// The file; for a table, `connection/table` (what logs show).
    pub path: PathBuf,
    pub mode: WriteMode,
    pub input: DataFrame,
    /// The task context of `input`'s session (see [`Engine::task_for`]).
    pub task: Arc<TaskContext>,
    /// `write_db`: the table the records go to instead of a file.
    pub database: Option<Box<crate::database::write::DbTarget>>,
}

pub struct Compiled {
    pub ctx: SessionContext,
    pub sinks: Vec<Sink>,
    /// `output` stages (services, subflows), by stage id.
    pub outputs: BTreeMap<String, DataFrame>,
    /// Every built output port, keyed `stage.port`.
    pub ports: BTreeMap<String, DataFrame>,
    /// Row counters of every port, keyed `stage.port`.
    pub counters: BTreeMap<String, Counter>,
    /// For each stage, the ports (`stage.port`) its inputs come from.
    pub feeds: BTreeMap<String, Vec<String>>,
    /// Problems found; empty when everything compiled.
    pub problems: Vec<EngineError>,
}

/// A stage's inputs, by input port name (several frames only for `union.in`).
pub(crate) type StageInputs = BTreeMap<String, Vec<DataFrame>>;

pub(crate) struct StageContext<'a> {
    pub engine: &'a Engine,
    pub ctx: &'a SessionContext,
    pub stage: &'a Stage,
    pub options: Options<'a>,
    pub purpose: Purpose,
}

impl StageContext<'_> {
    pub fn id(&self) -> &str {
        &self.stage.id
    }

    pub fn input(&self, inputs: &StageInputs, port: &str) -> EngineResult<DataFrame> {
        inputs
            .get(port)
            .and_then(|frames| frames.first().cloned())
            .ok_or_else(|| EngineError::user(self.id(), format!("input port {port} is not connected")))
    }
}

/// What a stage produced: frames per output port, or a sink, or a service output.
pub(crate) enum Built {
    Ports(BTreeMap<String, DataFrame>),
    Sink(Sink),
    Output(DataFrame),
}

/// The port an edge end names, or the stage's first input or output when it names none.
fn port_name(doc: &DataflowDocument, end: &EdgeEnd, output: bool) -> String {
    if let Some(port) = end.port {
        return port.to_owned();
    }
    let ports = doc.stages.iter().find(|s| s.id == end.stage).and_then(|s| stage_ports(&s.stage_type));
    let first = ports.and_then(|p| if output { p.outputs.first() } else { p.inputs.first() }).map(|p| p.name);
    first.unwrap_or(if output { "out" } else { "in" }).to_owned()
}

/// `stage.port` of the output an edge leaves from.
fn output_port(doc: &DataflowDocument, end: &EdgeEnd) -> String {
    format!("{}.{}", end.stage, port_name(doc, end, true))
}

fn input_port(doc: &DataflowDocument, end: &EdgeEnd) -> String {
    port_name(doc, end, false)
}

/// Stage ids in an order where every stage comes after the stages feeding it.
fn order(doc: &DataflowDocument) -> EngineResult<Vec<&Stage>> {
    let mut indegree: HashMap<&str, usize> = doc.stages.iter().map(|s| (s.id.as_str(), 0)).collect();
    for edge in &doc.edges {
        *indegree.entry(EdgeEnd::parse(&edge.to).stage).or_default() += 1;
    }
    let mut ready: Vec<&Stage> =
        doc.stages.iter().filter(|s| indegree.get(s.id.as_str()) == Some(&0)).collect();
    ready.reverse();
    let mut ordered = Vec::new();
    while let Some(stage) = ready.pop() {
        ordered.push(stage);
        for edge in doc.edges.iter().filter(|e| EdgeEnd::parse(&e.from).stage == stage.id) {
            let to = EdgeEnd::parse(&edge.to).stage;
            if let Some(d) = indegree.get_mut(to) {
                *d -= 1;
                let next = doc.stages.iter().find(|s| s.id == to);
                if let Some(next) = next.filter(|_| *d == 0) {
                    ready.push(next);
                }
            }
        }
    }
    if ordered.len() != doc.stages.len() {
        return Err(EngineError::user("", "the dataflow has a cycle"));
    }
    Ok(ordered)
}

fn tapped(df: DataFrame, counter: Counter) -> DataFrame {
    let (state, plan) = df.into_parts();
    DataFrame::new(state, tap(plan, counter))
}

/// Compile `doc` with `given` parameters. Structural problems must have been ruled out by
/// `model::validate_document`; everything else is reported in `Compiled::problems`.
pub async fn compile(
    engine: &Engine,
    doc: &DataflowDocument,
    given: &BTreeMap<String, Value>,
    inputs: Inputs,
    subflows: &dyn SubflowSource,
    purpose: Purpose,
) -> EngineResult<Compiled> {
    let session = if order_free(doc) { engine.parallel_session() } else { engine.session() };
    compile_with(engine, session, doc, given, inputs, subflows, purpose).await
}

/// Whether no result of `doc` depends on the order records arrive in: no order-sensitive stage
/// (`limit`, `distinct`, `unique_id`, `match`, subflows, `first`/`last`/`list` aggregates), and
/// every path into a sink or output passes a `sort` or an `aggregate`. Such dataflows may split
/// file scans across threads.
pub fn order_free(doc: &DataflowDocument) -> bool {
    let order_sensitive = |stage: &Stage| match stage.stage_type.as_str() {
        "limit" | "distinct" | "unique_id" | "match" | "subflow" => true,
        "aggregate" => stage.options.get("aggregates").and_then(Value::as_array).is_some_and(|list| {
            list.iter()
                .any(|a| matches!(a.get("function").and_then(Value::as_str), Some("first" | "last" | "list")))
        }),
        _ => false,
    };
    if doc.stages.iter().any(order_sensitive) {
        return false;
    }
    fn reordered(doc: &DataflowDocument, stage_id: &str, depth: usize) -> bool {
        let Some(stage) = doc.stages.iter().find(|s| s.id == stage_id) else { return false };
        if matches!(stage.stage_type.as_str(), "sort" | "aggregate") {
            return true;
        }
        let inputs: Vec<&str> = doc
            .edges
            .iter()
            .filter(|e| EdgeEnd::parse(&e.to).stage == stage_id)
            .map(|e| EdgeEnd::parse(&e.from).stage)
            .collect();
        !inputs.is_empty()
            && depth < doc.stages.len()
            && inputs.iter().all(|input| reordered(doc, input, depth + 1))
    }
    let sinks = doc.stages.iter().filter(|s| s.stage_type.starts_with("write_") || s.stage_type == "output");
    sinks.into_iter().all(|sink| {
        doc.edges
            .iter()
            .filter(|e| EdgeEnd::parse(&e.to).stage == sink.id)
            .all(|e| reordered(doc, EdgeEnd::parse(&e.from).stage, 0))
    })
}

/// [`compile`] in a given session (whose tables `inputs` may come from).
pub async fn compile_with(
    engine: &Engine,
    ctx: SessionContext,
    doc: &DataflowDocument,
    given: &BTreeMap<String, Value>,
    inputs: Inputs,
    subflows: &dyn SubflowSource,
    purpose: Purpose,
) -> EngineResult<Compiled> {
    compile_in(engine, &ctx, doc, given, inputs, subflows, purpose, "").await
}

/// Compile inside an existing session; `prefix` namespaces the ports of an embedded subflow.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn compile_in(
    engine: &Engine,
    ctx: &SessionContext,
    doc: &DataflowDocument,
    given: &BTreeMap<String, Value>,
    mut inputs: Inputs,
    subflows: &dyn SubflowSource,
    purpose: Purpose,
    prefix: &str,
) -> EngineResult<Compiled> {
    let params = params::resolve(doc, given)?;
    let mut compiled = Compiled {
        ctx: ctx.clone(),
        sinks: vec![],
        outputs: BTreeMap::new(),
        ports: BTreeMap::new(),
        counters: BTreeMap::new(),
        feeds: BTreeMap::new(),
        problems: vec![],
    };
    let mut consumers: HashMap<String, usize> = HashMap::new();
    for edge in &doc.edges {
        *consumers.entry(output_port(doc, &EdgeEnd::parse(&edge.from))).or_default() += 1;
    }
    for stage in order(doc)? {
        let mut stage_inputs = StageInputs::new();
        let mut feeds = Vec::new();
        let mut missing_input = false;
        for edge in doc.edges.iter().filter(|e| EdgeEnd::parse(&e.to).stage == stage.id) {
            let from = output_port(doc, &EdgeEnd::parse(&edge.from));
            match compiled.ports.get(&format!("{prefix}{from}")) {
                Some(df) => stage_inputs
                    .entry(input_port(doc, &EdgeEnd::parse(&edge.to)))
                    .or_default()
                    .push(df.clone()),
                None => missing_input = true,
            }
            feeds.push(format!("{prefix}{from}"));
        }
        compiled.feeds.insert(format!("{prefix}{}", stage.id), feeds);
        if missing_input {
            continue; // an upstream stage failed and was reported
        }
        // `read_db` binds the parameters in its query as values (see `databases::read_db`).
        let mut spliced = stage.options.clone();
        let raw_query = if stage.stage_type == "read_db" { spliced.remove("query") } else { None };
        let options = match params::substitute(&stage.id, &Value::Object(spliced), &params) {
            Ok(Value::Object(mut map)) => {
                if let Some(query) = raw_query {
                    map.insert("query".into(), query);
                }
                map
            }
            Ok(_) => continue,
            Err(err) => {
                compiled.problems.push(err);
                continue;
            }
        };
        let connected_outputs =
            doc.edges.iter().filter(|e| EdgeEnd::parse(&e.from).stage == stage.id).count();
        if purpose == Purpose::Run && connected_outputs > 1 && stage_inputs.len() == 1 {
            // Several outputs of one stage are computed from the same input: compute it once.
            for frames in stage_inputs.values_mut() {
                for frame in frames.iter_mut() {
                    *frame = frame
                        .clone()
                        .cache()
                        .await
                        .map_err(|e| EngineError::from_datafusion(Some(&stage.id), e))?;
                }
            }
        }
        let sc = StageContext { engine, ctx, stage, options: Options::new(&stage.id, &options), purpose };
        let built = build_stage(&sc, stage_inputs, &mut inputs, subflows, &params).await;
        match built {
            Err(err) => compiled.problems.push(err.in_stage(&stage.id)),
            Ok(Built::Sink(sink)) => compiled.sinks.push(sink),
            Ok(Built::Output(df)) => {
                compiled.outputs.insert(stage.id.clone(), df);
            }
            Ok(Built::Ports(ports)) => {
                for (port, df) in ports {
                    let key = format!("{prefix}{}.{port}", stage.id);
                    let counter = Counter::new(key.clone());
                    let mut df = tapped(df, counter.clone());
                    if purpose == Purpose::Run
                        && consumers.get(&format!("{}.{port}", stage.id)).copied().unwrap_or(0) > 1
                    {
                        df =
                            df.cache().await.map_err(|e| EngineError::from_datafusion(Some(&stage.id), e))?;
                    }
                    compiled.counters.insert(key.clone(), counter);
                    compiled.ports.insert(key, df);
                }
            }
        }
    }
    Ok(compiled)
}

async fn build_stage(
    sc: &StageContext<'_>,
    inputs: StageInputs,
    given_inputs: &mut Inputs,
    subflows: &dyn SubflowSource,
    params: &BTreeMap<String, Value>,
) -> EngineResult<Built> {
    let one = |df: DataFrame| Built::Ports(BTreeMap::from([("out".to_string(), df)]));
    Ok(match sc.stage.stage_type.as_str() {
        "read_csv" | "read_json" | "read_parquet" => one(sources::read(sc).await?),
        "read_db" => one(databases::read_db(sc, params).await?),
        "input" => one(sources::input(sc, given_inputs.remove(sc.id()))?),
        "write_csv" | "write_json" | "write_parquet" => {
            Built::Sink(sources::sink(sc, sc.input(&inputs, "in")?)?)
        }
        "write_db" => Built::Sink(databases::sink_db(sc, sc.input(&inputs, "in")?).await?),
        "output" => Built::Output(sc.input(&inputs, "in")?),
        "filter" => Built::Ports(relational::filter(sc, sc.input(&inputs, "in")?)?),
        "transform" => one(relational::transform(sc, sc.input(&inputs, "in")?)?),
        "select" => one(relational::select(sc, sc.input(&inputs, "in")?)?),
        "route" => Built::Ports(relational::route(sc, sc.input(&inputs, "in")?)?),
        "aggregate" => one(relational::aggregate(sc, sc.input(&inputs, "in")?)?),
        "sort" => one(relational::sort(sc, sc.input(&inputs, "in")?)?),
        "distinct" => Built::Ports(relational::distinct(sc, sc.input(&inputs, "in")?)?),
        "limit" => one(relational::limit(sc, sc.input(&inputs, "in")?)?),
        "unique_id" => one(relational::unique_id(sc, sc.input(&inputs, "in")?)?),
        "split" => one(relational::split(sc, sc.input(&inputs, "in")?)?),
        "validate" => Built::Ports(relational::validate(sc, sc.input(&inputs, "in")?)?),
        "union" => one(combine::union(sc, inputs)?),
        "join" => Built::Ports(combine::join(sc, sc.input(&inputs, "left")?, sc.input(&inputs, "right")?)?),
        "lookup" => one(combine::lookup(sc, sc.input(&inputs, "in")?, sc.input(&inputs, "table")?)?),
        "subflow" => Built::Ports(Box::pin(extra::subflow(sc, inputs, subflows, params)).await?),
        "standardize" => one(extra::standardize(sc, sc.input(&inputs, "in")?)?),
        "match" => one(modules::fuzzy_match(sc, sc.input(&inputs, "in")?).await?),
        "parse_address" => one(modules::parse_address(sc, sc.input(&inputs, "in")?).await?),
        other => return Err(EngineError::user(sc.id(), format!("unknown stage type {other:?}"))),
    })
}
