//! Export downloads the working copy as `<name>.json`; import reads a JSON file, checks it (see
//! [`crate::designer::transfer::import`]) and loads it as one unsaved, undoable edit, or says
//! exactly why not.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::Array;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};

use super::state::{Ctx, Notice};
use crate::api::describe_detail;
use crate::designer::transfer::{ImportError, export_json, file_name, import};

/// Offers the working copy as a file download, built in the page (no request).
pub fn export(ctx: Ctx) {
    let text = ctx.document.with_untracked(export_json);
    let name = file_name(&ctx.name());
    if download(&text, &name).is_err() {
        ctx.notice.set(Some(Notice::error("The browser refused to save the file.")));
    }
}

fn download(text: &str, name: &str) -> Result<(), JsValue> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let anchor: HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoked a little later: some browsers read the URL after `click` returns.
    set_timeout(move || _ = Url::revoke_object_url(&url), Duration::from_secs(10));
    Ok(())
}

/// The file input and, after a failed import, what is wrong with the file.
#[component]
pub fn ImportButton(ctx: Ctx) -> impl IntoView {
    let failure = RwSignal::new(None::<ImportError>);
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Cleared so that choosing the same file again (after fixing it) is noticed.
        input.set_value("");
        failure.set(None);
        spawn_local(async move {
            let text = match JsFuture::from(file.text()).await {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => {
                    ctx.notice.set(Some(Notice::error("The file could not be read.")));
                    return;
                }
            };
            match import(&text, &ctx.name()) {
                Ok(imported) => {
                    if ctx.edit(|d| d.replace_document(imported.document)).is_some() {
                        let mut message = "Imported; save to keep it, or undo.".to_owned();
                        for note in imported.notes {
                            message = format!("{note} {message}");
                        }
                        ctx.notice.set(Some(Notice::info(message)));
                        ctx.fit();
                    }
                }
                Err(error) => _ = failure.try_set(Some(error)),
            }
        });
    };
    let error_view = move || {
        failure.get().map(|error| {
            let details = match &error {
                ImportError::Invalid(problems) => {
                    let lines =
                        problems.iter().map(|p| view! { <li>{describe_detail(p)}</li> }).collect_view();
                    Some(view! { <ul>{lines}</ul> })
                }
                _ => None,
            };
            view! {
                <div class="error import-error" role="alert" id="import-error">
                    <p>{error.to_string()}</p>
                    {details}
                    <button type="button" class="secondary small" on:click=move |_| failure.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    };
    view! {
        <label class="file-button secondary" class:disabled=move || ctx.viewing.get().is_some()>
            "Import…"
            <input
                type="file"
                id="designer-import"
                accept=".json,application/json"
                disabled=move || ctx.viewing.get().is_some()
                on:change=on_change
            />
        </label>
        {error_view}
    }
}
