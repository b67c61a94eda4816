//! Where records come from and go to: files under the data directory, records handed to an
//! `input` stage, and the sinks' settings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::{CsvReadOptions, DataFrame, JsonReadOptions, ParquetReadOptions, cast, ident};

use super::StageContext;
use crate::error::{EngineError, EngineResult};
use crate::paths;
use crate::sink::{SinkFormat, WriteMode};

/// The file's extension, which DataFusion uses to pick files when the path names a directory
/// or a glob; empty for paths without one.
fn extension(path: &str) -> String {
    Path::new(path).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default()
}

fn single_byte(sc: &StageContext<'_>, option: &str, default: &str) -> EngineResult<u8> {
    let text = sc.options.str_or(option, default)?;
    match text.as_bytes() {
        [byte] => Ok(*byte),
        _ if text == "\\t" => Ok(b'\t'),
        _ => {
            Err(EngineError::option(sc.id(), option, format!("{option} must be one character, not {text:?}")))
        }
    }
}

/// The arrow type of a catalog field type name.
pub(crate) fn data_type(name: &str) -> Option<DataType> {
    Some(match name {
        "string" => DataType::Utf8,
        "integer" => DataType::Int64,
        "number" => DataType::Float64,
        "boolean" => DataType::Boolean,
        "date" => DataType::Date32,
        "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, None),
        _ => return None,
    })
}

/// Schemas inferred from CSV files, by file and the options that shape inference, so a file read
/// again unchanged is not sampled again: many short runs over one file each paid for reading it
/// twice. A file counts as unchanged while its size and modification time are; a file changed
/// in the last second is not cached, since a change within the file system's clock tick would
/// leave its modification time as it was.
#[derive(Default)]
pub(crate) struct CsvSchemas(Mutex<HashMap<CsvKey, SchemaRef>>);

/// The most schemas kept; past it the cache starts again empty.
const CSV_SCHEMAS: usize = 1024;

/// How long a file must be unchanged before its schema is kept.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(PartialEq, Eq, Hash)]
struct CsvKey {
    path: PathBuf,
    len: u64,
    modified: SystemTime,
    header: bool,
    delimiter: u8,
    quote: u8,
}

impl CsvKey {
    /// The key of a single file that has not changed in the last second; `None` for others and
    /// for a directory or a glob, whose files may come and go.
    fn of(path: &Path, header: bool, delimiter: u8, quote: u8) -> Option<Self> {
        let meta = std::fs::metadata(path).ok().filter(std::fs::Metadata::is_file)?;
        let (len, modified) = (meta.len(), meta.modified().ok()?);
        let settled = modified.elapsed().is_ok_and(|age| age >= SETTLED);
        settled.then(|| Self { path: path.to_owned(), len, modified, header, delimiter, quote })
    }
}

impl CsvSchemas {
    fn get(&self, key: &CsvKey) -> Option<SchemaRef> {
        self.0.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: CsvKey, schema: SchemaRef) {
        if let Ok(mut schemas) = self.0.lock() {
            if schemas.len() >= CSV_SCHEMAS {
                schemas.clear();
            }
            schemas.insert(key, schema);
        }
    }
}

/// `read_csv` with these settings: `has_header`, `delimiter`, `quote`.
async fn read_csv(
    sc: &StageContext<'_>,
    path: &Path,
    ext: &str,
    (header, delimiter, quote): (bool, u8, u8),
) -> datafusion::error::Result<DataFrame> {
    let key = CsvKey::of(path, header, delimiter, quote);
    let known = key.as_ref().and_then(|key| sc.engine.csv_schemas.get(key));
    let mut options =
        CsvReadOptions::new().has_header(header).delimiter(delimiter).quote(quote).file_extension(ext);
    if let Some(schema) = &known {
        options = options.schema(schema);
    }
    let frame = sc.ctx.read_csv(path.to_string_lossy().to_string(), options).await?;
    if let (Some(key), None) = (key, known) {
        sc.engine.csv_schemas.put(key, Arc::new(frame.schema().as_arrow().clone()));
    }
    Ok(frame)
}

