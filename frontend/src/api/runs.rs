//! `/runs` and `POST /dataflows/{name}/runs`: start a job, list runs, read, cancel, read logs.

use std::collections::BTreeMap;

use model::{Page, Run, RunLogLine, RunStatus, RunTrigger, SubmitRun};
use serde_json::Value;

use super::ApiResult;
use super::client::{fetch_json, get, post, send_json};
use crate::percent::encode_segment;

/// Which runs `GET /runs` returns; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// The exact dataflow name.
    pub dataflow: String,
    pub status: Option<RunStatus>,
    pub trigger: Option<RunTrigger>,
    /// RFC 3339; runs created at or after this instant.
    pub since: Option<String>,
    /// RFC 3339; runs created before this instant.
    pub until: Option<String>,
}

impl RunFilter {
    /// Whether this filter lets every run through.
    pub fn is_empty(&self) -> bool {
        run_query(self, None, None).is_empty()
    }
}

fn run_path(id: &str) -> String {
    format!("/runs/{}", encode_segment(id))
}

/// One page of runs, newest first, starting after `cursor`; `limit` runs at most (the server's
/// default when `None`).
pub async fn list_runs(
    filter: &RunFilter,
    cursor: Option<&str>,
    limit: Option<usize>,
) -> ApiResult<Page<Run>> {
    fetch_json(get("/runs").query(run_query(filter, cursor, limit))).await
}

/// The most runs one page of `GET /runs` holds.
const LARGEST_PAGE: usize = 200;

/// Runs created at or after `since` (RFC 3339), newest first, read a page at a time until there
/// are no more or `at_most` were read: enough for a summary without reading all history.
pub async fn list_runs_since(since: &str, at_most: usize) -> ApiResult<Vec<Run>> {
    let filter = RunFilter { since: Some(since.to_owned()), ..RunFilter::default() };
    let mut runs = Vec::new();
    let mut cursor = None::<String>;
    loop {
        let limit = LARGEST_PAGE.min(at_most.saturating_sub(runs.len()));
        let page = list_runs(&filter, cursor.as_deref(), Some(limit)).await?;
        runs.extend(page.items);
        // A cursor that does not move would loop for ever; the runs so far are the answer then.
        match page.next_cursor {
            Some(next) if runs.len() < at_most && cursor.as_ref() != Some(&next) => cursor = Some(next),
            _ => return Ok(runs),
        }
    }
}

pub async fn get_run(id: &str) -> ApiResult<Run> {
    fetch_json(get(&run_path(id))).await
}

/// A queued run stops at once, a running one soon; 409 `run_finished` when it had already ended.
pub async fn cancel_run(id: &str) -> ApiResult<Run> {
    fetch_json(post(&format!("{}/cancel", run_path(id)))).await
}

pub async fn run_logs(id: &str) -> ApiResult<Page<RunLogLine>> {
    fetch_json(get(&format!("{}/logs", run_path(id)))).await
}

/// Starts the exposed version of a job with default parameters, as a person in the console;
/// 409 `not_exposed` when no version is exposed.
pub async fn start_run(dataflow: &str) -> ApiResult<Run> {
    start_run_with(dataflow, BTreeMap::new()).await
}

/// Starts the exposed version of a job with `parameters` (the rest keep their defaults), as a
/// person in the console.
pub async fn start_run_with(dataflow: &str, parameters: BTreeMap<String, Value>) -> ApiResult<Run> {
    let request = SubmitRun { parameters, trigger: Some(RunTrigger::Manual) };
    send_json(post(&format!("/dataflows/{}/runs", encode_segment(dataflow))), &request).await
}

fn run_query(filter: &RunFilter, cursor: Option<&str>, limit: Option<usize>) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    let dataflow = filter.dataflow.trim();
    if !dataflow.is_empty() {
        query.push(("dataflow", dataflow.to_owned()));
    }
    if let Some(status) = filter.status {
        query.push(("status", status.as_str().to_owned()));
    }
    if let Some(trigger) = filter.trigger {
        query.push(("trigger", trigger.as_str().to_owned()));
    }
    let times = [("since", &filter.since), ("until", &filter.until)];
    for (name, time) in times {
        if let Some(time) = time.as_deref().map(str::trim).filter(|time| !time.is_empty()) {
            query.push((name, time.to_owned()));
        }
    }
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor.to_owned()));
    }
    if let Some(limit) = limit {
        query.push(("limit", limit.to_string()));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_sends_no_parameters() {
        assert!(run_query(&RunFilter::default(), None, None).is_empty());
        let blank = RunFilter { dataflow: "  ".into(), since: Some(" ".into()), ..RunFilter::default() };
        assert!(run_query(&blank, None, None).is_empty());
        assert!(blank.is_empty());
    }

    #[test]
    fn every_filter_becomes_a_parameter() {
        let filter = RunFilter {
            dataflow: " orders ".into(),
            status: Some(RunStatus::Failed),
            trigger: Some(RunTrigger::Schedule),
            since: Some("2025-06-01T12:30:00Z".into()),
            until: Some("2025-06-02T00:00:00Z".into()),
        };
        let query = run_query(&filter, Some("c1"), Some(20));
        let expected = [
            ("dataflow", "orders"),
            ("status", "failed"),
            ("trigger", "schedule"),
            ("since", "2025-06-01T12:30:00Z"),
            ("until", "2025-06-02T00:00:00Z"),
            ("cursor", "c1"),
            ("limit", "20"),
        ];
        assert_eq!(query, expected.map(|(name, value)| (name, value.to_owned())));
    }

    #[test]
    fn one_end_of_the_time_range_is_enough() {
        let filter = RunFilter { until: Some("2025-06-02T00:00:00Z".into()), ..RunFilter::default() };
        assert_eq!(run_query(&filter, None, None), [("until", "2025-06-02T00:00:00Z".to_owned())]);
        let api_runs = RunFilter { trigger: Some(RunTrigger::Api), ..RunFilter::default() };
        assert_eq!(
            run_query(&api_runs, None, Some(50)),
            [("trigger", "api".to_owned()), ("limit", "50".to_owned())]
        );
    }
}
