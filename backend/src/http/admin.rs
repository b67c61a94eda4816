//! Administration views: `/cluster/nodes` and `/audit`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use model::{AuditQuery, NodeInfo, Page};

use super::extract::{AppJson, AppQuery};
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::service::audit::{self, AuditEvent};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cluster/nodes", get(nodes)).route("/audit", get(audit_log))
}

#[utoipa::path(
    get,
    path = "/api/v1/cluster/nodes",
    tag = "cluster",
    responses((status = 200, description = "Every node that has registered, with its state", body = model::Page<model::NodeInfo>))
)]
pub(super) async fn nodes(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<NodeInfo>>> {
    principal.require(Permission::ClusterView)?;
    let items = state.read(|db| async move { crate::cluster::list_nodes(&db).await }).await?;
    Ok(AppJson(Page { items, next_cursor: None }))
}

/// Filters (actor, action prefix, resource, outcome, since, until) and the page; an unknown
/// query parameter is refused so a typo does not silently show everything.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(model::AuditQuery),
    responses((status = 200, description = "Audit events, newest first", body = model::Page<model::AuditEvent>))
)]
pub(super) async fn audit_log(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(q): AppQuery<AuditQuery>,
) -> AppResult<AppJson<Page<AuditEvent>>> {
    principal.require(Permission::AuditView)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let q = &q;
    Ok(AppJson(state.read(|db| async move { audit::list(&db, q, limit).await }).await?))
}
