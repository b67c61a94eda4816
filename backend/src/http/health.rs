//! `/healthz` (the process answers) and `/readyz` (it should get traffic: database reachable,
//! migrations current, not draining). Balancers poll `/readyz`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use model::{Health, HealthCheck};

use super::extract::AppJson;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    security(()),
    responses((status = 200, description = "The process answers", body = model::Health))
)]
pub(super) async fn healthz() -> AppJson<Health> {
    AppJson(Health { status: "ok".into(), checks: vec![] })
}

#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    security(()),
    responses((status = 200, description = "Ready for traffic", body = model::Health), (status = 503, description = "Not ready: database unreachable, migrations pending or draining", body = model::Health))
)]
pub(super) async fn readyz(State(state): State<AppState>) -> (StatusCode, AppJson<Health>) {
    let database = crate::store::check_ready(&state.db).await;
    let draining = state.shutdown.is_draining();
    let checks = vec![
        HealthCheck { name: "database".into(), ok: database.is_ok(), message: database.err() },
        HealthCheck {
            name: "accepting".into(),
            ok: !draining,
            message: draining.then(|| "draining for shutdown".into()),
        },
    ];
    let ready = checks.iter().all(|c| c.ok);
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, AppJson(Health { status: if ready { "ready" } else { "not_ready" }.into(), checks }))
}
