//! Turning due fire times into runs. Each fire time is inserted into `schedule_fires` in the
//! same transaction as its run; the row is unique per `(schedule, fire_key)`, so when two
//! schedulers (two nodes, or a restart) race for one fire time, one inserts it and the other
//! finds it taken and does nothing.

use chrono::{DateTime, TimeDelta, Utc};
use entities::{runs, schedule_fires, schedules};
use model::{MisfirePolicy, OverlapPolicy, RunStatus, RunTrigger};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::error::AppResult;
use crate::service::audit::AuditContext;
use crate::service::runs::{RunOrigin, submit_from};
use crate::service::schedules::{Checked, checked, misfire_of, overlap_of};
use crate::state::AppState;

/// A fire time this late is on time; later than this, it was missed (no scheduler ran then).
pub const MISFIRE_GRACE: TimeDelta = TimeDelta::seconds(15);
/// Skipped fire times recorded one by one; more are summed up in one row.
const MAX_SKIPS_RECORDED: usize = 100;
/// The most due fire times looked at in one pass (an every-second schedule after a day down).
const MAX_DUE: usize = 10_000;

/// What to do with one fire time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Fire(DateTime<Utc>),
    Skip(DateTime<Utc>, String),
    /// `count` more missed fire times from `first` to `last`, recorded as one row.
    SkipMany {
        first: DateTime<Utc>,
        last: DateTime<Utc>,
        count: usize,
        reason: String,
    },
}

/// Sort due fire times (oldest first) into fires and skips by the misfire policy.
pub fn plan(
    due: &[DateTime<Utc>],
    now: DateTime<Utc>,
    policy: MisfirePolicy,
    max_catchup: usize,
) -> Vec<Plan> {
    let (missed, on_time): (Vec<_>, Vec<_>) = due.iter().partition(|t| now - **t > MISFIRE_GRACE);
    let mut fire: Vec<DateTime<Utc>> = Vec::new();
    let mut skip: Vec<(DateTime<Utc>, String)> = Vec::new();
    let missed_reason = "missed: no scheduler was running at that time";
    match policy {
        MisfirePolicy::Skip => {
            skip.extend(missed.iter().map(|t| (*t, format!("{missed_reason} (misfire policy skip)"))))
        }
        MisfirePolicy::Last => {
            let keep = if on_time.is_empty() { missed.last().copied() } else { None };
            for t in &missed {
                if Some(*t) != keep {
                    skip.push((
                        *t,
                        format!("{missed_reason}; a later fire time runs instead (misfire policy last)"),
                    ));
                }
            }
            fire.extend(keep);
        }
        MisfirePolicy::All => {
            let (caught, beyond) = missed.split_at(missed.len().min(max_catchup));
            fire.extend(caught);
            let reason = format!("{missed_reason}; more than {max_catchup} were missed (misfire policy all)");
            skip.extend(beyond.iter().map(|t| (*t, reason.clone())));
        }
    }
    fire.extend(on_time);
    let mut plans: Vec<Plan> =
        skip.iter().take(MAX_SKIPS_RECORDED).map(|(t, r)| Plan::Skip(*t, r.clone())).collect();
    if skip.len() > MAX_SKIPS_RECORDED {
        let rest = &skip[MAX_SKIPS_RECORDED..];
        plans.push(Plan::SkipMany {
            first: rest[0].0,
            last: rest[rest.len() - 1].0,
            count: rest.len(),
            reason: rest[0].1.clone(),
        });
    }
    plans.extend(fire.into_iter().map(Plan::Fire));
    plans
}

/// The fire times from the schedule's `next_fire` up to `now`.
pub fn due_times(checked: &Checked, next_fire: DateTime<Utc>, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut due = Vec::new();
    let mut t = Some(next_fire);
    while let Some(at) = t.filter(|at| *at <= now && due.len() < MAX_DUE) {
        due.push(at);
        t = checked.next_after(at);
    }
    due
}

