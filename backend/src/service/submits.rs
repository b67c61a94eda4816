//! Submitting runs together. Submits without an idempotency key hand their run to one writer,
//! which inserts what has arrived meanwhile in one transaction: when many clients submit at
//! once their runs share one commit and one statement per table instead of each paying for
//! its own. A lone submit is written at once, as before.
//!
//! If a batch fails as a whole, each of its submits is written again on its own, so one bad
//! submit cannot fail the others.

use std::collections::BTreeMap;

use entities::{dataflows, runs};
use model::{RunStatus, RunTrigger};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::audit::{self, AuditContext};
use super::runs::{ClaimHere, RunDraft, RunOrigin};
use crate::error::{AppError, AppResult};

/// The most submits one transaction takes.
const BATCH: usize = 64;

/// One submit: who, which dataflow, with what, and whether this node runs it at once.
pub struct Submit {
    pub ctx: AuditContext,
    pub name: String,
    pub parameters: BTreeMap<String, Value>,
    pub trigger: RunTrigger,
    /// The caller's `Idempotency-Key`: such a submit is written on its own, since the key's
    /// conflict check needs a statement of its own.
    pub key: Option<String>,
    /// This node holds a free slot for the run: claim it as it is inserted.
    pub claim: bool,
}

/// This node, as [`ClaimHere`] needs it.
pub struct Here {
    pub node: String,
    pub modules: Vec<String>,
    pub lease: chrono::TimeDelta,
}

impl Here {
    fn claim(&self, submit: &Submit) -> Option<ClaimHere<'_>> {
        submit.claim.then_some(ClaimHere { node: &self.node, modules: &self.modules, lease: self.lease })
    }
}

struct Pending {
    submit: Submit,
    done: oneshot::Sender<AppResult<runs::Model>>,
}

/// The handle submits go through; cheap to clone.
#[derive(Clone)]
pub struct SubmitWriter {
    sender: mpsc::UnboundedSender<Pending>,
    here: std::sync::Arc<Here>,
}

impl SubmitWriter {
    /// Start the writer; it stops when the last handle is dropped. Needs a Tokio runtime.
    pub fn start(db: DatabaseConnection, here: Here) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        let here = std::sync::Arc::new(here);
        tokio::spawn(write_batches(db, here.clone(), receiver));
        Self { sender, here }
    }

    /// Insert the run `submit` asks for and wait until it is committed; `bool` says whether
    /// this call created it (not when its idempotency key names an earlier run).
    pub async fn submit(&self, db: &DatabaseConnection, submit: Submit) -> AppResult<(runs::Model, bool)> {
        if submit.key.is_some() {
            return write_one(db, &self.here, &submit).await;
        }
        let (done, wait) = oneshot::channel();
        match self.sender.send(Pending { submit, done }) {
            Ok(()) => wait
                .await
                .map(|written| written.map(|row| (row, true)))
                .unwrap_or_else(|_| Err(AppError::internal(anyhow::anyhow!("the submit writer stopped")))),
            Err(mpsc::error::SendError(pending)) => write_one(db, &self.here, &pending.submit).await,
        }
    }
}

async fn write_batches(
    db: DatabaseConnection,
    here: std::sync::Arc<Here>,
    mut receiver: mpsc::UnboundedReceiver<Pending>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        let (submits, acks): (Vec<Submit>, Vec<_>) = batch.drain(..).map(|p| (p.submit, p.done)).unzip();
        match write(&db, &here, &submits).await {
            Ok(results) => acks.into_iter().zip(results).for_each(|(ack, result)| drop(ack.send(result))),
            Err(err) => {
                tracing::debug!(error = %err.message, "a batch of submits failed; writing them one by one");
                for (submit, ack) in submits.iter().zip(acks) {
                    let _ = ack.send(write_one(&db, &here, submit).await.map(|(row, _)| row));
                }
            }
        }
    }
}

/// Write `submits` in one transaction. The outer error fails the batch (nothing was
/// written); an inner one is that submit's own answer (its dataflow is missing, say).
async fn write(
    db: &DatabaseConnection,
    here: &Here,
    submits: &[Submit],
) -> AppResult<Vec<AppResult<runs::Model>>> {
    let txn = crate::store::begin_write(db).await?;
    let mut names: Vec<&str> = submits.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let found = dataflows::Entity::find().filter(dataflows::Column::Name.is_in(names)).all(&txn).await?;
    let mut results = Vec::with_capacity(submits.len());
    for submit in submits {
        let dataflow = found.iter().find(|d| d.name == submit.name);
        let claim = here.claim(submit);
        results.push(super::runs::new_row(&txn, dataflow, draft(submit, claim.as_ref())).await);
    }
    let rows: Vec<&runs::Model> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    if !rows.is_empty() {
        runs::Entity::insert_many(rows.iter().map(|row| runs::ActiveModel::from((*row).clone())))
            .exec_without_returning(&txn)
            .await?;
        let started = submits.iter().zip(&results).filter_map(|(submit, result)| {
            result.as_ref().ok().map(|row| super::runs::started_entry(&submit.ctx, row))
        });
        audit::record_many(&txn, started).await?;
        if rows.iter().any(|row| row.status == RunStatus::Queued.as_str()) {
            crate::cluster::notify::runs_queued(&txn).await?;
        }
    }
    txn.commit().await?;
    Ok(results)
}

/// Write one submit in a transaction of its own.
async fn write_one(db: &DatabaseConnection, here: &Here, submit: &Submit) -> AppResult<(runs::Model, bool)> {
    let txn = crate::store::begin_write(db).await?;
    let request = model::SubmitRun { parameters: submit.parameters.clone(), trigger: Some(submit.trigger) };
    let claim = here.claim(submit);
    let key = submit.key.as_deref();
    let written = super::runs::submit(&txn, &submit.ctx, &submit.name, request, key, claim.as_ref()).await?;
    txn.commit().await?;
    Ok(written)
}

fn draft<'a>(submit: &'a Submit, here: Option<&'a ClaimHere<'a>>) -> RunDraft<'a> {
    RunDraft {
        ctx: &submit.ctx,
        name: &submit.name,
        parameters: submit.parameters.clone(),
        trigger: submit.trigger,
        origin: RunOrigin::default(),
        key: None,
        here,
    }
}
