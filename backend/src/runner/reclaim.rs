//! Runs whose node died go back to the queue: any node requeues a run whose lease expired, and
//! a node that starts requeues the runs its previous process left running. Each takeover is a
//! new attempt; a run lost too often fails instead of looping forever.

use chrono::Utc;
use entities::runs;
use model::{RunError, RunStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

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
