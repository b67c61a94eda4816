//! The "New dataflow" form: a name checked as it is typed, a kind, an optional description.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{DataflowDocument, DataflowKind, validate_dataflow_name};

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::format::sentence;
use crate::route::{Route, navigate};

#[component]
pub fn CreateDataflowForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(DataflowKind::Job);
    let description = RwSignal::new(String::new());
    // An untouched field is not yet wrong: the problem shows once the user typed or submitted.
    let touched = RwSignal::new(false);
    let name_problem = Memo::new(move |_| validate_dataflow_name(&name.get()).err().map(|p| sentence(&p)));
    let shown_problem = move || touched.get().then(|| name_problem.get()).flatten();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    // Which button sent the form: "Create and design" lands in the designer.
    let design = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        touched.set(true);
        if pending.get_untracked() || name_problem.with_untracked(Option::is_some) {
            return;
        }
        let document = DataflowDocument {
            description: description.get_untracked().trim().to_owned(),
            ..DataflowDocument::empty(name.get_untracked(), kind.get_untracked())
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::create_dataflow(&document).await;
            pending.set(false);
            match result {
                Ok(created) if design.get_untracked() => {
                    navigate(&Route::DataflowDesign(created.summary.name))
                }
                Ok(created) => navigate(&Route::Dataflow(created.summary.name)),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="new-dataflow-heading">
            <h2 id="new-dataflow-heading">"New dataflow"</h2>
            <form class="inline-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="new-dataflow-name">"Name"</label>
                    <input
                        id="new-dataflow-name"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="new-dataflow-name-problem"
                        aria-invalid=move || shown_problem().is_some().then_some("true")
                        prop:value=name
                        on:input=move |event| {
                            name.set(event_target_value(&event));
                            touched.set(true);
                        }
                    />
                    <p class="field-problem" id="new-dataflow-name-problem" aria-live="polite">
                        {shown_problem}
                    </p>
                </div>
                <div class="field">
                    <label for="new-dataflow-kind">"Kind"</label>
                    <KindSelect kind />
                </div>
                <div class="field grow">
                    <label for="new-dataflow-description">
                        "Description " <span class="muted">"(optional)"</span>
                    </label>
                    <input id="new-dataflow-description" autocomplete="off" bind:value=description />
                </div>
                <button id="new-dataflow-create" type="submit" disabled=pending on:click=move |_| design.set(false)>
                    "Create"
                </button>
                <button
                    id="new-dataflow-design"
                    type="submit"
                    class="secondary"
                    disabled=pending
                    on:click=move |_| design.set(true)
                >
                    "Create and design"
                </button>
            </form>
            <ErrorAlert error id="new-dataflow-error" />
        </section>
    }
}

#[component]
fn KindSelect(kind: RwSignal<DataflowKind>) -> impl IntoView {
    let options = DataflowKind::ALL.map(|option| {
        view! {
            <option value=option.as_str() selected=move || kind.get() == option>
                {kind_label(option)}
            </option>
        }
    });
    view! {
        <select
            id="new-dataflow-kind"
            on:change=move |event| {
                if let Some(chosen) = DataflowKind::parse(&event_target_value(&event)) {
                    kind.set(chosen);
                }
            }
        >
            {options.into_iter().collect_view()}
        </select>
    }
}

fn kind_label(kind: DataflowKind) -> &'static str {
    match kind {
        DataflowKind::Job => "Job",
        DataflowKind::Service => "Service",
        DataflowKind::Subflow => "Subflow",
        DataflowKind::Process => "Process",
    }
}
