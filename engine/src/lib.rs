//! Tributary's engine: turns a dataflow document into Apache DataFusion plans and runs them.
//! Every stage maps to DataFrame operations; the whole dataflow becomes one plan per sink, with
//! fan-out ports computed once; taps count rows on every port while the plan runs.
//!
//! # Layout
//! - [`error`]: [`EngineError`], with who is at fault and whether a retry can help.
//! - [`params`]: `${parameter}` substitution in options.
//! - [`paths`]: file paths confined to the data directory.
//! - [`expr`]: SQL expressions parsed against a stage's input, and nothing but expressions.
//! - [`options`]: typed access to a stage's options.
//! - [`prepared`]: services planned once per exposed version.
//! - [`pipeline`]: prepared plans that only filter and compute fields, run as expressions.
//! - [`tap`]: per-port row counters inside the plan.
//! - [`compile`]: document → DataFrames per port, sinks and the service output.
//! - [`database`]: `read_db` and `write_db` over connections a [`ConnectionSource`] provides.
//! - [`local_files`]: local files DataFusion reads, opened without a hand-over.
//! - [`sink`]: writing CSV, JSON and Parquet atomically (temporary file, then rename).
//! - [`address`]: the one-line postal address parser of the `address` module.
//! - [`api`]: checking (problems, schemas), previews and service calls.
//! - [`quality`]: fuzzy matching of the `quality` module.
//! - [`run`]: executing a compiled dataflow with cancellation and live metrics.

pub mod address;
pub mod api;
pub mod compile;
pub mod database;
pub mod error;
pub mod expr;
mod local_files;
pub mod options;
pub mod params;
pub mod paths;
pub mod pipeline;
pub mod prepared;
pub mod quality;
pub mod run;
pub mod sink;
pub mod tap;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use datafusion::execution::TaskContext;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

pub use compile::{Compiled, Inputs, NoSubflows, Purpose, SubflowSource, compile, compile_with};
pub use database::{ConnectionDetails, ConnectionSource, DatabaseKind, NoConnections};
pub use error::{EngineError, EngineResult, Fault};
pub use run::{Progress, RunMetrics, StageMetrics, execute, execute_staged, snapshot};
pub use sink::Staging;

/// Settings shared by every compilation on a node.
#[derive(Clone)]
pub struct Engine {
    pub data_dir: PathBuf,
    /// Parallelism of hash aggregates and joins.
    pub partitions: usize,
    /// Built once: a session holds hundreds of registered functions and optimizer rules, and
    /// compiling never registers anything in it, so every compilation can share it.
    session: OnceLock<Session>,
    /// The same, free to split file scans across threads: for dataflows whose results do not
    /// depend on record order (see [`compile::order_free`]).
    parallel_session: OnceLock<Session>,
    /// Schemas of CSV files read so far (see [`compile::sources`]).
    csv_schemas: Arc<compile::sources::CsvSchemas>,
    /// Where `read_db` and `write_db` find their connections.
    pub connections: Arc<dyn ConnectionSource>,
}

/// A shared session and the task context its plans execute in. Building a task context copies
/// the session's registry of several hundred functions, so it is built once, not per plan.
#[derive(Clone)]
struct Session {
    ctx: SessionContext,
    task: Arc<TaskContext>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("data_dir", &self.data_dir)
            .field("partitions", &self.partitions)
            .finish()
    }
}

impl Engine {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let partitions = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self {
            data_dir: data_dir.into(),
            partitions,
            session: OnceLock::new(),
            parallel_session: OnceLock::new(),
            csv_schemas: Arc::default(),
            connections: Arc::new(NoConnections),
        }
    }

    /// Resolve `read_db` and `write_db` connections through `source`.
    pub fn with_connections(mut self, source: Arc<dyn ConnectionSource>) -> Self {
        self.connections = source;
        self
    }

    pub fn with_partitions(mut self, partitions: usize) -> Self {
        self.partitions = partitions;
        self.session = OnceLock::new();
        self.parallel_session = OnceLock::new();
        self
    }

    /// A DataFusion session that keeps records in input order along linear pipelines (so
    /// `limit`, `distinct` and sequence ids follow the file) and still parallelises aggregates
    /// and joins by hash.
    pub fn session(&self) -> SessionContext {
        self.session.get_or_init(|| self.new_session(false)).ctx.clone()
    }

    /// A session that may reorder records for speed.
    pub fn parallel_session(&self) -> SessionContext {
        self.parallel_session.get_or_init(|| self.new_session(true)).ctx.clone()
    }

    /// The task context plans of `ctx` execute in: shared for the engine's own sessions, which
    /// nothing registers anything in after they are built.
    pub(crate) fn task_for(&self, ctx: &SessionContext) -> Arc<TaskContext> {
        let shared = [&self.session, &self.parallel_session]
            .into_iter()
            .filter_map(OnceLock::get)
            .find(|session| Arc::ptr_eq(&session.ctx.state_ref(), &ctx.state_ref()));
        match shared {
            Some(session) => session.task.clone(),
            None => ctx.task_ctx(),
        }
    }

    fn new_session(&self, parallel: bool) -> Session {
        let mut config = SessionConfig::new().with_target_partitions(self.partitions).with_batch_size(8192);
        let options = config.options_mut();
        options.optimizer.repartition_file_scans = parallel;
        options.optimizer.enable_round_robin_repartition = parallel;
        options.execution.collect_statistics = false;
        // Field names are case-sensitive as written, like the files they come from.
        options.sql_parser.enable_ident_normalization = false;
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .with_query_planner(Arc::new(tap::TapQueryPlanner))
            .build();
        local_files::register(state.runtime_env());
        let task = Arc::new(TaskContext::from(&state));
        Session { ctx: SessionContext::new_with_state(state), task }
    }
}
