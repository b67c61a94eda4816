//! `read_db`: the query's result columns become an arrow schema when the dataflow is
//! compiled (the statement is prepared, not run); its rows stream in record batches when the
//! plan executes, from a read-only transaction.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::prelude::{DataFrame, SessionContext};
use futures::StreamExt;
use rust_decimal::prelude::ToPrimitive;
use sqlx::{AssertSqlSafe, Column, Executor, Row, Statement, TypeInfo, ValueRef};

use super::ConnectionDetails;
use super::connect::{Access, DbConn, open};
use crate::error::{EngineError, EngineResult};

/// Records per batch sent into the plan.
const BATCH_ROWS: usize = 8192;

/// The arrow type a result column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Text,
    Date,
    Timestamp,
}

impl Kind {
    fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::Float => DataType::Float64,
            Kind::Text => DataType::Utf8,
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        }
    }

    /// The column type names of the three databases (as sqlx names them). Decimals become
    /// floating point; time zones are converted to UTC.
    fn of(type_name: &str) -> Option<Kind> {
        let name = type_name.to_ascii_uppercase();
        let name = name.trim_end_matches(" UNSIGNED");
        Some(match name {
            "BOOL" | "BOOLEAN" => Kind::Bool,
            "INT2" | "INT4" | "INT8" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "INTEGER"
            | "BIGINT" | "YEAR" => Kind::Int,
            "FLOAT4" | "FLOAT8" | "FLOAT" | "DOUBLE" | "REAL" | "NUMERIC" | "DECIMAL" => Kind::Float,
            "TEXT" | "VARCHAR" | "BPCHAR" | "CHAR" | "NAME" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT"
            | "ENUM" | "SET" | "TIME" | "NULL" => Kind::Text,
            "DATE" => Kind::Date,
            "TIMESTAMP" | "TIMESTAMPTZ" | "DATETIME" => Kind::Timestamp,
            _ => return None,
        })
    }
}

/// One value as it came from the database, before it goes into its column's builder.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

/// The statement `read_db` runs: the query as written, or every row of `table`.
pub fn statement(
    query: Option<&str>,
    table: Option<&str>,
    kind: super::DatabaseKind,
) -> Result<String, String> {
    match (query.map(str::trim).filter(|q| !q.is_empty()), table) {
        (Some(query), None) => Ok(query.trim_end_matches(';').trim_end().to_owned()),
        (None, Some(table)) => Ok(format!("SELECT * FROM {}", super::sql::quote_table(kind, table)?)),
        _ => Err("give exactly one of query and table".into()),
    }
}

/// A frame over the result of `sql`. Only the statement's columns are fetched now; rows are
/// read when the plan runs (at most `limit` of them when given, for previews).
pub async fn frame(
    ctx: &SessionContext,
    details: &ConnectionDetails,
    data_dir: PathBuf,
    stage: &str,
    sql: String,
    limit: Option<usize>,
) -> EngineResult<DataFrame> {
    let sql = match limit {
        Some(rows) => format!("SELECT * FROM ({sql}) AS tributary_preview LIMIT {rows}"),
        None => sql,
    };
    let mut conn = open(details, &data_dir, stage, Access::Read).await?;
    let columns = columns(&mut conn, &sql).await;
    conn.close().await;
    let columns = columns.map_err(|e| EngineError::option(stage, "query", e))?;
    let schema: SchemaRef = Arc::new(Schema::new(
        columns.iter().map(|(name, kind)| Field::new(name, kind.data_type(), true)).collect::<Vec<_>>(),
    ));
    let source = DbRows {
        details: details.clone(),
        data_dir,
        stage: stage.to_owned(),
        sql,
        schema: schema.clone(),
        kinds: columns.into_iter().map(|(_, kind)| kind).collect(),
    };
    let table = StreamingTable::try_new(schema, vec![Arc::new(source)])
        .map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
    ctx.read_table(Arc::new(table)).map_err(|e| EngineError::from_datafusion(Some(stage), e))
}

