//! `read_db` and `write_db`: the stage's connection looked up through the engine's
//! [`crate::database::ConnectionSource`], its options checked, names quoted.

use std::collections::BTreeMap;

use datafusion::prelude::DataFrame;
use serde_json::Value;

use super::{Purpose, Sink, StageContext};
use crate::database::write::{DbTarget, DbWriteMode};
use crate::database::{ConnectionDetails, DatabaseKind, read, sql};
use crate::error::{EngineError, EngineResult};
use crate::params;
use crate::sink::{SinkFormat, WriteMode};

/// The stage's connection, which must be a database.
async fn connection(sc: &StageContext<'_>) -> EngineResult<(ConnectionDetails, DatabaseKind)> {
    let name = sc.options.str("connection")?;
    let details = sc.engine.connections.connection(name).await.map_err(|mut e| {
        e.stage = Some(sc.id().to_owned());
        e.path.get_or_insert_with(|| "options.connection".into());
        e
    })?;
    match details.kind {
        Some(kind) if kind != DatabaseKind::Directory => Ok((details, kind)),
        _ => Err(EngineError::option(
            sc.id(),
            "connection",
            format!("connection {name:?} is a directory; read_db and write_db need a database"),
        )),
    }
}

/// `${name}` in the query becomes a placeholder and the parameter's value is bound to it.
pub(crate) async fn read_db(
    sc: &StageContext<'_>,
    params: &BTreeMap<String, Value>,
) -> EngineResult<DataFrame> {
    let (details, kind) = connection(sc).await?;
    let query = sc.options.opt_str("query")?;
    let table = sc.options.opt_str("table")?;
    let option = if table.is_some() { "table" } else { "query" };
    let statement =
        read::statement(query, table, kind).map_err(|e| EngineError::option(sc.id(), option, e))?;
    let (statement, values) = params::bind_query(sc.id(), &statement, params, |n| sql::placeholder(kind, n))?;
    let limit = match sc.purpose {
        Purpose::Preview { rows } => Some(rows),
        _ => None,
    };
    let query = read::Query { sql: statement, values, limit };
    read::frame(sc.ctx, &details, sc.engine.data_dir.clone(), sc.id(), query).await
}

pub(crate) async fn sink_db(sc: &StageContext<'_>, input: DataFrame) -> EngineResult<Sink> {
    let id = sc.id();
    let table = sc.options.str("table")?;
    let mode_text = sc.options.str_or("mode", "append")?;
    let mode = DbWriteMode::parse(mode_text).ok_or_else(|| {
        EngineError::option(id, "mode", format!("unknown mode {mode_text:?} (append, replace or create)"))
    })?;
    let (details, kind) = connection(sc).await?;
    sql::quote_table(kind, table).map_err(|e| EngineError::option(id, "table", e))?;
    for field in input.schema().fields() {
        sql::quote_ident(kind, field.name())
            .map_err(|e| EngineError::user(id, format!("a field name cannot be a column name: {e}")))?;
    }
    Ok(Sink {
        stage: id.to_owned(),
        format: SinkFormat::Json,
        path: format!("{}/{table}", details.name).into(),
        mode: WriteMode::Append,
        input,
        task: sc.engine.task_for(sc.ctx),
        database: Some(Box::new(DbTarget {
            details,
            table: table.to_owned(),
            mode,
            data_dir: sc.engine.data_dir.clone(),
        })),
    })
}