pub(crate) async fn read(sc: &StageContext<'_>) -> EngineResult<DataFrame> {
    let id = sc.id();
    let raw = sc.options.str("path")?;
    let path = paths::resolve(&sc.engine.data_dir, id, raw)?;
    let path_text = path.to_string_lossy().to_string();
    let ext = extension(raw);
    let frame = match sc.stage.stage_type.as_str() {
        "read_csv" => {
            let header = sc.options.bool_or("has_header", true)?;
            let settings = (header, single_byte(sc, "delimiter", ",")?, single_byte(sc, "quote", "\"")?);
            read_csv(sc, &path, &ext, settings).await
        }
        "read_json" => sc.ctx.read_json(path_text, JsonReadOptions::default().file_extension(&ext)).await,
        _ => {
            sc.ctx
                .read_parquet(path_text, ParquetReadOptions { file_extension: &ext, ..Default::default() })
                .await
        }
    };
    let frame = frame.map_err(|e| {
        let mut err = EngineError::from_datafusion(Some(id), e);
        if err.message.contains("No such file")
            || err.message.contains("not found")
            || err.message.contains("No files found")
        {
            err.message = format!("no file matches {raw:?} in the data directory");
            err.path = Some("options.path".into());
            // The file may still arrive: an upstream system has not delivered it yet.
            err.fault = crate::Fault::External;
            err.retryable = true;
        }
        err
    })?;
    let frame = apply_schema(sc, frame)?;
    match sc.purpose {
        super::Purpose::Preview { rows } => {
            frame.limit(0, Some(rows)).map_err(|e| EngineError::from_datafusion(Some(id), e))
        }
        _ => Ok(frame),
    }
}

/// `schema` on `read_csv`: cast the named fields instead of trusting inference.
fn apply_schema(sc: &StageContext<'_>, frame: DataFrame) -> EngineResult<DataFrame> {
    let overrides = sc.options.map("schema")?;
    if overrides.is_empty() {
        return Ok(frame);
    }
    let mut columns = Vec::new();
    for field in frame.schema().fields() {
        let name = field.name();
        let expr = match overrides.iter().find(|(f, _)| f == name) {
            Some((_, type_name)) => {
                let target = data_type(type_name).ok_or_else(|| {
                    EngineError::option(sc.id(), "schema", format!("unknown type {type_name:?} for {name:?}"))
                })?;
                cast(ident(name), target).alias(name)
            }
            None => ident(name),
        };
        columns.push(expr);
    }
    for (name, _) in &overrides {
        if frame.schema().field_with_unqualified_name(name).is_err() {
            return Err(EngineError::option(sc.id(), "schema", format!("the file has no field {name:?}")));
        }
    }
    frame.select(columns).map_err(|e| EngineError::from_datafusion(Some(sc.id()), e))
}

/// The declared fields of an `input` stage as an arrow schema.
pub fn input_schema(sc_id: &str, fields: &[(String, String)]) -> EngineResult<Arc<Schema>> {
    let fields: Vec<Field> = fields
        .iter()
        .map(|(name, type_name)| {
            let data_type = data_type(type_name).ok_or_else(|| {
                EngineError::option(sc_id, "fields", format!("unknown type {type_name:?} for {name:?}"))
            })?;
            Ok(Field::new(name, data_type, true))
        })
        .collect::<EngineResult<_>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

pub(crate) fn declared_fields(sc: &StageContext<'_>) -> EngineResult<Vec<(String, String)>> {
    sc.options
        .list("fields")?
        .iter()
        .map(|f| Ok((f.str("name")?.to_owned(), f.str("type")?.to_owned())))
        .collect()
}

/// Records handed in by the caller, or none (when checking) with the declared fields.
pub(crate) fn input(sc: &StageContext<'_>, given: Option<DataFrame>) -> EngineResult<DataFrame> {
    if let Some(frame) = given {
        return Ok(frame);
    }
    let schema = input_schema(sc.id(), &declared_fields(sc)?)?;
    sc.ctx
        .read_batch(RecordBatch::new_empty(schema))
        .map_err(|e| EngineError::from_datafusion(Some(sc.id()), e))
}

pub(crate) fn sink(sc: &StageContext<'_>, input: DataFrame) -> EngineResult<super::Sink> {
    let id = sc.id();
    let path = paths::resolve(&sc.engine.data_dir, id, sc.options.str("path")?)?;
    let mode = match sc.options.str_or("mode", "overwrite")? {
        "overwrite" => WriteMode::Overwrite,
        "append" => WriteMode::Append,
        "error_if_exists" => WriteMode::ErrorIfExists,
        other => return Err(EngineError::option(id, "mode", format!("unknown mode {other:?}"))),
    };
    let format = match sc.stage.stage_type.as_str() {
        "write_csv" => SinkFormat::Csv {
            delimiter: single_byte(sc, "delimiter", ",")?,
            header: sc.options.bool_or("header", true)?,
        },
        "write_json" => SinkFormat::Json,
        _ => SinkFormat::Parquet,
    };
    if mode == WriteMode::Append && format == SinkFormat::Parquet {
        return Err(EngineError::option(
            id,
            "mode",
            "Parquet files cannot be appended to; use overwrite or error_if_exists",
        ));
    }
    let task = sc.engine.task_for(sc.ctx);
    Ok(super::Sink { stage: id.to_owned(), format, path, mode, input, task, database: None })
}
