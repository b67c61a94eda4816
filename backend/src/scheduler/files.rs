//! File triggers: every file in the schedule's directory whose name matches its pattern fires
//! one run, with the file's path (relative to the data directory) as parameter `trigger_file`.
//! A file fires once: its path is the fire key. A file is taken once it has not changed for a
//! moment, so a file still being written is not picked up half-way.

use std::time::{Duration, SystemTime};

use chrono::Utc;
use entities::{schedule_fires, schedules};
use model::RunTrigger;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::fire::fire;
use crate::error::{AppError, AppResult};
use crate::service::schedules::{When, checked};
use crate::state::AppState;

/// A file modified more recently than this may still be being written.
const SETTLE: Duration = Duration::from_secs(1);

pub async fn scan(state: &AppState, row: &schedules::Model) -> AppResult<()> {
    let When::File { directory, pattern } = checked(row)?.when else { return Ok(()) };
    let dir = state.config.data_dir.join(&directory);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(()) };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(meta) = entry.metadata() else { continue };
        let settled = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age >= SETTLE);
        if meta.is_file() && settled && pattern.matches(&name) {
            found.push(format!("{}/{name}", directory.trim_end_matches('/')));
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let keys: Vec<String> = found.iter().map(|f| format!("file:{f}")).collect();
    let seen: Vec<String> = schedule_fires::Entity::find()
        .select_only()
        .column(schedule_fires::Column::FireKey)
        .filter(schedule_fires::Column::ScheduleId.eq(&row.id))
        .filter(schedule_fires::Column::FireKey.is_in(keys.clone()))
        .into_tuple()
        .all(&state.db)
        .await
        .map_err(AppError::from)?;
    for (file, key) in found.iter().zip(&keys) {
        if !seen.contains(key) {
            fire(state, row, Utc::now(), key, RunTrigger::File, Some(file)).await?;
        }
    }
    Ok(())
}
