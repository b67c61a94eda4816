//! Saving: `PUT /dataflows/{name}` with the comment and `If-Match` carrying the ETag of the
//! version this session started from. When someone saved in between (412), the conflict dialog
//! asks what to do: take their version (mine stays one undo away), save mine on top of theirs,
//! or keep editing. Nothing is dropped without the user choosing it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Dataflow, ErrorCode};
use wasm_bindgen::JsCast;

use super::state::{Ctx, Notice, Saved};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Timestamp};

/// Saves the working copy as the next version (nothing while one is already being saved or an
/// old version is shown).
pub fn save(ctx: Ctx) {
    if ctx.saving.get_untracked() || ctx.read_only() {
        return;
    }
    let etag = ctx.saved.with_untracked(|s| s.etag.clone());
    save_with(ctx, etag);
}

fn save_with(ctx: Ctx, etag: String) {
    let (name, comment, document) = (ctx.name(), ctx.comment.get_untracked(), ctx.document.get_untracked());
    ctx.saving.set(true);
    ctx.save_error.set(None);
    spawn_local(async move {
        let result = api::save_dataflow(&name, &etag, &comment, &document).await;
        if ctx.saving.try_set(false).is_some() {
            return;
        }
        match result {
            Ok(saved) => {
                let version = saved.summary.version;
                // What was sent is what the user sees; later edits stay unsaved.
                ctx.saved.set(Saved { document, ..Saved::from(saved) });
                ctx.comment.set(String::new());
                ctx.conflict.set(false);
                ctx.notice.set(Some(Notice::info(format!("Saved version {version}."))));
                ctx.refresh_versions();
            }
            Err(error) if error.is(ErrorCode::PreconditionFailed) => ctx.conflict.set(true),
            Err(error) => {
                ctx.conflict.set(false);
                ctx.save_error.set(Some(error));
            }
        }
    });
}

#[component]
pub fn ConflictDialog(ctx: Ctx) -> impl IntoView {
    let latest = RwSignal::new(None::<Dataflow>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // On opening: learn who saved what, and put the focus in the dialog.
    Effect::new(move |_| {
        if !ctx.conflict.get() {
            return;
        }
        latest.set(None);
        error.set(None);
        let name = ctx.name();
        spawn_local(async move {
            match api::get_dataflow(&name).await {
                Ok(current) => _ = latest.try_set(Some(current)),
                Err(failure) => _ = error.try_set(Some(failure)),
            }
        });
        request_animation_frame(|| {
            let button = document().get_element_by_id("conflict-reload");
            if let Some(button) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = button.focus();
            }
        });
    });
    let with_latest = move |then: fn(Ctx, Dataflow)| {
        busy.set(true);
        error.set(None);
        let name = ctx.name();
        spawn_local(async move {
            let result = api::get_dataflow(&name).await;
            busy.try_set(false);
            match result {
                Ok(current) => then(ctx, current),
                Err(failure) => _ = error.try_set(Some(failure)),
            }
        });
    };
    let reload = move |_| with_latest(take_theirs);
    let overwrite = move |_| with_latest(|ctx, current| save_with(ctx, current.etag));
    let close = move || ctx.conflict.set(false);
    let who = move || {
        latest.get().map(|d| {
            view! {
                <p>
                    {format!("Version {} was saved by {} ", d.summary.version, d.summary.updated_by)}
                    <Timestamp value=d.summary.updated_at />
                    " while you were editing."
                </p>
            }
        })
    };
    move || {
        ctx.conflict.get().then(|| {
            view! {
                <div class="modal-backdrop">
                    <div
                        class="modal"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="conflict-heading"
                        id="conflict-dialog"
                        on:keydown=move |event| {
                            if event.key() == "Escape" {
                                close();
                            }
                        }
                    >
                        <h2 id="conflict-heading">"Someone else saved this dataflow"</h2>
                        {who}
                        <p>"Your changes are not saved yet. What should happen to them?"</p>
                        <ErrorAlert error id="conflict-error" />
                        <div class="buttons">
                            <button type="button" class="secondary" id="conflict-reload" disabled=busy on:click=reload>
                                "Reload theirs"
                            </button>
                            <button type="button" id="conflict-overwrite" disabled=busy on:click=overwrite>
                                "Save mine as newer"
                            </button>
                            <button type="button" class="secondary" id="conflict-cancel" on:click=move |_| close()>
                                "Keep editing"
                            </button>
                        </div>
                        <p class="hint">
                            "Reload theirs shows their version; your version stays one Undo (Ctrl+Z) away."
                        </p>
                    </div>
                </div>
            }
        })
    }
}

/// Their version becomes the working copy as an undoable edit, and the base of the next save.
fn take_theirs(ctx: Ctx, current: Dataflow) {
    if !ctx.alive() {
        return;
    }
    let version = current.summary.version;
    let document = current.document.clone();
    if ctx.edit(|d| d.replace_document(document)).is_some() {
        ctx.saved.set(Saved::from(current));
        ctx.conflict.set(false);
        ctx.notice.set(Some(Notice::info(format!(
            "Showing version {version}. Undo (Ctrl+Z) brings your changes back, unsaved."
        ))));
        ctx.refresh_versions();
    }
}
