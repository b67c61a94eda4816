//! Process flows: each `run_job` step runs an exposed job as a child run (on any node), and
//! the step's `success`, `failure` and `always` edges decide which steps follow. A step with
//! several incoming edges starts once all its predecessors are settled and at least one of
//! those edges was taken; when none was, it is skipped, and so are the steps that only it leads
//! to. The process fails when a step failed and nothing handles its failure.
//!
//! Children are submitted with an idempotency key per (process run, step), so a process run
//! taken over by another node after a crash follows the children it had started instead of
//! starting them again.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::Utc;
use entities::runs;
use model::{DataflowDocument, EdgeEnd, RunStatus, RunTrigger, StageMetrics};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::claim::lease;
use super::execute::cancel_requested;
use crate::service::audit::AuditContext;
use crate::service::runs::{RunOrigin, parameters_of, submit_from};
use crate::state::AppState;

const POLL: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Pending,
    Running { run_id: String, since: Instant },
    Done { succeeded: bool, elapsed: Duration },
    Skipped,
}

/// One edge into a step: the step it comes from and the outcome port it leaves by.
struct Incoming {
    from: String,
    port: String,
}

fn taken(port: &str, succeeded: bool) -> bool {
    match port {
        "always" => true,
        "failure" => !succeeded,
        _ => succeeded,
    }
}

struct Flow {
    steps: BTreeMap<String, Step>,
    incoming: HashMap<String, Vec<Incoming>>,
}

impl Flow {
    fn new(doc: &DataflowDocument) -> Self {
        let steps = doc
            .stages
            .iter()
            .filter(|s| s.stage_type == "run_job")
            .map(|s| (s.id.clone(), Step::Pending))
            .collect();
        let mut incoming: HashMap<String, Vec<Incoming>> = HashMap::new();
        for edge in &doc.edges {
            let (from, to) = (EdgeEnd::parse(&edge.from), EdgeEnd::parse(&edge.to));
            let port = from.port.unwrap_or("success").to_owned();
            incoming
                .entry(to.stage.to_owned())
                .or_default()
                .push(Incoming { from: from.stage.to_owned(), port });
        }
        Self { steps, incoming }
    }

    /// For a pending step: `Some(true)` start it, `Some(false)` skip it, `None` wait.
    fn decide(&self, step: &str) -> Option<bool> {
        let Some(edges) = self.incoming.get(step).filter(|e| !e.is_empty()) else { return Some(true) };
        let mut any_taken = false;
        for edge in edges {
            match self.steps.get(&edge.from) {
                Some(Step::Done { succeeded, .. }) => any_taken |= taken(&edge.port, *succeeded),
                Some(Step::Skipped) | None => {}
                Some(Step::Pending | Step::Running { .. }) => return None,
            }
        }
        Some(any_taken)
    }

    /// A failed step nobody handles: no `failure` or `always` edge leaves it.
    fn unhandled_failure(&self) -> Option<String> {
        self.steps.iter().find_map(|(id, step)| {
            let failed = matches!(step, Step::Done { succeeded: false, .. });
            let handled = self.incoming.values().flatten().any(|e| &e.from == id && e.port != "success");
            (failed && !handled).then(|| id.clone())
        })
    }

    fn settled(&self) -> bool {
        self.steps.values().all(|s| matches!(s, Step::Done { .. } | Step::Skipped))
    }

    fn metrics(&self) -> Vec<StageMetrics> {
        self.steps
            .iter()
            .map(|(id, step)| {
                let (runs, elapsed) = match step {
                    Step::Pending | Step::Skipped => (0, Duration::ZERO),
                    Step::Running { since, .. } => (1, since.elapsed()),
                    Step::Done { elapsed, .. } => (1, *elapsed),
                };
                let outcome = match step {
                    Step::Done { succeeded: true, .. } => "success",
                    Step::Done { succeeded: false, .. } => "failure",
                    _ => "always",
                };
                StageMetrics {
                    stage: id.clone(),
                    rows_in: runs,
                    rows_out: BTreeMap::from([(
                        outcome.to_owned(),
                        u64::from(matches!(step, Step::Done { .. })),
                    )]),
                    elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
                }
            })
            .collect()
    }
}

