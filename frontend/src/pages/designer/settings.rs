//! With nothing selected, the properties tab edits the dataflow itself: its description and its
//! parameters (`${name}` in options; a run, a schedule or a service call may set them).

use leptos::prelude::*;
use model::{DataflowDocument, Parameter, ParameterType};

use super::state::Ctx;
use crate::designer::EditError;
use crate::designer::values::{parse_parameter, value_text};

const TYPES: [(ParameterType, &str); 4] = [
    (ParameterType::String, "string"),
    (ParameterType::Integer, "integer"),
    (ParameterType::Number, "number"),
    (ParameterType::Boolean, "boolean"),
];

/// One edit of the document outside any stage, as an undo step (joined while `key` repeats).
fn change(ctx: Ctx, key: Option<String>, edit: impl FnOnce(&mut DataflowDocument) + 'static) {
    ctx.edit(|d| {
        d.apply(key.as_deref(), |doc, _| {
            edit(doc);
            Ok::<(), EditError>(())
        })
    });
}

#[component]
pub fn DataflowSettings(ctx: Ctx) -> impl IntoView {
    let description = Memo::new(move |_| ctx.document.with(|d| d.description.clone()));
    let count = Memo::new(move |_| ctx.document.with(|d| d.parameters.len()));
    let disabled = move || ctx.viewing.get().is_some();
    let rows = move || (0..count.get()).map(|index| view! { <ParameterRow ctx index /> }).collect_view();
    let add = move |_| {
        change(ctx, None, |doc| {
            let taken = |name: &str| doc.parameters.iter().any(|p| p.name == name);
            let name = (1..).map(|n| format!("param_{n}")).find(|n| !taken(n)).unwrap_or_default();
            doc.parameters.push(Parameter {
                name,
                param_type: ParameterType::String,
                default: None,
                description: String::new(),
            });
        });
    };
    view! {
        <h2>"Dataflow"</h2>
        <p class="muted">"Select a stage or an edge to see its properties."</p>
        <div class="prop-field">
            <label for="dataflow-description">"Description"</label>
            <textarea
                id="dataflow-description"
                rows="2"
                disabled=disabled
                prop:value=description
                on:input=move |event| {
                    let text = event_target_value(&event);
                    change(ctx, Some("description".into()), move |doc| doc.description = text);
                }
                on:change=move |_| ctx.end_gesture()
            ></textarea>
        </div>
        <h3>"Parameters"</h3>
        <p class="hint">"Write ${name} in an option to use one; runs may give other values."</p>
        <div class="parameters">{rows}</div>
        <button type="button" class="secondary small" id="param-add" disabled=disabled on:click=add>
            "Add parameter"
        </button>
    }
}

#[component]
fn ParameterRow(ctx: Ctx, index: usize) -> impl IntoView {
    let param = Memo::new(move |_| ctx.document.with(|d| d.parameters.get(index).cloned()));
    let disabled = move || ctx.viewing.get().is_some();
    let mistake = RwSignal::new(None::<String>);
    let edit = move |key: Option<String>, update: Box<dyn FnOnce(&mut Parameter)>| {
        change(ctx, key, move |doc| {
            if let Some(p) = doc.parameters.get_mut(index) {
                update(p);
            }
        });
    };
    let on_default = move |text: String| {
        let param_type = param.with_untracked(|p| p.as_ref().map(|p| p.param_type)).unwrap_or_default();
        match parse_parameter(&text, param_type) {
            Ok(value) => {
                mistake.set(None);
                edit(None, Box::new(move |p| p.default = value));
            }
            Err(message) => mistake.set(Some(message)),
        }
    };
    let remove = move |_| {
        change(ctx, None, move |doc| {
            if index < doc.parameters.len() {
                doc.parameters.remove(index);
            }
        });
    };
    let type_options = move || {
        let current = param.with(|p| p.as_ref().map(|p| p.param_type));
        TYPES
            .into_iter()
            .map(|(t, label)| view! { <option value=label selected=current == Some(t)>{label}</option> })
            .collect_view()
    };
    view! {
        <div class="parameter" data-index=index>
            <input
                type="text"
                id=format!("param-name-{index}")
                aria-label="Parameter name"
                autocomplete="off"
                spellcheck="false"
                disabled=disabled
                prop:value=move || param.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default())
                on:input=move |event| {
                    let name = event_target_value(&event);
                    edit(Some(format!("param/{index}/name")), Box::new(move |p| p.name = name));
                }
                on:change=move |_| ctx.end_gesture()
            />
            <select
                id=format!("param-type-{index}")
                aria-label="Parameter type"
                disabled=disabled
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Some((t, _)) = TYPES.into_iter().find(|(_, label)| *label == chosen) {
                        edit(None, Box::new(move |p| p.param_type = t));
                    }
                }
            >
                {type_options}
            </select>
            <input
                type="text"
                id=format!("param-default-{index}")
                aria-label="Default value"
                placeholder="default"
                autocomplete="off"
                disabled=disabled
                prop:value=move || param.with(|p| value_text(p.as_ref().and_then(|p| p.default.as_ref())))
                on:change=move |event| on_default(event_target_value(&event))
            />
            <button type="button" class="icon" id=format!("param-remove-{index}") aria-label="Remove parameter"
                disabled=disabled on:click=remove>"×"</button>
            {move || mistake.get().map(|m| view! { <p class="field-problem">{m}</p> })}
        </div>
    }
}
