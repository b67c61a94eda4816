//! `/dataflows` (also `/`): a summary of the last day's runs, the list of dataflows with search and
//! paging, and the form that creates one.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::DataflowSummary;

use super::dataflow_create::CreateDataflowForm;
use super::dataflow_table::DataflowTable;
use super::runs_by_hour::RunsByHour;
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::hooks::use_debounced;

/// Long enough that typing a word sends one request, short enough to feel immediate.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

#[component]
pub fn DataflowsPage() -> impl IntoView {
    let (search, set_search) = signal(String::new());
    let term = use_debounced(search, SEARCH_DELAY);
    let rows = RwSignal::new(Vec::<DataflowSummary>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    // Numbers each load, so that the answer to an older search arriving late is dropped.
    let latest_load = StoredValue::new(0_u64);

    let load = move |term: String, cursor: Option<String>| {
        let this_load = latest_load.get_value() + 1;
        latest_load.set_value(this_load);
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::list_dataflows(&term, cursor.as_deref()).await;
            if latest_load.try_get_value() != Some(this_load) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    if cursor.is_some() {
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
    Effect::new(move |_| load(term.get(), None));
    let load_more = move |_| load(term.get_untracked(), next_cursor.get_untracked());

    view! {
        <h1>"Dataflows"</h1>
        <RunsByHour />
        <CreateDataflowForm />
        <section class="panel" aria-labelledby="dataflow-list-heading">
            <div class="toolbar">
                <h2 id="dataflow-list-heading">"All dataflows"</h2>
                <input
                    id="dataflow-search"
                    type="search"
                    placeholder="Search by name or description"
                    aria-label="Search dataflows"
                    prop:value=search
                    on:input=move |event| set_search.set(event_target_value(&event))
                />
            </div>
            <ErrorAlert error id="dataflow-list-error" />
            <Show when=move || !rows.with(Vec::is_empty)>
                <DataflowTable rows />
            </Show>
            <Show when=move || !loading.get() && error.with(Option::is_none) && rows.with(Vec::is_empty)>
                <p class="empty" id="dataflow-empty">{move || empty_text(&term.get())}</p>
            </Show>
            <Show when=move || loading.get()>
                <p class="muted" aria-live="polite">"Loading dataflows…"</p>
            </Show>
            <Show when=move || next_cursor.with(Option::is_some) && !loading.get()>
                <button id="dataflow-load-more" type="button" class="secondary" on:click=load_more>
                    "Load more"
                </button>
            </Show>
        </section>
    }
}

fn empty_text(term: &str) -> String {
    if term.is_empty() {
        "No dataflows yet. Create the first one with the form above.".into()
    } else {
        format!("No dataflow matches “{term}”.")
    }
}
