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
    Ok(AppJson(Page { items: crate::cluster::list_nodes(state.read_db()).await?, next_cursor: None }))
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
    Ok(AppJson(audit::list(state.read_db(), q.cursor.as_deref(), limit).await?))
}
