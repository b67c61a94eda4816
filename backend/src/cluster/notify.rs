//! Waking other nodes at once through PostgreSQL's LISTEN/NOTIFY: a queued run notifies
//! `tributary_runs`, and every node's listener wakes its worker. Workers still poll, so a lost
//! notification (a listener reconnecting) delays a run by one poll, never more. SQLite has one
//! node, which wakes its own worker directly.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

use crate::shutdown::Supervisor;
use crate::state::AppState;

pub const RUNS_CHANNEL: &str = "tributary_runs";

/// Tell every node a run was queued. Inside a transaction, PostgreSQL delivers it on commit.
pub async fn runs_queued(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("NOTIFY {RUNS_CHANNEL}")).await?;
    }
    Ok(())
}

pub fn start(supervisor: &mut Supervisor, state: AppState) {
    if !state.config.is_postgres() {
        return;
    }
    supervisor.spawn("notify-listener", move |cancel| async move {
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                result = listen(&state) => {
                    if let Err(err) = result {
                        tracing::warn!(error = %err, "listening for notifications failed; reconnecting");
                    }
                }
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(state: &AppState) -> Result<(), sqlx::Error> {
    let pool = state.db.get_postgres_connection_pool();
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(RUNS_CHANNEL).await?;
    loop {
        listener.recv().await?;
        state.runner.wake();
    }
}
