//! Telling other nodes at once through PostgreSQL's LISTEN/NOTIFY: a queued run notifies
//! `tributary_runs` and every node's listener wakes its worker; a configuration change (a
//! service exposed or deleted, a token revoked) notifies `tributary_config` and every node drops
//! what it cached of it. Both still have a fallback — workers poll, caches re-check after a
//! second — so a lost notification (a listener reconnecting) delays, never breaks. SQLite has
//! one node, which acts on its own changes directly.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

use crate::shutdown::Supervisor;
use crate::state::AppState;

pub const RUNS_CHANNEL: &str = "tributary_runs";
pub const CONFIG_CHANNEL: &str = "tributary_config";

/// A change other nodes may hold a stale copy of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The exposed version of this service changed, or it was deleted.
    Service(String),
    /// Sessions, tokens or permissions changed.
    Principals,
}

impl Change {
    fn payload(&self) -> String {
        match self {
            Self::Service(name) => format!("service:{name}"),
            Self::Principals => "principals".into(),
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        match payload.split_once(':') {
            Some(("service", name)) => Some(Self::Service(name.to_owned())),
            _ => (payload == "principals").then_some(Self::Principals),
        }
    }

    fn apply(&self, state: &AppState) {
        match self {
            Self::Service(name) => state.services.forget(name),
            Self::Principals => state.principals.clear(),
        }
    }
}

/// Drop this node's cached copy at once and tell the other nodes to drop theirs.
pub async fn config_changed(state: &AppState, change: Change) {
    change.apply(state);
    if state.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let notify = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CONFIG_CHANNEL.into(), change.payload().into()],
    );
    if let Err(err) = state.db.execute_raw(notify).await {
        tracing::warn!(error = %err, "telling the other nodes about a change failed; they notice within a second");
    }
}

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
    listener.listen_all([RUNS_CHANNEL, CONFIG_CHANNEL]).await?;
    // Whatever changed while not listening is re-read.
    state.services.clear();
    state.principals.clear();
    loop {
        let notification = listener.recv().await?;
        if notification.channel() == RUNS_CHANNEL {
            state.runner.wake();
        } else if let Some(change) = Change::parse(notification.payload()) {
            change.apply(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn changes_travel_as_text() {
        for change in [Change::Service("price.v2".into()), Change::Principals] {
            assert_eq!(Change::parse(&change.payload()), Some(change));
        }
        assert_eq!(Change::parse("something else"), None);
    }
}
