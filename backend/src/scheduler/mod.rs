//! The scheduler every node runs: each tick it fires what is due on time-triggered schedules,
//! starts runs waiting for their predecessor (overlap policy `queue`), and looks for new files
//! for file triggers. Any number of nodes may run it side by side: fire times are unique rows
//! (see [`fire`]). It also purges runs older than the retention.
//!
//! # Layout
//! - [`cron`]: cron expressions with seconds in IANA time zones, daylight saving included.
//! - [`fire`]: due fire times → runs or recorded skips, exactly once.
//! - `files`: the file trigger's directory scan.

pub mod cron;
mod files;
pub mod fire;

use std::time::Duration;

use chrono::Utc;
use entities::{run_logs, runs, schedules};
use model::RunStatus;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::shutdown::Supervisor;
use crate::state::AppState;

/// How often the scheduler looks at the schedules.
const TICK: Duration = Duration::from_millis(500);
/// How often finished runs past the retention are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);

pub fn start(supervisor: &mut Supervisor, state: AppState) {
    let tick_state = state.clone();
    supervisor.spawn("scheduler", move |cancel| async move {
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = tokio::time::sleep(TICK) => {}
            }
            if let Err(err) = tick(&tick_state).await {
                tracing::warn!(error = %err, "the scheduler's tick failed; trying again");
            }
        }
    });
    supervisor.spawn("run-purge", move |cancel| async move {
        loop {
            match purge(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(runs = count, "purged runs past the retention"),
                Err(err) => tracing::warn!(error = %err, "purging old runs failed"),
            }
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = tokio::time::sleep(PURGE_EVERY) => {}
            }
        }
    });
}

/// One pass over the enabled schedules.
pub async fn tick(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    let enabled =
        schedules::Entity::find().filter(schedules::Column::Enabled.eq(true)).all(&state.db).await?;
    for schedule in enabled {
        let result = async {
            match schedule.trigger_kind.as_str() {
                "file" => files::scan(state, &schedule).await?,
                _ if schedule.next_fire.is_some_and(|t| t <= now) => {
                    fire::fire_due(state, &schedule, now).await?
                }
                _ => {}
            }
            if schedule.overlap == "queue" {
                fire::start_waiting(state, &schedule).await?;
            }
            Ok::<(), crate::error::AppError>(())
        }
        .await;
        if let Err(err) = result {
            tracing::warn!(schedule = %schedule.name, error = %err.message, "a schedule could not fire");
        }
    }
    Ok(())
}

/// Delete runs (and their log lines) that ended before the retention.
pub async fn purge(state: &AppState) -> Result<u64, DbErr> {
    let retention =
        chrono::TimeDelta::from_std(state.config.run_retention).unwrap_or(chrono::TimeDelta::days(30));
    let cutoff = Utc::now() - retention;
    let finished = [RunStatus::Succeeded.as_str(), RunStatus::Failed.as_str(), RunStatus::Cancelled.as_str()];
    let old: Vec<String> = runs::Entity::find()
        .select_only()
        .column(runs::Column::Id)
        .filter(runs::Column::Status.is_in(finished))
        .filter(runs::Column::FinishedAt.lt(cutoff))
        .limit(5000)
        .into_tuple()
        .all(&state.db)
        .await?;
    if old.is_empty() {
        return Ok(0);
    }
    run_logs::Entity::delete_many()
        .filter(run_logs::Column::RunId.is_in(old.clone()))
        .exec(&state.db)
        .await?;
    let deleted = runs::Entity::delete_many().filter(runs::Column::Id.is_in(old)).exec(&state.db).await?;
    Ok(deleted.rows_affected)
}
