//! `/connections`: list, read, create, update, delete, test.

use model::{Connection, ConnectionSpec, ConnectionTest, Page};

use super::ApiResult;
use super::client::{delete, fetch_json, fetch_nothing, get, post, put, send_json};
use crate::percent::encode_segment;

fn connection_path(name: &str) -> String {
    format!("/connections/{}", encode_segment(name))
}

pub async fn list_connections() -> ApiResult<Page<Connection>> {
    fetch_json(get("/connections")).await
}

/// 400 `invalid_request` with a detail per field; 409 `already_exists` for a taken name.
pub async fn create_connection(spec: &ConnectionSpec) -> ApiResult<Connection> {
    send_json(post("/connections"), spec).await
}

/// A spec without `password` keeps the stored one; `Some(None)` clears it.
pub async fn update_connection(name: &str, spec: &ConnectionSpec) -> ApiResult<Connection> {
    send_json(put(&connection_path(name)), spec).await
}

/// 409 `connection_in_use` while an exposed dataflow version uses it.
pub async fn delete_connection(name: &str) -> ApiResult<()> {
    fetch_nothing(delete(&connection_path(name))).await
}

/// Connects for real; a failure to connect comes back as `ok: false`, not as an error.
pub async fn test_connection(name: &str) -> ApiResult<ConnectionTest> {
    fetch_json(post(&format!("{}/test", connection_path(name)))).await
}
