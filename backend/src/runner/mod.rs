//! The node's worker: claims queued runs it can serve (by module) from the database, runs them
//! on the engine, writes progress while they run, and stops them when asked.
//!
//! A run's node renews its lease while it works; when a node dies, any other node requeues its
//! runs once their leases expire (`reclaim`).
//!
//! A run submitted to a node with a free slot starts there at once: it is inserted already
//! claimed, so it never waits in the queue. Otherwise it is queued and the worker claims it:
//! the oldest queued runs, as many as it has free slots, with `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so any number of nodes can claim side by side; on SQLite the same statement runs
//! inside a write transaction, which serialises claimers.

mod claim;
mod ends;
mod execute;
mod log;
mod process;
pub mod reclaim;
mod subflows;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entities::runs;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

pub use claim::{lease, lease_for, serves};
pub use subflows::DbSubflows;

use crate::shutdown::Supervisor;
use crate::state::AppState;

/// How often an idle worker looks for runs queued by other nodes.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The most queued runs one claim takes.
const CLAIM_BATCH: usize = 32;

/// The longest a submit waits for a claim in flight to give back the free slots it holds.
const CLAIM_WAIT: Duration = Duration::from_millis(250);

/// Shared between the HTTP handlers (start a run here, wake the worker, cancel a local run) and
/// the worker.
pub struct RunnerHandle {
    wake: Notify,
    active: Mutex<HashMap<String, CancellationToken>>,
    /// One permit per run this node may execute at a time.
    slots: Arc<Semaphore>,
    /// Set while the worker holds the free slots for a claim of queued runs; `claimed` tells
    /// when it is over.
    claiming: AtomicBool,
    claimed: Notify,
    /// Cancelled when the node stops: every run it executes stops with it.
    stopping: CancellationToken,
    ends: ends::EndWriter,
}

impl RunnerHandle {
    /// A node's runner: `slots` runs at once, their ends written to `db`. Needs a Tokio runtime.
    pub fn new(slots: usize, db: sea_orm::DatabaseConnection) -> Self {
        Self {
            wake: Notify::new(),
            active: Mutex::default(),
            slots: Arc::new(Semaphore::new(slots)),
            claiming: AtomicBool::new(false),
            claimed: Notify::new(),
            stopping: CancellationToken::new(),
            ends: ends::EndWriter::start(db),
        }
    }

    /// A free slot, if there is one now: a run submitted with it is claimed by this node
    /// as it is inserted and starts without waiting for the worker.
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.slots.clone().try_acquire_owned().ok()
    }

    /// [`Self::try_slot`], except that when the worker holds the free slots for a claim in
    /// flight it waits for the claim (briefly): the slots the claim does not use are free
    /// again, so a run submitted to an idle node starts at once instead of queueing.
    pub async fn free_slot(&self) -> Option<OwnedSemaphorePermit> {
        if let Some(slot) = self.try_slot() {
            return Some(slot);
        }
        let claimed = self.claimed.notified();
        tokio::pin!(claimed);
        claimed.as_mut().enable();
        if self.claiming.load(Ordering::Acquire) {
            let _ = tokio::time::timeout(CLAIM_WAIT, claimed).await;
        }
        self.try_slot()
    }

    /// Execute `run`, which this node claimed with `slot`.
    pub fn start_here(&self, state: &AppState, run: runs::Model, slot: OwnedSemaphorePermit) {
        let (state, stop) = (state.clone(), self.stopping.clone());
        tokio::spawn(async move { execute::execute(&state, run, stop, slot).await });
    }

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
            // Files younger than a lease are left alone, whatever wrote them.
            if let Err(err) = reclaim::sweep_staging(&reaper_state, reaper_state.config.run_lease).await {
                tracing::warn!(error = %err, "sweeping the staged files of ended runs failed");
            }
        }
    });
    supervisor.spawn("runner", move |cancel| async move {
        let slots = state.runner.slots.clone();
        // When the worker stops (the node is stopping), every run this node executes stops.
        let _stop_all = state.runner.stopping.clone().drop_guard();
        loop {
            let first = tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                permit = slots.clone().acquire_owned() => permit?,
            };
            state.runner.claiming.store(true, Ordering::Release);
            let mut permits = vec![first];
            while permits.len() < CLAIM_BATCH {
                match slots.clone().try_acquire_owned() {
                    Ok(permit) => permits.push(permit),
                    Err(_) => break,
                }
            }
            let claimed = claim::claim(&state, permits.len()).await;
            let started = claimed.map(|claimed| {
                let count = claimed.len();
                for (run, permit) in claimed.into_iter().zip(permits) {
                    state.runner.start_here(&state, run, permit);
                }
                count
            });
            // The slots the claim did not use are free again (`free_slot`).
            state.runner.claiming.store(false, Ordering::Release);
            state.runner.claimed.notify_waiters();
            match started {
                Ok(0) => {
                    tokio::select! {
                        () = cancel.cancelled() => return Ok(()),
                        () = state.runner.wake.notified() => {}
                        () = tokio::time::sleep(POLL_INTERVAL) => {}
                    }
                }
                Ok(_) => {}
                Err(err) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_submit_gets_the_slot_a_claim_in_flight_held() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let runner = Arc::new(RunnerHandle::new(1, db));
        // No claim in flight and no free slot: the run is queued without waiting.
        let busy = runner.try_slot().unwrap();
        assert!(runner.free_slot().await.is_none());
        // The worker holds the only free slot while it claims queued runs.
        runner.claiming.store(true, Ordering::Release);
        let submit = tokio::spawn({
            let runner = runner.clone();
            async move { runner.free_slot().await.is_some() }
        });
        // On this single-threaded runtime the submit now runs until it waits for the claim.
        tokio::task::yield_now().await;
        assert!(!submit.is_finished());
        // The claim found nothing to run: the slot is free again, and the submit takes it.
        drop(busy);
        runner.claiming.store(false, Ordering::Release);
        runner.claimed.notify_waiters();
        assert!(submit.await.unwrap());
    }
}
