//! A run drawn over the canvas: the rows that crossed each edge so far and the state of each
//! stage, read from the run's per-stage metrics while it is polled.
//!
//! Metrics list every stage from the start with zero rows, so the state is inferred: a stage
//! is *running* once rows moved through it, *done* when it is a sink that reported what it
//! wrote or when everything it feeds is done, *failed* when the run's error names it, and
//! *waiting* otherwise. A succeeded run shows every stage done.

use std::collections::{BTreeMap, BTreeSet};

use model::{DataflowDocument, EdgeEnd, Run, RunStatus, StageMetrics};

use super::ports::{PortDirection, resolve_port};

/// The output port name sinks report their written rows under.
const WRITTEN: &str = "written";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageRunState {
    Waiting,
    Running,
    Done,
    Failed,
}

impl StageRunState {
    /// The CSS class suffix and `data-run-state` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }
}

fn metrics_by_stage(run: &Run) -> BTreeMap<&str, &StageMetrics> {
    run.metrics.iter().map(|m| (m.stage.as_str(), m)).collect()
}

fn is_active(metrics: &StageMetrics) -> bool {
    metrics.rows_in > 0 || metrics.elapsed_ms > 0 || metrics.rows_out.values().any(|rows| *rows > 0)
}

/// The state of every stage of `doc` during (or after) `run`.
pub fn stage_states(doc: &DataflowDocument, run: &Run) -> BTreeMap<String, StageRunState> {
    let all = |state| doc.stages.iter().map(|s| (s.id.clone(), state)).collect();
    match run.status {
        RunStatus::Queued => return all(StageRunState::Waiting),
        RunStatus::Succeeded => return all(StageRunState::Done),
        RunStatus::Running | RunStatus::Failed | RunStatus::Cancelled => {}
    }
    let metrics = metrics_by_stage(run);
    let mut consumers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in &doc.edges {
        let (from, to) = (EdgeEnd::parse(&edge.from).stage, EdgeEnd::parse(&edge.to).stage);
        consumers.entry(from).or_default().insert(to);
    }
    let mut done: BTreeSet<&str> =
        metrics.iter().filter(|(_, m)| m.rows_out.contains_key(WRITTEN)).map(|(stage, _)| *stage).collect();
    // A stage is finished once everything it feeds is: repeat until nothing more follows.
    loop {
        let newly: Vec<&str> = consumers
            .iter()
            .filter(|(stage, after)| !done.contains(*stage) && after.iter().all(|s| done.contains(s)))
            .map(|(stage, _)| *stage)
            .collect();
        if newly.is_empty() {
            break;
        }
        done.extend(newly);
    }
    let failed = match (run.status, &run.error) {
        (RunStatus::Failed, Some(error)) => error.stage.as_deref(),
        _ => None,
    };
    doc.stages
        .iter()
        .map(|stage| {
            let id = stage.id.as_str();
            let state = if Some(id) == failed {
                StageRunState::Failed
            } else if done.contains(id) {
                StageRunState::Done
            } else if run.status == RunStatus::Running && metrics.get(id).is_some_and(|m| is_active(m)) {
                StageRunState::Running
            } else {
                StageRunState::Waiting
            };
            (stage.id.clone(), state)
        })
        .collect()
}

/// The rows that left each edge's source port so far, by edge index; `None` where the run
/// reports nothing for that port (a stage the run's version does not have).
pub fn edge_counts(doc: &DataflowDocument, run: &Run) -> Vec<Option<u64>> {
    let metrics = metrics_by_stage(run);
    doc.edges
        .iter()
        .map(|edge| {
            let end = EdgeEnd::parse(&edge.from);
            let stage_type = doc.stages.iter().find(|s| s.id == end.stage)?.stage_type.as_str();
            let port = resolve_port(stage_type, end.port, PortDirection::Output)?;
            metrics.get(end.stage)?.rows_out.get(&port).copied()
        })
        .collect()
}

