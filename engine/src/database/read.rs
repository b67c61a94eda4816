//! `read_db`: the query's result columns become an arrow schema when the dataflow is
//! compiled (the statement is prepared, not run); its rows stream in record batches when the
//! plan executes, from a read-only transaction.

use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::prelude::{DataFrame, SessionContext};
use futures::StreamExt;
use serde_json::Value;
use sqlx::{AssertSqlSafe, Column, Executor, Row, Statement, TypeInfo, ValueRef};

use super::ConnectionDetails;
use super::connect::{Access, DbConn, open};
use super::values::{Columns, Kind, mysql_cell, pg_cell, sqlite_cell};
use crate::error::{EngineError, EngineResult};

/// Records per batch sent into the plan.
const BATCH_ROWS: usize = 8192;

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

/// What `read_db` runs: a statement with placeholders, the values bound to them in order, and
/// at most how many rows to read (for previews).
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    pub values: Vec<Value>,
    pub limit: Option<usize>,
}

/// Bind `values` to a sqlx query in order: numbers as integers or floats, text as text, JSON
/// lists and objects as their JSON text.
macro_rules! bind_values {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Value::Null => query.bind(None::<String>),
                Value::Bool(b) => query.bind(*b),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => query.bind(i),
                    None => query.bind(n.as_f64().unwrap_or(f64::NAN)),
                },
                Value::String(s) => query.bind(s.clone()),
                other => query.bind(other.to_string()),
            };
        }
        query
    }};
}

/// A frame over the result of `query`. Only the statement's columns are fetched now; rows are
/// read when the plan runs.
pub async fn frame(
    ctx: &SessionContext,
    details: &ConnectionDetails,
    data_dir: PathBuf,
    stage: &str,
    query: Query,
) -> EngineResult<DataFrame> {
    let sql = match query.limit {
        Some(rows) => format!("SELECT * FROM ({}) AS tributary_preview LIMIT {rows}", query.sql),
        None => query.sql,
    };
    let values = query.values;
    let mut conn = open(details, &data_dir, stage, Access::Read).await?;
    let columns = columns(&mut conn, &sql, &values).await;
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
        values,
        schema: schema.clone(),
        kinds: columns.into_iter().map(|(_, kind)| kind).collect(),
    };
    let table = StreamingTable::try_new(schema, vec![Arc::new(source)])
        .map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
    ctx.read_table(Arc::new(table)).map_err(|e| EngineError::from_datafusion(Some(stage), e))
}

/// The result columns of `sql` and their kinds, from preparing it (SQLite may also read a few
/// rows, with `values` bound).
async fn columns(conn: &mut DbConn, sql: &str, values: &[Value]) -> Result<Vec<(String, Kind)>, String> {
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
            let sampled = sqlite_sample(c, sql, values)
                .await
                .map_err(|e| format!("the query failed: {}", message(&e)))?;
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
    values: &[Value],
) -> Result<Vec<Option<Kind>>, sqlx::Error> {
    let mut kinds: Vec<Option<Kind>> = Vec::new();
    let mut rows = bind_values!(sqlx::query(sql), values).fetch(&mut *conn).take(SQLITE_SAMPLE);
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
    values: Vec<Value>,
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
            values: self.values.clone(),
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
    values: Vec<Value>,
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
                let mut rows = bind_values!(sqlx::query(sql), &self.values).fetch($conn);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::DatabaseKind;

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
}