/// The result columns of `sql` and their kinds, from preparing it.
async fn columns(conn: &mut DbConn, sql: &str) -> Result<Vec<(String, Kind)>, String> {
    let named = |name: &str, type_name: &str| {
        Kind::of(type_name).map(|kind| (name.to_owned(), kind)).ok_or_else(|| {
            format!("column {name:?} has type {type_name}, which read_db cannot read; cast it in the query")
        })
    };
    let prepared = |e: sqlx::Error| format!("the query does not prepare: {}", message(&e));
    let sql = sqlx::SqlSafeStr::into_sql_str(AssertSqlSafe(sql.to_owned()));
    match conn {
        DbConn::Postgres(c) => {
            let statement = c.prepare(sql).await.map_err(prepared)?;
            statement.columns().iter().map(|col| named(col.name(), col.type_info().name())).collect()
        }
        DbConn::Mysql(c) => {
            let statement = c.prepare(sql).await.map_err(prepared)?;
            statement.columns().iter().map(|col| named(col.name(), col.type_info().name())).collect()
        }
        DbConn::Sqlite(c) => {
            let statement = c.prepare(sql.clone()).await.map_err(prepared)?;
            let declared: Vec<(String, Option<Kind>)> = statement
                .columns()
                .iter()
                .map(|col| {
                    (
                        col.name().to_owned(),
                        Kind::of(col.type_info().name()).filter(|_| col.type_info().name() != "NULL"),
                    )
                })
                .collect();
            if declared.iter().all(|(_, kind)| kind.is_some()) {
                return Ok(declared
                    .into_iter()
                    .map(|(name, kind)| (name, kind.unwrap_or(Kind::Text)))
                    .collect());
            }
            let sampled =
                sqlite_sample(c, sql).await.map_err(|e| format!("the query failed: {}", message(&e)))?;
            Ok(declared
                .into_iter()
                .enumerate()
                .map(|(i, (name, kind))| {
                    (name, kind.or(sampled.get(i).copied().flatten()).unwrap_or(Kind::Text))
                })
                .collect())
        }
    }
}

/// How many rows are looked at to type SQLite columns without a declared type.
const SQLITE_SAMPLE: usize = 100;

/// SQLite types values, not columns: a column without a declared type (an expression, a
/// `NUMERIC` one) takes the type its first values have — integer, or real when any is real,
/// else text.
async fn sqlite_sample(
    conn: &mut sqlx::SqliteConnection,
    sql: sqlx::SqlStr,
) -> Result<Vec<Option<Kind>>, sqlx::Error> {
    let mut kinds: Vec<Option<Kind>> = Vec::new();
    let mut rows = sqlx::query(sql).fetch(&mut *conn).take(SQLITE_SAMPLE);
    while let Some(row) = rows.next().await {
        let row = row?;
        kinds.resize(row.len(), None);
        for (i, kind) in kinds.iter_mut().enumerate() {
            let value = row.try_get_raw(i)?;
            let seen = match value.type_info().name() {
                "INTEGER" => Kind::Int,
                "REAL" => Kind::Float,
                "NULL" => continue,
                _ => Kind::Text,
            };
            *kind = Some(match (*kind, seen) {
                (None, seen) => seen,
                (Some(Kind::Int), Kind::Float) | (Some(Kind::Float), Kind::Int) => Kind::Float,
                (Some(before), seen) if before == seen => seen,
                _ => Kind::Text,
            });
        }
    }
    Ok(kinds)
}

/// A database error's own text (sqlx prefixes some with their category).
pub(crate) fn message(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

/// The rows of one query, read when the plan executes.
struct DbRows {
    details: ConnectionDetails,
    data_dir: PathBuf,
    stage: String,
    sql: String,
    schema: SchemaRef,
    kinds: Vec<Kind>,
}

impl std::fmt::Debug for DbRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbRows").field("connection", &self.details.name).field("sql", &self.sql).finish()
    }
}

