//! Keyboard shortcuts of the designer page (ignored while typing in a field), copy and paste
//! through the model's clipboard text (also offered to the system clipboard), the warning
//! before leaving with unsaved changes, and the list of shortcuts shown on the page.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::save::save;
use super::state::{Ctx, Notice};
use super::toolbar::{ZOOM_STEP, zoom};

/// Arrow keys move the selection this far (world pixels); with Shift ten times as far.
const NUDGE: f64 = 1.0;

/// Whether the key went to something that takes text (where Backspace and Ctrl+Z mean editing).
fn typing_into(event: &KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(element.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select")
        || element.closest("[contenteditable='true'], [role='dialog']").ok().flatten().is_some()
}

fn on_canvas(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| e.id() == "designer-canvas")
}

/// Whether the key belongs to the designer: pressed in it, or with nothing focused.
fn in_designer(event: &KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return true;
    };
    matches!(element.tag_name().to_ascii_lowercase().as_str(), "body" | "html")
        || element.closest("#designer-page").ok().flatten().is_some()
}

/// Listens to the keyboard while the designer is on screen.
pub fn use_shortcuts(ctx: Ctx) {
    let down = window_event_listener(leptos::ev::keydown, move |event| on_keydown(ctx, event));
    let up = window_event_listener(leptos::ev::keyup, move |event| on_keyup(ctx, event));
    on_cleanup(move || {
        down.remove();
        up.remove();
    });
}

fn on_keydown(ctx: Ctx, event: KeyboardEvent) {
    if !in_designer(&event) || typing_into(&event) || event.alt_key() || event.default_prevented() {
        return;
    }
    let command = event.ctrl_key() || event.meta_key();
    let shift = event.shift_key();
    let key = event.key();
    let handled = match (key.as_str(), command) {
        ("z" | "Z", true) if shift => {
            ctx.redo();
            true
        }
        ("z" | "Z", true) => {
            ctx.undo();
            true
        }
        ("y" | "Y", true) => {
            ctx.redo();
            true
        }
        ("c" | "C", true) if has_stages(ctx) => {
            copy_selection(ctx);
            true
        }
        ("x" | "X", true) if has_stages(ctx) => {
            copy_selection(ctx);
            ctx.edit(|d| d.delete_selection());
            true
        }
        ("v" | "V", true) => {
            paste(ctx);
            true
        }
        ("a" | "A", true) => {
            ctx.select(|d| d.select_all());
            true
        }
        ("s" | "S", true) => {
            save(ctx);
            true
        }
        ("Delete" | "Backspace", false) if ctx.selection.with_untracked(|s| !s.is_empty()) => {
            ctx.edit(|d| d.delete_selection());
            true
        }
        ("ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown", false) if has_stages(ctx) => {
            let step = if shift { NUDGE * 10.0 } else { NUDGE };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                _ => (0.0, step),
            };
            // Held or repeated arrows make one undo step, closed when the key is released.
            ctx.edit(|d| d.move_selected(dx, dy, Some("nudge")));
            true
        }
        ("[" | "]", false) => {
            step_selection(ctx, key == "]");
            true
        }
        ("Escape", false) => {
            ctx.select(|d| d.clear_selection());
            true
        }
        (" ", false) if on_canvas(&event) => {
            ctx.space.set(true);
            true
        }
        ("+" | "=", false) if on_canvas(&event) => {
            zoom(ctx, ZOOM_STEP);
            true
        }
        ("-", false) if on_canvas(&event) => {
            zoom(ctx, 1.0 / ZOOM_STEP);
            true
        }
        ("0", false) if on_canvas(&event) => {
            ctx.fit();
            true
        }
        _ => false,
    };
    if handled {
        event.prevent_default();
    }
}

fn on_keyup(ctx: Ctx, event: KeyboardEvent) {
    match event.key().as_str() {
        " " => ctx.space.set(false),
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => ctx.end_gesture(),
        _ => {}
    }
}

fn has_stages(ctx: Ctx) -> bool {
    ctx.selection.with_untracked(|s| !s.stages.is_empty())
}

