//! Runs: submitting (with idempotency keys), reading, listing, cancelling, and their logs. The
//! `runs` table is the queue the workers claim from (see `runner`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entities::{dataflows, run_logs, runs};
use model::{ErrorCode, Page, Run, RunError, RunLogLine, RunStatus, RunTrigger, SubmitRun};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::Value;

use super::audit::{self, AuditContext, AuditEntry};
use super::timestamp;
use crate::error::{AppError, AppResult};

fn not_found(id: &str) -> AppError {
    AppError::new(ErrorCode::RunNotFound, format!("there is no run {id:?}"))
}

pub fn to_model(row: runs::Model) -> Run {
    Run {
        status: RunStatus::parse(&row.status).unwrap_or(RunStatus::Failed),
        trigger: RunTrigger::parse(&row.trigger).unwrap_or(RunTrigger::Api),
        parameters: serde_json::from_str(&row.parameters).unwrap_or_default(),
        metrics: row.metrics.as_deref().and_then(|m| serde_json::from_str(m).ok()).unwrap_or_default(),
        error: row.error.as_deref().and_then(|e| serde_json::from_str::<RunError>(e).ok()),
        fire_time: row.fire_time.map(timestamp),
        created_at: timestamp(row.created_at),
        started_at: row.started_at.map(timestamp),
        finished_at: row.finished_at.map(timestamp),
        id: row.id,
        dataflow: row.dataflow,
        version: row.version,
        schedule_id: row.schedule_id,
        node: row.node,
        attempt: row.attempt,
        max_attempts: row.max_attempts,
        parent_run_id: row.parent_run_id,
        created_by: row.created_by,
    }
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> AppResult<runs::Model> {
    runs::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or_else(|| not_found(id))
}

async fn find_by_key(db: &impl ConnectionTrait, key: Option<&str>) -> AppResult<Option<runs::Model>> {
    let Some(key) = key else { return Ok(None) };
    Ok(runs::Entity::find().filter(runs::Column::IdempotencyKey.eq(key)).one(db).await?)
}

/// Where a run comes from besides its trigger: the schedule and fire time, or the process run
/// it is a step of.
#[derive(Debug, Clone, Default)]
pub struct RunOrigin {
    pub schedule_id: Option<String>,
    pub fire_time: Option<DateTime<Utc>>,
    pub parent_run_id: Option<String>,
}

/// The node taking a submitted run itself: it has a free slot and serves the run's modules,
/// so the run is inserted already claimed and starts without passing through the queue.
pub struct ClaimHere<'a> {
    pub node: &'a str,
    pub modules: &'a [String],
    pub lease: chrono::TimeDelta,
}

/// Queue a run of the exposed version, or with `here` claim it for this node. With an
/// idempotency key, a second submit with the same key (by the same user) returns the first run
/// instead of queueing another; `bool` says whether this call created it.
pub async fn submit(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    name: &str,
    request: SubmitRun,
    idempotency_key: Option<&str>,
    here: Option<&ClaimHere<'_>>,
) -> AppResult<(runs::Model, bool)> {
    let trigger = request.trigger.unwrap_or(RunTrigger::Api);
    insert(db, ctx, name, request.parameters, trigger, RunOrigin::default(), idempotency_key, here).await
}

/// [`submit`] for any trigger: schedules, file triggers and process flows. The run is queued.
pub async fn submit_from(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    name: &str,
    parameters: BTreeMap<String, Value>,
    trigger: RunTrigger,
    origin: RunOrigin,
    idempotency_key: Option<&str>,
) -> AppResult<(Run, bool)> {
    let (row, created) = insert(db, ctx, name, parameters, trigger, origin, idempotency_key, None).await?;
    Ok((to_model(row), created))
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    name: &str,
    parameters: BTreeMap<String, Value>,
    trigger: RunTrigger,
    origin: RunOrigin,
    idempotency_key: Option<&str>,
    here: Option<&ClaimHere<'_>>,
) -> AppResult<(runs::Model, bool)> {
    let key = idempotency_key.map(|k| format!("{}:{k}", ctx.actor));
    if let Some(existing) = find_by_key(db, key.as_deref()).await? {
        return Ok((existing, false));
    }
    let dataflow = dataflows::Entity::find().filter(dataflows::Column::Name.eq(name)).one(db).await?;
    let draft = RunDraft { ctx, name, parameters, trigger, origin, key, here };
    let row = new_row(db, dataflow.as_ref(), draft).await?;
    // Two submits with one key may race: the one that loses inserts nothing and answers with
    // the winner's run.
    let inserted = runs::Entity::insert(runs::ActiveModel::from(row.clone()))
        .on_conflict(OnConflict::column(runs::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    if inserted == 0 {
        let existing = find_by_key(db, row.idempotency_key.as_deref()).await?;
        return existing
            .map(|r| (r, false))
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("the run was not inserted")));
    }
    audit::record_many(db, [started_entry(ctx, &row)]).await?;
    if row.status == RunStatus::Queued.as_str() {
        crate::cluster::notify::runs_queued(db).await?;
    }
    Ok((row, true))
}

