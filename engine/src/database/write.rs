//! `write_db`: the sink's records inserted into a table in one transaction, so a failed or
//! cancelled run leaves the table as it was. `replace` deletes the old rows in the same
//! transaction; `create` makes the table from the records' fields (inside the transaction on
//! PostgreSQL and SQLite; MySQL commits DDL at once, so there a failed write drops the table
//! it created).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, Schema, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::prelude::DataFrame;
use futures::StreamExt;
use sqlx::AssertSqlSafe;
use tokio_util::sync::CancellationToken;

use super::connect::{Access, DbConn, open};
use super::read::message;
use super::sql::{placeholder, quote_ident, quote_table};
use super::values::EPOCH;
use super::{ConnectionDetails, DatabaseKind};
use crate::error::{EngineError, EngineResult, Fault};

/// Most values bound in one statement: under the limits of all three databases (SQLite's is
/// 32766, PostgreSQL's and MySQL's 65535).
const MAX_BOUND: usize = 30_000;
/// Most rows in one `INSERT`.
const MAX_ROWS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbWriteMode {
    /// Add rows to an existing table.
    Append,
    /// Delete the table's rows, then add the new ones.
    Replace,
    /// Create the table (it must not exist), then add the rows.
    Create,
}

impl DbWriteMode {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "append" => Self::Append,
            "replace" => Self::Replace,
            "create" => Self::Create,
            _ => return None,
        })
    }
}

/// Where a `write_db` stage writes.
#[derive(Debug, Clone)]
pub struct DbTarget {
    pub details: ConnectionDetails,
    pub table: String,
    pub mode: DbWriteMode,
    /// Where a SQLite file's path resolves.
    pub data_dir: PathBuf,
}

/// A column of a batch in one of the types bound as values.
enum Values {
    Int(Int64Array),
    Float(Float64Array),
    Bool(BooleanArray),
    Text(StringArray),
    Date(Date32Array),
    Timestamp(TimestampMicrosecondArray),
}

/// The type a field is bound as, and the SQL type `create` gives its column.
fn bound_type(data_type: &DataType) -> DataType {
    use DataType as D;
    match data_type {
        D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64 => D::Int64,
        D::Float16 | D::Float32 | D::Float64 | D::Decimal128(..) | D::Decimal256(..) => D::Float64,
        D::Boolean => D::Boolean,
        D::Date32 | D::Date64 => D::Date32,
        D::Timestamp(..) => D::Timestamp(TimeUnit::Microsecond, None),
        _ => D::Utf8,
    }
}

fn sql_type(kind: DatabaseKind, bound: &DataType) -> &'static str {
    use DataType as D;
    match (bound, kind) {
        (D::Int64, _) => "BIGINT",
        (D::Float64, DatabaseKind::Postgres) => "DOUBLE PRECISION",
        (D::Float64, DatabaseKind::Mysql) => "DOUBLE",
        (D::Float64, _) => "REAL",
        (D::Boolean, _) => "BOOLEAN",
        (D::Date32, _) => "DATE",
        (D::Timestamp(..), DatabaseKind::Mysql) => "DATETIME(6)",
        (D::Timestamp(..), DatabaseKind::Postgres) => "TIMESTAMP",
        (D::Timestamp(..), _) => "DATETIME",
        _ => "TEXT",
    }
}

fn values(column: &ArrayRef) -> Result<Values, String> {
    let target = bound_type(column.data_type());
    let array = cast(column, &target).map_err(|e| e.to_string())?;
    Ok(match target {
        DataType::Int64 => Values::Int(array.as_primitive::<Int64Type>().clone()),
        DataType::Float64 => Values::Float(array.as_primitive::<Float64Type>().clone()),
        DataType::Boolean => Values::Bool(array.as_boolean().clone()),
        DataType::Date32 => Values::Date(array.as_primitive().clone()),
        DataType::Timestamp(..) => Values::Timestamp(array.as_primitive().clone()),
        _ => Values::Text(array.as_string::<i32>().clone()),
    })
}

