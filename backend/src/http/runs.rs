//! `/runs` and `POST /dataflows/{name}/runs`: submit, list, read, cancel, logs.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use model::{Page, Run, RunLogLine, SubmitRun};

use super::extract::{AppJson, AppPath, AppQuery, OptionalJson, RequestMeta};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, AppResult};
use crate::service::runs::{self, RunFilter};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataflows/{name}/runs", post(submit))
        .route("/runs", get(list))
        .route("/runs/{id}", get(read))
        .route("/runs/{id}/cancel", post(cancel))
        .route("/runs/{id}/logs", get(logs))
}

const MAX_IDEMPOTENCY_KEY: usize = 200;

async fn submit(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    headers: HeaderMap,
    AppPath(name): AppPath<String>,
    OptionalJson(request): OptionalJson<SubmitRun>,
) -> AppResult<(StatusCode, AppJson<Run>)> {
    principal.require(Permission::DataflowsExecute)?;
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().map_err(|_| AppError::invalid("Idempotency-Key must be text")))
        .transpose()?;
    if key.is_some_and(|k| k.is_empty() || k.len() > MAX_IDEMPOTENCY_KEY) {
        return Err(AppError::invalid(format!(
            "Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters"
        )));
    }
    let (run, created) =
        runs::submit(&state.db, &meta.audit(&state, &principal.username), &name, request, key).await?;
    if created {
        state.runner.wake();
    }
    Ok((if created { StatusCode::ACCEPTED } else { StatusCode::OK }, AppJson(run)))
}

async fn list(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<RunFilter>,
) -> AppResult<AppJson<Page<Run>>> {
    principal.require(Permission::RunsView)?;
    Ok(AppJson(runs::list(state.read_db(), filter).await?))
}

async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Run>> {
    principal.require(Permission::RunsView)?;
    Ok(AppJson(runs::to_model(runs::find(&state.db, &id).await?)))
}

async fn cancel(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Run>> {
    principal.require(Permission::RunsCancel)?;
    let run = runs::cancel(&state.db, &meta.audit(&state, &principal.username), &id).await?;
    state.runner.cancel_local(&id);
    Ok(AppJson(run))
}

async fn logs(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Page<RunLogLine>>> {
    principal.require(Permission::RunsView)?;
    Ok(AppJson(Page { items: runs::logs(&state.db, &id).await?, next_cursor: None }))
}