/// A row count as an edge label: `1,234,567`.
pub fn count_label(rows: u64) -> String {
    let digits = rows.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use model::{RunError, RunTrigger};
    use serde_json::json;

    use super::*;

    fn doc() -> DataflowDocument {
        serde_json::from_value(json!({
            "name": "d", "kind": "job",
            "stages": [
                {"id": "read", "type": "read_csv"},
                {"id": "big", "type": "filter"},
                {"id": "out", "type": "write_csv"},
                {"id": "bad", "type": "write_csv"}
            ],
            "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "out"},
                      {"from": "big.rejected", "to": "bad"}]
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn metrics(stage: &str, rows_in: u64, out: &[(&str, u64)]) -> StageMetrics {
        let rows_out: BTreeMap<String, u64> = out.iter().map(|(p, r)| ((*p).to_owned(), *r)).collect();
        StageMetrics { stage: stage.into(), rows_in, rows_out, elapsed_ms: 0 }
    }

    fn run(status: RunStatus, metrics: Vec<StageMetrics>) -> Run {
        Run {
            id: "r1".into(),
            dataflow: "d".into(),
            version: 1,
            status,
            trigger: RunTrigger::Manual,
            schedule_id: None,
            fire_time: None,
            parameters: BTreeMap::new(),
            node: None,
            attempt: 1,
            max_attempts: 1,
            parent_run_id: None,
            created_by: "admin".into(),
            created_at: String::new(),
            started_at: None,
            finished_at: None,
            metrics,
            error: None,
        }
    }

    fn state(states: &BTreeMap<String, StageRunState>, id: &str) -> &'static str {
        states.get(id).map_or("missing", |s| s.as_str())
    }

    #[test]
    fn edges_count_the_rows_of_their_source_port() {
        let live = run(
            RunStatus::Running,
            vec![
                metrics("read", 0, &[("out", 1200)]),
                metrics("big", 1200, &[("out", 700), ("rejected", 500)]),
                metrics("out", 700, &[]),
            ],
        );
        assert_eq!(edge_counts(&doc(), &live), vec![Some(1200), Some(700), Some(500)]);
        assert_eq!(edge_counts(&doc(), &run(RunStatus::Queued, vec![])), vec![None, None, None]);
    }

    #[test]
    fn states_follow_the_rows_while_running() {
        let live = run(
            RunStatus::Running,
            vec![
                metrics("read", 0, &[("out", 10)]),
                metrics("big", 10, &[("out", 5), ("rejected", 0)]),
                metrics("out", 0, &[("written", 5)]),
                metrics("bad", 0, &[]),
            ],
        );
        let states = stage_states(&doc(), &live);
        assert_eq!(state(&states, "out"), "done");
        assert_eq!(state(&states, "bad"), "waiting");
        // `big` still feeds `bad`, which has not finished, so neither has `big` nor `read`.
        assert_eq!(state(&states, "big"), "running");
        assert_eq!(state(&states, "read"), "running");
    }

    #[test]
    fn finished_sinks_finish_what_feeds_them() {
        let live = run(
            RunStatus::Running,
            vec![
                metrics("read", 0, &[("out", 10)]),
                metrics("big", 10, &[("out", 5), ("rejected", 5)]),
                metrics("out", 5, &[("written", 5)]),
                metrics("bad", 5, &[("written", 5)]),
            ],
        );
        let states = stage_states(&doc(), &live);
        assert!(states.values().all(|s| *s == StageRunState::Done), "{states:?}");
    }

    #[test]
    fn the_stage_named_by_the_error_failed() {
        let mut failed = run(RunStatus::Failed, vec![metrics("read", 0, &[("out", 10)])]);
        failed.error = Some(RunError {
            message: "no such file".into(),
            stage: Some("read".into()),
            path: None,
            fault: "user".into(),
            retryable: false,
        });
        let states = stage_states(&doc(), &failed);
        assert_eq!(state(&states, "read"), "failed");
        assert_eq!(state(&states, "big"), "waiting");
        let queued = stage_states(&doc(), &run(RunStatus::Queued, vec![]));
        assert!(queued.values().all(|s| *s == StageRunState::Waiting));
        let succeeded = stage_states(&doc(), &run(RunStatus::Succeeded, vec![]));
        assert!(succeeded.values().all(|s| *s == StageRunState::Done));
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count_label(0), "0");
        assert_eq!(count_label(999), "999");
        assert_eq!(count_label(1000), "1,000");
        assert_eq!(count_label(1234567), "1,234,567");
    }
}
