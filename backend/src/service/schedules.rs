//! Schedules: checking a spec (every problem at once), storing it with its next fire time,
//! pausing, resuming, running now, previews of the next fire times and the fire log.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entities::{dataflows, schedule_fires, schedules};
use model::{
    ErrorCode, ErrorDetail, MisfirePolicy, OverlapPolicy, PreviewTime, RunTrigger, Schedule, ScheduleFire,
    SchedulePreview, ScheduleSpec,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::audit::{self, AuditContext, AuditEntry};
use super::runs::{RunOrigin, submit_from};
use super::timestamp;
use crate::error::{AppError, AppResult};
use crate::scheduler::cron::CronExpr;

/// The most fire times one preview lists.
pub const MAX_PREVIEW: usize = 100;

/// A schedule's trigger, checked.
pub enum When {
    Cron(CronExpr),
    Once(DateTime<Utc>),
    File { directory: String, pattern: glob::Pattern },
}

/// What the scheduler works from: the stored row and its parsed trigger.
pub struct Checked {
    pub when: When,
    pub zone: Tz,
    pub start_at: Option<DateTime<Utc>>,
    pub end_at: Option<DateTime<Utc>>,
}

impl Checked {
    /// The first fire time strictly after `after` within the start and end dates.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let after = match self.start_at {
            // A fire time may fall exactly on the start.
            Some(start) if start > after => start - chrono::TimeDelta::milliseconds(1),
            _ => after,
        };
        let next = match &self.when {
            When::Cron(cron) => cron.next_after(self.zone, after)?,
            When::Once(at) => Some(*at).filter(|at| *at > after)?,
            When::File { .. } => return None,
        };
        Some(next).filter(|t| self.end_at.is_none_or(|end| *t <= end))
    }
}

fn parse_time(text: &str, path: &str, problems: &mut Vec<ErrorDetail>) -> Option<DateTime<Utc>> {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            problems.push(ErrorDetail::field(path, format!("{text:?} is not an RFC 3339 date-time")));
            None
        }
    }
}

/// Check `spec`, listing every problem.
pub fn check(spec: &ScheduleSpec) -> Result<Checked, Vec<ErrorDetail>> {
    let mut problems = Vec::new();
    if let Err(message) = model::validate_dataflow_name(&spec.name) {
        problems.push(ErrorDetail::field("name", &message));
    }
    let zone = Tz::from_str(&spec.timezone).ok();
    if zone.is_none() {
        let message =
            format!("{:?} is not an IANA time zone like \"Europe/Paris\" or \"UTC\"", spec.timezone);
        problems.push(ErrorDetail::field("timezone", &message));
    }
    let when = match (&spec.cron, &spec.at, &spec.file) {
        (Some(cron), None, None) => CronExpr::parse(cron)
            .map_err(|m| problems.push(ErrorDetail::field("cron", &m)))
            .ok()
            .map(When::Cron),
        (None, Some(at), None) => parse_time(at, "at", &mut problems).map(When::Once),
        (None, None, Some(file)) => check_file(&file.directory, &file.pattern, &mut problems),
        _ => {
            problems.push(ErrorDetail::field("cron", "give exactly one of cron, at or file"));
            None
        }
    };
    let start_at = spec.start_at.as_deref().and_then(|t| parse_time(t, "start_at", &mut problems));
    let end_at = spec.end_at.as_deref().and_then(|t| parse_time(t, "end_at", &mut problems));
    if let (Some(start), Some(end)) = (start_at, end_at)
        && start >= end
    {
        problems.push(ErrorDetail::field("end_at", "end_at must be after start_at"));
    }
    match (when, zone) {
        (Some(when), Some(zone)) if problems.is_empty() => Ok(Checked { when, zone, start_at, end_at }),
        _ => Err(problems),
    }
}

fn check_file(directory: &str, pattern: &str, problems: &mut Vec<ErrorDetail>) -> Option<When> {
    let inside = !directory.is_empty()
        && !std::path::Path::new(directory).is_absolute()
        && std::path::Path::new(directory)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
    if !inside {
        let message = "directory must be a relative path inside the data directory (no \"..\")";
        problems.push(ErrorDetail::field("file.directory", message));
    }
    let glob = if pattern.contains('/') || pattern.is_empty() {
        problems.push(ErrorDetail::field("file.pattern", "pattern matches file names: no \"/\", not empty"));
        None
    } else {
        glob::Pattern::new(pattern)
            .map_err(|e| {
                problems.push(ErrorDetail::field("file.pattern", format!("not a glob pattern: {e}")))
            })
            .ok()
    };
    Some(When::File { directory: directory.to_owned(), pattern: glob? }).filter(|_| inside)
}