impl PartitionStream for DbRows {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (sender, receiver) = tokio::sync::mpsc::channel(2);
        let reader = Reader {
            details: self.details.clone(),
            data_dir: self.data_dir.clone(),
            stage: self.stage.clone(),
            sql: self.sql.clone(),
            schema: self.schema.clone(),
            kinds: self.kinds.clone(),
        };
        // The reader stops when the plan drops the stream (the send fails).
        tokio::spawn(async move {
            if let Err(err) = reader.read(&sender).await {
                let _ = sender.send(Err(err)).await;
            }
        });
        let stream = futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|item| (item, receiver))
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

type Batches = tokio::sync::mpsc::Sender<Result<RecordBatch, DataFusionError>>;

struct Reader {
    details: ConnectionDetails,
    data_dir: PathBuf,
    stage: String,
    sql: String,
    schema: SchemaRef,
    kinds: Vec<Kind>,
}

fn external(message: String) -> DataFusionError {
    DataFusionError::External(message.into())
}

impl Reader {
    async fn read(&self, sender: &Batches) -> Result<(), DataFusionError> {
        let mut conn = open(&self.details, &self.data_dir, &self.stage, Access::Read)
            .await
            .map_err(|e| external(e.message))?;
        let failed = |e: sqlx::Error| external(format!("the query failed: {}", message(&e)));
        conn.begin(Access::Read).await.map_err(failed)?;
        let mut columns = Columns::new(&self.kinds);
        let sql = AssertSqlSafe(self.sql.clone());
        macro_rules! drain {
            ($conn:expr, $cell:path) => {{
                let mut rows = sqlx::query(sql).fetch($conn);
                while let Some(row) = rows.next().await {
                    let row = row.map_err(failed)?;
                    for i in 0..self.kinds.len() {
                        let cell = $cell(&row, i)
                            .map_err(|e| external(format!("column {}: {}", i + 1, message(&e))))?;
                        columns.push(i, cell, &self.schema).map_err(external)?;
                    }
                    if columns.rows == BATCH_ROWS && !self.send(sender, &mut columns).await {
                        return Ok(());
                    }
                }
            }};
        }
        match &mut conn {
            DbConn::Postgres(c) => drain!(&mut *c, pg_cell),
            DbConn::Mysql(c) => drain!(&mut *c, mysql_cell),
            DbConn::Sqlite(c) => drain!(&mut *c, sqlite_cell),
        }
        if columns.rows > 0 {
            self.send(sender, &mut columns).await;
        }
        let _ = conn.run("ROLLBACK".into()).await;
        conn.close().await;
        Ok(())
    }

    /// Send the rows gathered so far; false when nobody listens any more.
    async fn send(&self, sender: &Batches, columns: &mut Columns) -> bool {
        let batch = columns.finish(&self.schema);
        sender.send(batch).await.is_ok()
    }
}

type CellResult = Result<Cell, sqlx::Error>;

fn pg_cell(row: &sqlx::postgres::PgRow, i: usize) -> CellResult {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = row.try_get_raw(i)?.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "BOOL" => Cell::Bool(row.try_get(i)?),
        "INT2" => Cell::Int(row.try_get::<i16, _>(i)?.into()),
        "INT4" => Cell::Int(row.try_get::<i32, _>(i)?.into()),
        "INT8" => Cell::Int(row.try_get(i)?),
        "FLOAT4" => Cell::Float(row.try_get::<f32, _>(i)?.into()),
        "FLOAT8" => Cell::Float(row.try_get(i)?),
        "NUMERIC" => Cell::Float(row.try_get::<rust_decimal::Decimal, _>(i)?.to_f64().unwrap_or(f64::NAN)),
        "DATE" => Cell::Date(row.try_get(i)?),
        "TIMESTAMP" => Cell::Timestamp(row.try_get(i)?),
        "TIMESTAMPTZ" => Cell::Timestamp(row.try_get::<DateTime<Utc>, _>(i)?.naive_utc()),
        _ => Cell::Text(row.try_get(i)?),
    })
}