/// What a new run is made of, before its dataflow is looked up.
pub struct RunDraft<'a> {
    pub ctx: &'a AuditContext,
    pub name: &'a str,
    pub parameters: BTreeMap<String, Value>,
    pub trigger: RunTrigger,
    pub origin: RunOrigin,
    /// The idempotency key, already qualified by the actor.
    pub key: Option<String>,
    pub here: Option<&'a ClaimHere<'a>>,
}

/// The row of a new run of `dataflow` (the one `draft` names, if it exists): its exposed
/// version, with the parameters checked against it. Reads nothing but the (cached) document.
pub async fn new_row(
    db: &impl ConnectionTrait,
    dataflow: Option<&dataflows::Model>,
    draft: RunDraft<'_>,
) -> AppResult<runs::Model> {
    let name = draft.name;
    let dataflow = dataflow.ok_or_else(|| {
        AppError::new(ErrorCode::DataflowNotFound, format!("there is no dataflow named {name:?}"))
    })?;
    if dataflow.kind != "job" && dataflow.kind != "process" {
        return Err(AppError::invalid(format!(
            "{name:?} is a {}; only jobs and process flows run on their own",
            dataflow.kind
        )));
    }
    let Some(version) = dataflow.exposed_version else {
        return Err(AppError::new(
            ErrorCode::NotExposed,
            format!("dataflow {name:?} has no exposed version; expose one to run it"),
        ));
    };
    let document = super::dataflows::document(db, &dataflow.id, version).await?;
    engine::params::resolve(&document, &draft.parameters).map_err(|e| {
        AppError::invalid(e.message)
            .with_details(vec![model::ErrorDetail::field("parameters", "see message")])
    })?;
    let required_modules = document.required_modules().join(",");
    let here = draft.here.filter(|h| crate::runner::serves(h.modules, &required_modules));
    let now = Utc::now();
    Ok(runs::Model {
        id: uuid::Uuid::new_v4().to_string(),
        dataflow_id: dataflow.id.clone(),
        dataflow: dataflow.name.clone(),
        version,
        status: if here.is_some() { RunStatus::Running } else { RunStatus::Queued }.as_str().into(),
        trigger: draft.trigger.as_str().into(),
        schedule_id: draft.origin.schedule_id,
        fire_time: draft.origin.fire_time,
        parameters: serde_json::to_string(&draft.parameters).map_err(AppError::internal)?,
        node: here.map(|h| h.node.to_owned()),
        attempt: 1,
        max_attempts: i32::try_from(document.run_policy.max_attempts).unwrap_or(1),
        idempotency_key: draft.key,
        required_modules,
        cancel_requested: false,
        created_by: draft.ctx.actor.clone(),
        created_at: now,
        started_at: here.map(|_| now),
        finished_at: None,
        lease_until: here.map(|h| now + h.lease),
        metrics: None,
        error: None,
        not_before: None,
        parent_run_id: draft.origin.parent_run_id,
    })
}

/// The audit entry of a run that was just submitted.
pub fn started_entry<'a>(
    ctx: &'a AuditContext,
    row: &runs::Model,
) -> (&'a AuditContext, AuditEntry<'static>) {
    (ctx, AuditEntry::ok("runs:start", format!("run:{}", row.id)).after(to_model(row.clone())))
}

/// Filters of `GET /runs`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunFilter {
    pub dataflow: Option<String>,
    pub status: Option<RunStatus>,
    pub trigger: Option<RunTrigger>,
    /// RFC 3339; runs created at or after.
    #[param(value_type = Option<String>, format = DateTime)]
    pub since: Option<DateTime<Utc>>,
    /// RFC 3339; runs created before.
    #[param(value_type = Option<String>, format = DateTime)]
    pub until: Option<DateTime<Utc>>,
    /// The steps of this process run.
    pub parent: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// [`list`] on a connection of its own (for [`crate::state::AppState::read`]).
pub async fn list_owned(db: sea_orm::DatabaseConnection, filter: RunFilter) -> AppResult<Page<Run>> {
    list(&db, filter).await
}

