//! Runs whose node died go back to the queue: any node requeues a run whose lease expired, and
//! a node that starts requeues the runs its previous process left running. Each takeover is a
//! new attempt; a run lost too often fails instead of looping forever.
//!
//! The unfinished files a lost run staged are removed when it starts again; those of a run that
//! never starts again (it failed after its last takeover, or was cancelled meanwhile) are swept.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use chrono::Utc;
use entities::runs;
use model::{RunError, RunStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::service::runs::log;
use crate::state::AppState;

/// The most attempts a run gets when it keeps losing its node.
pub const MAX_TAKEOVERS: i32 = 3;

/// Requeue the runs whose lease ran out.
pub async fn requeue_expired(state: &AppState) -> Result<usize, DbErr> {
    let expired = runs::Entity::find()
        .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
        .filter(runs::Column::LeaseUntil.lt(Utc::now()))
        .all(&state.db)
        .await?;
    requeue(state, expired, "its node stopped renewing the lease").await
}

/// Requeue what this node's previous process was running when it stopped. Call before the
/// worker starts claiming.
pub async fn requeue_own(state: &AppState) -> Result<usize, DbErr> {
    let left = runs::Entity::find()
        .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
        .filter(runs::Column::Node.eq(state.node_name.as_ref()))
        .all(&state.db)
        .await?;
    requeue(state, left, "its node restarted").await
}

async fn requeue(state: &AppState, lost: Vec<runs::Model>, reason: &str) -> Result<usize, DbErr> {
    let mut moved = 0;
    for run in lost {
        let node = run.node.clone().unwrap_or_default();
        // Only if nobody renewed or finished it since we looked.
        let unchanged = |update: sea_orm::UpdateMany<runs::Entity>| {
            let update = update
                .filter(runs::Column::Id.eq(&run.id))
                .filter(runs::Column::Status.eq(RunStatus::Running.as_str()));
            match run.lease_until {
                Some(lease) => update.filter(runs::Column::LeaseUntil.eq(lease)),
                None => update.filter(runs::Column::LeaseUntil.is_null()),
            }
        };
        let attempt = run.attempt + 1;
        if attempt > run.max_attempts.max(MAX_TAKEOVERS) {
            let error = RunError {
                message: format!("the run lost its node {} times; last on {node}", run.attempt),
                stage: None,
                path: None,
                fault: "external".into(),
                retryable: false,
            };
            let failed = unchanged(runs::Entity::update_many())
                .col_expr(runs::Column::Status, Expr::value(RunStatus::Failed.as_str()))
                .col_expr(runs::Column::FinishedAt, Expr::value(Utc::now()))
                .col_expr(runs::Column::Error, Expr::value(serde_json::to_string(&error).unwrap_or_default()))
                .exec(&state.db)
                .await?;
            if failed.rows_affected == 1 {
                log(
                    &state.db,
                    &run.id,
                    "error",
                    format!("failed: {reason} ({node}) and it has no attempts left"),
                )
                .await?;
            }
            continue;
        }
        let requeued = unchanged(runs::Entity::update_many())
            .col_expr(runs::Column::Status, Expr::value(RunStatus::Queued.as_str()))
            .col_expr(runs::Column::Attempt, Expr::value(attempt))
            .col_expr(runs::Column::Node, Expr::value(Option::<String>::None))
            .col_expr(runs::Column::StartedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .col_expr(runs::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .exec(&state.db)
            .await?;
        if requeued.rows_affected == 1 {
            moved += 1;
            tracing::warn!(run = %run.id, %node, attempt, "requeued a run: {reason}");
            log(&state.db, &run.id, "warn", format!("requeued as attempt {attempt}: {reason} ({node})"))
                .await?;
        }
    }
    if moved > 0 {
        state.runner.wake();
    }
    Ok(moved)
}

/// Where runs keep their unfinished files: `<run id>.<file>.<random>.partial`.
pub fn staging_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join(".tributary").join("staging")
}

/// The most staged files one sweep looks at.
const SWEEP_BATCH: usize = 1000;

/// Remove the staged files, older than `older_than`, of runs that will not start again (ended,
/// or gone from the database). Files of queued and running runs stay: a run clears its own
/// when it starts again, and a running run may be writing them on another node that shares
/// this data directory. Returns how many files were removed.
pub async fn sweep_staging(state: &AppState, older_than: Duration) -> Result<usize, DbErr> {
    let dir = staging_dir(state);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(0) };
    let now = SystemTime::now();
    let mut by_run: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in entries.flatten().take(SWEEP_BATCH) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| now.duration_since(modified).unwrap_or_default() >= older_than);
        if let (true, Some((run_id, _))) = (old, name.split_once('.')) {
            by_run.entry(run_id.to_owned()).or_default().push(entry.path());
        }
    }
    if by_run.is_empty() {
        return Ok(0);
    }
    let live: HashSet<String> = runs::Entity::find()
        .select_only()
        .column(runs::Column::Id)
        .filter(runs::Column::Id.is_in(by_run.keys().cloned()))
        .filter(runs::Column::Status.is_in([RunStatus::Queued.as_str(), RunStatus::Running.as_str()]))
        .into_tuple::<String>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut removed = 0;
    for path in by_run.into_iter().filter(|(run, _)| !live.contains(run)).flat_map(|(_, paths)| paths) {
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(err) => tracing::warn!(file = %path.display(), error = %err, "removing a staged file failed"),
        }
    }
    if removed > 0 {
        tracing::info!(removed, "removed the unfinished files of runs that will not start again");
    }
    Ok(removed)
}
