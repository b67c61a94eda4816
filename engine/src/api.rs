//! What the nodes ask of the engine besides running jobs: check a document (problems and the
//! schema of every port), preview it on a few records, and answer a service call.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::json::ReaderBuilder;
use datafusion::arrow::json::writer::{JsonArray, WriterBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::{DataFrame, SessionContext};
use model::{DataflowDocument, DataflowKind, ErrorDetail, FieldSchema, PortPreview, PreviewResponse};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::Engine;
use crate::compile::{Inputs, Purpose, SubflowSource, compile};
use crate::error::{EngineError, EngineResult};

/// The most rows a preview reads per source and returns per port.
pub const MAX_PREVIEW_ROWS: usize = 1000;

pub type Row = Map<String, Value>;

pub fn schema_of(df: &DataFrame) -> Vec<FieldSchema> {
    df.schema()
        .fields()
        .iter()
        .map(|f| FieldSchema {
            name: f.name().clone(),
            field_type: f.data_type().to_string(),
            nullable: f.is_nullable(),
        })
        .collect()
}

pub fn detail(err: EngineError) -> ErrorDetail {
    ErrorDetail { stage: err.stage.filter(|s| !s.is_empty()), path: err.path, message: err.message }
}

/// JSON rows → one record batch of `schema` (fields missing from a row are null; values are
/// coerced where JSON allows, e.g. `"12"` is not an integer and is refused).
pub fn rows_to_batch(stage: &str, schema: Arc<Schema>, rows: &[Row]) -> EngineResult<RecordBatch> {
    let bad = |e: datafusion::arrow::error::ArrowError| {
        EngineError::user(stage, format!("the records do not fit the input fields: {e}"))
    };
    let mut decoder = ReaderBuilder::new(schema.clone()).build_decoder().map_err(bad)?;
    decoder.serialize(rows).map_err(bad)?;
    Ok(decoder.flush().map_err(bad)?.unwrap_or_else(|| RecordBatch::new_empty(schema)))
}

/// A call's records as JSON text (one object each), decoded straight into one batch of
/// `schema` with the same rules as [`rows_to_batch`].
pub fn raw_rows_to_batch(
    stage: &str,
    schema: Arc<Schema>,
    rows: &[Box<RawValue>],
) -> EngineResult<RecordBatch> {
    let bad = |e: datafusion::arrow::error::ArrowError| {
        EngineError::user(stage, format!("the records do not fit the input fields: {e}"))
    };
    let mut decoder =
        ReaderBuilder::new(schema.clone()).with_batch_size(rows.len().max(1)).build_decoder().map_err(bad)?;
    for row in rows {
        decoder.decode(row.get().as_bytes()).map_err(bad)?;
    }
    Ok(decoder.flush().map_err(bad)?.unwrap_or_else(|| RecordBatch::new_empty(schema)))
}

/// Batches → one JSON array of objects (nulls written out), as UTF-8 bytes.
pub fn batches_to_json(batches: &[RecordBatch]) -> EngineResult<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| EngineError::engine(format!("encoding rows failed: {e}"));
    let mut writer = WriterBuilder::new().with_explicit_nulls(true).build::<_, JsonArray>(Vec::new());
    let refs: Vec<&RecordBatch> = batches.iter().collect();
    writer.write_batches(&refs).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    let mut bytes = writer.into_inner();
    if bytes.is_empty() {
        bytes.extend_from_slice(b"[]");
    }
    Ok(bytes)
}

pub fn batches_to_rows(batches: &[RecordBatch]) -> EngineResult<Vec<Row>> {
    serde_json::from_slice(&batches_to_json(batches)?)
        .map_err(|e| EngineError::engine(format!("encoding rows failed: {e}")))
}

async fn collect_rows(stage: Option<&str>, df: DataFrame) -> EngineResult<Vec<Row>> {
    use futures::TryStreamExt;
    let stream = crate::sink::ordered_stream(&df, Arc::new(df.task_ctx()))
        .await
        .map_err(|e| EngineError::from_datafusion(stage, e))?;
    let batches: Vec<RecordBatch> =
        stream.try_collect().await.map_err(|e| EngineError::from_datafusion(stage, e))?;
    batches_to_rows(&batches)
}

/// Every problem (compile-time: options, expressions, fields, files) and the fields on each
/// port that could be computed.
pub async fn check(
    engine: &Engine,
    doc: &DataflowDocument,
    parameters: &BTreeMap<String, Value>,
    subflows: &dyn SubflowSource,
) -> (BTreeMap<String, Vec<FieldSchema>>, Vec<ErrorDetail>) {
    if doc.kind == DataflowKind::Process {
        // Its steps run other dataflows, which are checked on their own; no records flow here.
        return (BTreeMap::new(), vec![]);
    }
    match compile(engine, doc, parameters, Inputs::new(), subflows, Purpose::Check).await {
        Ok(compiled) => {
            let schemas = compiled.ports.iter().map(|(port, df)| (port.clone(), schema_of(df))).collect();
            (schemas, compiled.problems.into_iter().map(detail).collect())
        }
        Err(err) => (BTreeMap::new(), vec![detail(err)]),
    }
}