/// How a process run ended: `Ok` or the message and the step at fault.
pub type ProcessOutcome = Result<Vec<StageMetrics>, (Option<String>, String, Vec<StageMetrics>)>;

pub async fn run_process(
    state: &AppState,
    run: &runs::Model,
    doc: &DataflowDocument,
    cancel: &CancellationToken,
) -> ProcessOutcome {
    let params = engine::params::resolve(doc, &parameters_of(run)).map_err(|e| (None, e.message, vec![]))?;
    let ctx = AuditContext::system(state, &run.created_by);
    let mut flow = Flow::new(doc);
    loop {
        if let Err(message) = advance(state, run, doc, &params, &ctx, &mut flow).await {
            return Err((None, message, flow.metrics()));
        }
        if flow.settled() {
            return match flow.unhandled_failure() {
                Some(step) => {
                    let message = format!("step {step:?} failed and no failure or always edge leaves it");
                    Err((Some(step), message, flow.metrics()))
                }
                None => Ok(flow.metrics()),
            };
        }
        heartbeat(state, run, &flow).await;
        if cancel_requested(state, &run.id).await || cancel.is_cancelled() {
            cancel.cancel();
            return Err((None, "cancelled".into(), flow.metrics()));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Start the steps whose turn it is and collect the children that ended.
async fn advance(
    state: &AppState,
    run: &runs::Model,
    doc: &DataflowDocument,
    params: &BTreeMap<String, Value>,
    ctx: &AuditContext,
    flow: &mut Flow,
) -> Result<(), String> {
    let ids: Vec<String> = flow.steps.keys().cloned().collect();
    for id in ids {
        match flow.steps.get(&id).cloned() {
            Some(Step::Pending) => match flow.decide(&id) {
                Some(true) => {
                    let child = start_step(state, run, doc, params, ctx, &id).await?;
                    flow.steps.insert(id, Step::Running { run_id: child, since: Instant::now() });
                }
                Some(false) => {
                    note(state, &run.id, format!("step {id:?} skipped: no edge into it was taken")).await;
                    flow.steps.insert(id, Step::Skipped);
                }
                None => {}
            },
            Some(Step::Running { run_id, since }) => {
                let child = runs::Entity::find_by_id(run_id.clone())
                    .one(&state.db)
                    .await
                    .map_err(|e| e.to_string())?;
                let status = child.and_then(|c| RunStatus::parse(&c.status));
                if let Some(status) = status.filter(|s| s.is_final()) {
                    let succeeded = status == RunStatus::Succeeded;
                    note(state, &run.id, format!("step {id:?} ended: run {run_id} {}", status.as_str()))
                        .await;
                    flow.steps.insert(id, Step::Done { succeeded, elapsed: since.elapsed() });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

async fn start_step(
    state: &AppState,
    run: &runs::Model,
    doc: &DataflowDocument,
    params: &BTreeMap<String, Value>,
    ctx: &AuditContext,
    id: &str,
) -> Result<String, String> {
    let stage = doc.stages.iter().find(|s| s.id == id).ok_or_else(|| format!("step {id:?} is missing"))?;
    let options = engine::params::substitute(id, &Value::Object(stage.options.clone()), params)
        .map_err(|e| format!("step {id:?}: {}", e.message))?;
    let job = options.get("dataflow").and_then(Value::as_str).unwrap_or_default().to_owned();
    let parameters: BTreeMap<String, Value> = options
        .get("parameters")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let origin = RunOrigin { parent_run_id: Some(run.id.clone()), ..RunOrigin::default() };
    let key = format!("process:{}:{id}", run.id);
    let (child, created) =
        submit_from(&state.db, ctx, &job, parameters, RunTrigger::Process, origin, Some(&key))
            .await
            .map_err(|e| format!("step {id:?} could not start job {job:?}: {}", e.message))?;
    if created {
        state.runner.wake();
        note(state, &run.id, format!("step {id:?} started run {} of {job:?}", child.id)).await;
    }
    Ok(child.id)
}

async fn heartbeat(state: &AppState, run: &runs::Model, flow: &Flow) {
    let result = runs::Entity::update_many()
        .col_expr(
            runs::Column::Metrics,
            Expr::value(serde_json::to_string(&flow.metrics()).unwrap_or_default()),
        )
        .col_expr(runs::Column::LeaseUntil, Expr::value(Utc::now() + lease(state)))
        .filter(runs::Column::Id.eq(&run.id))
        .exec(&state.db)
        .await;
    if let Err(err) = result {
        tracing::warn!(run = %run.id, error = %err, "recording process progress failed");
    }
}

async fn note(state: &AppState, run_id: &str, message: String) {
    super::execute::note(state, run_id, "info", message).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(edges: &[(&str, &str)]) -> Flow {
        let mut stages: Vec<String> =
            edges.iter().flat_map(|(a, b)| [a, b]).map(|s| s.split('.').next().unwrap().to_owned()).collect();
        stages.sort();
        stages.dedup();
        let doc: DataflowDocument = serde_json::from_value(serde_json::json!({
            "name": "p", "kind": "process",
            "stages": stages.iter().map(|s| serde_json::json!({"id": s, "type": "run_job", "options": {"dataflow": "j"}})).collect::<Vec<_>>(),
            "edges": edges.iter().map(|(a, b)| serde_json::json!({"from": a, "to": b})).collect::<Vec<_>>(),
        }))
        .unwrap();
        Flow::new(&doc)
    }

    fn done(flow: &mut Flow, step: &str, succeeded: bool) {
        flow.steps.insert(step.into(), Step::Done { succeeded, elapsed: Duration::ZERO });
    }

    #[test]
    fn steps_follow_the_edge_of_their_predecessors_outcome() {
        let mut f =
            flow(&[("a", "ok"), ("a.failure", "cleanup"), ("ok.always", "end"), ("cleanup.always", "end")]);
        assert_eq!(f.decide("a"), Some(true));
        assert_eq!(f.decide("ok"), None, "waits for a");
        done(&mut f, "a", false);
        assert_eq!(f.decide("ok"), Some(false));
        assert_eq!(f.decide("cleanup"), Some(true));
        f.steps.insert("ok".into(), Step::Skipped);
        assert_eq!(f.decide("end"), None, "waits for cleanup");
        done(&mut f, "cleanup", true);
        assert_eq!(f.decide("end"), Some(true));
        done(&mut f, "end", true);
        assert!(f.settled());
        assert_eq!(f.unhandled_failure(), None, "a's failure edge handles it");
    }

    #[test]
    fn an_unhandled_failure_fails_the_process() {
        let mut f = flow(&[("a", "b")]);
        done(&mut f, "a", false);
        assert_eq!(f.decide("b"), Some(false));
        f.steps.insert("b".into(), Step::Skipped);
        assert!(f.settled());
        assert_eq!(f.unhandled_failure(), Some("a".into()));
    }

    #[test]
    fn parallel_steps_start_together_and_a_join_waits_for_both() {
        let mut f = flow(&[("start", "left"), ("start", "right"), ("left", "join"), ("right", "join")]);
        done(&mut f, "start", true);
        assert_eq!((f.decide("left"), f.decide("right")), (Some(true), Some(true)));
        done(&mut f, "left", true);
        assert_eq!(f.decide("join"), None);
        done(&mut f, "right", true);
        assert_eq!(f.decide("join"), Some(true));
    }
}
