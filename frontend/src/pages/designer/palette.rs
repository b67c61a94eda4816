//! The palette: stage types grouped by module and category, with a search box. An entry adds
//! its stage at the centre of the view on click or Enter, or where it is dropped on the canvas;
//! Enter in the search box adds the first match.

use leptos::ev::DragEvent;
use leptos::prelude::*;
use model::StageSpec;

use super::canvas::{STAGE_MIME, add_stage};
use super::state::Ctx;
use crate::designer::palette::palette;

#[component]
pub fn Palette(ctx: Ctx) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let kind = Memo::new(move |_| ctx.document.with(|d| d.kind));
    let groups = move || {
        let query = query.get();
        ctx.catalog.with_value(|catalog| {
            let groups = palette(catalog, kind.get(), &query);
            if groups.is_empty() {
                return view! { <p class="muted" id="palette-empty">"No stage matches."</p> }.into_any();
            }
            groups
                .into_iter()
                .map(|group| {
                    let heading = if group.module == "core" {
                        capitalize(group.category)
                    } else {
                        format!("{} · {}", capitalize(group.module), group.category)
                    };
                    let entries: Vec<StageSpec> = group.entries.into_iter().cloned().collect();
                    view! {
                        <section class="palette-group">
                            <h3>{heading}</h3>
                            <ul>
                                {entries
                                    .into_iter()
                                    .map(|spec| view! { <PaletteItem ctx spec /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let add_first = move || {
        let first = ctx.catalog.with_value(|catalog| {
            palette(catalog, kind.get_untracked(), &query.get_untracked())
                .first()
                .and_then(|g| g.entries.first())
                .map(|s| s.stage_type.clone())
        });
        if let Some(stage_type) = first {
            add_stage(ctx, &stage_type, None);
        }
    };
    view! {
        <aside class="designer-palette" aria-label="Stage palette">
            <label class="visually-hidden" for="palette-search">"Search stages"</label>
            <input
                type="search"
                id="palette-search"
                placeholder="Search stages"
                autocomplete="off"
                prop:value=query
                on:input=move |event| query.set(event_target_value(&event))
                on:keydown=move |event| {
                    if event.key() == "Enter" {
                        event.prevent_default();
                        add_first();
                    }
                }
            />
            <div class="palette-groups">{groups}</div>
        </aside>
    }
}

#[component]
fn PaletteItem(ctx: Ctx, spec: StageSpec) -> impl IntoView {
    let stage_type = StoredValue::new(spec.stage_type.clone());
    let on_dragstart = move |event: DragEvent| {
        if let Some(transfer) = event.data_transfer() {
            stage_type.with_value(|t| {
                let _ = transfer.set_data(STAGE_MIME, t);
                let _ = transfer.set_data("text/plain", t);
            });
            transfer.set_effect_allowed("copy");
        }
    };
    view! {
        <li>
            <button
                type="button"
                class="palette-item"
                id=format!("palette-item-{}", spec.stage_type)
                data-stage-type=spec.stage_type.clone()
                draggable="true"
                title=spec.description.clone()
                disabled=move || ctx.viewing.get().is_some()
                on:dragstart=on_dragstart
                on:click=move |_| add_stage(ctx, &stage_type.get_value(), None)
            >
                <span class="palette-title">{spec.title.clone()}</span>
                <span class="palette-description">{spec.description.clone()}</span>
            </button>
        </li>
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
