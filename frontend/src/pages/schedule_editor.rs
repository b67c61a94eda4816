//! The schedule editor, for a new schedule and a saved one: name, dataflow, trigger, time zone
//! and dates, parameters, policies, with the next fire times beside it, refreshed as it is edited.
//!
//! Element ids: `schedule-editor` (the form), `schedule-name`, `schedule-dataflow`,
//! `schedule-dataflow-error`, those of `schedule_trigger` and `schedule_options`, each field's
//! problem `{input id}-problem` (`schedule-name-problem`, `schedule-cron-problem`, …),
//! `schedule-problems` (summary after a failed save), `schedule-save`, `schedule-cancel`,
//! `schedule-preview` (the next fire times, items carry `data-utc`), `schedule-preview-empty`,
//! `schedule-preview-error`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use model::{DataflowKind, DataflowSummary, Schedule};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::schedule_edit_state::Editor;
use super::schedule_fire_times::FireTimes;
use super::schedule_options::{Parameters, Policies, ZoneAndDates};
use super::schedule_trigger::TriggerFields;
use crate::api;
use crate::components::ErrorAlert;
use crate::schedule::{ScheduleForm, TriggerKind};

/// `id` is the saved schedule's, none for a new one; `on_cancel` shows a Cancel button.
#[component]
pub fn ScheduleEditor(
    initial: ScheduleForm,
    #[prop(optional)] id: Option<String>,
    on_saved: Callback<Schedule>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let editor = Editor::new(initial);
    let is_new = id.is_none();
    let id = StoredValue::new(id);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !editor.pending.get_untracked() {
            editor.save(id.get_value(), on_saved);
        }
    };
    let kind = editor.read(|form| form.kind);
    let none_text = Signal::derive(move || match kind.get() {
        TriggerKind::File => {
            "A file trigger has no fire times: each new file matching the pattern fires a run."
        }
        _ => "No fire time ahead: the date has passed or the schedule ends before the next one.",
    });
    let cancel = on_cancel.map(|cancel| {
        view! {
            <button id="schedule-cancel" type="button" class="secondary" on:click=move |_| cancel.run(())>
                "Cancel"
            </button>
        }
    });
    view! {
        <form id="schedule-editor" class="schedule-layout" on:submit=submit novalidate>
            <div class="schedule-fields">
                <section class="panel" aria-labelledby="schedule-what-heading">
                    <h2 id="schedule-what-heading">"What runs"</h2>
                    <NameField editor />
                    <DataflowPicker editor />
                </section>
                <TriggerFields editor />
                <ZoneAndDates editor />
                <Parameters editor />
                <Policies editor />
                <SaveProblems editor />
                <div class="buttons">
                    <button id="schedule-save" type="submit" disabled=editor.pending>
                        {move || match (editor.pending.get(), is_new) {
                            (true, _) => "Saving…",
                            (false, true) => "Create schedule",
                            (false, false) => "Save changes",
                        }}
                    </button>
                    {cancel}
                </div>
            </div>
            <aside class="panel schedule-preview" aria-labelledby="schedule-preview-heading">
                <h2 id="schedule-preview-heading">"Next fire times"</h2>
                <FireTimes preview=editor.fire_times id="schedule-preview" none_text />
                <Show when=move || editor.fire_times.with(Option::is_none) && editor.preview_error.with(Option::is_none)>
                    <p class="muted">"Fire times show here once the trigger, time zone and dates are valid."</p>
                </Show>
                <ErrorAlert error=editor.preview_error id="schedule-preview-error" />
            </aside>
        </form>
    }
}

/// Moves keyboard focus to the element with `id` once the next frame has drawn it: buttons that
/// replace themselves or remove their row would otherwise drop focus to the top of the page.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        let element = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if let Some(element) = element {
            // Focus can only fail on a detached element, and then there is nothing to do.
            let _ = element.focus();
        }
    });
}

