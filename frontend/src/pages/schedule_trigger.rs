//! The editor's trigger: the kind (cron, once, file) and its inputs, among them the cron builder,
//! whose presets write the raw expression and which follows an expression typed by hand.
//!
//! Element ids: `schedule-kind-cron`, `schedule-kind-once`, `schedule-kind-file` (radios),
//! `schedule-cron-preset`, `schedule-cron-minute`, `schedule-cron-time`, `schedule-cron-weekday`,
//! `schedule-cron-day` (shown as the preset needs them), `schedule-cron`, `schedule-cron-hint`,
//! `schedule-at`, `schedule-file-directory`, `schedule-file-pattern`, `schedule-file-hint`.

use leptos::prelude::*;

use super::schedule_edit_state::Editor;
use super::schedule_editor::FieldProblem;
use crate::schedule::{CronBuilder, Preset, TriggerKind, WEEKDAYS, clock, parse_clock};

#[component]
pub fn TriggerFields(editor: Editor) -> impl IntoView {
    let kind = editor.read(|form| form.kind);
    let radios = TriggerKind::ALL.map(|option| {
        let id = format!("schedule-kind-{}", option.as_str());
        let label_for = id.clone();
        view! {
            <label class="choice" for=label_for>
                <input
                    type="radio"
                    id=id
                    name="schedule-kind"
                    value=option.as_str()
                    prop:checked=move || kind.get() == option
                    on:change=move |_| editor.form.update(|form| form.kind = option)
                />
                {option.label()}
            </label>
        }
    });
    view! {
        <fieldset class="panel">
            <legend>"Trigger"</legend>
            <div class="choices">{radios.into_iter().collect_view()}</div>
            <Show when=move || kind.get() == TriggerKind::Cron>
                <CronFields editor />
            </Show>
            <Show when=move || kind.get() == TriggerKind::Once>
                <OnceField editor />
            </Show>
            <Show when=move || kind.get() == TriggerKind::File>
                <FileFields editor />
            </Show>
        </fieldset>
    }
}

/// Changes one part of the builder; the raw expression follows (unless it is custom).
fn set_builder(editor: Editor, change: impl FnOnce(&mut CronBuilder)) {
    editor.edit("cron", |form| {
        let mut next = form.builder;
        change(&mut next);
        form.set_builder(next);
    });
}

#[component]
fn CronFields(editor: Editor) -> impl IntoView {
    let builder = editor.read(|form| form.builder);
    let uses = move || builder.get().preset.uses();
    let minute = Signal::derive(move || builder.get().minute);
    let day = Signal::derive(move || builder.get().day);
    view! {
        <div class="cron-builder">
            <PresetSelect editor builder />
            <Show when=move || uses().minute>
                <NumberInput
                    id="schedule-cron-minute"
                    label="Minutes past the hour"
                    range=(0, 59)
                    value=minute
                    set=move |minute| set_builder(editor, |b| b.minute = minute)
                />
            </Show>
            <Show when=move || uses().weekday>
                <WeekdaySelect editor builder />
            </Show>
            <Show when=move || uses().day>
                <NumberInput
                    id="schedule-cron-day"
                    label="Day of the month"
                    range=(1, 31)
                    value=day
                    set=move |day| set_builder(editor, |b| b.day = day)
                />
            </Show>
            <Show when=move || uses().time>
                <TimeInput editor builder />
            </Show>
        </div>
        <CronExpression editor />
    }
}

/// Options are selected through the `selected` property, not the attribute: typing an expression
/// changes the preset after the person may have picked one, and browsers ignore the attribute of
/// an option picked by hand.
#[component]
fn PresetSelect(editor: Editor, builder: Memo<CronBuilder>) -> impl IntoView {
    let presets = Preset::ALL.map(|preset| {
        view! {
            <option value=preset.as_str() prop:selected=move || builder.get().preset == preset>
                {preset.label()}
            </option>
        }
    });
    view! {
        <div class="field">
            <label for="schedule-cron-preset">"Repeat"</label>
            <select
                id="schedule-cron-preset"
                on:change=move |event| {
                    if let Some(preset) = Preset::parse(&event_target_value(&event)) {
                        set_builder(editor, |b| b.preset = preset);
                    }
                }
            >
                {presets.into_iter().collect_view()}
            </select>
        </div>
    }
}

/// A whole number in `range`; what is outside it is not taken (the browser marks it invalid).
#[component]
fn NumberInput(
    id: &'static str,
    label: &'static str,
    range: (u8, u8),
    value: Signal<u8>,
    set: impl Fn(u8) + 'static,
) -> impl IntoView {
    let (min, max) = range;
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="number"
                min=min
                max=max
                prop:value=move || value.get().to_string()
                on:input=move |event| {
                    let typed = event_target_value(&event).parse::<u8>().ok();
                    if let Some(number) = typed.filter(|n| (min..=max).contains(n)) {
                        set(number);
                    }
                }
            />
        </div>
    }
}

