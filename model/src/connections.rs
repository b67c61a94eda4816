//! Connections (DESIGN §7): databases and directories that `read_db` and `write_db` use by
//! name. The password is write-only: clients send it, responses say only whether one is set.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Postgres,
    Mysql,
    Sqlite,
    Directory,
}

impl ConnectionKind {
    pub const ALL: &'static [ConnectionKind] = &[Self::Postgres, Self::Mysql, Self::Sqlite, Self::Directory];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Mysql => "mysql",
            Self::Sqlite => "sqlite",
            Self::Directory => "directory",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }

    /// A server reached over the network (host, port, database, user), as opposed to a path
    /// under the data directory.
    pub fn is_server(self) -> bool {
        matches!(self, Self::Postgres | Self::Mysql)
    }

    /// The usual port of the server kinds.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Self::Postgres => Some(5432),
            Self::Mysql => Some(3306),
            _ => None,
        }
    }
}

/// `password` omitted → `None` (keep the stored one); `null` → `Some(None)` (clear it);
/// a string → `Some(Some(..))` (replace it).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// What a client sends to create or update a connection. Server kinds take `host`, `port`
/// (default 5432 / 3306), `database`, `username`, `password`; `sqlite` and `directory` take
/// `path` under the data directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSpec {
    pub name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Checked by the node (1–65535), so a wrong number is a field error, not a JSON error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub password: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A stored connection as the API returns it: never the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Connection {
    pub name: String,
    pub kind: ConnectionKind,
    pub description: String,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub database: Option<String>,
    pub username: Option<String>,
    pub path: Option<String>,
    pub password_set: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The answer of `POST /connections/{name}/test`: whether connecting worked, and how long it
/// took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConnectionTest {
    pub ok: bool,
    pub message: String,
    pub latency_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_omitted_password_differs_from_a_null_one() {
        let spec = |json: &str| serde_json::from_str::<ConnectionSpec>(json).expect("spec");
        assert_eq!(spec(r#"{"name":"a","kind":"postgres"}"#).password, None);
        assert_eq!(spec(r#"{"name":"a","kind":"postgres","password":null}"#).password, Some(None));
        assert_eq!(spec(r#"{"name":"a","kind":"postgres","password":"s"}"#).password, Some(Some("s".into())));
        let cleared = ConnectionSpec { password: Some(None), ..Default::default() };
        assert!(serde_json::to_string(&cleared).expect("json").contains("\"password\":null"));
    }
}
