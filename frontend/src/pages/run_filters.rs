//! The filters above the run history: status, trigger, dataflow name and a range of creation
//! times, as the person typed them.

use leptos::prelude::*;
use model::{RunStatus, RunTrigger};

/// What the filter inputs hold. The page derives the API's [`crate::api::RunFilter`] from it, so
/// the inputs can keep half-typed text without sending requests.
#[derive(Debug, Clone, Copy)]
pub struct FilterInputs {
    pub dataflow: RwSignal<String>,
    pub status: RwSignal<Option<RunStatus>>,
    pub trigger: RwSignal<Option<RunTrigger>>,
    /// `datetime-local` text, in the viewer's time zone.
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
}

impl FilterInputs {
    pub fn new() -> Self {
        Self {
            dataflow: RwSignal::new(String::new()),
            status: RwSignal::new(None),
            trigger: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
        }
    }

    fn any_set(&self) -> bool {
        let typed = |text: RwSignal<String>| text.with(|text| !text.trim().is_empty());
        typed(self.dataflow)
            || typed(self.from)
            || typed(self.to)
            || self.status.with(Option::is_some)
            || self.trigger.with(Option::is_some)
    }

    fn clear(&self) {
        self.dataflow.set(String::new());
        self.status.set(None);
        self.trigger.set(None);
        self.from.set(String::new());
        self.to.set(String::new());
    }
}

/// `range_is_empty`: both ends are set and "from" is not before "until", so no run can match.
#[component]
pub fn RunFilters(inputs: FilterInputs, #[prop(into)] range_is_empty: Signal<bool>) -> impl IntoView {
    view! {
        <div class="filters run-filters">
            <StatusFilter status=inputs.status />
            <TriggerFilter trigger=inputs.trigger />
            <input
                id="run-dataflow-filter"
                type="search"
                placeholder="Dataflow name"
                aria-label="Show the runs of one dataflow"
                autocomplete="off"
                spellcheck="false"
                prop:value=inputs.dataflow
                on:input=move |event| inputs.dataflow.set(event_target_value(&event))
            />
            <TimeInput id="run-from-filter" label="Created from" text=inputs.from />
            <TimeInput id="run-to-filter" label="until" text=inputs.to />
            <Show when=move || inputs.any_set()>
                <button
                    id="run-filters-clear"
                    type="button"
                    class="secondary"
                    on:click=move |_| inputs.clear()
                >
                    "Clear filters"
                </button>
            </Show>
        </div>
        <Show when=move || range_is_empty.get()>
            <p class="field-problem" id="run-time-range-problem" role="status">
                "The time range is empty: “Created from” must be before “until”."
            </p>
        </Show>
    }
}

#[component]
fn TimeInput(id: &'static str, label: &'static str, text: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="inline" for=id>
            {label}
            // `change` rather than `input`: the browser reports a value only once it is complete.
            <input
                id=id
                type="datetime-local"
                prop:value=text
                on:change=move |event| text.set(event_target_value(&event))
            />
        </label>
    }
}

#[component]
fn StatusFilter(status: RwSignal<Option<RunStatus>>) -> impl IntoView {
    let options = RunStatus::ALL.map(|option| {
        view! {
            <option value=option.as_str() selected=move || status.get() == Some(option)>
                {status_label(option)}
            </option>
        }
    });
    view! {
        <select
            id="run-status-filter"
            aria-label="Show runs with this status"
            on:change=move |event| status.set(RunStatus::parse(&event_target_value(&event)))
        >
            <option value="" selected=move || status.get().is_none()>
                "All statuses"
            </option>
            {options.into_iter().collect_view()}
        </select>
    }
}

#[component]
fn TriggerFilter(trigger: RwSignal<Option<RunTrigger>>) -> impl IntoView {
    let options = RunTrigger::ALL.map(|option| {
        view! {
            <option value=option.as_str() selected=move || trigger.get() == Some(option)>
                {trigger_label(option)}
            </option>
        }
    });
    view! {
        <select
            id="run-trigger-filter"
            aria-label="Show runs started this way"
            on:change=move |event| trigger.set(RunTrigger::parse(&event_target_value(&event)))
        >
            <option value="" selected=move || trigger.get().is_none()>
                "All triggers"
            </option>
            {options.into_iter().collect_view()}
        </select>
    }
}

fn status_label(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Queued => "Queued",
        RunStatus::Running => "Running",
        RunStatus::Succeeded => "Succeeded",
        RunStatus::Failed => "Failed",
        RunStatus::Cancelled => "Cancelled",
    }
}

fn trigger_label(trigger: RunTrigger) -> &'static str {
    match trigger {
        RunTrigger::Manual => "Manual (console)",
        RunTrigger::Api => "API",
        RunTrigger::Schedule => "Schedule",
        RunTrigger::File => "File arrival",
        RunTrigger::Process => "Process flow",
    }
}