/// A paragraph under an input with its problem, for `aria-describedby`.
#[component]
pub fn FieldProblem(editor: Editor, path: &'static str, id: &'static str) -> impl IntoView {
    let problem = editor.problem(path);
    view! {
        <p class="field-problem" id=id aria-live="polite">
            {move || problem.get()}
        </p>
    }
}

#[component]
fn NameField(editor: Editor) -> impl IntoView {
    let name = editor.read(|form| form.name.clone());
    view! {
        <div class="field">
            <label for="schedule-name">"Name"</label>
            <input
                id="schedule-name"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="schedule-name-problem"
                aria-invalid=editor.invalid("name")
                prop:value=name
                on:input=move |event| editor.edit("name", |form| form.name = event_target_value(&event))
            />
            <FieldProblem editor path="name" id="schedule-name-problem" />
        </div>
    }
}

/// Jobs and process flows: the kinds a schedule can start.
#[component]
fn DataflowPicker(editor: Editor) -> impl IntoView {
    let dataflows = LocalResource::new(|| async {
        let schedulable = |d: &DataflowSummary| matches!(d.kind, DataflowKind::Job | DataflowKind::Process);
        api::list_all_dataflows().await.map(|all| all.into_iter().filter(schedulable).collect::<Vec<_>>())
    });
    let chosen = editor.read(|form| form.dataflow.clone());
    let options = move || {
        let listed = dataflows.get().and_then(Result::ok).unwrap_or_default();
        let current = chosen.get();
        // A saved schedule's dataflow stays choosable even when it is gone or changed kind.
        let missing = (!current.is_empty() && !listed.iter().any(|d| d.name == current))
            .then(|| view! { <option value=current.clone() prop:selected=true>{current.clone()}</option> });
        let listed = listed.into_iter().map(|dataflow| dataflow_option(dataflow, chosen));
        view! {
            {missing}
            {listed.collect_view()}
        }
    };
    let load_error = Signal::derive(move || dataflows.get().and_then(Result::err));
    view! {
        <div class="field">
            <label for="schedule-dataflow">"Job or process flow"</label>
            <select
                id="schedule-dataflow"
                aria-describedby="schedule-dataflow-hint schedule-dataflow-problem"
                aria-invalid=editor.invalid("dataflow")
                on:change=move |event| editor.edit("dataflow", |form| form.dataflow = event_target_value(&event))
            >
                <option value="" disabled=true prop:selected=move || chosen.with(String::is_empty)>
                    {move || if dataflows.with(Option::is_none) { "Loading…" } else { "Choose one" }}
                </option>
                {options}
            </select>
            <p class="muted hint" id="schedule-dataflow-hint">
                "Each fire runs the exposed version of the dataflow."
            </p>
            <FieldProblem editor path="dataflow" id="schedule-dataflow-problem" />
            <ErrorAlert error=load_error id="schedule-dataflow-error" />
        </div>
    }
}

fn dataflow_option(dataflow: DataflowSummary, chosen: Memo<String>) -> impl IntoView {
    let exposed = if dataflow.exposed_version.is_some() { "" } else { ", nothing exposed yet" };
    let label = format!("{} ({}{exposed})", dataflow.name, dataflow.kind.as_str());
    let name = dataflow.name;
    view! {
        <option value=name.clone() prop:selected=move || chosen.with(|chosen| *chosen == name)>
            {label}
        </option>
    }
}

/// After a save was tried: what stops it, with the problems no field shows listed here.
#[component]
fn SaveProblems(editor: Editor) -> impl IntoView {
    move || {
        let others = editor.errors.with(|errors| errors.others());
        let fields_wrong = editor.errors.with(|errors| !errors.is_empty());
        let failure = editor.save_error.get();
        if !editor.submitted() || (!fields_wrong && failure.is_none()) {
            return None;
        }
        let message = failure.map(|f| f.message);
        let hint = fields_wrong.then_some("Each problem is shown under its field.");
        let items = others.into_iter().map(|line| view! { <li>{line}</li> });
        Some(view! {
            <div class="error" role="alert" id="schedule-problems">
                <p>{message} " " {hint}</p>
                <ul>{items.collect_view()}</ul>
            </div>
        })
    }
}
