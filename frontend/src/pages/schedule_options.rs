//! The editor's other inputs: time zone (common zones suggested, any IANA name typed), start and
//! end dates, parameter rows, the enabled switch and the misfire and overlap policies.
//!
//! Element ids: `schedule-timezone` (with the list `schedule-timezone-options`),
//! `schedule-timezone-hint`, `schedule-start-at`, `schedule-end-at`, `schedule-parameters`
//! (table; rows carry `data-row`), `schedule-param-name-{row}`, `schedule-param-value-{row}`,
//! `schedule-param-remove-{row}`, `schedule-param-add`, `schedule-parameters-hint`,
//! `schedule-enabled`, `schedule-misfire`, `schedule-misfire-hint`, `schedule-overlap`,
//! `schedule-overlap-hint`. `{row}` counts from 0 in the order rows were added.

use leptos::prelude::*;

use super::schedule_edit_state::Editor;
use super::schedule_editor::{FieldProblem, focus_later};
use crate::schedule::{MISFIRE_CHOICES, OVERLAP_CHOICES, ScheduleForm};
use crate::time_zone::{COMMON_ZONES, viewer_zone};

#[component]
pub fn ZoneAndDates(editor: Editor) -> impl IntoView {
    let zone = editor.read(|form| form.timezone.clone());
    // The viewer's own zone is suggested too, even when it is not a common one.
    let own = viewer_zone().filter(|own| !COMMON_ZONES.contains(&own.as_str()));
    let zones = own
        .into_iter()
        .chain(COMMON_ZONES.iter().map(|zone| (*zone).to_owned()))
        .map(|zone| view! { <option value=zone></option> });
    view! {
        <section class="panel" aria-labelledby="schedule-when-heading">
            <h2 id="schedule-when-heading">"Time zone and dates"</h2>
            <div class="field">
                <label for="schedule-timezone">"Time zone"</label>
                <input
                    id="schedule-timezone"
                    list="schedule-timezone-options"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="schedule-timezone-hint schedule-timezone-problem"
                    aria-invalid=editor.invalid("timezone")
                    prop:value=zone
                    on:input=move |event| editor.edit("timezone", |form| form.timezone = event_target_value(&event))
                />
                <datalist id="schedule-timezone-options">{zones.collect_view()}</datalist>
                <p class="muted hint" id="schedule-timezone-hint">
                    "An IANA name such as Europe/Paris or America/New_York (type to see suggestions). "
                    "The cron expression and every date of this schedule are read in it, daylight saving time included."
                </p>
                <FieldProblem editor path="timezone" id="schedule-timezone-problem" />
            </div>
            <div class="field-row">
                <DateInput editor path="start_at" label="Not before" />
                <DateInput editor path="end_at" label="Not after" />
            </div>
            <p class="muted hint">"Optional. No fire time before the first date or after the second."</p>
        </section>
    }
}

/// `path` is `start_at` or `end_at`.
#[component]
fn DateInput(editor: Editor, path: &'static str, label: &'static str) -> impl IntoView {
    let is_start = path == "start_at";
    let value = editor.read(move |form| if is_start { form.start_at.clone() } else { form.end_at.clone() });
    let (id, problem_id) = if is_start {
        ("schedule-start-at", "schedule-start-at-problem")
    } else {
        ("schedule-end-at", "schedule-end-at-problem")
    };
    let write = move |form: &mut ScheduleForm, text: String| {
        if is_start { form.start_at = text } else { form.end_at = text }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="datetime-local"
                aria-describedby=problem_id
                aria-invalid=editor.invalid(path)
                prop:value=value
                on:input=move |event| editor.edit(path, |form| write(form, event_target_value(&event)))
            />
            <FieldProblem editor path id=problem_id />
        </div>
    }
}

#[component]
pub fn Parameters(editor: Editor) -> impl IntoView {
    let row_ids = editor.read(|form| form.parameters.rows().iter().map(|row| row.id).collect::<Vec<_>>());
    let add = move |_| {
        let mut added = 0;
        editor.form.update(|form| added = form.parameters.add());
        // Straight into the new row, so adding a parameter from the keyboard is one Enter away from typing.
        focus_later(format!("schedule-param-name-{added}"));
    };
    view! {
        <section class="panel" aria-labelledby="schedule-parameters-heading">
            <h2 id="schedule-parameters-heading">"Parameters"</h2>
            <p class="muted hint" id="schedule-parameters-hint">
                "Given to every run, over the dataflow's defaults. Numbers, true, false and JSON are sent as "
                "such, anything else as text; quote a value to send it as text."
            </p>
            <Show when=move || !row_ids.with(Vec::is_empty)>
                <table id="schedule-parameters" class="data row-editor" aria-describedby="schedule-parameters-hint">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col" class="actions">
                                <span class="visually-hidden">"Remove"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || row_ids.get() key=|row| *row children=move |row| view! { <ParameterRow editor row /> } />
                    </tbody>
                </table>
            </Show>
            <FieldProblem editor path="parameters" id="schedule-parameters-problem" />
            <button id="schedule-param-add" type="button" class="secondary" on:click=add>
                "Add parameter"
            </button>
        </section>
    }
}

