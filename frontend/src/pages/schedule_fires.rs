//! A schedule's fire log, newest first: every fire time and what became of it; skipped ones
//! stand out with their reason, fired ones link to their run.
//!
//! Element ids: `schedule-fires` (table; rows carry `data-outcome`), `schedule-fires-skipped`
//! (checkbox: skipped only), `schedule-fires-refresh`, `schedule-fires-empty`,
//! `schedule-fires-error`.

use leptos::prelude::*;
use model::ScheduleFire;

use crate::api;
use crate::components::{ErrorAlert, Timestamp};
use crate::format::{sentence, short_id};
use crate::route::Route;

#[component]
pub fn FireLog(id: String) -> impl IntoView {
    let skipped_only = RwSignal::new(false);
    let fires = LocalResource::new(move || {
        let (id, skipped_only) = (id.clone(), skipped_only.get());
        async move { api::schedule_fires(&id, skipped_only).await }
    });
    let error = Signal::derive(move || fires.get().and_then(Result::err));
    let table = move || {
        fires.get().and_then(Result::ok).map(|page| {
            if page.items.is_empty() {
                let text = if skipped_only.get_untracked() {
                    "No fire time was skipped."
                } else {
                    "No fire times yet. Each fire time is recorded here, fired or skipped, as it comes."
                };
                view! { <p class="empty" id="schedule-fires-empty">{text}</p> }.into_any()
            } else {
                view! { <FireTable fires=page.items /> }.into_any()
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="schedule-fires-heading">
            <div class="toolbar">
                <h2 id="schedule-fires-heading">"Fire log"</h2>
                <div class="filters">
                    <label class="choice" for="schedule-fires-skipped">
                        <input
                            id="schedule-fires-skipped"
                            type="checkbox"
                            prop:checked=skipped_only
                            on:change=move |event| skipped_only.set(event_target_checked(&event))
                        />
                        "Skipped only"
                    </label>
                    <button id="schedule-fires-refresh" type="button" class="secondary" on:click=move |_| fires.refetch()>
                        "Refresh"
                    </button>
                </div>
            </div>
            <ErrorAlert error id="schedule-fires-error" />
            <Show when=move || fires.with(Option::is_none)>
                <p class="muted" aria-live="polite">"Loading the fire log…"</p>
            </Show>
            {table}
        </section>
    }
}

#[component]
fn FireTable(fires: Vec<ScheduleFire>) -> impl IntoView {
    let rows = fires.into_iter().map(|fire| view! { <FireRow fire /> });
    view! {
        <table id="schedule-fires" class="data fire-log">
            <thead>
                <tr>
                    <th scope="col">"Fire time"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"Reason or file"</th>
                    <th scope="col">"Run"</th>
                    <th scope="col">"Node"</th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

#[component]
fn FireRow(fire: ScheduleFire) -> impl IntoView {
    let skipped = fire.outcome == "skipped";
    let why = match (&fire.reason, &fire.file) {
        (Some(reason), _) => Some(view! { <span>{sentence(reason)}</span> }.into_any()),
        (None, Some(file)) => Some(view! { <code>{file.clone()}</code> }.into_any()),
        (None, None) => None,
    };
    let run = fire.run_id.clone().map(|run_id| {
        let href = Route::Run(run_id.clone()).path();
        view! {
            <a href=href title="Open the run">
                <code>{short_id(&run_id).to_owned()}</code>
            </a>
        }
    });
    view! {
        <tr data-outcome=fire.outcome.clone() class:skipped=skipped>
            <td class="who-when">
                <Timestamp value=fire.fire_time.clone() />
            </td>
            <td>
                <span class=format!("state state-fire-{}", fire.outcome)>{fire.outcome.clone()}</span>
            </td>
            <td>{why}</td>
            <td>{run.map_or_else(|| "—".into_any(), IntoAny::into_any)}</td>
            <td>{fire.node}</td>
        </tr>
    }
}
