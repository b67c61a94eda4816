//! Property fields generated from the catalog's option schema: [`OptionField`] picks the editor
//! for an option's type (text, a connection name with suggestions, expression, path, number,
//! toggle, select; field pickers in [`super::fields`], lists and maps in
//! [`super::list_editors`]) and shows its help and the problems the validators report at its
//! path.

use leptos::prelude::*;
use model::{OptionSpec, OptionType};
use serde_json::Value;

use super::fields::{FieldPicker, FieldsEditor};
use super::list_editors::{ListEditor, MapEditor};
use super::state::Ctx;
use crate::designer::values::{parse_number, short_value, value_text};

/// What an option editor edits and how: the stage, the element id and document path of the
/// value, the value itself, and `set` taking the new value (`None` removes the option) and
/// whether it comes from typing (joined into one undo step until the field is left).
#[derive(Clone)]
pub struct Binding {
    pub ctx: Ctx,
    pub stage: String,
    pub dom_id: String,
    /// As validators name it: `options.predicate`, `options.routes[1].port`.
    pub path: String,
    pub value: Signal<Option<Value>>,
    pub set: Callback<(Option<Value>, bool)>,
}

impl Binding {
    fn typed(&self, value: Option<Value>) {
        self.set.run((value, true));
    }

    fn chosen(&self, value: Option<Value>) {
        self.set.run((value, false));
    }
}

/// One option's label, editor, help and problems.
#[component]
pub fn OptionField(binding: Binding, spec: OptionSpec) -> impl IntoView {
    let problems = Memo::new({
        let (ctx, stage, path) = (binding.ctx, binding.stage.clone(), binding.path.clone());
        move |_| ctx.problems.with(|p| p.at_path(&stage, &path))
    });
    let dom_id = binding.dom_id.clone();
    let (help_id, problem_id) = (format!("{dom_id}-help"), format!("{dom_id}-problem"));
    let described_by = format!("{help_id} {problem_id}");
    let help = match &spec.default {
        Some(default) => format!("{} (default: {})", spec.help, short_value(default, 40)),
        None => spec.help.clone(),
    };
    let required = spec.required.then(|| view! { <span class="required" title="required">" *"</span> });
    let problem_line = {
        let problem_id = problem_id.clone();
        move || {
            let messages = problems.get();
            (!messages.is_empty()).then(|| {
                view! {
                    <p class="field-problem" id=problem_id.clone() role="status">
                        {messages.join(" ")}
                    </p>
                }
            })
        }
    };
    let editor = editor(binding, &spec, described_by);
    if matches!(spec.option_type, OptionType::List | OptionType::Boolean) {
        // These label themselves (a fieldset legend, a checkbox label).
        return view! {
            <div class="prop-field" data-option=spec.name.clone()>
                {editor}
                <p class="hint" id=help_id>{help}</p>
                {problem_line}
            </div>
        }
        .into_any();
    }
    view! {
        <div class="prop-field" data-option=spec.name.clone()>
            <label for=dom_id>{spec.name.clone()} {required}</label>
            {editor}
            <p class="hint" id=help_id>{help}</p>
            {problem_line}
        </div>
    }
    .into_any()
}

fn editor(binding: Binding, spec: &OptionSpec, described_by: String) -> AnyView {
    let placeholder = spec.default.as_ref().map(|d| value_text(Some(d))).unwrap_or_default();
    match spec.option_type {
        OptionType::String if spec.name == "connection" => {
            view! { <ConnectionEditor binding described_by /> }.into_any()
        }
        OptionType::String => view! { <TextEditor binding placeholder described_by /> }.into_any(),
        OptionType::Path => {
            let placeholder = if placeholder.is_empty() { "in/file.csv".to_owned() } else { placeholder };
            view! { <TextEditor binding placeholder described_by /> }.into_any()
        }
        OptionType::Expression => view! { <ExpressionEditor binding described_by /> }.into_any(),
        OptionType::Integer => view! { <NumberEditor binding integer=true placeholder described_by /> }.into_any(),
        OptionType::Number => view! { <NumberEditor binding integer=false placeholder described_by /> }.into_any(),
        OptionType::Boolean => {
            let default = spec.default.as_ref().and_then(Value::as_bool).unwrap_or(false);
            view! { <Toggle binding label=spec.name.clone() default /> }.into_any()
        }
        OptionType::Enum => {
            view! { <EnumSelect binding values=spec.enum_values.clone() required=spec.required default=placeholder /> }
                .into_any()
        }
        OptionType::Field => view! { <FieldPicker binding port=spec.field_of.clone() /> }.into_any(),
        OptionType::Fields => view! { <FieldsEditor binding port=spec.field_of.clone() /> }.into_any(),
        OptionType::Map => view! { <MapEditor binding /> }.into_any(),
        OptionType::List => view! { <ListEditor binding spec=spec.clone() /> }.into_any(),
    }
}

fn text_value(text: String) -> Option<Value> {
    (!text.is_empty()).then_some(Value::String(text))
}

