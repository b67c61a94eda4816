//! Schedules (DESIGN §6, §7): when an exposed job or process flow runs by itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// What a missed fire time (no scheduler was running then) turns into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MisfirePolicy {
    /// None of them runs.
    Skip,
    /// The latest one runs, once.
    #[default]
    Last,
    /// Each runs, up to the node's `schedule_max_catchup`.
    All,
}

/// What a fire time does while the schedule's previous run is still queued or running.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverlapPolicy {
    /// Runs side by side.
    Allow,
    /// Does not run (recorded as skipped).
    #[default]
    Skip,
    /// Waits for the previous run to end, then runs.
    Queue,
}

/// Fire when a file whose name matches `pattern` (a glob) appears in `directory` (under the
/// data directory). Each file fires once, with its path as parameter `trigger_file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileTrigger {
    pub directory: String,
    pub pattern: String,
}

fn utc() -> String {
    "UTC".into()
}

fn yes() -> bool {
    true
}

/// What a client sends to create or replace a schedule: exactly one of `cron`, `at`, `file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    pub name: String,
    /// An exposed job or process flow.
    pub dataflow: String,
    /// `second minute hour day month weekday` (five fields: second 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Once, at this RFC 3339 date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTrigger>,
    /// IANA time zone the cron expression is read in.
    #[serde(default = "utc")]
    pub timezone: String,
    #[serde(default)]
    pub parameters: BTreeMap<String, Value>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// RFC 3339; no fire time before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
    /// RFC 3339; no fire time after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_at: Option<String>,
    #[serde(default)]
    pub misfire: MisfirePolicy,
    #[serde(default)]
    pub overlap: OverlapPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Schedule {
    pub id: String,
    #[serde(flatten)]
    pub spec: ScheduleSpec,
    /// RFC 3339, UTC; none for a file trigger, a past `at`, a paused schedule or one past
    /// its end.
    pub next_fire_time: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One fire time of a schedule and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScheduleFire {
    pub fire_time: String,
    /// `fired`, `skipped` or `waiting` (for the previous run, overlap policy `queue`).
    pub outcome: String,
    pub reason: Option<String>,
    pub run_id: Option<String>,
    /// For a file trigger: the file, relative to the data directory.
    pub file: Option<String>,
    pub node: String,
}

/// The next fire times of a schedule, in UTC and in its time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SchedulePreview {
    pub timezone: String,
    pub fire_times: Vec<PreviewTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreviewTime {
    /// RFC 3339 in UTC.
    pub utc: String,
    /// RFC 3339 with the zone's offset at that instant.
    pub local: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_round_trips_with_its_spec_flattened() {
        let json = serde_json::json!({
            "id": "s1", "name": "nightly", "dataflow": "orders", "cron": "0 0 2 * * *",
            "timezone": "Europe/Paris", "parameters": {}, "enabled": true, "misfire": "last",
            "overlap": "skip", "next_fire_time": null, "created_by": "admin",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
        });
        let schedule: Schedule = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(schedule.spec.cron.as_deref(), Some("0 0 2 * * *"));
        assert_eq!(serde_json::to_value(&schedule).unwrap(), json);
    }

    #[test]
    fn a_spec_refuses_unknown_fields_and_defaults_the_rest() {
        let spec: ScheduleSpec =
            serde_json::from_value(serde_json::json!({"name": "n", "dataflow": "d", "cron": "* * * * *"}))
                .unwrap();
        assert_eq!((spec.timezone.as_str(), spec.enabled), ("UTC", true));
        assert_eq!((spec.misfire, spec.overlap), (MisfirePolicy::Last, OverlapPolicy::Skip));
        let unknown = serde_json::json!({"name": "n", "dataflow": "d", "crontab": "* * * * *"});
        assert!(serde_json::from_value::<ScheduleSpec>(unknown).is_err());
    }
}