/// Newest first. The cursor is `<created_at>|<id>` of the last run seen.
pub async fn list(db: &impl ConnectionTrait, filter: RunFilter) -> AppResult<Page<Run>> {
    let limit = filter.limit.unwrap_or(50).clamp(1, 200);
    let mut query = runs::Entity::find()
        .order_by_desc(runs::Column::CreatedAt)
        .order_by_desc(runs::Column::Id)
        .limit(limit + 1);
    if let Some(name) = &filter.dataflow {
        query = query.filter(runs::Column::Dataflow.eq(name.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(runs::Column::Status.eq(status.as_str()));
    }
    if let Some(trigger) = filter.trigger {
        query = query.filter(runs::Column::Trigger.eq(trigger.as_str()));
    }
    if let Some(since) = filter.since {
        query = query.filter(runs::Column::CreatedAt.gte(since));
    }
    if let Some(parent) = &filter.parent {
        query = query.filter(runs::Column::ParentRunId.eq(parent.clone()));
    }
    if let Some(until) = filter.until {
        query = query.filter(runs::Column::CreatedAt.lt(until));
    }
    if let Some(cursor) = &filter.cursor {
        let bad = || AppError::invalid("cursor is not valid");
        let (at, id) = cursor.split_once('|').ok_or_else(bad)?;
        let at: DateTime<Utc> = at.parse().map_err(|_| bad())?;
        let before = Expr::col(runs::Column::CreatedAt)
            .lt(at)
            .or(Expr::col(runs::Column::CreatedAt).eq(at).and(Expr::col(runs::Column::Id).lt(id)));
        query = query.filter(before);
    }
    let mut rows = query.all(db).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}|{}", r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), r.id))
    } else {
        None
    };
    Ok(Page { items: rows.into_iter().map(to_model).collect(), next_cursor })
}

/// A queued run is cancelled at once; a running one is asked to stop (its node stops it and
/// records `cancelled`).
pub async fn cancel(db: &impl ConnectionTrait, ctx: &AuditContext, id: &str) -> AppResult<Run> {
    let row = find(db, id).await?;
    let status = RunStatus::parse(&row.status).unwrap_or(RunStatus::Failed);
    if status.is_final() {
        return Err(AppError::new(
            ErrorCode::RunFinished,
            format!("run {id} already ended ({})", status.as_str()),
        ));
    }
    // A process run's steps are cancelled with it.
    let this_or_children =
        Condition::any().add(runs::Column::Id.eq(id)).add(runs::Column::ParentRunId.eq(id));
    runs::Entity::update_many()
        .col_expr(runs::Column::Status, Expr::value(RunStatus::Cancelled.as_str()))
        .col_expr(runs::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(this_or_children.clone())
        .filter(runs::Column::Status.eq(RunStatus::Queued.as_str()))
        .exec(db)
        .await?;
    runs::Entity::update_many()
        .col_expr(runs::Column::CancelRequested, Expr::value(true))
        .filter(this_or_children)
        .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
        .exec(db)
        .await?;
    audit::record(db, ctx, AuditEntry::ok("runs:cancel", format!("run:{id}"))).await?;
    Ok(to_model(find(db, id).await?))
}

pub async fn logs(db: &impl ConnectionTrait, id: &str) -> AppResult<Vec<RunLogLine>> {
    find(db, id).await?;
    let rows = run_logs::Entity::find()
        .filter(run_logs::Column::RunId.eq(id))
        .order_by_asc(run_logs::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| RunLogLine { at: timestamp(r.at), level: r.level, message: r.message })
        .collect())
}

/// Log lines of run `id` after the line numbered `after`, with their numbers.
pub async fn logs_after(
    db: &impl ConnectionTrait,
    id: &str,
    after: i64,
) -> AppResult<Vec<(i64, RunLogLine)>> {
    let rows = run_logs::Entity::find()
        .filter(run_logs::Column::RunId.eq(id))
        .filter(run_logs::Column::Id.gt(after))
        .order_by_asc(run_logs::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, RunLogLine { at: timestamp(r.at), level: r.level, message: r.message }))
        .collect())
}

pub async fn log(
    db: &impl ConnectionTrait,
    run_id: &str,
    level: &str,
    message: impl Into<String>,
) -> Result<(), sea_orm::DbErr> {
    run_logs::ActiveModel {
        run_id: Set(run_id.to_owned()),
        at: Set(Utc::now()),
        level: Set(level.to_owned()),
        message: Set(message.into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub fn parameters_of(row: &runs::Model) -> BTreeMap<String, Value> {
    serde_json::from_str(&row.parameters).unwrap_or_default()
}
