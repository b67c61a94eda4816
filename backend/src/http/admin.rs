//! Administration views: `/cluster/nodes` and `/audit`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use model::{NodeInfo, Page};
use serde::Deserialize;

use super::extract::{AppJson, AppQuery};
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::service::audit::{self, AuditEvent};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cluster/nodes", get(nodes)).route("/audit", get(audit_log))
}

async fn nodes(State(state): State<AppState>, principal: Principal) -> AppResult<AppJson<Page<NodeInfo>>> {
    principal.require(Permission::ClusterView)?;
    let items = state.read(|db| async move { crate::cluster::list_nodes(&db).await }).await?;
    Ok(AppJson(Page { items, next_cursor: None }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    cursor: Option<String>,
    limit: Option<u64>,
}

async fn audit_log(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(q): AppQuery<AuditQuery>,
) -> AppResult<AppJson<Page<AuditEvent>>> {
    principal.require(Permission::AuditView)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let cursor = q.cursor.as_deref();
    Ok(AppJson(state.read(|db| async move { audit::list(&db, cursor, limit).await }).await?))
}
