//! Cluster membership: this node's row in `nodes`, refreshed by a heartbeat, and the view of
//! every node that `/cluster/nodes` serves. Also starts the node's other periodic tasks.

pub mod notify;

use std::net::SocketAddr;
use std::time::Duration;

use chrono::Utc;
use entities::{nodes, runs};
use model::NodeInfo;
use model::RunStatus;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::AppResult;
use crate::service::timestamp;
use crate::shutdown::Supervisor;
use crate::state::AppState;

pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
/// A node whose heartbeat is older than this is shown as down.
const DOWN_AFTER: chrono::TimeDelta = chrono::TimeDelta::seconds(15);
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(3600);
/// How often the read replica is checked; reads move back to it this soon after it returns.
const REPLICA_CHECK_INTERVAL: Duration = Duration::from_secs(1);

pub fn start_background_tasks(state: &AppState, address: SocketAddr) -> Supervisor {
    let mut supervisor = Supervisor::new(&state.shutdown);
    let heartbeat_state = state.clone();
    supervisor.spawn("heartbeat", move |cancel| async move {
        let mut tick = tokio::time::interval(HEARTBEAT_INTERVAL);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                _ = tick.tick() => {
                    if let Err(err) = beat(&heartbeat_state, address).await {
                        tracing::warn!(error = %err, "heartbeat failed; retrying");
                    }
                }
            }
        }
    });
    crate::runner::start(&mut supervisor, state.clone());
    crate::scheduler::start(&mut supervisor, state.clone());
    notify::start(&mut supervisor, state.clone());
    crate::service::call_stats::start(&mut supervisor, state.clone());
    if let Some(replica) = state.replica.clone() {
        let healthy = state.replica_healthy.clone();
        supervisor.spawn("replica-check", move |cancel| async move {
            let mut tick = tokio::time::interval(REPLICA_CHECK_INTERVAL);
            loop {
                tokio::select! {
                    () = cancel.cancelled() => return Ok(()),
                    _ = tick.tick() => {
                        let ok = matches!(tokio::time::timeout(REPLICA_CHECK_INTERVAL, replica.ping()).await, Ok(Ok(())));
                        if healthy.swap(ok, std::sync::atomic::Ordering::Relaxed) != ok {
                            tracing::warn!(healthy = ok, "the read replica changed state; reads go to {}", if ok { "it" } else { "the primary" });
                        }
                    }
                }
            }
        });
    }
    let purge_state = state.clone();
    supervisor.spawn("session-purge", move |cancel| async move {
        let mut tick = tokio::time::interval(SESSION_PURGE_INTERVAL);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                _ = tick.tick() => match crate::service::sessions::purge_expired(&purge_state.db).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
                    Err(err) => tracing::warn!(error = %err, "removing expired sessions failed"),
                },
            }
        }
    });
    supervisor
}

fn node_state(state: &AppState) -> &'static str {
    if state.shutdown.is_draining() { "draining" } else { "up" }
}

/// The address other nodes reach this one at: the listen address, or the host name when
/// listening on every interface.
fn advertised(address: SocketAddr) -> String {
    if address.ip().is_unspecified() {
        format!("{}:{}", crate::config::host_name(), address.port())
    } else {
        address.to_string()
    }
}

/// Insert or refresh this node's row.
async fn beat(state: &AppState, address: SocketAddr) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    let row = nodes::ActiveModel {
        name: Set(state.node_name.to_string()),
        address: Set(advertised(address)),
        version: Set(env!("CARGO_PKG_VERSION").into()),
        modules: Set(serde_json::to_string(&state.config.modules).unwrap_or_else(|_| "[\"core\"]".into())),
        state: Set(node_state(state).into()),
        started_at: Set(now),
        heartbeat_at: Set(now),
    };
    // started_at keeps its first value while the process lives; a restart resets it below.
    let upsert = OnConflict::column(nodes::Column::Name)
        .update_columns([
            nodes::Column::Address,
            nodes::Column::Version,
            nodes::Column::Modules,
            nodes::Column::State,
            nodes::Column::HeartbeatAt,
        ])
        .to_owned();
    nodes::Entity::insert(row).on_conflict(upsert).exec(&state.db).await?;
    Ok(())
}

/// Record that this node left (on clean shutdown), so it is shown down at once.
pub async fn mark_stopped(state: &AppState) {
    let result = nodes::Entity::update_many()
        .col_expr(nodes::Column::State, Expr::value("down"))
        .filter(nodes::Column::Name.eq(state.node_name.as_ref()))
        .exec(&state.db)
        .await;
    if let Err(err) = result {
        tracing::warn!(error = %err, "could not mark this node as stopped");
    }
}

/// Reset `started_at` when the process starts (the heartbeat upsert keeps it otherwise).
pub async fn register_start(db: &impl ConnectionTrait, node_name: &str) -> Result<(), sea_orm::DbErr> {
    nodes::Entity::update_many()
        .col_expr(nodes::Column::StartedAt, Expr::value(Utc::now()))
        .filter(nodes::Column::Name.eq(node_name))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn list_nodes(db: &impl ConnectionTrait) -> AppResult<Vec<NodeInfo>> {
    let now = Utc::now();
    let rows = nodes::Entity::find().order_by_asc(nodes::Column::Name).all(db).await?;
    let running: Vec<(Option<String>, i64)> = runs::Entity::find()
        .select_only()
        .column(runs::Column::Node)
        .column_as(runs::Column::Id.count(), "running")
        .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
        .group_by(runs::Column::Node)
        .into_tuple()
        .all(db)
        .await?;
    let running_on = |name: &str| {
        running
            .iter()
            .find(|(node, _)| node.as_deref() == Some(name))
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let stale = now - row.heartbeat_at > DOWN_AFTER;
            NodeInfo {
                runs_in_progress: running_on(&row.name),
                state: if stale { "down".into() } else { row.state },
                name: row.name,
                address: row.address,
                version: row.version,
                modules: serde_json::from_str(&row.modules).unwrap_or_default(),
                started_at: timestamp(row.started_at),
                heartbeat_at: timestamp(row.heartbeat_at),
            }
        })
        .collect())
}
