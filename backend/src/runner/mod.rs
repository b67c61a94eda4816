//! The node's worker: claims queued runs it can serve (by module) from the database, runs them
//! on the engine, writes progress while they run, and stops them when asked.
//!
//! A run's node renews its lease while it works; when a node dies, any other node requeues its
//! runs once their leases expire (`reclaim`).
//!
//! Claiming takes the oldest queued run with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so any
//! number of nodes can claim side by side; on SQLite the same statement runs inside a write
//! transaction, which serialises claimers.

mod claim;
mod execute;
mod process;
pub mod reclaim;
mod subflows;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;

pub use subflows::DbSubflows;

use crate::shutdown::Supervisor;
use crate::state::AppState;

/// How often an idle worker looks for runs queued by other nodes.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Shared between the HTTP handlers (wake the worker, cancel a local run) and the worker.
#[derive(Default)]
pub struct RunnerHandle {
    wake: Notify,
    active: Mutex<HashMap<String, CancellationToken>>,
}

impl RunnerHandle {
    /// A run was queued here: look now instead of at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Stop a run this node is executing, at once.
    pub fn cancel_local(&self, run_id: &str) {
        if let Some(token) = self.active.lock().ok().and_then(|active| active.get(run_id).cloned()) {
            token.cancel();
        }
    }

    fn register(&self, run_id: &str, token: CancellationToken) {
        if let Ok(mut active) = self.active.lock() {
            active.insert(run_id.to_owned(), token);
        }
    }

    fn unregister(&self, run_id: &str) {
        if let Ok(mut active) = self.active.lock() {
            active.remove(run_id);
        }
    }
}

pub fn start(supervisor: &mut Supervisor, state: AppState) {
    let reaper_state = state.clone();
    supervisor.spawn("lease-reaper", move |cancel| async move {
        let every = (reaper_state.config.run_lease / 2).max(Duration::from_secs(1));
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = tokio::time::sleep(every) => {}
            }
            if let Err(err) = reclaim::requeue_expired(&reaper_state).await {
                tracing::warn!(error = %err, "looking for runs with expired leases failed");
            }
        }
    });
    supervisor.spawn("runner", move |cancel| async move {
        let slots = Arc::new(Semaphore::new(state.config.run_slots));
        loop {
            let permit = tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                permit = slots.clone().acquire_owned() => permit?,
            };
            match claim::claim(&state).await {
                Ok(Some(run)) => {
                    let state = state.clone();
                    let stop = cancel.clone();
                    tokio::spawn(async move { execute::execute(&state, run, stop, permit).await });
                }
                Ok(None) => {
                    drop(permit);
                    tokio::select! {
                        () = cancel.cancelled() => return Ok(()),
                        () = state.runner.wake.notified() => {}
                        () = tokio::time::sleep(POLL_INTERVAL) => {}
                    }
                }
                Err(err) => {
                    drop(permit);
                    tracing::warn!(error = %err, "claiming runs failed; retrying");
                    tokio::select! {
                        () = cancel.cancelled() => return Ok(()),
                        () = tokio::time::sleep(POLL_INTERVAL * 2) => {}
                    }
                }
            }
        }
    });
}
