//! What a person can do to a schedule from the list and from its page: pause or resume it, and
//! run it now (outside its fire times, with its parameters).

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Run, Schedule};

use crate::api::{self, ApiError};
use crate::format::short_id;
use crate::route::Route;

/// Where the actions report: the run "Run now" started, or what went wrong.
#[derive(Debug, Clone, Copy)]
pub struct ActionOutcome {
    pub started: RwSignal<Option<Run>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl ActionOutcome {
    pub fn new() -> Self {
        Self { started: RwSignal::new(None), error: RwSignal::new(None) }
    }

    fn clear(self) {
        self.started.set(None);
        self.error.set(None);
    }
}

/// `id_suffix` keeps the buttons' ids unique on the list (`-{id}`); empty on the schedule's page.
/// `on_changed` gets the schedule as the server now has it.
#[component]
pub fn ScheduleActions(
    schedule: Schedule,
    id_suffix: String,
    outcome: ActionOutcome,
    on_changed: Callback<Schedule>,
) -> impl IntoView {
    let id = StoredValue::new(schedule.id.clone());
    let enabled = schedule.spec.enabled;
    let name = schedule.spec.name;
    let pending = RwSignal::new(false);
    let toggle = move |_| {
        pending.set(true);
        outcome.clear();
        let id = id.get_value();
        spawn_local(async move {
            let result =
                if enabled { api::pause_schedule(&id).await } else { api::resume_schedule(&id).await };
            pending.set(false);
            match result {
                Ok(changed) => on_changed.run(changed),
                Err(failure) => outcome.error.set(Some(failure)),
            }
        });
    };
    let run_now = move |_| {
        pending.set(true);
        outcome.clear();
        let id = id.get_value();
        spawn_local(async move {
            let result = api::trigger_schedule(&id).await;
            pending.set(false);
            match result {
                Ok(run) => outcome.started.set(Some(run)),
                Err(failure) => outcome.error.set(Some(failure)),
            }
        });
    };
    let toggle_label = if enabled { "Pause" } else { "Resume" };
    view! {
        <div class="buttons">
            <button
                id=format!("schedule-toggle{id_suffix}")
                type="button"
                class="secondary"
                data-enabled=enabled.to_string()
                aria-label=format!("{toggle_label} {name}")
                disabled=pending
                on:click=toggle
            >
                {toggle_label}
            </button>
            <button
                id=format!("schedule-run-now{id_suffix}")
                type="button"
                class="secondary"
                aria-label=format!("Run now: {name}")
                disabled=pending
                on:click=run_now
            >
                "Run now"
            </button>
        </div>
    }
}

/// The run "Run now" started, with a link to follow it. `id` names the message.
#[component]
pub fn RunStarted(outcome: ActionOutcome, id: &'static str) -> impl IntoView {
    move || {
        outcome.started.get().map(|run| {
            let href = Route::Run(run.id.clone()).path();
            view! {
                <p class="notice" role="status" id=id>
                    "Started run " <a href=href><code>{short_id(&run.id).to_owned()}</code></a> " of "
                    {run.dataflow} "."
                </p>
            }
        })
    }
}
