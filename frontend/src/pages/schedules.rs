//! `/schedules`: every schedule with its trigger, time zone, state and next fire time, and the
//! buttons that pause, resume and run one now.
//!
//! Element ids (browser tests find elements by them): `schedule-new` (link to the editor),
//! `schedule-list` (rows carry `data-schedule` with the id and `data-enabled`; each row's name
//! links to the schedule), `schedule-toggle-{id}` (Pause / Resume), `schedule-run-now-{id}`,
//! `schedule-run-started`, `schedule-action-error`, `schedules-empty`, `schedule-list-error`.

use leptos::prelude::*;
use model::Schedule;

use super::schedule_actions::{ActionOutcome, RunStarted, ScheduleActions};
use super::schedule_editor::focus_later;
use crate::api;
use crate::components::{ErrorAlert, optional_time};
use crate::route::Route;
use crate::schedule::trigger_summary;
use crate::time_zone::offset_seconds;

const NO_SCHEDULES: &str = "No schedules yet. A schedule starts a job on a cron expression, at a set time or \
    when a file arrives, and is listed here with its next fire time.";

#[component]
pub fn SchedulesPage() -> impl IntoView {
    let schedules = LocalResource::new(api::list_schedules);
    let rows = RwSignal::new(None::<Vec<Schedule>>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = schedules.get() {
            rows.set(Some(page.items));
        }
    });
    let outcome = ActionOutcome::new();
    // A paused or resumed schedule is replaced in place: its next fire time changes with it. Its
    // row is drawn again, so focus goes back to the button pressed.
    let on_changed = Callback::new(move |changed: Schedule| {
        focus_later(format!("schedule-toggle-{}", changed.id));
        rows.update(|rows| {
            let found = rows.iter_mut().flatten().find(|row| row.id == changed.id);
            if let Some(row) = found {
                *row = changed;
            }
        });
    });
    let load_error = Signal::derive(move || schedules.get().and_then(Result::err));
    let list = move || {
        rows.with(|rows| rows.as_ref().map(Vec::is_empty)).map(|empty| {
            if empty {
                view! { <p class="empty" id="schedules-empty">{NO_SCHEDULES}</p> }.into_any()
            } else {
                view! { <ScheduleTable rows outcome on_changed /> }.into_any()
            }
        })
    };

    view! {
        <div class="page-header">
            <h1>"Schedules"</h1>
            <a id="schedule-new" class="button" href=Route::ScheduleNew.path()>
                "New schedule"
            </a>
        </div>
        <section class="panel" aria-labelledby="schedule-list-heading">
            <h2 id="schedule-list-heading" class="visually-hidden">"All schedules"</h2>
            <RunStarted outcome id="schedule-run-started" />
            <ErrorAlert error=outcome.error id="schedule-action-error" />
            <ErrorAlert error=load_error id="schedule-list-error" />
            <Show when=move || schedules.with(Option::is_none)>
                <p class="muted" aria-live="polite">"Loading schedules…"</p>
            </Show>
            {list}
        </section>
    }
}

#[component]
fn ScheduleTable(
    rows: RwSignal<Option<Vec<Schedule>>>,
    outcome: ActionOutcome,
    on_changed: Callback<Schedule>,
) -> impl IntoView {
    view! {
        <table id="schedule-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Dataflow"</th>
                    <th scope="col">"Trigger"</th>
                    <th scope="col">"Time zone"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Next fire time"</th>
                    <th scope="col" class="actions">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                // Keyed on the whole schedule, so a paused or resumed row is drawn again.
                <For
                    each=move || rows.get().unwrap_or_default()
                    key=|schedule| (schedule.id.clone(), schedule.updated_at.clone(), schedule.spec.enabled)
                    let:schedule
                >
                    <ScheduleRow schedule outcome on_changed />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn ScheduleRow(schedule: Schedule, outcome: ActionOutcome, on_changed: Callback<Schedule>) -> impl IntoView {
    let href = Route::Schedule(schedule.id.clone()).path();
    let dataflow_href = Route::Dataflow(schedule.spec.dataflow.clone()).path();
    let summary = trigger_summary(&schedule.spec, &offset_seconds);
    let enabled = schedule.spec.enabled;
    let state = if enabled { "enabled" } else { "paused" };
    let next = optional_time(schedule.next_fire_time.clone(), "—");
    let id_suffix = format!("-{}", schedule.id);
    let key = schedule.id.clone();
    view! {
        <tr data-schedule=key data-enabled=enabled.to_string()>
            <td>
                <a href=href>{schedule.spec.name.clone()}</a>
            </td>
            <td>
                <a href=dataflow_href>{schedule.spec.dataflow.clone()}</a>
            </td>
            <td>{summary}</td>
            <td>{schedule.spec.timezone.clone()}</td>
            <td>
                <span class=format!("state state-{state}")>{state}</span>
            </td>
            <td class="who-when">{next}</td>
            <td class="actions">
                <ScheduleActions schedule id_suffix outcome on_changed />
            </td>
        </tr>
    }
}
