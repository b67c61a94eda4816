//! Databases as sources and sinks (`read_db`, `write_db`): the engine asks a
//! [`ConnectionSource`] for a connection's details by name, so it never knows where they are
//! stored or how their secrets are kept.
//!
//! - [`sql`]: identifiers quoted for each database, never spliced raw.
//! - [`connect`]: one connection per read or write, with a short timeout; the connection test.
//! - [`read`]: a query's columns as an arrow schema, its rows streamed as record batches.
//! - [`values`]: database values to arrow columns.
//! - [`write`]: records inserted in one transaction (append, replace, create).

pub mod connect;
pub mod read;
pub mod sql;
pub mod values;
pub mod write;

use async_trait::async_trait;

use crate::error::{EngineError, EngineResult};

/// The kinds of connection there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Postgres,
    Mysql,
    Sqlite,
    /// A directory under the data directory; not a database, so neither stage accepts it.
    Directory,
}

impl DatabaseKind {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "postgres" => Self::Postgres,
            "mysql" => Self::Mysql,
            "sqlite" => Self::Sqlite,
            "directory" => Self::Directory,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Mysql => "mysql",
            Self::Sqlite => "sqlite",
            Self::Directory => "directory",
        }
    }
}

/// Everything needed to open a connection, its password in clear: built for one compilation
/// and dropped after it. `Debug` masks the password.
#[derive(Clone, Default)]
pub struct ConnectionDetails {
    pub name: String,
    pub kind: Option<DatabaseKind>,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub username: String,
    pub password: Option<String>,
    /// SQLite file or directory, relative to (or inside) the data directory.
    pub path: String,
}

impl std::fmt::Debug for ConnectionDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionDetails")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("path", &self.path)
            .finish()
    }
}

/// Where `read_db` and `write_db` find their connections.
#[async_trait]
pub trait ConnectionSource: Send + Sync {
    /// The details of connection `name`, its secret decrypted. Errors name the connection and
    /// say what to fix (no such connection, a secret this node cannot decrypt).
    async fn connection(&self, name: &str) -> EngineResult<ConnectionDetails>;
}

/// No connections (tests, tools without a store).
pub struct NoConnections;

#[async_trait]
impl ConnectionSource for NoConnections {
    async fn connection(&self, name: &str) -> EngineResult<ConnectionDetails> {
        Err(EngineError::user("", format!("connection {name:?} is not available here")))
    }
}

/// A fixed set of connections (tests, embedding).
pub struct StaticConnections(pub Vec<ConnectionDetails>);

#[async_trait]
impl ConnectionSource for StaticConnections {
    async fn connection(&self, name: &str) -> EngineResult<ConnectionDetails> {
        self.0
            .iter()
            .find(|c| c.name == name)
            .cloned()
            .ok_or_else(|| EngineError::user("", format!("there is no connection named {name:?}")))
    }
}
