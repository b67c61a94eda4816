//! What a person can do to a run from its page: cancel it while it is queued or running, run it
//! again once it has ended.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Run, RunStatus};

use super::run_detail::replace_if_changed;
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::route::{Route, navigate};

#[component]
pub fn RunActions(
    run_id: StoredValue<String>,
    status: Memo<Option<RunStatus>>,
    run: RwSignal<Option<Run>>,
) -> impl IntoView {
    let cancel_error = RwSignal::new(None::<ApiError>);
    let rerun_error = RwSignal::new(None::<ApiError>);
    let ended = move || status.get().is_some_and(RunStatus::is_final);
    view! {
        <div class="buttons run-actions">
            <Show when=move || status.get().is_some_and(|status| !status.is_final())>
                <CancelButton run_id run error=cancel_error />
            </Show>
            <Show when=ended>
                <RerunButton run error=rerun_error />
            </Show>
        </div>
        <ErrorAlert error=cancel_error id="cancel-run-error" />
        <ErrorAlert error=rerun_error id="rerun-error" />
    }
}

/// Replaces the run with the server's answer, so the page shows "cancelled" without waiting
/// for the next poll.
#[component]
fn CancelButton(
    run_id: StoredValue<String>,
    run: RwSignal<Option<Run>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let cancel = move |_| {
        pending.set(true);
        error.set(None);
        let id = run_id.get_value();
        spawn_local(async move {
            match api::cancel_run(&id).await {
                // The button stays disabled: a running run stops on its node shortly after, and
                // the polls show it; asking twice would only answer `run_finished`.
                Ok(cancelled) => replace_if_changed(run, Some(cancelled)),
                // 409 `run_finished`: the run ended meanwhile; the next poll shows how.
                Err(failure) => {
                    pending.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    view! {
        <button id="cancel-run" type="button" class="danger" disabled=pending on:click=cancel>
            {move || if pending.get() { "Cancelling…" } else { "Cancel run" }}
        </button>
    }
}

/// Starts the same dataflow with the same parameters and opens the new run. The API runs the
/// exposed version, which may be newer than the one this run used; the hint says so.
#[component]
fn RerunButton(run: RwSignal<Option<Run>>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let pending = RwSignal::new(false);
    let rerun = move |_| {
        let Some((dataflow, parameters)) =
            run.with_untracked(|run| run.as_ref().map(|run| (run.dataflow.clone(), run.parameters.clone())))
        else {
            return;
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::start_run_with(&dataflow, parameters).await {
                Ok(started) => navigate(&Route::Run(started.id)),
                // 409 `not_exposed` when the dataflow's exposed version was withdrawn meanwhile.
                Err(failure) => {
                    pending.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    view! {
        <button
            id="rerun"
            type="button"
            disabled=pending
            aria-describedby="rerun-hint"
            on:click=rerun
        >
            {move || if pending.get() { "Starting…" } else { "Rerun" }}
        </button>
        <span class="muted action-hint" id="rerun-hint">
            "Runs the exposed version of the dataflow again, with the same parameters."
        </span>
    }
}
