//! `/runs`: the history of runs, newest first, filtered by status, trigger, dataflow and creation
//! time, and refreshed while a listed run is still queued or running. With a dataflow filter, a
//! chart of the listed runs' durations comes first.
//!
//! Element ids (browser tests find elements by them): `run-status-filter`, `run-trigger-filter`,
//! `run-dataflow-filter`, `run-from-filter`, `run-to-filter` (`datetime-local`), `run-filters-clear`,
//! `run-time-range-problem`, `run-list` (rows carry `data-run`), `runs-empty`, `run-list-error`,
//! `run-load-more`, and those of `run_chart` (`run-duration-chart`, …).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Run;

use super::run_chart::RunDurationChart;
use super::run_filters::{FilterInputs, RunFilters};
use super::run_table::RunTable;
use crate::api::{self, ApiError, RunFilter};
use crate::components::ErrorAlert;
use crate::hooks::{use_debounced, use_interval};
use crate::wall_clock::local_input_to_utc;

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
    let inputs = FilterInputs::new();
    let filter = run_filter(inputs);
    let range_is_empty = Signal::derive(move || {
        filter.with(|f| matches!((&f.since, &f.until), (Some(since), Some(until)) if since >= until))
    });
    let rows = RwSignal::new(Vec::<Run>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    // Numbers each load, so that an answer overtaken by a newer load is dropped.
    let latest_load = StoredValue::new(0_u64);

    let load = move |kind: Load| {
        let filter = filter.get_untracked();
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
    // The memo changes only when the request would, so a half-typed time or a changed but
    // still-empty input does not reload the list.
    Effect::new(move |_| {
        filter.track();
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
    let filtered = move || !filter.with(RunFilter::is_empty);
    let one_dataflow = Signal::derive(move || filter.with(|f| f.dataflow.trim().to_owned()));

    view! {
        <h1>"Runs"</h1>
        <section class="panel" aria-labelledby="run-list-heading">
            <div class="toolbar">
                <h2 id="run-list-heading">"Newest first"</h2>
            </div>
            <RunFilters inputs range_is_empty />
            <Show when=move || !one_dataflow.with(String::is_empty)>
                <RunDurationChart runs=rows dataflow=one_dataflow />
            </Show>
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

/// The API's filter from what the inputs hold: the dataflow name once typing pauses, the times
/// converted from the viewer's zone to UTC.
fn run_filter(inputs: FilterInputs) -> Memo<RunFilter> {
    let dataflow_term = use_debounced(inputs.dataflow.read_only(), FILTER_DELAY);
    Memo::new(move |_| RunFilter {
        dataflow: dataflow_term.get(),
        status: inputs.status.get(),
        trigger: inputs.trigger.get(),
        since: inputs.from.with(|text| local_input_to_utc(text)),
        until: inputs.to.with(|text| local_input_to_utc(text)),
    })
}

fn empty_text(filtered: bool) -> &'static str {
    if filtered {
        "No run matches these filters."
    } else {
        "No runs yet. Start a job with the Run button on its dataflow page; every run appears here with its \
         status, timings and logs."
    }
}
