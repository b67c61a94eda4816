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
    let empty = Memo::new(move |_| ctx.document.with(|d| d.stages.is_empty()));
    let percent = move || format!("{:.0}%", ctx.viewport.with(|v| v.zoom) * 100.0);
    let layout = move |()| {
        if ctx.edit(|d| d.auto_layout()).is_some() {
            ctx.fit();
        }
    };
    let on_comment_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            save(ctx);
        }
    };
    view! {
        <div class="designer-toolbar" role="toolbar" aria-label="Designer">
            <div class="tool-group">
                <Tool id="designer-undo" title="Undo (Ctrl+Z)" disabled=Signal::derive(move || !editing() || !can_undo.get())
                    on_click=move |()| ctx.undo()>"Undo"</Tool>
                <Tool id="designer-redo" title="Redo (Ctrl+Shift+Z)" disabled=Signal::derive(move || !editing() || !can_redo.get())
                    on_click=move |()| ctx.redo()>"Redo"</Tool>
            </div>
            <div class="tool-group">
                <Tool id="designer-delete" title="Delete (Delete or Backspace)"
                    disabled=Signal::derive(move || !editing() || !has_selection.get())
                    on_click=move |()| _ = ctx.edit(|d| d.delete_selection())>"Delete"</Tool>
                <Tool id="designer-copy" title="Copy (Ctrl+C)" disabled=Signal::derive(move || !has_stages.get())
                    on_click=move |()| copy_selection(ctx)>"Copy"</Tool>
                <Tool id="designer-paste" title="Paste (Ctrl+V)" disabled=Signal::derive(move || !editing())
                    on_click=move |()| paste(ctx)>"Paste"</Tool>
                <Tool id="designer-layout" title="Lay the stages out left to right"
                    disabled=Signal::derive(move || !editing() || empty.get()) on_click=layout>"Auto-layout"</Tool>
            </div>
            <div class="tool-group">
                <Tool id="designer-zoom-out" title="Zoom out (-)" label="Zoom out" on_click=move |()| zoom(ctx, 1.0 / ZOOM_STEP)>"−"</Tool>
                <span class="zoom" id="designer-zoom">{percent}</span>
                <Tool id="designer-zoom-in" title="Zoom in (+)" label="Zoom in" on_click=move |()| zoom(ctx, ZOOM_STEP)>"+"</Tool>
                <Tool id="designer-fit" title="Show the whole dataflow (0)" on_click=move |()| ctx.fit()>"Fit"</Tool>
            </div>
            <div class="tool-group">
                <Tool id="designer-export" title="Download the working copy as JSON" on_click=move |()| export(ctx)>
                    "Export"
                </Tool>
                <ImportButton ctx />
            </div>
            <div class="tool-group save-group">
                <label class="visually-hidden" for="save-comment">"Comment for this version"</label>
                <input
                    type="text"
                    id="save-comment"
                    placeholder="What changed? (optional)"
                    autocomplete="off"
                    disabled=move || !editing()
                    prop:value=ctx.comment
                    on:input=move |event| ctx.comment.set(event_target_value(&event))
                    on:keydown=on_comment_key
                />
                <button
                    type="button"
                    id="designer-save"
                    title="Save as a new version (Ctrl+S)"
                    disabled=move || !editing() || ctx.saving.get() || !ctx.dirty.get()
                    on:click=move |_| save(ctx)
                >
                    {move || if ctx.saving.get() { "Saving…" } else { "Save" }}
                </button>
            </div>
        </div>
        <ErrorAlert error=ctx.save_error id="save-error" />
    }
}

/// A toolbar button; the title names its shortcut.
#[component]
fn Tool(
    id: &'static str,
    title: &'static str,
    /// For buttons whose text is a symbol.
    #[prop(optional)]
    label: Option<&'static str>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into)] on_click: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="secondary"
            id=id
            title=title
            aria-label=label
            disabled=disabled
            on:click=move |_| on_click.run(())
        >
            {children()}
        </button>
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
