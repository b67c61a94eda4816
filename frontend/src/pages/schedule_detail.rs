//! `/schedules/{id}`: one schedule: its settings and state, pause / resume / run now, its next
//! fire times and its fire log; Edit swaps the settings for the editor, Delete asks first.
//!
//! Element ids (browser tests find elements by them): `schedule-title`, `schedule-state`,
//! `schedule-toggle`, `schedule-run-now`, `schedule-edit`, `schedule-run-started`,
//! `schedule-action-error`, `schedule-facts`, `schedule-fact-dataflow`, `schedule-fact-trigger`,
//! `schedule-fact-timezone`, `schedule-fact-next`, `schedule-fact-dates`, `schedule-fact-misfire`,
//! `schedule-fact-overlap`, `schedule-fact-parameters`, `schedule-next-times` (items carry
//! `data-utc`), `schedule-next-times-empty`, `schedule-next-error`, those of `schedule_fires` and
//! `schedule_delete`, those of `schedule_editor` while editing, `schedule-not-found`,
//! `schedule-load-error`.

use leptos::prelude::*;
use model::Schedule;

use super::schedule_actions::{ActionOutcome, RunStarted, ScheduleActions};
use super::schedule_delete::DeleteSchedule;
use super::schedule_editor::{ScheduleEditor, focus_later};
use super::schedule_fire_times::FireTimes;
use super::schedule_fires::FireLog;
use crate::api;
use crate::components::{ErrorAlert, Timestamp, optional_time};
use crate::instant::input_in_zone;
use crate::route::Route;
use crate::schedule::{MISFIRE_CHOICES, OVERLAP_CHOICES, ScheduleForm, trigger_summary};
use crate::time_zone::offset_seconds;

#[component]
pub fn SchedulePage(id: String) -> impl IntoView {
    let loaded = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::get_schedule(&id).await }
        }
    });
    // The page keeps its own copy, replaced by what pausing, resuming or saving answers.
    let schedule = RwSignal::new(None::<Schedule>);
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = loaded.get() {
            schedule.set(Some(fresh));
        }
    });
    let body = move || match loaded.get() {
        None => Some(view! { <p class="muted" aria-live="polite">"Loading the schedule…"</p> }.into_any()),
        Some(Err(error)) if error.is_not_found() => Some(view! { <ScheduleNotFound /> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <ErrorAlert error=Some(error) id="schedule-load-error" /> }.into_any())
        }
        Some(Ok(_)) => None,
    };
    view! {
        <a class="back" href=Route::Schedules.path()>"← Schedules"</a>
        {body}
        <Show when=move || schedule.with(Option::is_some)>
            <ScheduleView id=id.clone() schedule />
        </Show>
    }
}

#[component]
fn ScheduleNotFound() -> impl IntoView {
    view! {
        <h1>"Schedule not found"</h1>
        <p class="empty" id="schedule-not-found">
            "There is no such schedule. It may have been deleted. "
            <a href=Route::Schedules.path()>"Back to the schedules"</a>
        </p>
    }
}

#[component]
fn ScheduleView(id: String, schedule: RwSignal<Option<Schedule>>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let outcome = ActionOutcome::new();
    // The buttons are drawn again for the new state; focus goes back to the one pressed.
    let replace = Callback::new(move |changed: Schedule| {
        schedule.set(Some(changed));
        focus_later("schedule-toggle".into());
    });
    // Focus follows the swap between settings and editor, so keyboard users stay in place.
    let stop_editing = move || {
        editing.set(false);
        focus_later("schedule-edit".into());
    };
    let saved = Callback::new(move |changed: Schedule| {
        schedule.set(Some(changed));
        stop_editing();
    });
    let name = move || schedule.with(|s| s.as_ref().map(|s| s.spec.name.clone()));
    let enabled = move || schedule.with(|s| s.as_ref().is_some_and(|s| s.spec.enabled));
    let actions = move || {
        schedule.get().map(|schedule| {
            view! { <ScheduleActions schedule id_suffix=String::new() outcome on_changed=replace /> }
        })
    };
    let editor = move || {
        let form = schedule
            .with_untracked(|s| s.as_ref().map(|s| ScheduleForm::from_spec(&s.spec, &offset_seconds)));
        let id = schedule.with_untracked(|s| s.as_ref().map(|s| s.id.clone()));
        form.map(|initial| {
            let on_cancel = Callback::new(move |()| stop_editing());
            view! { <ScheduleEditor initial id=id.unwrap_or_default() on_saved=saved on_cancel /> }
        })
    };
    view! {
        <div class="page-header">
            <h1 id="schedule-title">{name}</h1>
            <span id="schedule-state" class=move || if enabled() { "state state-enabled" } else { "state state-paused" }>
                {move || if enabled() { "enabled" } else { "paused" }}
            </span>
        </div>
        <div class="toolbar">
            {actions}
            <Show when=move || !editing.get()>
                <button
                    id="schedule-edit"
                    type="button"
                    on:click=move |_| {
                        editing.set(true);
                        focus_later("schedule-name".into());
                    }
                >
                    "Edit"
                </button>
            </Show>
        </div>
        <RunStarted outcome id="schedule-run-started" />
        <ErrorAlert error=outcome.error id="schedule-action-error" />
        <Show when=move || !editing.get() fallback=editor>
            {move || schedule.get().map(|schedule| view! { <Facts schedule /> })}
            <NextFireTimes schedule />
        </Show>
        <FireLog id=id.clone() />
        <DeleteSchedule id name=Signal::derive(move || name().unwrap_or_default()) />
    }
}