fn date(days: i32) -> Option<NaiveDate> {
    EPOCH.checked_add_signed(chrono::TimeDelta::days(days.into()))
}

fn timestamp(micros: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc())
}

/// Bind rows `rows` of `columns`, row by row, to `$query`.
macro_rules! bind_rows {
    ($query:expr, $columns:expr, $rows:expr) => {{
        let mut query = $query;
        for row in $rows {
            for column in $columns {
                query = match column {
                    Values::Int(a) => query.bind(a.is_valid(row).then(|| a.value(row))),
                    Values::Float(a) => query.bind(a.is_valid(row).then(|| a.value(row))),
                    Values::Bool(a) => query.bind(a.is_valid(row).then(|| a.value(row))),
                    Values::Text(a) => query.bind(a.is_valid(row).then(|| a.value(row).to_owned())),
                    Values::Date(a) => query.bind(a.is_valid(row).then(|| date(a.value(row))).flatten()),
                    Values::Timestamp(a) => {
                        query.bind(a.is_valid(row).then(|| timestamp(a.value(row))).flatten())
                    }
                };
            }
        }
        query
    }};
}

/// How a database error becomes a run error: unreachable databases may come back (retry),
/// anything the database refused is for the user to fix.
fn failed(stage: &str, what: &str, err: &sqlx::Error) -> EngineError {
    let text = format!("{what}: {}", message(err));
    match err {
        sqlx::Error::Database(_) => EngineError::user(stage, text),
        _ => EngineError { fault: Fault::External, retryable: true, ..EngineError::user(stage, text) },
    }
}

/// Write every record of `input` to `target`; returns the number written.
pub async fn write(
    stage: &str,
    input: &DataFrame,
    task: Arc<TaskContext>,
    target: &DbTarget,
    cancel: &CancellationToken,
) -> EngineResult<u64> {
    let mut conn = open(&target.details, &target.data_dir, stage, Access::Write).await?;
    let mut created_outside = false;
    let result = write_in(&mut conn, stage, (input, task), target, cancel, &mut created_outside).await;
    if result.is_err() {
        let _ = conn.run("ROLLBACK".into()).await;
        if created_outside && let Ok(table) = quote_table(conn.kind(), &target.table) {
            let _ = conn.run(format!("DROP TABLE {table}")).await;
        }
    }
    conn.close().await;
    result
}

async fn write_in(
    conn: &mut DbConn,
    stage: &str,
    (input, task): (&DataFrame, Arc<TaskContext>),
    target: &DbTarget,
    cancel: &CancellationToken,
    created_outside: &mut bool,
) -> EngineResult<u64> {
    let kind = conn.kind();
    let table = quote_table(kind, &target.table).map_err(|e| EngineError::option(stage, "table", e))?;
    let mut stream = crate::sink::ordered_stream(input, task)
        .await
        .map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
    let schema = stream.schema();
    if schema.fields().is_empty() {
        return Err(EngineError::user(stage, "the records have no fields to write"));
    }
    let names: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| quote_ident(kind, f.name()))
        .collect::<Result<_, _>>()
        .map_err(|e| EngineError::user(stage, format!("a field name cannot be a column name: {e}")))?;
    let table_text = &target.table;
    if target.mode == DbWriteMode::Create && kind == DatabaseKind::Mysql {
        conn.run(create_table(kind, &table, &names, &schema))
            .await
            .map_err(|e| failed(stage, &format!("cannot create table {table_text:?}"), &e))?;
        *created_outside = true;
    }
    conn.begin(Access::Write).await.map_err(|e| failed(stage, "cannot start a transaction", &e))?;
    match target.mode {
        DbWriteMode::Create if kind != DatabaseKind::Mysql => conn
            .run(create_table(kind, &table, &names, &schema))
            .await
            .map_err(|e| failed(stage, &format!("cannot create table {table_text:?}"), &e))?,
        DbWriteMode::Replace => conn
            .run(format!("DELETE FROM {table}"))
            .await
            .map_err(|e| failed(stage, &format!("cannot empty table {table_text:?}"), &e))?,
        _ => {}
    }
    let mut written = 0u64;
    loop {
        let next = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(EngineError::cancelled()),
            next = stream.next() => next,
        };
        let Some(batch) = next else { break };
        let batch = batch.map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
        insert(conn, stage, &table, &names, &batch).await?;
        written += batch.num_rows() as u64;
    }
    if cancel.is_cancelled() {
        return Err(EngineError::cancelled());
    }
    conn.run("COMMIT".into()).await.map_err(|e| failed(stage, "cannot commit", &e))?;
    Ok(written)
}