/// Fire, or record as skipped, what is due on a time-triggered schedule, then move its
/// `next_fire` past `now` (only if no other scheduler moved it first).
pub async fn fire_due(state: &AppState, row: &schedules::Model, now: DateTime<Utc>) -> AppResult<()> {
    let Some(next_fire) = row.next_fire else { return Ok(()) };
    let checked = checked(row)?;
    let due = due_times(&checked, next_fire, now);
    let max_catchup = usize::try_from(state.config.schedule_max_catchup).unwrap_or(usize::MAX);
    for step in plan(&due, now, misfire_of(row), max_catchup) {
        match step {
            Plan::Fire(t) => fire(state, row, t, &t.to_rfc3339(), RunTrigger::Schedule, None).await?,
            Plan::Skip(t, reason) => {
                record(&state.db, state, row, t, &t.to_rfc3339(), "skipped", &reason, None).await?;
            }
            Plan::SkipMany { first, last, count, reason } => {
                let reason = format!("{count} fire times from {first} to {last}: {reason}");
                let key = format!("{}..{}", first.to_rfc3339(), last.to_rfc3339());
                record(&state.db, state, row, first, &key, "skipped", &reason, None).await?;
            }
        }
    }
    let after = due.last().copied().unwrap_or(now).max(now);
    schedules::Entity::update_many()
        .col_expr(schedules::Column::NextFire, sea_orm::sea_query::Expr::value(checked.next_after(after)))
        .filter(schedules::Column::Id.eq(&row.id))
        .filter(schedules::Column::NextFire.eq(next_fire))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// One fire time: its row and, by the overlap policy, its run — in one transaction.
pub async fn fire(
    state: &AppState,
    row: &schedules::Model,
    at: DateTime<Utc>,
    key: &str,
    trigger: RunTrigger,
    file: Option<&str>,
) -> AppResult<()> {
    let txn = crate::store::begin_write(&state.db).await?;
    let active = active_run(&txn, &row.id).await?;
    let overlap = overlap_of(row);
    let (outcome, reason) = match (&active, overlap) {
        (Some(run), OverlapPolicy::Skip) => {
            ("skipped", format!("the previous run {run} had not ended (overlap policy skip)"))
        }
        (Some(run), OverlapPolicy::Queue) => {
            ("waiting", format!("waiting for the previous run {run} to end (overlap policy queue)"))
        }
        _ => ("fired", String::new()),
    };
    if !record(&txn, state, row, at, key, outcome, &reason, None).await? {
        return Ok(txn.rollback().await?);
    }
    if outcome == "fired" {
        let run = start(&txn, state, row, at, trigger, file).await;
        match run {
            Ok(run_id) => set_run(&txn, &row.id, key, "fired", None, &run_id).await?,
            // The fire time stays recorded, with why it could not run.
            Err(err) => {
                set_outcome(&txn, &row.id, key, "skipped", &format!("could not start: {}", err.message))
                    .await?
            }
        }
    }
    txn.commit().await?;
    state.runner.wake();
    Ok(())
}

async fn start(
    db: &impl ConnectionTrait,
    state: &AppState,
    row: &schedules::Model,
    at: DateTime<Utc>,
    trigger: RunTrigger,
    file: Option<&str>,
) -> AppResult<String> {
    let mut parameters: std::collections::BTreeMap<String, Value> =
        serde_json::from_str(&row.parameters).unwrap_or_default();
    if let Some(file) = file {
        parameters.insert("trigger_file".into(), Value::from(file));
    }
    let ctx = AuditContext::system(state, format!("schedule:{}", row.name));
    let origin = RunOrigin { schedule_id: Some(row.id.clone()), fire_time: Some(at), parent_run_id: None };
    let (run, _) = submit_from(db, &ctx, &row.dataflow, parameters, trigger, origin, None).await?;
    Ok(run.id)
}

/// Insert a fire row; `false` when another scheduler recorded this fire time first.
#[allow(clippy::too_many_arguments)]
async fn record(
    db: &impl ConnectionTrait,
    state: &AppState,
    row: &schedules::Model,
    at: DateTime<Utc>,
    key: &str,
    outcome: &str,
    reason: &str,
    run_id: Option<String>,
) -> Result<bool, DbErr> {
    let fire = schedule_fires::ActiveModel {
        schedule_id: Set(row.id.clone()),
        fire_key: Set(key.to_owned()),
        fire_time: Set(at),
        outcome: Set(outcome.to_owned()),
        reason: Set(Some(reason.to_owned()).filter(|r| !r.is_empty())),
        run_id: Set(run_id),
        node: Set(state.node_name.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let conflict = OnConflict::columns([schedule_fires::Column::ScheduleId, schedule_fires::Column::FireKey])
        .do_nothing()
        .to_owned();
    match schedule_fires::Entity::insert(fire).on_conflict(conflict).exec(db).await {
        Ok(_) => Ok(true),
        Err(DbErr::RecordNotInserted) => Ok(false),
        Err(err) => Err(err),
    }
}

async fn set_run(
    db: &impl ConnectionTrait,
    schedule: &str,
    key: &str,
    outcome: &str,
    reason: Option<&str>,
    run_id: &str,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    schedule_fires::Entity::update_many()
        .col_expr(schedule_fires::Column::Outcome, Expr::value(outcome))
        .col_expr(schedule_fires::Column::Reason, Expr::value(reason.map(str::to_owned)))
        .col_expr(schedule_fires::Column::RunId, Expr::value(run_id))
        .filter(schedule_fires::Column::ScheduleId.eq(schedule))
        .filter(schedule_fires::Column::FireKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

async fn set_outcome(
    db: &impl ConnectionTrait,
    schedule: &str,
    key: &str,
    outcome: &str,
    reason: &str,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    schedule_fires::Entity::update_many()
        .col_expr(schedule_fires::Column::Outcome, Expr::value(outcome))
        .col_expr(schedule_fires::Column::Reason, Expr::value(reason))
        .filter(schedule_fires::Column::ScheduleId.eq(schedule))
        .filter(schedule_fires::Column::FireKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// The schedule's run that is still queued or running, if any.
async fn active_run(db: &impl ConnectionTrait, schedule: &str) -> Result<Option<String>, DbErr> {
    let active = [RunStatus::Queued.as_str(), RunStatus::Running.as_str()];
    let run = runs::Entity::find()
        .filter(runs::Column::ScheduleId.eq(schedule))
        .filter(runs::Column::Status.is_in(active))
        .one(db)
        .await?;
    Ok(run.map(|r| r.id))
}

/// Overlap policy `queue`: once the schedule's runs have ended, start its oldest waiting fire.
pub async fn start_waiting(state: &AppState, row: &schedules::Model) -> AppResult<()> {
    let waiting = schedule_fires::Entity::find()
        .filter(schedule_fires::Column::ScheduleId.eq(&row.id))
        .filter(schedule_fires::Column::Outcome.eq("waiting"))
        .order_by_asc(schedule_fires::Column::FireTime)
        .one(&state.db)
        .await?;
    let Some(fire) = waiting else { return Ok(()) };
    let txn = crate::store::begin_write(&state.db).await?;
    if active_run(&txn, &row.id).await?.is_some() {
        return Ok(txn.rollback().await?);
    }
    // Claim the waiting fire; a racing scheduler that claimed it first leaves nothing to do.
    let claimed = schedule_fires::Entity::update_many()
        .col_expr(schedule_fires::Column::Outcome, sea_orm::sea_query::Expr::value("fired"))
        .filter(schedule_fires::Column::Id.eq(fire.id))
        .filter(schedule_fires::Column::Outcome.eq("waiting"))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(txn.rollback().await?);
    }
    let file = fire.fire_key.strip_prefix("file:").map(str::to_owned);
    let trigger = if file.is_some() { RunTrigger::File } else { RunTrigger::Schedule };
    match start(&txn, state, row, fire.fire_time, trigger, file.as_deref()).await {
        Ok(run_id) => set_run(&txn, &row.id, &fire.fire_key, "fired", None, &run_id).await?,
        Err(err) => {
            set_outcome(
                &txn,
                &row.id,
                &fire.fire_key,
                "skipped",
                &format!("could not start: {}", err.message),
            )
            .await?
        }
    }
    txn.commit().await?;
    state.runner.wake();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        format!("2026-01-01T{s}Z").parse().unwrap()
    }

    #[test]
    fn on_time_fire_times_fire_whatever_the_policy() {
        let due = [t("10:00:00")];
        for policy in [MisfirePolicy::Skip, MisfirePolicy::Last, MisfirePolicy::All] {
            assert_eq!(plan(&due, t("10:00:01"), policy, 10), vec![Plan::Fire(t("10:00:00"))]);
        }
    }

    #[test]
    fn missed_fire_times_follow_the_misfire_policy() {
        let due = [t("09:00:00"), t("09:30:00"), t("10:00:00")];
        let now = t("10:30:00");
        let skip = plan(&due, now, MisfirePolicy::Skip, 10);
        assert_eq!(skip.len(), 3);
        assert!(skip.iter().all(|p| matches!(p, Plan::Skip(_, r) if r.contains("policy skip"))));
        let last = plan(&due, now, MisfirePolicy::Last, 10);
        assert_eq!(last.last(), Some(&Plan::Fire(t("10:00:00"))));
        assert_eq!(last.iter().filter(|p| matches!(p, Plan::Skip(..))).count(), 2);
        let all = plan(&due, now, MisfirePolicy::All, 2);
        assert_eq!(all.iter().filter(|p| matches!(p, Plan::Fire(_))).count(), 2);
        assert!(matches!(&all[0], Plan::Skip(at, r) if *at == t("10:00:00") && r.contains("more than 2")));
    }

    #[test]
    fn policy_last_fires_nothing_missed_when_a_fire_time_is_on_time() {
        let due = [t("09:00:00"), t("10:00:00")];
        let plans = plan(&due, t("10:00:02"), MisfirePolicy::Last, 10);
        assert_eq!(plans, vec![
            Plan::Skip(t("09:00:00"), "missed: no scheduler was running at that time; a later fire time runs instead (misfire policy last)".into()),
            Plan::Fire(t("10:00:00"))
        ]);
    }

    #[test]
    fn long_outages_are_summed_up_not_silent() {
        let due: Vec<_> = (0..250).map(|i| t("00:00:00") + TimeDelta::seconds(i)).collect();
        let plans = plan(&due, t("12:00:00"), MisfirePolicy::Skip, 10);
        assert_eq!(plans.len(), MAX_SKIPS_RECORDED + 1);
        assert!(matches!(plans.last(), Some(Plan::SkipMany { count: 150, .. })));
    }
}