/// The saved next fire times, read again whenever the schedule changes.
#[component]
fn NextFireTimes(schedule: RwSignal<Option<Schedule>>) -> impl IntoView {
    let preview = LocalResource::new(move || {
        let current =
            schedule.with(|s| s.as_ref().map(|s| (s.id.clone(), s.updated_at.clone(), s.spec.enabled)));
        async move {
            match current {
                Some((id, ..)) => api::schedule_preview(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let times = Signal::derive(move || preview.get().and_then(Result::ok).flatten());
    let error = Signal::derive(move || preview.get().and_then(Result::err));
    let paused = move || schedule.with(|s| s.as_ref().is_some_and(|s| !s.spec.enabled));
    let none_text = Signal::derive(move || {
        let file = schedule.with(|s| s.as_ref().is_some_and(|s| s.spec.file.is_some()));
        if file {
            "A file trigger has no fire times: each new file matching the pattern fires a run."
        } else {
            "No fire time ahead: the date has passed or the schedule has ended."
        }
    });
    view! {
        <section class="panel" aria-labelledby="schedule-next-heading">
            <h2 id="schedule-next-heading">"Next fire times"</h2>
            <Show when=paused>
                <p class="notice">"Paused: these times are skipped until the schedule is resumed."</p>
            </Show>
            <FireTimes preview=times id="schedule-next-times" none_text />
            <ErrorAlert error id="schedule-next-error" />
        </section>
    }
}

#[component]
fn Facts(schedule: Schedule) -> impl IntoView {
    let spec = &schedule.spec;
    let summary = trigger_summary(spec, &offset_seconds);
    let raw = spec.cron.clone().map(|cron| view! { " " <code>{cron}</code> });
    let in_zone = |time: &Option<String>| {
        let shown =
            |t: &str| input_in_zone(t, &spec.timezone, &offset_seconds).unwrap_or_else(|| t.to_owned());
        time.as_deref().map(|t| shown(t).replace('T', " "))
    };
    let dates = match (in_zone(&spec.start_at), in_zone(&spec.end_at)) {
        (None, None) => "Any".to_owned(),
        (Some(start), None) => format!("From {start}"),
        (None, Some(end)) => format!("Until {end}"),
        (Some(start), Some(end)) => format!("{start} to {end}"),
    };
    let parameters = if spec.parameters.is_empty() {
        "None".to_owned()
    } else {
        serde_json::to_string(&spec.parameters).unwrap_or_default()
    };
    let dataflow_href = Route::Dataflow(spec.dataflow.clone()).path();
    view! {
        <dl class="facts" id="schedule-facts">
            <div>
                <dt>"Dataflow"</dt>
                <dd id="schedule-fact-dataflow">
                    <a href=dataflow_href>{spec.dataflow.clone()}</a>
                </dd>
            </div>
            <div class="wide">
                <dt>"Trigger"</dt>
                <dd id="schedule-fact-trigger">{summary} {raw}</dd>
            </div>
            <div>
                <dt>"Time zone"</dt>
                <dd id="schedule-fact-timezone">{spec.timezone.clone()}</dd>
            </div>
            <div>
                <dt>"Next fire time (your clock)"</dt>
                <dd id="schedule-fact-next">{optional_time(schedule.next_fire_time.clone(), "None")}</dd>
            </div>
            <div>
                <dt>"Dates (schedule's zone)"</dt>
                <dd id="schedule-fact-dates">{dates}</dd>
            </div>
            <div class="wide">
                <dt>"Missed fire times"</dt>
                <dd id="schedule-fact-misfire">{policy_text(&MISFIRE_CHOICES, spec.misfire)}</dd>
            </div>
            <div class="wide">
                <dt>"While the previous run is going"</dt>
                <dd id="schedule-fact-overlap">{policy_text(&OVERLAP_CHOICES, spec.overlap)}</dd>
            </div>
            <div class="wide">
                <dt>"Parameters"</dt>
                <dd id="schedule-fact-parameters">
                    <code>{parameters}</code>
                </dd>
            </div>
            <div>
                <dt>"Created"</dt>
                <dd>{schedule.created_by.clone()} ", " <Timestamp value=schedule.created_at.clone() /></dd>
            </div>
            <div>
                <dt>"Updated"</dt>
                <dd>
                    <Timestamp value=schedule.updated_at.clone() />
                </dd>
            </div>
        </dl>
    }
}

/// `skip: fire times missed … are recorded as skipped.`
fn policy_text<P: PartialEq + Copy>(choices: &[(P, &str, &str)], chosen: P) -> String {
    let found = choices.iter().find(|(policy, ..)| *policy == chosen);
    found.map(|(_, name, meaning)| format!("{name}: {meaning}")).unwrap_or_default()
}
