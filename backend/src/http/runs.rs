//! `/runs` and `POST /dataflows/{name}/runs`: submit, list, read, cancel, logs.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use futures::StreamExt;
use model::{Page, Run, RunLogLine, RunStatus, RunTrigger, SubmitRun};

use super::extract::{AppJson, AppPath, AppQuery, OptionalJson, RequestMeta};
use crate::auth::access::{self, Decision, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, AppResult};
use crate::service::runs::{self, RunFilter};
use crate::service::submits::Submit;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataflows/{name}/runs", post(submit))
        .route("/runs", get(list))
        .route("/runs/{id}", get(read))
        .route("/runs/{id}/cancel", post(cancel))
        .route("/runs/{id}/logs", get(logs))
        .route("/runs/{id}/events", get(events))
}

const MAX_IDEMPOTENCY_KEY: usize = 200;

#[utoipa::path(
    post,
    path = "/api/v1/dataflows/{name}/runs",
    tag = "runs",
    params(("name" = String, Path, description = "The dataflow's name"), ("Idempotency-Key" = Option<String>, Header, description = "The same key returns the same run")),
    request_body = Option<model::SubmitRun>,
    responses((status = 202, description = "Queued (or already started)", body = model::Run), (status = 200, description = "The run submitted earlier with the same Idempotency-Key", body = model::Run), (status = 409, description = "No version of it is exposed, or it is not runnable", body = model::ErrorBody))
)]
pub(super) async fn submit(
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
    // With a free slot here, the run is claimed as it is inserted and starts at once.
    let slot = state.runner.free_slot().await;
    let submit = Submit {
        ctx: meta.audit(&state, &principal.username),
        name,
        parameters: request.parameters,
        trigger: request.trigger.unwrap_or(RunTrigger::Api),
        key: key.map(str::to_owned),
        claim: slot.is_some(),
    };
    let (row, created) = state.submits.submit(&state.db, submit).await?;
    let run = runs::to_model(row.clone());
    match slot {
        Some(slot) if created && run.status == RunStatus::Running => {
            state.runner.start_here(&state, row, slot)
        }
        _ if created => state.runner.wake(),
        _ => {}
    }
    Ok((if created { StatusCode::ACCEPTED } else { StatusCode::OK }, AppJson(run)))
}

#[utoipa::path(
    get,
    path = "/api/v1/runs",
    tag = "runs",
    params(RunFilter),
    responses((status = 200, description = "Runs, newest first", body = model::Page<model::Run>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<RunFilter>,
) -> AppResult<AppJson<Page<Run>>> {
    principal.require(Permission::RunsView)?;
    let mut page = state.read(|db| runs::list_owned(db, filter.clone())).await?;
    // Runs of dataflows the caller is denied are not listed (the cursor still moves past them).
    let overrides = access::overrides(&state).await?;
    page.items.retain(|run| {
        access::decide(
            overrides.on(ObjectRef::Dataflow(&run.dataflow)),
            &principal,
            Permission::DataflowsView,
        ) != Decision::Denied
    });
    Ok(AppJson(page))
}

#[utoipa::path(
    get,
    path = "/api/v1/runs/{id}",
    tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses((status = 200, description = "The run with its metrics and error", body = model::Run))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Run>> {
    principal.require(Permission::RunsView)?;
    Ok(AppJson(runs::to_model(reachable(&state, &principal, &id).await?)))
}

#[utoipa::path(
    post,
    path = "/api/v1/runs/{id}/cancel",
    tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses((status = 200, description = "Cancelled (or cancelling)", body = model::Run), (status = 409, description = "The run has already ended", body = model::ErrorBody))
)]
pub(super) async fn cancel(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Run>> {
    principal.require(Permission::RunsCancel)?;
    reachable(&state, &principal, &id).await?;
    let run = runs::cancel(&state.db, &meta.audit(&state, &principal.username), &id).await?;
    state.runner.cancel_local(&id);
    Ok(AppJson(run))
}

#[utoipa::path(
    get,
    path = "/api/v1/runs/{id}/logs",
    tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses((status = 200, description = "The run's log lines, oldest first", body = model::Page<model::RunLogLine>))
)]
pub(super) async fn logs(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Page<RunLogLine>>> {
    principal.require(Permission::RunsView)?;
    reachable(&state, &principal, &id).await?;
    Ok(AppJson(Page { items: runs::logs(&state.db, &id).await?, next_cursor: None }))
}

/// Run `id`, unless the caller is denied its dataflow: then its runs are out of reach too.
async fn reachable(state: &AppState, principal: &Principal, id: &str) -> AppResult<entities::runs::Model> {
    let row = runs::find(&state.db, id).await?;
    let dataflow = ObjectRef::Dataflow(&row.dataflow);
    if access::check(state, principal, dataflow, Permission::DataflowsView).await? == Decision::Denied {
        return Err(access::denied(dataflow, Permission::DataflowsView));
    }
    Ok(row)
}

/// One event of `GET /runs/{id}/events` as the document describes it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // the stream is written by `events`; this type only describes it
pub(super) struct RunEvent {
    /// `run` (data: the whole run as JSON) or `log` (data: one log line as JSON).
    event: String,
    data: String,
    id: Option<String>,
}

/// How often the event stream looks for changes.
const EVENTS_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Server-Sent Events: `run` (the whole run, whenever its status, attempt or metrics change)
/// and `log` (each new log line); the stream ends after the run's final state.
#[utoipa::path(
    get,
    path = "/api/v1/runs/{id}/events",
    tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses((status = 200, description = "Server-Sent Events: `run` (the whole run, on every change) and `log` (each new line); ends after the final state", body = RunEvent, content_type = "text/event-stream"))
)]
pub(super) async fn events(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<Sse<impl futures::Stream<Item = Result<Event, std::convert::Infallible>>>> {
    principal.require(Permission::RunsView)?;
    reachable(&state, &principal, &id).await?;
    let start = EventsState { state, id, last_run: None, last_log: 0, done: false, first: true };
    let stream = futures::stream::unfold(start, |mut s| async move {
        if s.done {
            return None;
        }
        if !std::mem::take(&mut s.first) {
            tokio::time::sleep(EVENTS_EVERY).await;
        }
        let events = s.poll().await;
        Some((futures::stream::iter(events.into_iter().map(Ok)), s))
    })
    .flatten();
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

struct EventsState {
    state: AppState,
    id: String,
    last_run: Option<String>,
    last_log: i64,
    done: bool,
    first: bool,
}

impl EventsState {
    async fn poll(&mut self) -> Vec<Event> {
        // The run first: a run writes its last log line before its final state, so lines read
        // after a final state are all there is.
        let Ok(row) = runs::find(&self.state.db, &self.id).await else {
            // The run was purged or the database is away: end; the client may reconnect.
            self.done = true;
            return vec![];
        };
        let mut events = Vec::new();
        if let Ok(lines) = runs::logs_after(&self.state.db, &self.id, self.last_log).await {
            for (number, line) in lines {
                self.last_log = number;
                events.extend(Event::default().event("log").id(number.to_string()).json_data(&line).ok());
            }
        }
        let run = runs::to_model(row);
        let text = serde_json::to_string(&run).unwrap_or_default();
        if self.last_run.as_deref() != Some(text.as_str()) {
            events.push(Event::default().event("run").data(text.clone()));
            self.last_run = Some(text);
        }
        self.done = run.status.is_final();
        events
    }
}