/// Run the document on the first `limit` records of each source and return the first `limit`
/// rows and the schema on every port.
pub async fn preview(
    engine: &Engine,
    doc: &DataflowDocument,
    parameters: &BTreeMap<String, Value>,
    limit: usize,
    subflows: &dyn SubflowSource,
) -> PreviewResponse {
    if doc.kind == DataflowKind::Process {
        return PreviewResponse { ports: BTreeMap::new(), problems: vec![] };
    }
    let limit = limit.clamp(1, MAX_PREVIEW_ROWS);
    let compiled =
        match compile(engine, doc, parameters, Inputs::new(), subflows, Purpose::Preview { rows: limit })
            .await
        {
            Ok(compiled) => compiled,
            Err(err) => return PreviewResponse { ports: BTreeMap::new(), problems: vec![detail(err)] },
        };
    let mut problems: Vec<ErrorDetail> = compiled.problems.into_iter().map(detail).collect();
    let mut ports = BTreeMap::new();
    for (port, df) in compiled.ports {
        let schema = schema_of(&df);
        let stage = port.rsplit_once('.').map(|(s, _)| s.to_owned());
        match df.limit(0, Some(limit)) {
            Ok(limited) => match collect_rows(stage.as_deref(), limited).await {
                Ok(rows) => {
                    ports.insert(port, PortPreview { schema, rows });
                }
                Err(err) => problems.push(detail(err)),
            },
            Err(err) => problems.push(detail(EngineError::from_datafusion(stage.as_deref(), err))),
        }
    }
    PreviewResponse { ports, problems }
}

/// The declared input fields of a service's `input` stage.
pub(crate) fn input_stage(doc: &DataflowDocument) -> EngineResult<(&model::Stage, Arc<Schema>)> {
    let stage = doc
        .stages
        .iter()
        .find(|s| s.stage_type == "input")
        .ok_or_else(|| EngineError::user("", "the service has no input stage"))?;
    let options = crate::options::Options::new(&stage.id, &stage.options);
    let fields: Vec<(String, String)> = options
        .list("fields")?
        .iter()
        .map(|f| Ok((f.str("name")?.to_owned(), f.str("type")?.to_owned())))
        .collect::<EngineResult<_>>()?;
    Ok((stage, crate::compile::input_schema(&stage.id, &fields)?))
}

/// Answer one service call: `rows` go into the input stage, the output stage's rows come back.
pub async fn call_service(
    engine: &Engine,
    doc: &DataflowDocument,
    rows: &[Row],
    parameters: &BTreeMap<String, Value>,
    subflows: &dyn SubflowSource,
) -> EngineResult<Vec<Row>> {
    let (stage, schema) = input_stage(doc)?;
    let batch = rows_to_batch(&stage.id, schema, rows)?;
    let ctx: SessionContext = engine.session();
    let frame = ctx.read_batch(batch).map_err(|e| EngineError::from_datafusion(Some(&stage.id), e))?;
    let inputs = Inputs::from([(stage.id.clone(), frame)]);
    let compiled =
        crate::compile::compile_with(engine, ctx, doc, parameters, inputs, subflows, Purpose::Run).await?;
    if let Some(problem) = compiled.problems.into_iter().next() {
        return Err(problem);
    }
    let (output, df) = compiled
        .outputs
        .into_iter()
        .next()
        .ok_or_else(|| EngineError::user("", "the service has no output stage"))?;
    collect_rows(Some(&output), df).await
}

/// A record given as text (query strings): each value parsed as its input field's type.
pub fn text_row(doc: &DataflowDocument, values: &BTreeMap<String, String>) -> EngineResult<Row> {
    let (stage, schema) = input_stage(doc)?;
    let mut row = Row::new();
    for (name, text) in values {
        let field = schema
            .field_with_name(name)
            .map_err(|_| EngineError::user(&stage.id, format!("the service has no input field {name:?}")))?;
        use datafusion::arrow::datatypes::DataType as D;
        let value = match field.data_type() {
            D::Int64 => text.parse::<i64>().map(Value::from).ok(),
            D::Float64 => text.parse::<f64>().ok().map(Value::from),
            D::Boolean => text.parse::<bool>().ok().map(Value::from),
            _ => Some(Value::from(text.clone())),
        }
        .ok_or_else(|| {
            EngineError::user(&stage.id, format!("{name}={text:?} is not a valid {}", field.data_type()))
        })?;
        row.insert(name.clone(), value);
    }
    Ok(row)
}
