//! Recording the ends of runs together. Every run that ends hands its last log lines and its
//! final state to one writer, which writes what has arrived meanwhile in one transaction: when
//! many short runs end at once they share one commit (one flush of the database's log), one
//! insert of their log lines and one update of their rows, instead of each paying for its own.

use chrono::{DateTime, Utc};
use entities::run_logs;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, Statement, Value};
use tokio::sync::{mpsc, oneshot};

/// The most run ends one transaction takes.
const BATCH: usize = 64;

/// What a run writes when it ends (or goes back to the queue for its next attempt): every
/// column of its row that changes, and its last log lines. It is written only while the row is
/// still `running`, so a run that was requeued meanwhile is not overwritten.
pub struct End {
    pub run_id: String,
    pub status: &'static str,
    pub attempt: i32,
    pub node: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub not_before: Option<DateTime<Utc>>,
    pub metrics: String,
    pub error: Option<String>,
    pub lines: Vec<run_logs::ActiveModel>,
}

impl End {
    /// The row's new values, in the order of [`update`]'s `VALUES` columns.
    fn values(&self) -> [Value; 9] {
        [
            self.run_id.clone().into(),
            self.status.into(),
            self.attempt.into(),
            self.node.clone().into(),
            self.started_at.into(),
            self.finished_at.into(),
            self.not_before.into(),
            self.metrics.clone().into(),
            self.error.clone().into(),
        ]
    }
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
    if !ends.is_empty() {
        txn.execute_raw(update(db.get_database_backend(), ends)).await?;
    }
    txn.commit().await
}

/// One `UPDATE … FROM (VALUES …)` for all of `ends`. Both PostgreSQL and SQLite name the
/// columns of a `VALUES` list `column1`, `column2`, …
fn update(backend: DatabaseBackend, ends: &[End]) -> Statement {
    let mut values = Vec::with_capacity(ends.len() * 9);
    let mut rows = Vec::with_capacity(ends.len());
    for end in ends {
        let placeholders: Vec<String> = end
            .values()
            .into_iter()
            .map(|value| {
                values.push(value);
                match backend {
                    DatabaseBackend::Postgres => format!("${}", values.len()),
                    _ => "?".to_owned(),
                }
            })
            .collect();
        rows.push(format!("({})", placeholders.join(", ")));
    }
    let sql = format!(
        "UPDATE runs SET status = v.column2, attempt = v.column3, node = v.column4, \
         started_at = v.column5, finished_at = v.column6, not_before = v.column7, \
         metrics = v.column8, error = v.column9, lease_until = NULL \
         FROM (VALUES {}) AS v WHERE runs.id = v.column1 AND runs.status = '{}'",
        rows.join(", "),
        model::RunStatus::Running.as_str()
    );
    Statement::from_sql_and_values(backend, sql, values)
}
