//! A run's log lines, kept in memory and written together: at each progress tick while the run
//! works, and with its final state when it ends. A short run costs one write for all its lines
//! instead of one per line.

use std::sync::Mutex;

use chrono::Utc;
use entities::run_logs;
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

pub struct RunLog {
    run_id: String,
    pending: Mutex<Vec<run_logs::ActiveModel>>,
}

impl RunLog {
    pub fn new(run_id: &str) -> Self {
        Self { run_id: run_id.to_owned(), pending: Mutex::default() }
    }

    pub fn line(&self, level: &str, message: impl Into<String>) {
        let line = run_logs::ActiveModel {
            run_id: Set(self.run_id.clone()),
            at: Set(Utc::now()),
            level: Set(level.to_owned()),
            message: Set(message.into()),
            ..Default::default()
        };
        if let Ok(mut pending) = self.pending.lock() {
            pending.push(line);
        }
    }

    /// The lines added since the last flush, to be written by the caller.
    pub fn take(&self) -> Vec<run_logs::ActiveModel> {
        self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default()
    }

    /// Write the lines added since the last flush. Lines that fail to write are kept for the
    /// next flush.
    pub async fn flush(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let lines = self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
        if lines.is_empty() {
            return Ok(());
        }
        match run_logs::Entity::insert_many(lines.clone()).exec_without_returning(db).await {
            Ok(_) => Ok(()),
            Err(err) => {
                if let Ok(mut pending) = self.pending.lock() {
                    pending.splice(0..0, lines);
                }
                Err(err)
            }
        }
    }
}