/// A stored schedule's checked trigger (stored ones were checked when saved).
pub fn checked(row: &schedules::Model) -> AppResult<Checked> {
    check(&spec_of(row)).map_err(|problems| {
        AppError::internal(anyhow::anyhow!("stored schedule {} no longer checks: {problems:?}", row.name))
    })
}

fn spec_of(row: &schedules::Model) -> ScheduleSpec {
    let file = match (&row.directory, &row.pattern) {
        (Some(directory), Some(pattern)) => {
            Some(model::FileTrigger { directory: directory.clone(), pattern: pattern.clone() })
        }
        _ => None,
    };
    ScheduleSpec {
        name: row.name.clone(),
        dataflow: row.dataflow.clone(),
        cron: row.cron.clone(),
        at: row.fire_at.map(timestamp),
        file,
        timezone: row.time_zone.clone(),
        parameters: serde_json::from_str(&row.parameters).unwrap_or_default(),
        enabled: row.enabled,
        start_at: row.starts_at.map(timestamp),
        end_at: row.ends_at.map(timestamp),
        misfire: serde_json::from_value(row.misfire.clone().into()).unwrap_or_default(),
        overlap: serde_json::from_value(row.overlap.clone().into()).unwrap_or_default(),
    }
}

pub fn to_model(row: schedules::Model) -> Schedule {
    Schedule {
        spec: spec_of(&row),
        id: row.id,
        next_fire_time: row.next_fire.filter(|_| row.enabled).map(timestamp),
        created_by: row.created_by,
        created_at: timestamp(row.created_at),
        updated_at: timestamp(row.updated_at),
    }
}