/// A line of text; `list` names a `<datalist>` of suggestions.
#[component]
fn TextEditor(
    binding: Binding,
    placeholder: String,
    described_by: String,
    #[prop(optional)] list: Option<String>,
) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    view! {
        <input
            type="text"
            id=id
            list=list
            autocomplete="off"
            spellcheck="false"
            placeholder=placeholder
            aria-describedby=described_by
            disabled=move || ctx.viewing.get().is_some()
            prop:value=move || value.with(|v| value_text(v.as_ref()))
            on:input=move |event| binding.typed(text_value(event_target_value(&event)))
            on:change=move |_| ctx.end_gesture()
        />
    }
}

/// A connection's name, typed or picked from the database connections the caller may see (a
/// caller who may not list connections just types it).
#[component]
fn ConnectionEditor(binding: Binding, described_by: String) -> impl IntoView {
    let choices_id = format!("{}-choices", binding.dom_id);
    let names = LocalResource::new(|| async {
        crate::api::list_connections()
            .await
            .map(|page| {
                page.items
                    .into_iter()
                    .filter(|c| c.kind != model::ConnectionKind::Directory)
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <TextEditor binding placeholder="connection name".into() described_by list=choices_id.clone() />
        <datalist id=choices_id>
            {move || {
                names.get().unwrap_or_default().into_iter().map(|name| view! { <option value=name /> }).collect_view()
            }}
        </datalist>
    }
}

/// A SQL expression: monospaced, and the server's parse error (shown by [`OptionField`]
/// under it) follows the text about 400 ms after typing stops.
#[component]
fn ExpressionEditor(binding: Binding, described_by: String) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    view! {
        <textarea
            class="code expression"
            id=id
            rows="2"
            spellcheck="false"
            placeholder="e.g. amount > 100"
            aria-describedby=described_by
            disabled=move || ctx.viewing.get().is_some()
            prop:value=move || value.with(|v| value_text(v.as_ref()))
            on:input=move |event| binding.typed(text_value(event_target_value(&event)))
            on:change=move |_| ctx.end_gesture()
        ></textarea>
    }
}

/// Text that must read as a number or a `${parameter}`; what does not is kept in the box with
/// a message, and the document keeps its last good value.
#[component]
fn NumberEditor(binding: Binding, integer: bool, placeholder: String, described_by: String) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let raw = RwSignal::new(value.with_untracked(|v| value_text(v.as_ref())));
    let mistake = RwSignal::new(None::<String>);
    // Undo, redo and other outside changes rewrite the box unless it already means the value.
    Effect::new(move |_| {
        let current = value.get();
        if parse_number(&raw.get_untracked(), integer).ok().flatten() != current {
            raw.set(value_text(current.as_ref()));
            mistake.set(None);
        }
    });
    let on_input = move |event| {
        let text = event_target_value(&event);
        raw.set(text.clone());
        match parse_number(&text, integer) {
            Ok(parsed) => {
                mistake.set(None);
                binding.typed(parsed);
            }
            Err(message) => mistake.set(Some(message)),
        }
    };
    view! {
        <input
            type="text"
            inputmode=if integer { "numeric" } else { "decimal" }
            id=id
            autocomplete="off"
            placeholder=placeholder
            aria-describedby=described_by
            aria-invalid=move || mistake.with(Option::is_some).then_some("true")
            disabled=move || ctx.viewing.get().is_some()
            prop:value=raw
            on:input=on_input
            on:change=move |_| ctx.end_gesture()
        />
        {move || mistake.get().map(|m| view! { <p class="field-problem">{m}</p> })}
    }
}

#[component]
fn Toggle(binding: Binding, label: String, default: bool) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let checked = move || value.with(|v| v.as_ref().and_then(Value::as_bool).unwrap_or(default));
    view! {
        <label class="toggle">
            <input
                type="checkbox"
                id=id
                disabled=move || ctx.viewing.get().is_some()
                prop:checked=checked
                on:change=move |event| binding.chosen(Some(Value::Bool(event_target_checked(&event))))
            />
            {label}
        </label>
    }
}

#[component]
fn EnumSelect(binding: Binding, values: Vec<String>, required: bool, default: String) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let current = Memo::new(move |_| value.with(|v| value_text(v.as_ref())));
    let blank = match (required, default.is_empty()) {
        (_, false) => format!("Default ({default})"),
        (true, true) => "Choose…".to_owned(),
        (false, true) => "Not set".to_owned(),
    };
    let options = values
        .iter()
        .map(|option| {
            let this = option.clone();
            view! {
                <option value=option.clone() prop:selected=move || current.with(|c| *c == this)>
                    {option.clone()}
                </option>
            }
        })
        .collect_view();
    // A value outside the list (a `${parameter}`) is still shown as it is.
    let extra = move || {
        let now = current.get();
        (!now.is_empty() && !values.contains(&now))
            .then(|| view! { <option value=now.clone() selected=true>{now.clone()}</option> })
    };
    view! {
        <select
            id=id
            disabled=move || ctx.viewing.get().is_some()
            on:change=move |event| binding.chosen(text_value(event_target_value(&event)))
        >
            <option value="" prop:selected=move || current.with(String::is_empty)>{blank}</option>
            {options}
            {extra}
        </select>
    }
}
