//! Opening one connection for a read or a write, with a short timeout, and the connection
//! test the console's "Test" button runs.

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

use super::{ConnectionDetails, DatabaseKind};
use crate::error::{EngineError, EngineResult};
use crate::paths;

/// How long opening a connection may take before the read, write or test gives up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// An open connection to one of the supported databases.
pub enum DbConn {
    Postgres(PgConnection),
    Mysql(MySqlConnection),
    Sqlite(SqliteConnection),
}

/// What a connection is opened for: reads run in a read-only transaction (a `read_db` query
/// cannot change data); writes may create a SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

fn external(stage: &str, message: String) -> EngineError {
    EngineError::external(Some(stage), message)
}

/// Where the connection points, for messages (never with the password).
pub fn describe(details: &ConnectionDetails) -> String {
    match details.kind {
        Some(DatabaseKind::Sqlite | DatabaseKind::Directory) => format!("{:?}", details.path),
        _ => format!("{}:{}/{}", details.host, details.port.unwrap_or_default(), details.database),
    }
}

/// Open a connection for `stage`; a failure is an external fault (the database may come back).
pub async fn open(
    details: &ConnectionDetails,
    data_dir: &Path,
    stage: &str,
    access: Access,
) -> EngineResult<DbConn> {
    let name = &details.name;
    let failed = |e: &dyn std::fmt::Display| {
        external(stage, format!("cannot connect to {name:?} ({}): {e}", describe(details)))
    };
    let connecting = async {
        match details.kind {
            Some(DatabaseKind::Postgres) => {
                let mut options = PgConnectOptions::new()
                    .host(&details.host)
                    .port(details.port.unwrap_or(5432))
                    .username(&details.username)
                    .database(&details.database);
                if let Some(password) = details.password.as_ref().filter(|p| !p.is_empty()) {
                    options = options.password(password);
                }
                options
                    .disable_statement_logging()
                    .connect()
                    .await
                    .map(DbConn::Postgres)
                    .map_err(|e| failed(&e))
            }
            Some(DatabaseKind::Mysql) => {
                let mut options = MySqlConnectOptions::new()
                    .host(&details.host)
                    .port(details.port.unwrap_or(3306))
                    .username(&details.username)
                    .database(&details.database);
                if let Some(password) = details.password.as_ref().filter(|p| !p.is_empty()) {
                    options = options.password(password);
                }
                options.disable_statement_logging().connect().await.map(DbConn::Mysql).map_err(|e| failed(&e))
            }
            Some(DatabaseKind::Sqlite) => {
                let path = paths::resolve(data_dir, stage, &details.path).map_err(|mut e| {
                    e.path = None;
                    e.message = format!("connection {name:?}: {}", e.message);
                    e
                })?;
                if access == Access::Read && !path.is_file() {
                    return Err(failed(&"the database file does not exist"));
                }
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(access == Access::Write)
                    .read_only(access == Access::Read)
                    .busy_timeout(Duration::from_secs(10))
                    .disable_statement_logging()
                    .connect()
                    .await
                    .map(DbConn::Sqlite)
                    .map_err(|e| failed(&e))
            }
            Some(DatabaseKind::Directory) | None => Err(EngineError::option(
                stage,
                "connection",
                format!("connection {name:?} is a directory, not a database"),
            )),
        }
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(result) => result,
        Err(_) => Err(failed(&format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))),
    }
}

impl DbConn {
    pub fn kind(&self) -> DatabaseKind {
        match self {
            Self::Postgres(_) => DatabaseKind::Postgres,
            Self::Mysql(_) => DatabaseKind::Mysql,
            Self::Sqlite(_) => DatabaseKind::Sqlite,
        }
    }

    /// Run statements of our own (transaction control, DDL) as plain text.
    pub async fn run(&mut self, sql: String) -> Result<(), sqlx::Error> {
        let sql = sqlx::raw_sql(AssertSqlSafe(sql));
        match self {
            Self::Postgres(c) => sql.execute(c).await.map(drop),
            Self::Mysql(c) => sql.execute(c).await.map(drop),
            Self::Sqlite(c) => sql.execute(c).await.map(drop),
        }
    }

    /// Start the transaction a read (read-only) or a write works in.
    pub async fn begin(&mut self, access: Access) -> Result<(), sqlx::Error> {
        let sql = match (self.kind(), access) {
            (DatabaseKind::Postgres, Access::Read) => "BEGIN READ ONLY",
            (DatabaseKind::Mysql, Access::Read) => "START TRANSACTION READ ONLY",
            (DatabaseKind::Sqlite, Access::Write) => "BEGIN IMMEDIATE",
            _ => "BEGIN",
        };
        self.run(sql.into()).await
    }

    pub async fn close(self) {
        let _ = match self {
            Self::Postgres(c) => c.close().await,
            Self::Mysql(c) => c.close().await,
            Self::Sqlite(c) => c.close().await,
        };
    }
}

/// What the connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    pub ok: bool,
    pub message: String,
    pub latency_ms: u64,
}

/// Connect and run `SELECT 1` (a directory: check that it exists under the data directory).
/// Never fails: what went wrong is the outcome's message.
pub async fn test(details: &ConnectionDetails, data_dir: &Path) -> TestOutcome {
    let started = Instant::now();
    let result = probe(details, data_dir).await;
    let latency_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(message) => TestOutcome { ok: true, message, latency_ms },
        Err(message) => TestOutcome { ok: false, message, latency_ms },
    }
}

async fn probe(details: &ConnectionDetails, data_dir: &Path) -> Result<String, String> {
    if details.kind == Some(DatabaseKind::Directory) {
        let path = paths::resolve(data_dir, "", &details.path).map_err(|e| e.message)?;
        return if path.is_dir() {
            Ok(format!("the directory {:?} exists", details.path))
        } else {
            Err(format!("there is no directory {:?} in the data directory", details.path))
        };
    }
    let mut conn = open(details, data_dir, "", Access::Read).await.map_err(|e| e.message)?;
    let answered = tokio::time::timeout(CONNECT_TIMEOUT, conn.run("SELECT 1".into())).await;
    conn.close().await;
    match answered {
        Ok(Ok(())) => Ok(format!("connected to {}", describe(details))),
        Ok(Err(e)) => Err(format!("connected, but SELECT 1 failed: {e}")),
        Err(_) => {
            Err(format!("connected, but SELECT 1 did not answer within {} s", CONNECT_TIMEOUT.as_secs()))
        }
    }
}
