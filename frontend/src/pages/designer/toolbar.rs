//! The toolbar: undo and redo (disabled when there is nothing to undo or redo), delete, copy,
//! paste, auto-layout, zoom and fit, export and import, the save comment and Save, and the status
//! line where edits that were refused say why.

use leptos::prelude::*;

use super::keys::{copy_selection, paste};
use super::save::save;
use super::state::Ctx;
use super::transfer::{ImportButton, export};
use crate::components::ErrorAlert;
use crate::designer::Point;

/// Zoom factor of the zoom buttons and keys.
pub const ZOOM_STEP: f64 = 1.25;

/// Zooms about the middle of the canvas.
pub fn zoom(ctx: Ctx, factor: f64) {
    let (width, height) = ctx.canvas_size();
    ctx.viewport.update(|v| v.zoom_about(Point::new(width / 2.0, height / 2.0), factor));
}

#[component]
pub fn Toolbar(ctx: Ctx) -> impl IntoView {
    let editing = move || ctx.viewing.get().is_none();
    let can_undo = Memo::new(move |_| ctx.designer.with(|d| d.can_undo()));
    let can_redo = Memo::new(move |_| ctx.designer.with(|d| d.can_redo()));
    let has_selection = Memo::new(move |_| ctx.selection.with(|s| !s.is_empty()));
    let has_stages = Memo::new(move |_| ctx.selection.with(|s| !s.stages.is_empty()));
    let percent = move || format!("{:.0}%", ctx.viewport.with(|v| v.zoom) * 100.0);
    view! {
        <div class="designer-toolbar" role="toolbar" aria-label="Designer">
            <div class="tool-group">
                <button type="button" class="secondary" id="designer-undo" title="Undo (Ctrl+Z)"
                    disabled=move || !editing() || !can_undo.get() on:click=move |_| ctx.undo()>"Undo"</button>
                <button type="button" class="secondary" id="designer-redo" title="Redo (Ctrl+Shift+Z)"
                    disabled=move || !editing() || !can_redo.get() on:click=move |_| ctx.redo()>"Redo"</button>
            </div>
            <div class="tool-group">
                <button type="button" class="secondary" id="designer-delete" title="Delete (Delete or Backspace)"
                    disabled=move || !editing() || !has_selection.get()
                    on:click=move |_| _ = ctx.edit(|d| d.delete_selection())>"Delete"</button>
                <button type="button" class="secondary" id="designer-copy" title="Copy (Ctrl+C)"
                    disabled=move || !has_stages.get() on:click=move |_| copy_selection(ctx)>"Copy"</button>
                <button type="button" class="secondary" id="designer-paste" title="Paste (Ctrl+V)"
                    disabled=move || !editing() on:click=move |_| paste(ctx)>"Paste"</button>
                <button type="button" class="secondary" id="designer-layout" title="Lay out left to right"
                    disabled=move || !editing() || ctx.document.with(|d| d.stages.is_empty())
                    on:click=move |_| {
                        if ctx.edit(|d| d.auto_layout()).is_some() {
                            ctx.fit();
                        }
                    }>"Auto-layout"</button>
            </div>
            <div class="tool-group">
                <button type="button" class="secondary" id="designer-zoom-out" aria-label="Zoom out" title="Zoom out (-)"
                    on:click=move |_| zoom(ctx, 1.0 / ZOOM_STEP)>"−"</button>
                <span class="zoom" id="designer-zoom" aria-live="off">{percent}</span>
                <button type="button" class="secondary" id="designer-zoom-in" aria-label="Zoom in" title="Zoom in (+)"
                    on:click=move |_| zoom(ctx, ZOOM_STEP)>"+"</button>
                <button type="button" class="secondary" id="designer-fit" title="Show the whole dataflow (0)"
                    on:click=move |_| ctx.fit()>"Fit"</button>
            </div>
            <div class="tool-group">
                <button type="button" class="secondary" id="designer-export" title="Download the working copy as JSON"
                    on:click=move |_| export(ctx)>"Export"</button>
                <ImportButton ctx />
            </div>
            <div class="tool-group save-group">
                <label class="visually-hidden" for="save-comment">"Comment for this version"</label>
                <input type="text" id="save-comment" placeholder="What changed? (optional)" autocomplete="off"
                    disabled=move || !editing()
                    prop:value=ctx.comment
                    on:input=move |event| ctx.comment.set(event_target_value(&event))
                    on:keydown=move |event| {
                        if event.key() == "Enter" {
                            event.prevent_default();
                            save(ctx);
                        }
                    } />
                <button type="button" id="designer-save" title="Save as a new version (Ctrl+S)"
                    disabled=move || !editing() || ctx.saving.get() || !ctx.dirty.get()
                    on:click=move |_| save(ctx)>
                    {move || if ctx.saving.get() { "Saving…" } else { "Save" }}
                </button>
            </div>
        </div>
        <ErrorAlert error=ctx.save_error id="save-error" />
    }
}

/// The last message: what was done, or why an edit was refused.
#[component]
pub fn StatusLine(ctx: Ctx) -> impl IntoView {
    let notice = move || {
        ctx.notice.get().map(|n| {
            view! {
                <span class="notice" class:notice-error=n.error>
                    {n.text}
                    <button type="button" class="icon" aria-label="Dismiss" on:click=move |_| ctx.notice.set(None)>
                        "×"
                    </button>
                </span>
            }
        })
    };
    view! { <p class="designer-status" id="designer-status" aria-live="polite">{notice}</p> }
}
