//! Executing one claimed run: compile the version, run its sinks, and every half second write
//! the metrics and new log lines, renew the lease and check whether someone asked to cancel.
//! The end (state, metrics, the last log lines) is written in one transaction.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use engine::{EngineError, Fault, Inputs, Progress, Purpose};
use entities::runs;
use model::{DataflowDocument, DataflowKind, RunError, RunPolicy, RunStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::sync::CancellationToken;

use super::DbSubflows;
use super::claim::lease;
use super::ends::End;
use super::log::RunLog;
use crate::service::runs::{log, parameters_of};
use crate::state::AppState;

const PROGRESS_INTERVAL: Duration = Duration::from_millis(500);

/// Why a run stopped before its end.
#[derive(Default)]
struct Stops {
    /// Someone asked to cancel it, or the node is stopping.
    cancel: CancellationToken,
    /// It ran past its policy's time limit.
    timed_out: CancellationToken,
}

/// Execute `run`; `slot` is the worker slot it holds. A process flow gives its slot back at
/// once: it only waits for its steps, which need slots of their own.
pub async fn execute(
    state: &AppState,
    run: runs::Model,
    node_stopping: CancellationToken,
    slot: OwnedSemaphorePermit,
) {
    let stops = Stops { cancel: node_stopping.child_token(), timed_out: CancellationToken::new() };
    state.runner.register(&run.id, stops.cancel.clone());
    let began = Utc::now();
    let log = RunLog::new(&run.id);
    log.line(
        "info",
        format!("started on node {} (attempt {} of {})", state.node_name, run.attempt, run.max_attempts),
    );
    let (outcome, policy) =
        match crate::service::dataflows::document(&state.db, &run.dataflow_id, run.version).await {
            Ok(document) if document.kind == DataflowKind::Process => {
                drop(slot);
                // A process flow logs as it goes; its first line comes first.
                if let Err(err) = log.flush(&state.db).await {
                    tracing::warn!(run = %run.id, error = %err, "writing a run log line failed");
                }
                let outcome = super::process::run_process(state, &run, &document, &stops.cancel)
                    .await
                    .map_err(|(stage, message, metrics)| {
                        (EngineError::user(stage.as_deref().unwrap_or(""), message), metrics)
                    });
                (outcome, RunPolicy { max_attempts: 1, ..document.run_policy })
            }
            Ok(document) => {
                let outcome = run_to_end(state, &run, &document, &stops, &log).await;
                drop(slot);
                (outcome, document.run_policy)
            }
            Err(e) => {
                let message = format!("loading version {}: {}", run.version, e.message);
                (Err((EngineError::external(None, message), vec![])), RunPolicy::default())
            }
        };
    state.runner.unregister(&run.id);
    finish(state, &run, outcome, &stops, &policy, &log, began).await;
}

/// Whether someone asked (on any node) to cancel the run.
pub(super) async fn cancel_requested(state: &AppState, run_id: &str) -> bool {
    let row = runs::Entity::find_by_id(run_id.to_owned()).one(&state.db).await;
    row.ok().flatten().is_some_and(|r| r.cancel_requested)
}

/// Add a line to the run's log; a failure to write it is logged, never fatal to the run.
pub(super) async fn note(state: &AppState, run_id: &str, level: &str, message: String) {
    if let Err(err) = log(&state.db, run_id, level, message).await {
        tracing::warn!(run = run_id, error = %err, "writing a run log line failed");
    }
}

type Outcome = Result<Vec<model::StageMetrics>, (EngineError, Vec<model::StageMetrics>)>;

async fn run_to_end(
    state: &AppState,
    run: &runs::Model,
    document: &DataflowDocument,
    stops: &Stops,
    log: &RunLog,
) -> Outcome {
    let compiled = engine::compile(
        &state.engine,
        document,
        &parameters_of(run),
        Inputs::new(),
        &DbSubflows(&state.db),
        Purpose::Run,
    )
    .await
    .map_err(|e| (e, vec![]))?;
    if let Some(problem) = compiled.problems.first() {
        return Err((problem.clone(), vec![]));
    }
    log.line("info", format!("compiled {} stages, {} sink(s)", document.stages.len(), compiled.sinks.len()));
    // Unfinished files of this run are staged under its id; a retry after a crash first removes
    // what the killed attempt left (a first attempt has none: sparing the lookup matters when
    // many short runs go through).
    let staging_dir = super::reclaim::staging_dir(state);
    if run.attempt > 1 {
        engine::Staging { dir: &staging_dir, owner: &run.id }.clear();
    }
    let progress_view = compiled.progress();
    let sinks: Vec<(String, std::path::PathBuf)> =
        compiled.sinks.iter().map(|s| (s.stage.clone(), s.path.clone())).collect();
    // The plan runs on the engine's own threads, so this runtime stays free to renew the lease
    // and answer requests however hard the engine works.
    let (engine_token, run_id) = (stops.cancel.clone(), run.id.clone());
    let mut engine_task = state.cpu.spawn(async move {
        let staging = engine::Staging { dir: &staging_dir, owner: &run_id };
        engine::execute_staged(&compiled, &engine_token, Some(staging)).await
    });
    let joined = tokio::select! {
        joined = &mut engine_task => joined,
        () = progress(state, run, &progress_view, stops, document.run_policy.timeout_seconds, log) => engine_task.await,
    };
    let result =
        joined.unwrap_or_else(|e| Err(EngineError::engine(format!("the engine task ended abnormally: {e}"))));
    match result {
        Ok(metrics) => {
            for (stage, path) in &sinks {
                let written =
                    metrics.stages.iter().find(|s| &s.stage == stage).and_then(|s| s.rows_out.get("written"));
                let message = format!(
                    "stage {stage:?} wrote {} record(s) to {}",
                    written.copied().unwrap_or(0),
                    path.display()
                );
                log.line("info", message);
            }
            Ok(metrics.stages)
        }
        Err(err) => Err((err, engine::snapshot(&progress_view, &BTreeMap::new()).stages)),
    }
}

/// Runs until the run is asked to stop or times out (then cancels the run and returns) — or
/// forever, while the engine works; the caller's `select!` drops it when the engine is done.
async fn progress(
    state: &AppState,
    run: &runs::Model,
    compiled: &Progress,
    stops: &Stops,
    timeout: Option<u64>,
    log: &RunLog,
) {
    let deadline = timeout.map(|s| tokio::time::Instant::now() + Duration::from_secs(s));
    loop {
        tokio::time::sleep(PROGRESS_INTERVAL).await;
        let metrics = engine::snapshot(compiled, &BTreeMap::new()).stages;
        let update = runs::Entity::update_many()
            .col_expr(runs::Column::Metrics, Expr::value(serde_json::to_string(&metrics).unwrap_or_default()))
            .col_expr(runs::Column::LeaseUntil, Expr::value(Utc::now() + lease(state)))
            .filter(runs::Column::Id.eq(&run.id))
            .exec(&state.db)
            .await;
        if let Err(err) = update {
            tracing::warn!(run = %run.id, error = %err, "recording run progress failed");
        }
        if let Err(err) = log.flush(&state.db).await {
            tracing::warn!(run = %run.id, error = %err, "writing run log lines failed");
        }
        let asked = cancel_requested(state, &run.id).await;
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            stops.timed_out.cancel();
            stops.cancel.cancel();
            return;
        }
        if asked || stops.cancel.is_cancelled() {
            stops.cancel.cancel();
            return;
        }
    }
}