#[component]
fn TimeInput(editor: Editor, builder: Memo<CronBuilder>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="schedule-cron-time">"At"</label>
            <input
                id="schedule-cron-time"
                type="time"
                prop:value=move || {
                    let b = builder.get();
                    clock(b.hour, b.minute)
                }
                on:input=move |event| {
                    if let Some((hour, minute)) = parse_clock(&event_target_value(&event)) {
                        set_builder(editor, |b| (b.hour, b.minute) = (hour, minute));
                    }
                }
            />
        </div>
    }
}

#[component]
fn WeekdaySelect(editor: Editor, builder: Memo<CronBuilder>) -> impl IntoView {
    let options = WEEKDAYS.iter().zip(0_u8..).map(|((name, label), index)| {
        view! {
            <option value=*name prop:selected=move || builder.get().weekday == index>
                {*label}
            </option>
        }
    });
    let choose = move |chosen: String| {
        let index = WEEKDAYS.iter().zip(0_u8..).find(|((name, _), _)| *name == chosen).map(|(_, i)| i);
        if let Some(index) = index {
            set_builder(editor, |b| b.weekday = index);
        }
    };
    view! {
        <div class="field">
            <label for="schedule-cron-weekday">"On"</label>
            <select id="schedule-cron-weekday" on:change=move |event| choose(event_target_value(&event))>
                {options.collect_view()}
            </select>
        </div>
    }
}

/// The raw expression, which the presets write and which may be typed by hand.
#[component]
fn CronExpression(editor: Editor) -> impl IntoView {
    let cron = editor.read(|form| form.cron.clone());
    view! {
        <div class="field">
            <label for="schedule-cron">"Cron expression"</label>
            <input
                id="schedule-cron"
                class="code"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="schedule-cron-hint schedule-cron-problem"
                aria-invalid=editor.invalid("cron")
                prop:value=cron
                on:input=move |event| editor.edit("cron", |form| form.set_cron(event_target_value(&event)))
            />
            <p class="muted hint" id="schedule-cron-hint">
                "Six fields: second, minute, hour, day of month, month, weekday (with five, the second is 0). "
                <code>"*"</code> " any, " <code>"1-5"</code> " ranges, " <code>"*/15"</code> " steps, "
                <code>"1,15"</code> " lists, names like " <code>"JAN"</code> " and " <code>"MON"</code>
                "; weekday 0 and 7 are Sunday. Read in the schedule's time zone."
            </p>
            <FieldProblem editor path="cron" id="schedule-cron-problem" />
        </div>
    }
}

#[component]
fn OnceField(editor: Editor) -> impl IntoView {
    let at = editor.read(|form| form.at.clone());
    view! {
        <div class="field">
            <label for="schedule-at">"Date and time"</label>
            <input
                id="schedule-at"
                type="datetime-local"
                aria-describedby="schedule-at-hint schedule-at-problem"
                aria-invalid=editor.invalid("at")
                prop:value=at
                on:input=move |event| editor.edit("at", |form| form.at = event_target_value(&event))
            />
            <p class="muted hint" id="schedule-at-hint">"In the schedule's time zone."</p>
            <FieldProblem editor path="at" id="schedule-at-problem" />
        </div>
    }
}

#[component]
fn FileFields(editor: Editor) -> impl IntoView {
    let directory = editor.read(|form| form.directory.clone());
    let pattern = editor.read(|form| form.pattern.clone());
    view! {
        <p class="muted hint" id="schedule-file-hint">
            "Each new file whose name matches the pattern in this directory fires one run, with the file's "
            "path (relative to the data directory) as parameter " <code>"trigger_file"</code> "."
        </p>
        <div class="field-row">
            <div class="field grow">
                <label for="schedule-file-directory">"Directory, under the data directory"</label>
                <input
                    id="schedule-file-directory"
                    class="code"
                    placeholder="incoming/orders"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="schedule-file-hint schedule-file-directory-problem"
                    aria-invalid=editor.invalid("file.directory")
                    prop:value=directory
                    on:input=move |event| {
                        editor.edit("file.directory", |form| form.directory = event_target_value(&event))
                    }
                />
                <FieldProblem editor path="file.directory" id="schedule-file-directory-problem" />
            </div>
            <div class="field">
                <label for="schedule-file-pattern">"File name pattern (glob)"</label>
                <input
                    id="schedule-file-pattern"
                    class="code"
                    placeholder="*.csv"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="schedule-file-hint schedule-file-pattern-problem"
                    aria-invalid=editor.invalid("file.pattern")
                    prop:value=pattern
                    on:input=move |event| editor.edit("file.pattern", |form| form.pattern = event_target_value(&event))
                />
                <FieldProblem editor path="file.pattern" id="schedule-file-pattern-problem" />
            </div>
        </div>
    }
}
