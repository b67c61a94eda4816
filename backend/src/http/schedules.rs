//! `/schedules`: create, list, read, replace, delete; pause, resume, "run now" (`trigger`); the
//! next fire times (`preview`, also for an unsaved spec) and the fire log (`fires`). A
//! schedule belongs to its dataflow: that dataflow's access overrides apply to it.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use model::{Page, Run, Schedule, ScheduleFire, SchedulePreview, ScheduleSpec};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{AppJson, AppPath, AppQuery, RequestMeta};
use crate::auth::access::{self, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::service::schedules;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/schedules", get(list).post(create))
        .route("/schedules/preview", post(preview_spec))
        .route("/schedules/{id}", get(read).put(replace).delete(delete))
        .route("/schedules/{id}/pause", post(pause))
        .route("/schedules/{id}/resume", post(resume))
        .route("/schedules/{id}/trigger", post(trigger))
        .route("/schedules/{id}/preview", get(preview))
        .route("/schedules/{id}/fires", get(fires))
}

/// The schedule, if the caller may do `permission` on its dataflow (overrides included).
async fn require_on(
    state: &AppState,
    principal: &Principal,
    id: &str,
    permission: Permission,
) -> AppResult<entities::schedules::Model> {
    let row = match schedules::find(&state.db, id).await {
        Ok(row) => row,
        // Without the permission, "forbidden" before "not found": ids are not probed.
        Err(err) => {
            principal.require(permission)?;
            return Err(err);
        }
    };
    access::require(state, principal, ObjectRef::Dataflow(&row.dataflow), permission).await?;
    Ok(row)
}

#[utoipa::path(
    get,
    path = "/api/v1/schedules",
    tag = "schedules",
    responses((status = 200, description = "Every schedule with its next fire time", body = model::Page<model::Schedule>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<Schedule>>> {
    principal.require(Permission::SchedulesView)?;
    let mut items = state.read(|db| async move { schedules::list(&db).await }).await?;
    // Schedules of dataflows the caller is denied are not listed.
    let overrides = access::overrides(&state).await?;
    items.retain(|s| {
        overrides.allows(&principal, ObjectRef::Dataflow(&s.spec.dataflow), Permission::SchedulesView)
    });
    Ok(AppJson(Page { items, next_cursor: None }))
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules",
    tag = "schedules",
    request_body = model::ScheduleSpec,
    responses((status = 201, description = "Created", body = model::Schedule), (status = 409, description = "A schedule of that name exists", body = model::ErrorBody))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppJson(spec): AppJson<ScheduleSpec>,
) -> AppResult<(StatusCode, AppJson<Schedule>)> {
    access::require(&state, &principal, ObjectRef::Dataflow(&spec.dataflow), Permission::SchedulesEdit)
        .await?;
    let schedule = schedules::create(&state.db, &meta.audit(&state, &principal.username), spec).await?;
    Ok((StatusCode::CREATED, AppJson(schedule)))
}

#[utoipa::path(
    get,
    path = "/api/v1/schedules/{id}",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 200, description = "The schedule", body = model::Schedule))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Schedule>> {
    let row = require_on(&state, &principal, &id, Permission::SchedulesView).await?;
    Ok(AppJson(schedules::to_model(row)))
}

#[utoipa::path(
    put,
    path = "/api/v1/schedules/{id}",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    request_body = model::ScheduleSpec,
    responses((status = 200, description = "Replaced", body = model::Schedule), (status = 409, description = "Another schedule has that name", body = model::ErrorBody))
)]
pub(super) async fn replace(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
    AppJson(spec): AppJson<ScheduleSpec>,
) -> AppResult<AppJson<Schedule>> {
    require_on(&state, &principal, &id, Permission::SchedulesEdit).await?;
    access::require(&state, &principal, ObjectRef::Dataflow(&spec.dataflow), Permission::SchedulesEdit)
        .await?;
    Ok(AppJson(schedules::replace(&state.db, &meta.audit(&state, &principal.username), &id, spec).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/schedules/{id}",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 204, description = "Deleted"))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    require_on(&state, &principal, &id, Permission::SchedulesEdit).await?;
    schedules::delete(&state.db, &meta.audit(&state, &principal.username), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules/{id}/pause",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 200, description = "Paused: it fires no more until resumed", body = model::Schedule))
)]
pub(super) async fn pause(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Schedule>> {
    require_on(&state, &principal, &id, Permission::SchedulesEdit).await?;
    Ok(AppJson(
        schedules::set_enabled(&state.db, &meta.audit(&state, &principal.username), &id, false).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules/{id}/resume",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 200, description = "Resumed", body = model::Schedule))
)]
pub(super) async fn resume(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Schedule>> {
    require_on(&state, &principal, &id, Permission::SchedulesEdit).await?;
    Ok(AppJson(schedules::set_enabled(&state.db, &meta.audit(&state, &principal.username), &id, true).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules/{id}/trigger",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 202, description = "A run started now with the schedule's parameters", body = model::Run), (status = 409, description = "The dataflow has no exposed version", body = model::ErrorBody))
)]
pub(super) async fn trigger(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<(StatusCode, AppJson<Run>)> {
    require_on(&state, &principal, &id, Permission::DataflowsExecute).await?;
    let run = schedules::trigger(&state.db, &meta.audit(&state, &principal.username), &id).await?;
    state.runner.wake();
    Ok((StatusCode::ACCEPTED, AppJson(run)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct PreviewQuery {
    count: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/v1/schedules/{id}/preview",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id"), PreviewQuery),
    responses((status = 200, description = "The next fire times in the schedule's zone", body = model::SchedulePreview))
)]
pub(super) async fn preview(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<PreviewQuery>,
) -> AppResult<AppJson<SchedulePreview>> {
    require_on(&state, &principal, &id, Permission::SchedulesView).await?;
    Ok(AppJson(schedules::preview_stored(&state.db, &id, query.count.unwrap_or(10)).await?))
}

/// The next fire times of a schedule being edited, before it is saved.
#[utoipa::path(
    post,
    path = "/api/v1/schedules/preview",
    tag = "schedules",
    params(PreviewQuery),
    request_body = model::ScheduleSpec,
    responses((status = 200, description = "The next fire times of an unsaved schedule", body = model::SchedulePreview))
)]
pub(super) async fn preview_spec(
    principal: Principal,
    AppQuery(query): AppQuery<PreviewQuery>,
    AppJson(spec): AppJson<ScheduleSpec>,
) -> AppResult<AppJson<SchedulePreview>> {
    principal.require(Permission::SchedulesView)?;
    Ok(AppJson(schedules::preview(&spec, query.count.unwrap_or(10))?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct FiresQuery {
    outcome: Option<String>,
    limit: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/schedules/{id}/fires",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id"), FiresQuery),
    responses((status = 200, description = "Fire times, newest first, with their outcome (run, skipped and why)", body = model::Page<model::ScheduleFire>))
)]
pub(super) async fn fires(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<FiresQuery>,
) -> AppResult<AppJson<Page<ScheduleFire>>> {
    require_on(&state, &principal, &id, Permission::SchedulesView).await?;
    let items =
        schedules::fires(&state.db, &id, query.outcome.as_deref(), query.limit.unwrap_or(100)).await?;
    Ok(AppJson(Page { items, next_cursor: None }))
}