fn create_table(kind: DatabaseKind, table: &str, names: &[String], schema: &Schema) -> String {
    let columns: Vec<String> = names
        .iter()
        .zip(schema.fields())
        .map(|(name, field)| format!("{name} {}", sql_type(kind, &bound_type(field.data_type()))))
        .collect();
    format!("CREATE TABLE {table} ({})", columns.join(", "))
}

/// Insert one batch, in statements of several rows each.
async fn insert(
    conn: &mut DbConn,
    stage: &str,
    table: &str,
    names: &[String],
    batch: &RecordBatch,
) -> EngineResult<()> {
    let kind = conn.kind();
    let columns: Vec<Values> = batch
        .columns()
        .iter()
        .map(values)
        .collect::<Result<_, _>>()
        .map_err(|e| EngineError::user(stage, format!("a field cannot be written: {e}")))?;
    let per_statement = (MAX_BOUND / names.len()).clamp(1, MAX_ROWS);
    let mut start = 0;
    while start < batch.num_rows() {
        let end = (start + per_statement).min(batch.num_rows());
        let sql = insert_statement(kind, table, names, end - start);
        let rows = start..end;
        let done = match conn {
            DbConn::Postgres(c) => {
                bind_rows!(sqlx::query(AssertSqlSafe(sql)), &columns, rows).execute(&mut *c).await.map(drop)
            }
            DbConn::Mysql(c) => {
                bind_rows!(sqlx::query(AssertSqlSafe(sql)), &columns, rows).execute(&mut *c).await.map(drop)
            }
            DbConn::Sqlite(c) => {
                bind_rows!(sqlx::query(AssertSqlSafe(sql)), &columns, rows).execute(&mut *c).await.map(drop)
            }
        };
        done.map_err(|e| failed(stage, "inserting records failed", &e))?;
        start = end;
    }
    Ok(())
}

/// `INSERT INTO t ("a", "b") VALUES ($1, $2), ($3, $4), …` for `rows` rows.
fn insert_statement(kind: DatabaseKind, table: &str, names: &[String], rows: usize) -> String {
    let mut n = 0;
    let tuples: Vec<String> = (0..rows)
        .map(|_| {
            let marks: Vec<String> = names
                .iter()
                .map(|_| {
                    n += 1;
                    placeholder(kind, n)
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!("INSERT INTO {table} ({}) VALUES {}", names.join(", "), tuples.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_number_their_placeholders() {
        let names = vec!["\"a\"".to_string(), "\"b\"".to_string()];
        assert_eq!(
            insert_statement(DatabaseKind::Postgres, "\"t\"", &names, 2),
            "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_statement(DatabaseKind::Mysql, "`t`", &names[..1], 2),
            "INSERT INTO `t` (\"a\") VALUES (?), (?)"
        );
    }

    #[test]
    fn created_columns_follow_the_record_types() {
        use datafusion::arrow::datatypes::Field;
        let schema = Schema::new(vec![
            Field::new("id", DataType::Int32, false),
            Field::new("amount", DataType::Float64, true),
            Field::new("at", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
        ]);
        let names = vec!["\"id\"".into(), "\"amount\"".into(), "\"at\"".into()];
        assert_eq!(
            create_table(DatabaseKind::Postgres, "\"t\"", &names, &schema),
            "CREATE TABLE \"t\" (\"id\" BIGINT, \"amount\" DOUBLE PRECISION, \"at\" TIMESTAMP)"
        );
    }
}
