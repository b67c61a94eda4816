//! Editors for structured options: a `list` of objects (each item a small form generated from
//! the option's `items` schema, with add, remove and move up) and a `map` of strings (key and
//! value rows).

use leptos::prelude::*;
use model::OptionSpec;

use super::editors::{Binding, OptionField};
use crate::designer::values::{
    MapRow, add_item, list_items, map_rows, move_item_up, remove_item, rows_value, set_item_field,
};

#[component]
pub fn ListEditor(binding: Binding, spec: OptionSpec) -> impl IntoView {
    let (value, ctx, id) = (binding.value, binding.ctx, binding.dom_id.clone());
    let count = Memo::new(move |_| value.with(|v| list_items(v.as_ref()).len()));
    let disabled = move || ctx.viewing.get().is_some();
    let stored = StoredValue::new((binding, spec.clone()));
    let items = move || {
        (0..count.get())
            .map(|index| {
                let (binding, spec) = stored.get_value();
                view! { <ListItem binding spec index /> }
            })
            .collect_view()
    };
    let add = move |_| {
        stored.with_value(|(b, _)| b.set.run((add_item(b.value.get_untracked().as_ref()), false)));
    };
    let noun = singular(&spec.name);
    view! {
        <fieldset class="list-editor" id=id.clone()>
            <legend>
                {spec.name.clone()}
                {spec.required.then(|| view! { <span class="required" title="required">" *"</span> })}
            </legend>
            {items}
            <button type="button" class="secondary small" id=format!("{id}-add") disabled=disabled on:click=add>
                {format!("Add {noun}")}
            </button>
        </fieldset>
    }
}

/// Item `index` of a list: one field per item option, and its buttons.
#[component]
fn ListItem(binding: Binding, spec: OptionSpec, index: usize) -> impl IntoView {
    let (value, ctx, id, path) = (binding.value, binding.ctx, binding.dom_id.clone(), binding.path.clone());
    let set = binding.set;
    let disabled = move || ctx.viewing.get().is_some();
    let fields = spec
        .items
        .iter()
        .map(|item| {
            let name = item.name.clone();
            let item_value = Signal::derive({
                let name = name.clone();
                move || value.with(|v| list_items(v.as_ref()).get(index).and_then(|m| m.get(&name)).cloned())
            });
            let item_set = Callback::new({
                let name = name.clone();
                move |(field, typing)| {
                    let list = value.with_untracked(|v| set_item_field(v.as_ref(), index, &name, field));
                    set.run((list, typing));
                }
            });
            let nested = Binding {
                ctx,
                stage: binding.stage.clone(),
                dom_id: format!("{id}-{index}-{name}"),
                path: format!("{path}[{index}].{name}"),
                value: item_value,
                set: item_set,
            };
            // Boxed: a list item may itself hold any option, lists included.
            view! { <OptionField binding=nested spec=item.clone() /> }.into_any()
        })
        .collect_view();
    let up = move |_| set.run((value.with_untracked(|v| move_item_up(v.as_ref(), index)), false));
    let remove = move |_| set.run((value.with_untracked(|v| remove_item(v.as_ref(), index)), false));
    view! {
        <div class="list-item" data-index=index>
            <div class="list-item-head">
                <span class="muted">{format!("{} {}", singular(&spec.name), index + 1)}</span>
                <button type="button" class="icon" id=format!("{id}-{index}-up") aria-label="Move up"
                    disabled=move || disabled() || index == 0 on:click=up>"↑"</button>
                <button type="button" class="icon" id=format!("{id}-{index}-remove") aria-label="Remove"
                    disabled=disabled on:click=remove>"×"</button>
            </div>
            {fields}
        </div>
    }
}

/// `routes` → `route`, `keys` → `key`, `aggregates` → `aggregate`.
fn singular(name: &str) -> String {
    name.strip_suffix('s').filter(|s| !s.is_empty()).unwrap_or(name).replace('_', " ")
}

/// Key and value rows. The rows live here while typing, so a key being typed keeps its place
/// (the document's objects keep keys sorted); the option follows every keystroke.
#[component]
pub fn MapEditor(binding: Binding) -> impl IntoView {
    let (value, ctx, id, set) = (binding.value, binding.ctx, binding.dom_id.clone(), binding.set);
    let rows = RwSignal::new(value.with_untracked(|v| map_rows(v.as_ref())));
    let next_id = StoredValue::new(rows.with_untracked(Vec::len));
    // Undo, redo and other outside changes replace the rows unless they already say the same.
    Effect::new(move |_| {
        let current = value.get();
        if rows.with_untracked(|r| rows_value(r)) != current {
            // Fresh ids, so that the keyed rows are drawn anew with the new text.
            let base = next_id.get_value();
            let fresh: Vec<MapRow> = map_rows(current.as_ref())
                .into_iter()
                .map(|row| MapRow { id: base + row.id, ..row })
                .collect();
            next_id.set_value(base + fresh.len());
            rows.set(fresh);
        }
    });
    let write = move |typing: bool| set.run((rows.with_untracked(|r| rows_value(r)), typing));
    let disabled = move || ctx.viewing.get().is_some();
    let add = move |_| {
        let row_id = next_id.get_value();
        next_id.set_value(row_id + 1);
        rows.update(|r| r.push(MapRow { id: row_id, key: String::new(), value: String::new() }));
    };
    let row_view = {
        let id = id.clone();
        move |row: MapRow| {
            let row_id = row.id;
            let edit = move |change: &dyn Fn(&mut MapRow)| {
                rows.update(|r| r.iter_mut().filter(|x| x.id == row_id).for_each(change));
                write(true);
            };
            let remove = move |_| {
                rows.update(|r| r.retain(|x| x.id != row_id));
                write(false);
            };
            view! {
                <tr>
                    <td>
                        <input type="text" id=format!("{id}-key-{row_id}") aria-label="Key" autocomplete="off"
                            disabled=disabled value=row.key.clone()
                            on:input=move |event| {
                                let key = event_target_value(&event);
                                edit(&|r: &mut MapRow| r.key = key.clone());
                            }
                            on:change=move |_| ctx.end_gesture() />
                    </td>
                    <td>
                        <input type="text" id=format!("{id}-value-{row_id}") aria-label="Value" autocomplete="off"
                            disabled=disabled value=row.value.clone()
                            on:input=move |event| {
                                let text = event_target_value(&event);
                                edit(&|r: &mut MapRow| r.value = text.clone());
                            }
                            on:change=move |_| ctx.end_gesture() />
                    </td>
                    <td>
                        <button type="button" class="icon" id=format!("{id}-remove-{row_id}") aria-label="Remove"
                            disabled=disabled on:click=remove>"×"</button>
                    </td>
                </tr>
            }
        }
    };
    view! {
        <table class="map-editor" id=id.clone()>
            <tbody>
                <For each=move || rows.get() key=|row| row.id children=row_view />
            </tbody>
        </table>
        <button type="button" class="secondary small" id=format!("{id}-add") disabled=disabled on:click=add>
            "Add entry"
        </button>
    }
}
