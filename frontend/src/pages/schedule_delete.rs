//! Deleting a schedule, with an in-page confirmation step. Its past runs stay.
//!
//! Element ids: `schedule-delete`, `schedule-confirm-delete`, `schedule-cancel-delete`,
//! `schedule-delete-error`.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::route::{Route, navigate};

#[component]
pub fn DeleteSchedule(id: String, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(id);
    // Each step replaces the buttons of the other, so keyboard focus moves along with them
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
        let id = id.get_value();
        spawn_local(async move {
            match api::delete_schedule(&id).await {
                Ok(()) => navigate(&Route::Schedules),
                Err(failure) => {
                    pending.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    let ask = move || {
        view! {
            <div class="confirm" role="group" aria-labelledby="schedule-confirm-question">
                <p id="schedule-confirm-question">
                    <strong>"Delete the schedule “" {name} "”?"</strong>
                    " It stops firing; the runs it started stay in the history."
                </p>
                <div class="buttons">
                    <button
                        id="schedule-confirm-delete"
                        type="button"
                        class="danger"
                        node_ref=confirm_button
                        disabled=pending
                        on:click=delete
                    >
                        "Delete permanently"
                    </button>
                    <button id="schedule-cancel-delete" type="button" class="secondary" on:click=cancel>
                        "Cancel"
                    </button>
                </div>
            </div>
        }
    };
    view! {
        <section class="panel danger-zone" aria-labelledby="schedule-delete-heading">
            <h2 id="schedule-delete-heading">"Delete"</h2>
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button
                            id="schedule-delete"
                            type="button"
                            class="danger"
                            node_ref=delete_button
                            on:click=move |_| confirming.set(true)
                        >
                            "Delete schedule"
                        </button>
                    }
                }
            >
                {ask()}
            </Show>
            <ErrorAlert error id="schedule-delete-error" />
        </section>
    }
}