fn policy_name<T: serde::Serialize>(policy: T) -> String {
    serde_json::to_value(policy).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn not_found(id: &str) -> AppError {
    AppError::new(ErrorCode::ScheduleNotFound, format!("there is no schedule {id:?}"))
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> AppResult<schedules::Model> {
    schedules::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or_else(|| not_found(id))
}

async fn check_dataflow(db: &impl ConnectionTrait, name: &str) -> AppResult<()> {
    let dataflow = dataflows::Entity::find().filter(dataflows::Column::Name.eq(name)).one(db).await?;
    match dataflow {
        Some(d) if d.kind == "job" || d.kind == "process" => Ok(()),
        Some(d) => {
            Err(AppError::invalid(format!("{name:?} is a {}; schedules run jobs and process flows", d.kind))
                .with_details(vec![ErrorDetail::field("dataflow", "not a job or process flow")]))
        }
        None => {
            Err(AppError::new(ErrorCode::DataflowNotFound, format!("there is no dataflow named {name:?}"))
                .with_details(vec![ErrorDetail::field("dataflow", "no such dataflow")]))
        }
    }
}

fn apply(
    row: &mut schedules::ActiveModel,
    spec: &ScheduleSpec,
    checked: &Checked,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (fire_at, directory, pattern) = match &checked.when {
        When::Once(at) => (Some(*at), None, None),
        When::File { directory, pattern } => {
            (None, Some(directory.clone()), Some(pattern.as_str().to_owned()))
        }
        When::Cron(_) => (None, None, None),
    };
    row.name = Set(spec.name.clone());
    row.dataflow = Set(spec.dataflow.clone());
    row.trigger_kind = Set(match checked.when {
        When::Cron(_) => "cron",
        When::Once(_) => "once",
        When::File { .. } => "file",
    }
    .into());
    row.cron = Set(spec.cron.clone());
    row.time_zone = Set(spec.timezone.clone());
    row.fire_at = Set(fire_at);
    row.directory = Set(directory);
    row.pattern = Set(pattern);
    row.parameters = Set(serde_json::to_string(&spec.parameters).map_err(AppError::internal)?);
    row.enabled = Set(spec.enabled);
    row.starts_at = Set(checked.start_at);
    row.ends_at = Set(checked.end_at);
    row.misfire = Set(policy_name(spec.misfire));
    row.overlap = Set(policy_name(spec.overlap));
    // Fire times before a save are not missed: the schedule starts counting now.
    row.next_fire = Set(checked.next_after(now));
    row.updated_at = Set(now);
    Ok(())
}

fn invalid(problems: Vec<ErrorDetail>) -> AppError {
    AppError::invalid("the schedule is not valid; see details").with_details(problems)
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    spec: ScheduleSpec,
) -> AppResult<Schedule> {
    let checked = check(&spec).map_err(invalid)?;
    check_dataflow(db, &spec.dataflow).await?;
    let now = Utc::now();
    let mut row = schedules::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        created_by: Set(ctx.actor.clone()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, &spec, &checked, now)?;
    let schedule = to_model(row.insert(db).await?);
    audit::record(
        db,
        ctx,
        AuditEntry::ok("schedules:create", format!("schedule:{}", schedule.id)).after(&schedule),
    )
    .await?;
    Ok(schedule)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    id: &str,
    spec: ScheduleSpec,
) -> AppResult<Schedule> {
    let checked = check(&spec).map_err(invalid)?;
    let before = find(db, id).await?;
    check_dataflow(db, &spec.dataflow).await?;
    let mut row = before.clone().into_active_model();
    apply(&mut row, &spec, &checked, Utc::now())?;
    let schedule = to_model(row.update(db).await?);
    let entry = AuditEntry::ok("schedules:update", format!("schedule:{id}"))
        .before(to_model(before))
        .after(&schedule);
    audit::record(db, ctx, entry).await?;
    Ok(schedule)
}

/// Pause (`enabled = false`) or resume; resuming counts fire times from now, so the paused
/// time is not a misfire.
pub async fn set_enabled(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    id: &str,
    enabled: bool,
) -> AppResult<Schedule> {
    let row = find(db, id).await?;
    let now = Utc::now();
    let next = if enabled { checked(&row)?.next_after(now) } else { row.next_fire };
    let mut active = row.into_active_model();
    active.enabled = Set(enabled);
    active.next_fire = Set(next);
    active.updated_at = Set(now);
    let schedule = to_model(active.update(db).await?);
    let action = if enabled { "schedules:resume" } else { "schedules:pause" };
    audit::record(db, ctx, AuditEntry::ok(action, format!("schedule:{id}"))).await?;
    Ok(schedule)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &AuditContext, id: &str) -> AppResult<()> {
    let row = find(db, id).await?;
    schedule_fires::Entity::delete_many().filter(schedule_fires::Column::ScheduleId.eq(id)).exec(db).await?;
    schedules::Entity::delete_by_id(id.to_owned()).exec(db).await?;
    audit::record(
        db,
        ctx,
        AuditEntry::ok("schedules:delete", format!("schedule:{id}")).before(to_model(row)),
    )
    .await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Schedule>> {
    let rows = schedules::Entity::find().order_by_asc(schedules::Column::Name).all(db).await?;
    Ok(rows.into_iter().map(to_model).collect())
}

/// "Run now": a run of the schedule's dataflow with its parameters, outside its fire times.
pub async fn trigger(db: &impl ConnectionTrait, ctx: &AuditContext, id: &str) -> AppResult<model::Run> {
    let row = find(db, id).await?;
    let parameters = serde_json::from_str(&row.parameters).unwrap_or_default();
    let origin = RunOrigin { schedule_id: Some(row.id.clone()), ..RunOrigin::default() };
    let (run, _) = submit_from(db, ctx, &row.dataflow, parameters, RunTrigger::Manual, origin, None).await?;
    Ok(run)
}

/// The next `count` fire times of `spec` from now, in UTC and in its zone.
pub fn preview(spec: &ScheduleSpec, count: usize) -> AppResult<SchedulePreview> {
    let checked = check(spec).map_err(invalid)?;
    let mut times = Vec::new();
    let mut after = Utc::now();
    while times.len() < count.min(MAX_PREVIEW) {
        let Some(next) = checked.next_after(after) else { break };
        times.push(PreviewTime {
            utc: timestamp(next),
            local: next.with_timezone(&checked.zone).to_rfc3339(),
        });
        after = next;
    }
    Ok(SchedulePreview { timezone: spec.timezone.clone(), fire_times: times })
}

pub async fn preview_stored(db: &impl ConnectionTrait, id: &str, count: usize) -> AppResult<SchedulePreview> {
    preview(&spec_of(&find(db, id).await?), count)
}

/// The schedule's fire log, newest first; `outcome` filters (e.g. `skipped`).
pub async fn fires(
    db: &impl ConnectionTrait,
    id: &str,
    outcome: Option<&str>,
    limit: u64,
) -> AppResult<Vec<ScheduleFire>> {
    find(db, id).await?;
    let mut query = schedule_fires::Entity::find()
        .filter(schedule_fires::Column::ScheduleId.eq(id))
        .order_by_desc(schedule_fires::Column::FireTime)
        .order_by_desc(schedule_fires::Column::Id)
        .limit(limit.clamp(1, 500));
    if let Some(outcome) = outcome {
        query = query.filter(schedule_fires::Column::Outcome.eq(outcome));
    }
    let rows = query.all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| ScheduleFire {
            fire_time: timestamp(r.fire_time),
            file: r.fire_key.strip_prefix("file:").map(str::to_owned),
            outcome: r.outcome,
            reason: r.reason,
            run_id: r.run_id,
            node: r.node,
        })
        .collect())
}

pub fn misfire_of(row: &schedules::Model) -> MisfirePolicy {
    serde_json::from_value(row.misfire.clone().into()).unwrap_or_default()
}

pub fn overlap_of(row: &schedules::Model) -> OverlapPolicy {
    serde_json::from_value(row.overlap.clone().into()).unwrap_or_default()
}