#[component]
fn ParameterRow(editor: Editor, row: usize) -> impl IntoView {
    let cell = move |value: bool| {
        editor.read(move |form| {
            let found = form.parameters.rows().iter().find(|r| r.id == row);
            found.map(|r| if value { r.value.clone() } else { r.name.clone() }).unwrap_or_default()
        })
    };
    let (name, value) = (cell(false), cell(true));
    let remove = move |_| {
        editor.edit("parameters", |form| form.parameters.remove(row));
        // The button is gone with its row; focus would otherwise fall back to the page.
        focus_later("schedule-param-add".into());
    };
    view! {
        <tr data-row=row>
            <td>
                <input
                    id=format!("schedule-param-name-{row}")
                    aria-label="Parameter name"
                    class="code"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=name
                    on:input=move |event| {
                        editor.edit("parameters", |form| form.parameters.set(row, Some(event_target_value(&event)), None))
                    }
                />
            </td>
            <td>
                <input
                    id=format!("schedule-param-value-{row}")
                    aria-label="Parameter value"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=value
                    on:input=move |event| {
                        editor.edit("parameters", |form| form.parameters.set(row, None, Some(event_target_value(&event))))
                    }
                />
            </td>
            <td class="actions">
                <button id=format!("schedule-param-remove-{row}") type="button" class="secondary" aria-label="Remove this parameter" on:click=remove>
                    "Remove"
                </button>
            </td>
        </tr>
    }
}

#[component]
pub fn Policies(editor: Editor) -> impl IntoView {
    let enabled = editor.read(|form| form.enabled);
    let misfire = editor.read(|form| form.misfire);
    let overlap = editor.read(|form| form.overlap);
    view! {
        <section class="panel" aria-labelledby="schedule-policies-heading">
            <h2 id="schedule-policies-heading">"Behaviour"</h2>
            <label class="choice" for="schedule-enabled">
                <input
                    id="schedule-enabled"
                    type="checkbox"
                    prop:checked=enabled
                    on:change=move |event| editor.form.update(|form| form.enabled = event_target_checked(&event))
                />
                "Enabled (a paused schedule keeps its settings but does not fire)"
            </label>
            <div class="field-row">
                <PolicySelect
                    id="schedule-misfire"
                    hint_id="schedule-misfire-hint"
                    label="Missed fire times"
                    choices=MISFIRE_CHOICES
                    chosen=misfire
                    set=move |policy| editor.form.update(|form| form.misfire = policy)
                />
                <PolicySelect
                    id="schedule-overlap"
                    hint_id="schedule-overlap-hint"
                    label="While the previous run is going"
                    choices=OVERLAP_CHOICES
                    chosen=overlap
                    set=move |policy| editor.form.update(|form| form.overlap = policy)
                />
            </div>
        </section>
    }
}

/// A policy by name, with what the chosen one does underneath.
#[component]
fn PolicySelect<P>(
    id: &'static str,
    hint_id: &'static str,
    label: &'static str,
    choices: [(P, &'static str, &'static str); 3],
    chosen: Memo<P>,
    set: impl Fn(P) + 'static,
) -> impl IntoView
where
    P: Copy + PartialEq + Send + Sync + 'static,
{
    let options = choices.map(|(policy, name, _)| {
        view! {
            <option value=name prop:selected=move || chosen.get() == policy>
                {name}
            </option>
        }
    });
    let hint =
        move || choices.iter().find(|(policy, ..)| *policy == chosen.get()).map(|(.., meaning)| *meaning);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                aria-describedby=hint_id
                on:change=move |event| {
                    let name = event_target_value(&event);
                    if let Some((policy, ..)) = choices.iter().find(|(_, n, _)| *n == name) {
                        set(*policy);
                    }
                }
            >
                {options.into_iter().collect_view()}
            </select>
            <p class="muted hint" id=hint_id>{hint}</p>
        </div>
    }
}
