//! Recording the ends of runs together. Every run that ends hands its last log lines and its
//! final state to one writer, which writes what has arrived meanwhile in one transaction: when
//! many short runs end at once they share one commit (one flush of the database's log) instead
//! of each paying for its own.

use entities::{run_logs, runs};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use tokio::sync::{mpsc, oneshot};

/// The most run ends one transaction takes.
const BATCH: usize = 64;

/// What a run writes when it ends (or goes back to the queue for its next attempt).
pub struct End {
    pub update: sea_orm::UpdateMany<runs::Entity>,
    pub lines: Vec<run_logs::ActiveModel>,
}

struct Pending {
    end: End,
    written: oneshot::Sender<Result<(), DbErr>>,
}

/// The handle runs send their ends to; cheap to clone.
#[derive(Clone)]
pub struct EndWriter(mpsc::UnboundedSender<Pending>);

impl EndWriter {
    /// Start the writer; it stops when the last handle is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_ends(db, receiver));
        Self(sender)
    }

    /// Record `end` and wait until it is committed.
    pub async fn record(&self, db: &DatabaseConnection, end: End) -> Result<(), DbErr> {
        let (written, wait) = oneshot::channel();
        match self.0.send(Pending { end, written }) {
            Ok(()) => wait.await.unwrap_or_else(|_| Err(DbErr::Custom("the run end writer stopped".into()))),
            Err(mpsc::error::SendError(pending)) => write(db, std::slice::from_ref(&pending.end)).await,
        }
    }
}

async fn write_ends(db: DatabaseConnection, mut receiver: mpsc::UnboundedReceiver<Pending>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        let (ends, acks): (Vec<End>, Vec<_>) = batch.drain(..).map(|p| (p.end, p.written)).unzip();
        match write(&db, &ends).await {
            Ok(()) => acks.into_iter().for_each(|ack| drop(ack.send(Ok(())))),
            // One bad end must not fail the others: each on its own.
            Err(_) => {
                for (end, ack) in ends.iter().zip(acks) {
                    let _ = ack.send(write(&db, std::slice::from_ref(end)).await);
                }
            }
        }
    }
}

async fn write(db: &DatabaseConnection, ends: &[End]) -> Result<(), DbErr> {
    let txn = crate::store::begin_write(db).await?;
    let lines: Vec<run_logs::ActiveModel> = ends.iter().flat_map(|e| e.lines.iter().cloned()).collect();
    if !lines.is_empty() {
        run_logs::Entity::insert_many(lines).exec_without_returning(&txn).await?;
    }
    for end in ends {
        end.update.clone().exec(&txn).await?;
    }
    txn.commit().await
}
