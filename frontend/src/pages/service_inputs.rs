//! The inputs of the try-it console: the row table generated from the service's input fields
//! (one typed input per field, rows added and removed), and one input per declared parameter.

use std::collections::BTreeMap;

use leptos::prelude::*;
use model::{Parameter, ParameterType};
use wasm_bindgen::JsCast;

use crate::try_it::{FieldType, InputField, RowTable, id_part, parse_cell};

#[component]
pub fn RowEditor(table: RwSignal<RowTable>) -> impl IntoView {
    // The fields do not change while the console is open; only the rows do.
    let fields = StoredValue::new(table.with_untracked(|table| table.fields().to_vec()));
    let headers = fields.with_value(|fields| {
        fields
            .iter()
            .map(|field| {
                view! {
                    <th scope="col">
                        {field.name.clone()} " " <span class="field-type">{field.field_type.as_str()}</span>
                    </th>
                }
            })
            .collect_view()
    });
    let add_row = move |_| {
        let mut added = None;
        table.update(|table| added = Some(table.add_row()));
        // Straight into the new row, so adding rows from the keyboard is one Enter away from typing.
        let first_field = fields.with_value(|fields| fields.first().map(|field| field.name.clone()));
        if let (Some(row), Some(field)) = (added, first_field) {
            focus_later(cell_id(row, &field));
        }
    };
    view! {
        <table id="service-rows" class="data row-editor" aria-labelledby="service-rows-heading">
            <thead>
                <tr>
                    {headers}
                    <th scope="col" class="actions">
                        <span class="visually-hidden">"Remove"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || table.with(RowTable::row_ids)
                    key=|row| *row
                    children=move |row| view! { <EditorRow table row fields /> }
                />
            </tbody>
        </table>
        <Show when=move || table.with(|table| table.row_ids().is_empty())>
            <p class="muted" id="service-rows-empty">"No rows: the service is called with none."</p>
        </Show>
        <button id="service-add-row" type="button" class="secondary add-row" on:click=add_row>
            "Add row"
        </button>
    }
}

#[component]
fn EditorRow(table: RwSignal<RowTable>, row: usize, fields: StoredValue<Vec<InputField>>) -> impl IntoView {
    let cells = fields.with_value(|fields| {
        fields
            .iter()
            .map(|field| {
                view! {
                    <td>
                        <CellInput table row field=field.clone() />
                    </td>
                }
            })
            .collect_view()
    });
    let remove = move |_| {
        table.update(|table| table.remove_row(row));
        // The button is gone with its row; keyboard focus would otherwise fall back to the page.
        focus_later("service-add-row".to_owned());
    };
    view! {
        <tr data-row=row>
            {cells}
            <td class="actions">
                <button
                    id=format!("service-remove-row-{row}")
                    type="button"
                    class="secondary"
                    aria-label="Remove this row"
                    on:click=remove
                >
                    "Remove"
                </button>
            </td>
        </tr>
    }
}

/// A select for booleans (empty, true, false), a text input for the rest, marked invalid while
/// its text does not fit the field's type.
#[component]
fn CellInput(table: RwSignal<RowTable>, row: usize, field: InputField) -> impl IntoView {
    let id = cell_id(row, &field.name);
    let name = StoredValue::new(field.name.clone());
    let field_type = field.field_type;
    let text = move || table.with(|table| name.with_value(|name| table.cell(row, name).to_owned()));
    let set = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        table.update(|table| name.with_value(|name| table.set_cell(row, name, value)));
    };
    if field_type == FieldType::Boolean {
        return view! {
            <select id=id aria-label=field.name on:change=set>
                <BooleanOptions text empty="null" />
            </select>
        }
        .into_any();
    }
    let problem = move || {
        table.with(|table| name.with_value(|name| parse_cell(field_type, table.cell(row, name)).err()))
    };
    view! {
        <input
            id=id
            type="text"
            aria-label=field.name
            placeholder=field_type.placeholder()
            inputmode=field_type.input_mode()
            autocomplete="off"
            spellcheck="false"
            prop:value=text
            aria-invalid=move || problem().is_some().then_some("true")
            title=problem
            on:input=set
        />
    }
    .into_any()
}

/// One input per declared parameter; left empty, the dataflow's default applies.
#[component]
pub fn ParameterInputs(declared: Vec<Parameter>, texts: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    if declared.is_empty() {
        return view! {
            <p class="muted" id="service-parameters-none">"This service declares no parameters."</p>
        }
        .into_any();
    }
    let inputs = declared.into_iter().map(|parameter| view! { <ParameterInput parameter texts /> });
    view! {
        <p class="muted">"Leave a parameter empty to use its default."</p>
        <div class="inline-form parameters">{inputs.collect_view()}</div>
    }
    .into_any()
}

#[component]
fn ParameterInput(parameter: Parameter, texts: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    let id = format!("service-param-{}", id_part(&parameter.name));
    let name = StoredValue::new(parameter.name.clone());
    let default = parameter
        .default
        .as_ref()
        .map_or_else(|| "no default".to_owned(), |value| format!("default {value}"));
    let text =
        move || texts.with(|texts| name.with_value(|name| texts.get(name).cloned().unwrap_or_default()));
    let set = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        texts.update(|texts| {
            texts.insert(name.get_value(), value);
        });
    };
    let input = if parameter.param_type == ParameterType::Boolean {
        view! {
            <select id=id.clone() on:change=set>
                <BooleanOptions text empty=default.clone() />
            </select>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type="text"
                placeholder=default.clone()
                autocomplete="off"
                prop:value=text
                on:input=set
            />
        }
        .into_any()
    };
    let type_name = parameter_type_name(parameter.param_type);
    let description = (!parameter.description.is_empty())
        .then(|| view! { <p class="muted hint">{parameter.description}</p> });
    view! {
        <div class="field">
            <label for=id>{parameter.name} " " <span class="field-type">{type_name}</span></label>
            {input}
            {description}
        </div>
    }
}

/// Empty, true and false. Each option says whether it is selected, rather than the select's
/// value being set, because a select given a value before its options exist ignores it.
#[component]
fn BooleanOptions(
    text: impl Fn() -> String + Copy + Send + Sync + 'static,
    #[prop(into)] empty: String,
) -> impl IntoView {
    view! {
        <option value="" selected=move || text().is_empty()>
            {empty}
        </option>
        <option value="true" selected=move || text() == "true">
            "true"
        </option>
        <option value="false" selected=move || text() == "false">
            "false"
        </option>
    }
}

/// The name the dataflow document uses for the type.
fn parameter_type_name(parameter_type: ParameterType) -> &'static str {
    match parameter_type {
        ParameterType::String => "string",
        ParameterType::Integer => "integer",
        ParameterType::Number => "number",
        ParameterType::Boolean => "boolean",
    }
}

fn cell_id(row: usize, field: &str) -> String {
    format!("service-cell-{row}-{}", id_part(field))
}

/// Moves keyboard focus to the element with `id` once the next frame has drawn it.
fn focus_later(id: String) {
    request_animation_frame(move || {
        let element = document().get_element_by_id(&id);
        if let Some(element) = element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
            // Focus can only fail on a detached element, and then there is nothing to do.
            let _ = element.focus();
        }
    });
}
