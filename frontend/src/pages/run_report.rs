//! What the run page shows about a run: heading and facts, the error of a failed run, the
//! parameters and what each stage did.

use std::collections::BTreeMap;

use leptos::prelude::*;
use model::{Run, RunError, StageMetrics};

use crate::components::{RunStatusBadge, Timestamp, optional_time};
use crate::format::{run_duration, sentence};
use crate::route::Route;

/// The heading with the status, the facts, and why the run failed if it did.
#[component]
pub fn RunHeader(run: Run) -> impl IntoView {
    let duration = run_duration(&run);
    let dataflow_href = Route::Dataflow(run.dataflow.clone()).path();
    let node = run.node.unwrap_or_else(|| "Not claimed yet".into());
    view! {
        <div class="page-header">
            <h1 id="run-dataflow">{run.dataflow.clone()}</h1>
            <RunStatusBadge status=run.status id="run-status" />
        </div>
        <p class="muted">"Run " <code id="run-id">{run.id}</code></p>
        <dl class="facts">
            <div>
                <dt>"Dataflow version"</dt>
                <dd id="run-version">
                    <a href=dataflow_href>{run.dataflow} " v" {run.version}</a>
                </dd>
            </div>
            <div>
                <dt>"Trigger"</dt>
                <dd id="run-trigger">{run.trigger.as_str()}</dd>
            </div>
            {run
                .fire_time
                .map(|fire_time| {
                    view! {
                        <div>
                            <dt>"Fire time"</dt>
                            <dd id="run-fire-time">
                                <Timestamp value=fire_time />
                            </dd>
                        </div>
                    }
                })}
            <div>
                <dt>"Node"</dt>
                <dd id="run-node">{node}</dd>
            </div>
            <div>
                <dt>"Attempt"</dt>
                <dd id="run-attempt">{run.attempt}</dd>
            </div>
            <div>
                <dt>"Created"</dt>
                <dd>{run.created_by} ", " <Timestamp value=run.created_at /></dd>
            </div>
            <div>
                <dt>"Started"</dt>
                <dd id="run-started">{optional_time(run.started_at, "Not yet")}</dd>
            </div>
            <div>
                <dt>"Finished"</dt>
                <dd id="run-finished">{optional_time(run.finished_at, "Not yet")}</dd>
            </div>
            <div>
                <dt>"Duration"</dt>
                <dd id="run-duration">{duration}</dd>
            </div>
        </dl>
        {run.error.map(|error| view! { <RunErrorBox error /> })}
    }
}

#[component]
fn RunErrorBox(error: RunError) -> impl IntoView {
    let place = error_place(&error);
    let advice = fault_advice(&error.fault, error.retryable);
    view! {
        <div class="error run-error" role="alert" id="run-error">
            <p>
                {place.map(|place| view! { <strong>{place} ": "</strong> })}
                <span id="run-error-message">{sentence(&error.message)}</span>
            </p>
            <p class="advice">{advice}</p>
        </div>
    }
}

/// The parameters the run was given and what each stage did.
#[component]
pub fn RunReport(run: Run) -> impl IntoView {
    let parameters = if run.parameters.is_empty() {
        "No parameters.".to_owned()
    } else {
        serde_json::to_string_pretty(&run.parameters)
            .unwrap_or_else(|error| format!("The parameters cannot be shown: {error}"))
    };
    let metrics = if run.metrics.is_empty() {
        view! { <p class="muted" id="run-metrics-empty">"No stage has reported yet."</p> }.into_any()
    } else {
        view! { <MetricsTable metrics=run.metrics /> }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="run-metrics-heading">
            <h2 id="run-metrics-heading">"Stages"</h2>
            {metrics}
        </section>
        <section class="panel" aria-labelledby="run-parameters-heading">
            <h2 id="run-parameters-heading">"Parameters"</h2>
            <pre id="run-parameters" class="document">{parameters}</pre>
        </section>
    }
}

#[component]
fn MetricsTable(metrics: Vec<StageMetrics>) -> impl IntoView {
    let rows = metrics.into_iter().map(|stage| {
        let key = stage.stage.clone();
        let ports = port_counts(&stage.rows_out).into_iter().map(|line| view! { <li>{line}</li> });
        view! {
            <tr data-stage=key>
                <td>
                    <code>{stage.stage}</code>
                </td>
                <td class="num">{stage.rows_in}</td>
                <td>
                    <ul class="ports">{ports.collect_view()}</ul>
                </td>
                <td class="num">{stage.elapsed_ms} " ms"</td>
            </tr>
        }
    });
    view! {
        <table id="run-metrics" class="data">
            <thead>
                <tr>
                    <th scope="col">"Stage"</th>
                    <th scope="col" class="num">"Rows in"</th>
                    <th scope="col">"Rows out"</th>
                    <th scope="col" class="num">"Elapsed"</th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

/// Rows out per port as "port: n", in port order.
fn port_counts(rows_out: &BTreeMap<String, u64>) -> Vec<String> {
    rows_out.iter().map(|(port, rows)| format!("{port}: {rows}")).collect()
}

/// Where the run failed: "Stage load", with the option or field when the engine named one.
fn error_place(error: &RunError) -> Option<String> {
    match (&error.stage, &error.path) {
        (Some(stage), Some(path)) => Some(format!("Stage {stage} ({path})")),
        (Some(stage), None) => Some(format!("Stage {stage}")),
        (None, Some(path)) => Some(path.clone()),
        (None, None) => None,
    }
}

/// What to do about a failure, from whose fault it was and whether trying again can help.
fn fault_advice(fault: &str, retryable: bool) -> String {
    let cause = match fault {
        "user" => "Fix the dataflow or its input.",
        "external" => "An external system (a file system or a database) failed.",
        "engine" => "The engine failed; tell an operator if it happens again.",
        _ => "The run failed.",
    };
    let retry = if retryable { "Running it again may help." } else { "Running it again will not help." };
    format!("{cause} {retry}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(stage: Option<&str>, path: Option<&str>) -> RunError {
        RunError {
            message: "no such file".into(),
            stage: stage.map(Into::into),
            path: path.map(Into::into),
            fault: "external".into(),
            retryable: true,
        }
    }

    #[test]
    fn ports_are_listed_with_their_counts() {
        let rows_out = BTreeMap::from([("rejected".to_owned(), 2), ("output".to_owned(), 40)]);
        assert_eq!(port_counts(&rows_out), ["output: 40", "rejected: 2"]);
        assert!(port_counts(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn the_error_names_stage_and_path_when_known() {
        assert_eq!(
            error_place(&failure(Some("read"), Some("options.path"))).as_deref(),
            Some("Stage read (options.path)")
        );
        assert_eq!(error_place(&failure(Some("read"), None)).as_deref(), Some("Stage read"));
        assert_eq!(error_place(&failure(None, None)), None);
    }

    #[test]
    fn advice_follows_fault_and_retry() {
        assert_eq!(
            fault_advice("user", false),
            "Fix the dataflow or its input. Running it again will not help."
        );
        assert!(fault_advice("external", true).ends_with("Running it again may help."));
        assert!(fault_advice("cosmic rays", true).starts_with("The run failed."));
    }
}