/// Selects the next (or previous) stage in document order and brings it into view.
fn step_selection(ctx: Ctx, forward: bool) {
    let next = ctx.document.with_untracked(|doc| {
        let ids: Vec<&str> = doc.stages.iter().map(|s| s.id.as_str()).collect();
        if ids.is_empty() {
            return None;
        }
        let current = ctx.selection.with_untracked(|s| s.stages.first().cloned());
        let at = current.and_then(|c| ids.iter().position(|id| *id == c));
        let index = match (at, forward) {
            (None, true) => 0,
            (None, false) => ids.len() - 1,
            (Some(i), true) => (i + 1) % ids.len(),
            (Some(i), false) => (i + ids.len() - 1) % ids.len(),
        };
        Some(ids[index].to_owned())
    });
    if let Some(id) = next {
        ctx.focus_stage(&id);
    }
}

/// Copies the selected stages (and the edges among them) into the designer's clipboard, and
/// offers the same text to the system clipboard when the browser allows.
pub fn copy_selection(ctx: Ctx) {
    let Some(text) = ctx.designer.with_untracked(|d| d.copy_selection().ok()) else { return };
    let count = ctx.selection.with_untracked(|s| s.stages.len());
    ctx.clipboard.set_value(Some(text.clone()));
    let clipboard = window().navigator().clipboard();
    spawn_local(async move {
        // Refused without focus or permission; the designer's own copy still works.
        let _ = JsFuture::from(clipboard.write_text(&text)).await;
    });
    let noun = if count == 1 { "stage" } else { "stages" };
    ctx.notice.set(Some(Notice::info(format!("Copied {count} {noun}."))));
}

/// Pastes the designer's clipboard, or else the system clipboard's text if the browser gives it.
pub fn paste(ctx: Ctx) {
    if let Some(text) = ctx.clipboard.get_value() {
        paste_text(ctx, &text);
        return;
    }
    let clipboard = window().navigator().clipboard();
    spawn_local(async move {
        match JsFuture::from(clipboard.read_text()).await.ok().and_then(|t| t.as_string()) {
            Some(text) => paste_text(ctx, &text),
            None => ctx.notice.set(Some(Notice::error("Nothing to paste: copy stages first."))),
        }
    });
}

fn paste_text(ctx: Ctx, text: &str) {
    if let Some(ids) = ctx.edit(|d| d.paste(text)) {
        let noun = if ids.len() == 1 { "stage" } else { "stages" };
        ctx.notice.set(Some(Notice::info(format!("Pasted {} {noun}.", ids.len()))));
    }
}

/// Asks the browser to confirm leaving the page (closing, reloading, typing another address)
/// while there are unsaved changes.
pub fn warn_before_leaving(ctx: Ctx) {
    let handle = window_event_listener(leptos::ev::beforeunload, move |event| {
        if ctx.dirty.try_get_untracked().unwrap_or(false) {
            event.prevent_default();
            event.set_return_value("unsaved");
        }
    });
    on_cleanup(move || handle.remove());
}

#[component]
pub fn ShortcutsHelp() -> impl IntoView {
    view! {
        <details class="shortcuts">
            <summary>"Mouse and keyboard"</summary>
            <ul id="shortcuts-help">
                <li>"Drag the background, or anything while holding Space, to pan; the wheel zooms about the pointer."</li>
                <li>"Shift-drag the background to select the stages inside a rectangle; Shift-click adds or removes one."</li>
                <li>"Drag a stage to move the selection; drag from a port to a port or onto a stage to connect."</li>
                <li>"Click an edge to preview the data on it."</li>
                <li>
                    "Delete or Backspace deletes; Ctrl+C, Ctrl+X, Ctrl+V copy, cut and paste; "
                    "Ctrl+Z and Ctrl+Shift+Z undo and redo; Ctrl+A selects all; Ctrl+S saves."
                </li>
                <li>
                    "Arrow keys nudge the selection (Shift: 10 pixels); [ and ] select the previous and "
                    "next stage; Escape clears the selection."
                </li>
                <li>"On the focused canvas: + and − zoom, 0 fits the dataflow."</li>
            </ul>
        </details>
    }
}
