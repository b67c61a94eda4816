//! Field pickers: the fields arriving at the option's input port (from the server's validation)
//! to choose one or several from. Until the server knows them (input not connected, problems
//! upstream) a text box takes the names instead.

use leptos::prelude::*;
use model::FieldSchema;
use serde_json::Value;

use super::editors::Binding;
use crate::designer::schema::input_fields;
use crate::designer::values::{field_names, fields_value, parse_field_list, value_text};

/// The fields arriving at input `port` of the binding's stage, when known.
fn upstream(binding: &Binding, port: Option<String>) -> Memo<Option<Vec<FieldSchema>>> {
    let (ctx, stage) = (binding.ctx, binding.stage.clone());
    Memo::new(move |_| {
        let port = port.as_deref()?;
        ctx.schemas.with(|schemas| {
            ctx.document.with(|doc| input_fields(schemas, doc, &stage, port).map(<[_]>::to_vec))
        })
    })
}

const UNKNOWN: &str = "The input's fields show here once it is connected and the server has checked it.";

/// One field of the input.
#[component]
pub fn FieldPicker(binding: Binding, port: Option<String>) -> impl IntoView {
    let fields = upstream(&binding, port);
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let current = Memo::new(move |_| value.with(|v| value_text(v.as_ref())));
    let disabled = move || ctx.viewing.get().is_some();
    let binding = StoredValue::new(binding);
    let set = move |text: String, typing: bool| {
        let value = (!text.is_empty()).then_some(Value::String(text));
        binding.with_value(|b| b.set.run((value, typing)));
    };
    move || match fields.get() {
        Some(fields) => {
            let missing = current.with(|c| !c.is_empty() && !fields.iter().any(|f| f.name == *c));
            let options = fields
                .into_iter()
                .map(|field| {
                    let name = field.name.clone();
                    view! {
                        <option value=field.name.clone() prop:selected=move || current.with(|c| *c == name)>
                            {format!("{} ({})", field.name, field.field_type)}
                        </option>
                    }
                })
                .collect_view();
            let stray = missing.then(|| {
                let name = current.get_untracked();
                view! { <option value=name.clone() selected=true>{format!("{name} (not in the input)")}</option> }
            });
            view! {
                <select id=id.clone() disabled=disabled on:change=move |event| set(event_target_value(&event), false)>
                    <option value="" prop:selected=move || current.with(String::is_empty)>"Choose a field…"</option>
                    {options}
                    {stray}
                </select>
            }
            .into_any()
        }
        None => view! {
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                title=UNKNOWN
                disabled=disabled
                prop:value=current
                on:input=move |event| set(event_target_value(&event), true)
                on:change=move |_| ctx.end_gesture()
            />
        }
        .into_any(),
    }
}

/// Several fields of the input, in order: chosen ones listed with move-up and remove buttons,
/// the rest in an "add" list.
#[component]
pub fn FieldsEditor(binding: Binding, port: Option<String>) -> impl IntoView {
    let fields = upstream(&binding, port);
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let names = Memo::new(move |_| value.with(|v| field_names(v.as_ref())));
    let disabled = move || ctx.viewing.get().is_some();
    let binding = StoredValue::new(binding);
    let write = move |next: Vec<String>| binding.with_value(|b| b.set.run((fields_value(&next), false)));
    let chosen = {
        let id = id.clone();
        move || {
            // Without a schema the text box shows the names itself.
            let fields = fields.get()?;
            let rows = names.get().into_iter().enumerate().map(|(i, name)| {
                let field_type = fields.iter().find(|f| f.name == name).map(|f| f.field_type.clone());
                let up = move |_| {
                    let mut next = names.get_untracked();
                    if i > 0 && i < next.len() {
                        next.swap(i - 1, i);
                        write(next);
                    }
                };
                let remove = move |_| {
                    let mut next = names.get_untracked();
                    if i < next.len() {
                        next.remove(i);
                        write(next);
                    }
                };
                view! {
                    <li>
                        <span class="chip-name">{name.clone()}</span>
                        {field_type.map(|t| view! { <span class="field-type">{t}</span> })}
                        <button
                            type="button"
                            class="icon"
                            id=format!("{id}-up-{i}")
                            aria-label=format!("Move {name} up")
                            disabled=move || disabled() || i == 0
                            on:click=up
                        >
                            "↑"
                        </button>
                        <button
                            type="button"
                            class="icon"
                            id=format!("{id}-remove-{i}")
                            aria-label=format!("Remove {name}")
                            disabled=disabled
                            on:click=remove
                        >
                            "×"
                        </button>
                    </li>
                }
            });
            Some(view! { <ul class="chips" id=format!("{id}-list")>{rows.collect_view()}</ul> })
        }
    };
    let adder = move || match fields.get() {
        Some(fields) => {
            let taken = names.get();
            let options = fields
                .into_iter()
                .filter(|f| !taken.contains(&f.name))
                .map(|f| view! { <option value=f.name.clone()>{format!("{} ({})", f.name, f.field_type)}</option> })
                .collect_view();
            view! {
                <select
                    id=id.clone()
                    disabled=disabled
                    on:change=move |event| {
                        let picked = event_target_value(&event);
                        if !picked.is_empty() {
                            let mut next = names.get_untracked();
                            next.push(picked);
                            write(next);
                        }
                    }
                >
                    <option value="" selected=true>"Add a field…"</option>
                    {options}
                </select>
            }
            .into_any()
        }
        // Without a schema, names are typed, separated by commas, and taken when the box is left.
        None => view! {
            <input
                type="text"
                id=id.clone()
                autocomplete="off"
                spellcheck="false"
                placeholder="field, other_field"
                title=UNKNOWN
                disabled=disabled
                prop:value=move || names.get().join(", ")
                on:change=move |event| write(parse_field_list(&event_target_value(&event)))
            />
        }
        .into_any(),
    };
    view! {
        {chosen}
        {adder}
    }
}
