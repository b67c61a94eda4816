//! `/runs` and `POST /dataflows/{name}/runs`: start a job, list runs, read, cancel, read logs.

use model::{Page, Run, RunLogLine, RunStatus, RunTrigger, SubmitRun};

use super::ApiResult;
use super::client::{fetch_json, get, post, send_json};
use crate::percent::encode_segment;

/// Which runs `GET /runs` returns; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// The exact dataflow name.
    pub dataflow: String,
    pub status: Option<RunStatus>,
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
    let request = SubmitRun { parameters: Default::default(), trigger: Some(RunTrigger::Manual) };
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
        let blank = RunFilter { dataflow: "  ".into(), status: None };
        assert!(run_query(&blank, None, None).is_empty());
    }

    #[test]
    fn every_filter_becomes_a_parameter() {
        let filter = RunFilter { dataflow: " orders ".into(), status: Some(RunStatus::Failed) };
        let query = run_query(&filter, Some("c1"), Some(20));
        let expected = [("dataflow", "orders"), ("status", "failed"), ("cursor", "c1"), ("limit", "20")];
        assert_eq!(query, expected.map(|(name, value)| (name, value.to_owned())));
    }
}
