//! `/runs`: the history of runs, newest first, filtered by status and dataflow, and refreshed while
//! a listed run is still queued or running.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Run, RunStatus};

use super::run_table::RunTable;
use crate::api::{self, ApiError, RunFilter};
use crate::components::ErrorAlert;
use crate::hooks::{use_debounced, use_interval};

/// Long enough that typing a name sends one request, short enough to feel immediate.
const FILTER_DELAY: Duration = Duration::from_millis(250);
/// Often enough to follow a short job from queued to done.
const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// What the first load and each "Load more" ask for.
const PAGE_SIZE: usize = 50;
/// The most runs the server returns at once, hence the most a refresh re-reads.
const LARGEST_PAGE: usize = 200;

/// What a load does to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    /// The filters changed: start again from the newest run.
    Reset,
    /// Append the page after the last run shown.
    More,
    /// Re-read the runs shown, without a loading message, to follow their status. Past
    /// [`LARGEST_PAGE`] runs the list shrinks back to that many; "Load more" brings the rest.
    Refresh,
}

#[component]
pub fn RunsPage() -> impl IntoView {
    let status = RwSignal::new(None::<RunStatus>);
    let (dataflow, set_dataflow) = signal(String::new());
    let dataflow_term = use_debounced(dataflow, FILTER_DELAY);
    let rows = RwSignal::new(Vec::<Run>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    // Numbers each load, so that an answer overtaken by a newer load is dropped.
    let latest_load = StoredValue::new(0_u64);

    let load = move |kind: Load| {
        let filter = RunFilter { dataflow: dataflow_term.get_untracked(), status: status.get_untracked() };
        let (cursor, limit) = match kind {
            Load::Reset => (None, PAGE_SIZE),
            Load::More => (next_cursor.get_untracked(), PAGE_SIZE),
            Load::Refresh => (None, rows.with_untracked(Vec::len).clamp(PAGE_SIZE, LARGEST_PAGE)),
        };
        let this_load = latest_load.get_value() + 1;
        latest_load.set_value(this_load);
        if kind != Load::Refresh {
            loading.set(true);
            error.set(None);
        }
        spawn_local(async move {
            let result = api::list_runs(&filter, cursor.as_deref(), Some(limit)).await;
            if latest_load.try_get_value() != Some(this_load) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    error.set(None);
                    if kind == Load::More {
                        rows.update(|rows| rows.extend(page.items));
                    } else {
                        rows.set(page.items);
                    }
                    next_cursor.set(page.next_cursor);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    Effect::new(move |_| {
        status.track();
        dataflow_term.track();
        load(Load::Reset);
    });
    use_interval(REFRESH_EVERY, move || {
        // `try_`: the interval may fire once more while the page is being taken down.
        let idle = loading.try_get_untracked() == Some(false);
        let unfinished = rows.try_with_untracked(|rows| rows.iter().any(|run| !run.status.is_final()));
        if idle && unfinished == Some(true) {
            load(Load::Refresh);
        }
    });
    let filtered = move || status.with(Option::is_some) || !dataflow_term.with(|term| term.trim().is_empty());

    view! {
        <h1>"Runs"</h1>
        <section class="panel" aria-labelledby="run-list-heading">
            <div class="toolbar">
                <h2 id="run-list-heading">"Newest first"</h2>
                <div class="filters">
                    <StatusFilter status />
                    <input
                        id="run-dataflow-filter"
                        type="search"
                        placeholder="Dataflow name"
                        aria-label="Show the runs of one dataflow"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=dataflow
                        on:input=move |event| set_dataflow.set(event_target_value(&event))
                    />
                </div>
            </div>
            <ErrorAlert error id="run-list-error" />
            <Show when=move || !rows.with(Vec::is_empty)>
                <RunTable rows />
            </Show>
            <Show when=move || !loading.get() && error.with(Option::is_none) && rows.with(Vec::is_empty)>
                <p class="empty" id="runs-empty">{move || empty_text(filtered())}</p>
            </Show>
            <Show when=move || loading.get()>
                <p class="muted" aria-live="polite">"Loading runs…"</p>
            </Show>
            <Show when=move || next_cursor.with(Option::is_some) && !loading.get()>
                <button id="run-load-more" type="button" class="secondary" on:click=move |_| load(Load::More)>
                    "Load more"
                </button>
            </Show>
        </section>
    }
}

#[component]
fn StatusFilter(status: RwSignal<Option<RunStatus>>) -> impl IntoView {
    let options = RunStatus::ALL.map(|option| {
        view! {
            <option value=option.as_str() selected=move || status.get() == Some(option)>
                {status_label(option)}
            </option>
        }
    });
    view! {
        <select
            id="run-status-filter"
            aria-label="Show runs with this status"
            on:change=move |event| status.set(RunStatus::parse(&event_target_value(&event)))
        >
            <option value="" selected=move || status.get().is_none()>
                "All statuses"
            </option>
            {options.into_iter().collect_view()}
        </select>
    }
}

fn status_label(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Queued => "Queued",
        RunStatus::Running => "Running",
        RunStatus::Succeeded => "Succeeded",
        RunStatus::Failed => "Failed",
        RunStatus::Cancelled => "Cancelled",
    }
}

fn empty_text(filtered: bool) -> &'static str {
    if filtered {
        "No run matches these filters."
    } else {
        "No runs yet. Start a job with the Run button on its dataflow page; every run appears here with its \
         status, timings and logs."
    }
}