fn mysql_cell(row: &sqlx::mysql::MySqlRow, i: usize) -> CellResult {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "BOOLEAN" => Cell::Bool(row.try_get(i)?),
        name if name.ends_with("INT UNSIGNED") || name == "YEAR" => {
            let value: u64 = row.try_get(i)?;
            Cell::Int(i64::try_from(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))?)
        }
        "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => Cell::Int(row.try_get(i)?),
        "FLOAT" => Cell::Float(row.try_get::<f32, _>(i)?.into()),
        "DOUBLE" => Cell::Float(row.try_get(i)?),
        "DECIMAL" => Cell::Float(row.try_get::<rust_decimal::Decimal, _>(i)?.to_f64().unwrap_or(f64::NAN)),
        "DATE" => Cell::Date(row.try_get(i)?),
        "DATETIME" => Cell::Timestamp(row.try_get(i)?),
        "TIMESTAMP" => Cell::Timestamp(row.try_get::<DateTime<Utc>, _>(i)?.naive_utc()),
        _ => Cell::Text(row.try_get(i)?),
    })
}

/// SQLite values carry their own storage class; columns convert them to their kind.
fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, i: usize) -> CellResult {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "INTEGER" | "BOOLEAN" => Cell::Int(row.try_get(i)?),
        "REAL" | "NUMERIC" => Cell::Float(row.try_get(i)?),
        _ => Cell::Text(row.try_get_unchecked(i)?),
    })
}

/// Arrow builders for the columns of the batch being gathered.
enum Builder {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
}

struct Columns {
    builders: Vec<Builder>,
    rows: usize,
}

pub(crate) const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|t| t.naive_utc()))
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
}

impl Columns {
    fn new(kinds: &[Kind]) -> Self {
        let builders = kinds
            .iter()
            .map(|kind| match kind {
                Kind::Bool => Builder::Bool(BooleanBuilder::new()),
                Kind::Int => Builder::Int(Int64Builder::new()),
                Kind::Float => Builder::Float(Float64Builder::new()),
                Kind::Text => Builder::Text(StringBuilder::new()),
                Kind::Date => Builder::Date(Date32Builder::new()),
                Kind::Timestamp => Builder::Timestamp(TimestampMicrosecondBuilder::new()),
            })
            .collect();
        Self { builders, rows: 0 }
    }

