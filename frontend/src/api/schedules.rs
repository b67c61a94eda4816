//! `/schedules`: list, create, read, replace, delete; pause, resume, run now; the next fire
//! times of a saved schedule or of one being edited, and the fire log.

use model::{Page, Run, Schedule, ScheduleFire, SchedulePreview, ScheduleSpec};

use super::ApiResult;
use super::client::{delete, fetch_json, fetch_nothing, get, post, put, send_json};
use crate::percent::encode_segment;

/// The fire times a preview lists.
pub const PREVIEW_COUNT: usize = 10;
/// The fire log entries one read brings.
pub const FIRE_LOG_LIMIT: usize = 100;

fn schedule_path(id: &str) -> String {
    format!("/schedules/{}", encode_segment(id))
}

/// Every schedule (the API returns them in one page).
pub async fn list_schedules() -> ApiResult<Page<Schedule>> {
    fetch_json(get("/schedules")).await
}

pub async fn get_schedule(id: &str) -> ApiResult<Schedule> {
    fetch_json(get(&schedule_path(id))).await
}

/// 400 `invalid_request` with a detail per field; 404 `dataflow_not_found`.
pub async fn create_schedule(spec: &ScheduleSpec) -> ApiResult<Schedule> {
    send_json(post("/schedules"), spec).await
}

pub async fn update_schedule(id: &str, spec: &ScheduleSpec) -> ApiResult<Schedule> {
    send_json(put(&schedule_path(id)), spec).await
}

pub async fn delete_schedule(id: &str) -> ApiResult<()> {
    fetch_nothing(delete(&schedule_path(id))).await
}

pub async fn pause_schedule(id: &str) -> ApiResult<Schedule> {
    fetch_json(post(&format!("{}/pause", schedule_path(id)))).await
}

pub async fn resume_schedule(id: &str) -> ApiResult<Schedule> {
    fetch_json(post(&format!("{}/resume", schedule_path(id)))).await
}

/// "Run now": a run of the schedule's dataflow with its parameters, outside its fire times.
pub async fn trigger_schedule(id: &str) -> ApiResult<Run> {
    fetch_json(post(&format!("{}/trigger", schedule_path(id)))).await
}

/// The next fire times of a saved schedule.
pub async fn schedule_preview(id: &str) -> ApiResult<SchedulePreview> {
    let count = PREVIEW_COUNT.to_string();
    fetch_json(get(&format!("{}/preview", schedule_path(id))).query([("count", count.as_str())])).await
}

/// The next fire times of a spec not saved yet; 400 with a detail per field when it is wrong.
pub async fn preview_spec(spec: &ScheduleSpec) -> ApiResult<SchedulePreview> {
    let count = PREVIEW_COUNT.to_string();
    send_json(post("/schedules/preview").query([("count", count.as_str())]), spec).await
}

/// The fire log, newest first; only the skipped fire times when `skipped_only`.
pub async fn schedule_fires(id: &str, skipped_only: bool) -> ApiResult<Page<ScheduleFire>> {
    fetch_json(get(&format!("{}/fires", schedule_path(id))).query(fires_query(skipped_only))).await
}

fn fires_query(skipped_only: bool) -> Vec<(&'static str, String)> {
    let mut query = vec![("limit", FIRE_LOG_LIMIT.to_string())];
    if skipped_only {
        query.push(("outcome", "skipped".to_owned()));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_encoded_into_the_path() {
        assert_eq!(schedule_path("a b/c"), "/schedules/a%20b%2Fc");
    }

    #[test]
    fn the_fire_log_filters_skipped_fires_on_request() {
        assert_eq!(fires_query(false), [("limit", "100".to_owned())]);
        assert_eq!(fires_query(true), [("limit", "100".to_owned()), ("outcome", "skipped".to_owned())]);
    }
}
