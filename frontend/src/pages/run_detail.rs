//! `/runs/{id}`: one run, followed every second until it ends (status, metrics, log), with the
//! buttons that cancel it and run it again.
//!
//! Element ids (browser tests find elements by them): `run-dataflow`, `run-status`, `run-id`,
//! `run-version`, `run-trigger`, `run-fire-time`, `run-node`, `run-attempt`, `run-started`,
//! `run-finished`, `run-duration`, `run-error`, `run-error-message`, `cancel-run`,
//! `cancel-run-error`, `rerun`, `rerun-hint`, `rerun-error`, `run-metrics`, `run-metrics-empty`,
//! `run-parameters`, `run-logs-box`, `run-logs`, `run-logs-empty`, `run-load-error`,
//! `run-not-found`.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Run, RunLogLine};

use super::run_actions::RunActions;
use super::run_logs::RunLog;
use super::run_report::{RunHeader, RunReport};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::hooks::use_interval;

/// Often enough that a short job's progress reads as live.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

#[component]
pub fn RunPage(id: String) -> impl IntoView {
    let run = RwSignal::new(None::<Run>);
    let logs = RwSignal::new(Vec::<RunLogLine>::new());
    let error = RwSignal::new(None::<ApiError>);
    let run_id = StoredValue::new(id.clone());
    // One poll at a time, so a slow answer is never overtaken by an older one.
    let polling = StoredValue::new(false);

    let poll = move || {
        let Some(id) = run_id.try_get_value() else {
            return;
        };
        if polling.try_get_value() != Some(false) {
            return;
        }
        polling.set_value(true);
        spawn_local(async move {
            // The logs are read after the run, so a run seen as ended comes with its last lines.
            let failure = match api::get_run(&id).await {
                Err(failure) => Some(failure),
                Ok(fresh) => {
                    let log_result = api::run_logs(&id).await;
                    replace_if_changed(run, Some(fresh));
                    match log_result {
                        Ok(page) => {
                            replace_if_changed(logs, page.items);
                            None
                        }
                        Err(failure) => Some(failure),
                    }
                }
            };
            polling.set_value(false);
            replace_if_changed(error, failure);
        });
    };
    poll();
    use_interval(REFRESH_EVERY, move || {
        // `try_`: the interval may fire once more while the page is being taken down.
        let gone = error.try_with_untracked(|e| e.as_ref().is_some_and(ApiError::is_not_found));
        let ended = run.try_with_untracked(|r| r.as_ref().is_some_and(|r| r.status.is_final()));
        if gone == Some(false) && ended == Some(false) {
            poll();
        }
    });

    let status = Memo::new(move |_| run.with(|r| r.as_ref().map(|r| r.status)));
    // A missing run gets its own page below rather than an alert.
    let shown_error = Signal::derive(move || error.get().filter(|e| !e.is_not_found()));
    let pending = move || {
        if error.with(|e| e.as_ref().is_some_and(ApiError::is_not_found)) {
            view! { <RunNotFound id=id.clone() /> }.into_any()
        } else {
            view! { <p class="muted" aria-live="polite">"Loading the run…"</p> }.into_any()
        }
    };

    view! {
        <a class="back" href="/runs">"← Runs"</a>
        <ErrorAlert error=shown_error id="run-load-error" />
        <Show when=move || run.with(Option::is_some) fallback=pending>
            {move || run.get().map(|run| view! { <RunHeader run /> })}
            <RunActions run_id status run />
            {move || run.get().map(|run| view! { <RunReport run /> })}
            <RunLog logs />
        </Show>
    }
}

/// Replaces the value only when it differs, so a poll that learns nothing new redraws nothing
/// (and an alert is not announced again every second).
pub(super) fn replace_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    signal.maybe_update(|current| {
        let changed = *current != value;
        if changed {
            *current = value;
        }
        changed
    });
}

#[component]
fn RunNotFound(id: String) -> impl IntoView {
    view! {
        <h1>"Run not found"</h1>
        <p class="empty" id="run-not-found">
            "There is no run with the id " <code>{id}</code> ". " <a href="/runs">"Back to the runs"</a>
        </p>
    }
}