    /// Add `cell` to column `i`, converting it to the column's type; the last column of a row
    /// completes it.
    fn push(&mut self, i: usize, cell: Cell, schema: &Schema) -> Result<(), String> {
        let wrong =
            |cell: &Cell| format!("field {:?}: {cell:?} does not fit its type", schema.field(i).name());
        let Some(builder) = self.builders.get_mut(i) else { return Ok(()) };
        match (builder, cell) {
            (Builder::Bool(b), Cell::Null) => b.append_null(),
            (Builder::Int(b), Cell::Null) => b.append_null(),
            (Builder::Float(b), Cell::Null) => b.append_null(),
            (Builder::Text(b), Cell::Null) => b.append_null(),
            (Builder::Date(b), Cell::Null) => b.append_null(),
            (Builder::Timestamp(b), Cell::Null) => b.append_null(),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Builder::Bool(b), Cell::Int(v)) => b.append_value(v != 0),
            (Builder::Int(b), Cell::Int(v)) => b.append_value(v),
            (Builder::Int(b), Cell::Bool(v)) => b.append_value(i64::from(v)),
            (Builder::Int(b), Cell::Text(t)) => {
                b.append_value(t.trim().parse().map_err(|_| wrong(&Cell::Text(t)))?)
            }
            (Builder::Float(b), Cell::Float(v)) => b.append_value(v),
            (Builder::Float(b), Cell::Int(v)) => b.append_value(v as f64),
            (Builder::Float(b), Cell::Text(t)) => {
                b.append_value(t.trim().parse().map_err(|_| wrong(&Cell::Text(t)))?)
            }
            (Builder::Text(b), Cell::Text(t)) => b.append_value(t),
            (Builder::Text(b), cell) => b.append_value(match cell {
                Cell::Bool(v) => v.to_string(),
                Cell::Int(v) => v.to_string(),
                Cell::Float(v) => v.to_string(),
                Cell::Date(v) => v.to_string(),
                Cell::Timestamp(v) => v.to_string(),
                Cell::Null | Cell::Text(_) => String::new(),
            }),
            (Builder::Date(b), Cell::Date(d)) => b.append_value((d - EPOCH).num_days() as i32),
            (Builder::Date(b), Cell::Timestamp(t)) => b.append_value((t.date() - EPOCH).num_days() as i32),
            (Builder::Date(b), Cell::Text(t)) => {
                let date = NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                    .ok()
                    .or_else(|| parse_timestamp(t.trim()).map(|t| t.date()))
                    .ok_or_else(|| wrong(&Cell::Text(t.clone())))?;
                b.append_value((date - EPOCH).num_days() as i32)
            }
            (Builder::Timestamp(b), Cell::Timestamp(t)) => b.append_value(t.and_utc().timestamp_micros()),
            (Builder::Timestamp(b), Cell::Date(d)) => {
                b.append_value(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_micros())
            }
            (Builder::Timestamp(b), Cell::Text(t)) => {
                let at = parse_timestamp(t.trim()).ok_or_else(|| wrong(&Cell::Text(t.clone())))?;
                b.append_value(at.and_utc().timestamp_micros())
            }
            (_, cell) => return Err(wrong(&cell)),
        }
        if i + 1 == self.builders.len() {
            self.rows += 1;
        }
        Ok(())
    }

    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, DataFusionError> {
        let arrays: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Bool(b) => Arc::new(b.finish()),
                    Builder::Int(b) => Arc::new(b.finish()),
                    Builder::Float(b) => Arc::new(b.finish()),
                    Builder::Text(b) => Arc::new(b.finish()),
                    Builder::Date(b) => Arc::new(b.finish()),
                    Builder::Timestamp(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(schema.clone(), arrays).map_err(DataFusionError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::DatabaseKind;

    #[test]
    fn column_types_of_every_database_map_to_arrow() {
        assert_eq!(Kind::of("INT4"), Some(Kind::Int));
        assert_eq!(Kind::of("BIGINT UNSIGNED"), Some(Kind::Int));
        assert_eq!(Kind::of("NUMERIC"), Some(Kind::Float));
        assert_eq!(Kind::of("TIMESTAMPTZ"), Some(Kind::Timestamp));
        assert_eq!(Kind::of("varchar"), Some(Kind::Text));
        assert_eq!(Kind::of("BYTEA"), None);
    }

    #[test]
    fn a_table_is_quoted_and_a_query_kept() {
        assert_eq!(
            statement(None, Some("sales.orders"), DatabaseKind::Postgres).unwrap(),
            "SELECT * FROM \"sales\".\"orders\""
        );
        assert_eq!(statement(Some("SELECT 1;"), None, DatabaseKind::Mysql).unwrap(), "SELECT 1");
        assert!(statement(Some("SELECT 1"), Some("t"), DatabaseKind::Mysql).is_err());
        assert!(statement(None, None, DatabaseKind::Mysql).is_err());
    }

    #[test]
    fn text_values_convert_to_their_column_type() {
        let schema = Schema::new(vec![
            Field::new("d", DataType::Date32, true),
            Field::new("n", DataType::Int64, true),
        ]);
        let mut columns = Columns::new(&[Kind::Date, Kind::Int]);
        columns.push(0, Cell::Text("2024-02-03".into()), &schema).unwrap();
        columns.push(1, Cell::Text("12".into()), &schema).unwrap();
        assert_eq!(columns.rows, 1);
        assert!(columns.push(1, Cell::Text("twelve".into()), &schema).is_err());
    }
}
