//! Starting a job from its dataflow page: the exposed version, with default parameters.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{DataflowKind, DataflowSummary};

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::route::{Route, navigate};

/// Only jobs run on demand; services answer calls and subflows run inside other dataflows.
#[component]
pub fn RunDataflow(summary: DataflowSummary) -> impl IntoView {
    if summary.kind != DataflowKind::Job {
        return None;
    }
    let body = match summary.exposed_version {
        Some(version) => view! { <RunButton name=summary.name version /> }.into_any(),
        None => view! {
            <p class="muted" id="run-dataflow-unavailable">
                "Expose a version below to run this job. Runs use the exposed version, not the newest."
            </p>
        }
        .into_any(),
    };
    Some(view! {
        <section class="panel" aria-labelledby="run-dataflow-heading">
            <h2 id="run-dataflow-heading">"Run"</h2>
            {body}
        </section>
    })
}

#[component]
fn RunButton(name: String, version: i32) -> impl IntoView {
    let name = StoredValue::new(name);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let run = move |_| {
        pending.set(true);
        error.set(None);
        let name = name.get_value();
        spawn_local(async move {
            match api::start_run(&name).await {
                Ok(started) => navigate(&Route::Run(started.id)),
                Err(failure) => {
                    pending.set(false);
                    error.set(Some(failure));
                }
            }
        });
    };
    view! {
        <p class="muted">"Runs version " {version} " now, with the default parameters."</p>
        <button id="run-dataflow" type="button" disabled=pending on:click=run>
            "Run"
        </button>
        <ErrorAlert error id="run-dataflow-error" />
    }
}