async fn finish(
    state: &AppState,
    run: &runs::Model,
    outcome: Outcome,
    stops: &Stops,
    policy: &RunPolicy,
    log: &RunLog,
    began: chrono::DateTime<Utc>,
) {
    let (status, metrics, error) = match outcome {
        Ok(metrics) => (RunStatus::Succeeded, metrics, None),
        Err((_, metrics)) if stops.timed_out.is_cancelled() => {
            let limit = policy.timeout_seconds.unwrap_or_default();
            let message = format!("the run took longer than its time limit of {limit} s and was stopped");
            (RunStatus::Failed, metrics, Some(EngineError::user("", message)))
        }
        Err((_, metrics)) if stops.cancel.is_cancelled() => (RunStatus::Cancelled, metrics, None),
        Err((err, metrics)) => (RunStatus::Failed, metrics, Some(err)),
    };
    let metrics = serde_json::to_string(&metrics).unwrap_or_default();
    // `began` is the moment execution began, a little after the claim the row recorded so far.
    let end = match &error {
        Some(err) if err.retryable && run.attempt < run.max_attempts => {
            // Back to the queue as the next attempt, claimable after the backoff; the failed
            // attempt's error stays visible until then.
            let wait = policy.backoff_before(u32::try_from(run.attempt + 1).unwrap_or(u32::MAX));
            log.line("warn", format!("attempt {} failed: {err}; retrying in {wait} s", run.attempt));
            let wait = chrono::TimeDelta::seconds(i64::try_from(wait).unwrap_or(i64::MAX / 2));
            End {
                status: RunStatus::Queued.as_str(),
                attempt: run.attempt + 1,
                node: None,
                finished_at: None,
                not_before: Some(Utc::now() + wait),
                ..end(run, began, metrics, Some(err), log)
            }
        }
        _ => {
            match &error {
                Some(err) => log.line("error", format!("failed: {err}")),
                None => log.line("info", status.as_str()),
            }
            End { status: status.as_str(), ..end(run, began, metrics, error.as_ref(), log) }
        }
    };
    if let Err(err) = state.runner.ends.record(&state.db, end).await {
        tracing::error!(run = %run.id, error = %err, "recording the end of a run failed");
    }
}

/// The run's end as it finishes now, with its last log lines (see [`super::ends`]).
fn end(
    run: &runs::Model,
    began: chrono::DateTime<Utc>,
    metrics: String,
    error: Option<&EngineError>,
    log: &RunLog,
) -> End {
    End {
        run_id: run.id.clone(),
        status: RunStatus::Succeeded.as_str(),
        attempt: run.attempt,
        node: run.node.clone(),
        started_at: began,
        finished_at: Some(Utc::now()),
        not_before: run.not_before,
        metrics,
        error: error.map(run_error_json),
        lines: log.take(),
    }
}

fn run_error_json(e: &EngineError) -> String {
    serde_json::to_string(&to_run_error(e)).unwrap_or_default()
}

fn to_run_error(e: &EngineError) -> RunError {
    RunError {
        message: e.message.clone(),
        stage: e.stage.clone().filter(|s| !s.is_empty()),
        path: e.path.clone(),
        fault: match e.fault {
            Fault::User => "user",
            Fault::External => "external",
            Fault::Engine => "engine",
        }
        .into(),
        retryable: e.retryable,
    }
}
