//! Deleting a dataflow, with an in-page confirmation step.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::route::{Route, navigate};

/// `etag` is the version the user is looking at: if someone saved a newer one meanwhile, the
/// server refuses (412) instead of deleting work the user has not seen.
#[component]
pub fn DeleteDataflow(name: String, etag: String) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let target = StoredValue::new((name.clone(), etag));
    // Each step replaces the buttons of the other, so keyboard focus is moved along with them
    // instead of falling back to the top of the page.
    let confirm_button = NodeRef::<html::Button>::new();
    let delete_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let cancel = move |_| {
        confirming.set(false);
        request_animation_frame(move || {
            if let Some(button) = delete_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };

    let delete = move |_| {
        pending.set(true);
        error.set(None);
        let (name, etag) = target.get_value();
        spawn_local(async move {
            match api::delete_dataflow(&name, Some(&etag)).await {
                Ok(()) => navigate(&Route::Dataflows),
                Err(failure) => {
                    pending.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    let ask = move || {
        view! {
            <div class="confirm" role="group" aria-labelledby="confirm-delete-question">
                <p id="confirm-delete-question">
                    <strong>"Delete “" {name.clone()} "” and all its versions?"</strong>
                    " This cannot be undone."
                </p>
                <div class="buttons">
                    <button
                        id="confirm-delete"
                        type="button"
                        class="danger"
                        node_ref=confirm_button
                        disabled=pending
                        on:click=delete
                    >
                        "Delete permanently"
                    </button>
                    <button id="cancel-delete" type="button" class="secondary" on:click=cancel>
                        "Cancel"
                    </button>
                </div>
            </div>
        }
    };

    view! {
        <section class="panel danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete"</h2>
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <p>"Deleting removes the dataflow and every version of it."</p>
                        <button
                            id="delete-dataflow"
                            type="button"
                            class="danger"
                            node_ref=delete_button
                            on:click=move |_| confirming.set(true)
                        >
                            "Delete"
                        </button>
                    }
                }
            >
                {ask()}
            </Show>
            <ErrorAlert error id="delete-error" />
        </section>
    }
}
