//! The run tab: a form for the dataflow's parameters, the Run button (the exposed version runs,
//! which the tab says when it differs from what is on screen), then the run polled every
//! 500 ms: its rows on every edge and the state of every stage are drawn on the canvas, and
//! when it ends its outcome and a link to its page are shown.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{DataflowKind, Parameter, RunStatus};

use super::state::Ctx;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, RunStatusBadge};
use crate::designer::run_view::count_label;
use crate::designer::values::{parse_parameter, value_text};
use crate::percent::encode_segment;

const POLL: Duration = Duration::from_millis(500);

/// Why what runs is not what is on screen, in the order a user should act on them.
fn warnings(ctx: Ctx, runnable: bool) -> Vec<String> {
    let mut out = Vec::new();
    if !runnable {
        out.push("Only jobs and process flows run on demand; services answer calls instead.".to_owned());
        return out;
    }
    let (newest, exposed) = ctx.saved.with(|s| (s.summary.version, s.summary.exposed_version));
    let Some(exposed) = exposed else {
        out.push(
            "No version is exposed yet: save, then expose a version in the Versions tab to run it.".into(),
        );
        return out;
    };
    if ctx.dirty.get() {
        out.push(format!(
            "You have unsaved changes; they are not run. The run uses the exposed version (v{exposed})."
        ));
    }
    if exposed != newest {
        out.push(format!(
            "The exposed version is v{exposed}, not the newest (v{newest}): \
             expose v{newest} to run it."
        ));
    }
    if let Some(viewing) = ctx.viewing.get().filter(|v| *v != exposed) {
        out.push(format!("You are looking at v{viewing}; the run uses v{exposed}."));
    }
    out
}

#[component]
pub fn RunPanel(ctx: Ctx) -> impl IntoView {
    let runnable = Memo::new(move |_| {
        ctx.document.with(|d| matches!(d.kind, DataflowKind::Job | DataflowKind::Process))
    });
    // A memo, so that moving boxes does not redraw the form.
    let parameters = Memo::new(move |_| ctx.document.with(|d| d.parameters.clone()));
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let mistakes = RwSignal::new(BTreeMap::<String, String>::new());
    let error = RwSignal::new(None::<ApiError>);
    let starting = RwSignal::new(false);
    let poll = StoredValue::new(None::<IntervalHandle>);
    let in_flight = StoredValue::new(false);
    let stop = move || {
        if let Some(handle) = poll.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    on_cleanup(stop);
    let follow = move |id: String| {
        stop();
        if poll.is_disposed() {
            return;
        }
        let tick = move || {
            if in_flight.try_get_value().unwrap_or(true) {
                return;
            }
            in_flight.set_value(true);
            let id = id.clone();
            spawn_local(async move {
                let result = api::get_run(&id).await;
                in_flight.try_set_value(false);
                match result {
                    Ok(run) => {
                        let finished = run.status.is_final();
                        ctx.run.try_set(Some(run));
                        if finished {
                            stop();
                        }
                    }
                    // A lost connection may come back; a run that is gone will not.
                    Err(failure) if failure.status == 0 => _ = error.try_set(Some(failure)),
                    Err(failure) => {
                        error.try_set(Some(failure));
                        stop();
                    }
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(tick, POLL) {
            poll.set_value(Some(handle));
        }
    };
    let start = move |_| {
        let parameters = parameters.get_untracked();
        let (parsed, bad) = values.with_untracked(|v| parse_all(&parameters, v));
        let invalid = !bad.is_empty();
        mistakes.set(bad);
        if invalid {
            return;
        }
        starting.set(true);
        error.set(None);
        ctx.run.set(None);
        let name = ctx.name();
        spawn_local(async move {
            let result = api::start_run_with(&name, parsed).await;
            starting.try_set(false);
            match result {
                Ok(run) => {
                    let (id, finished) = (run.id.clone(), run.status.is_final());
                    ctx.run.try_set(Some(run));
                    if !finished {
                        follow(id);
                    }
                }
                Err(failure) => _ = error.try_set(Some(failure)),
            }
        });
    };
    let fields = move || {
        let parameters = parameters.get();
        if parameters.is_empty() {
            return view! { <p class="muted">"This dataflow has no parameters."</p> }.into_any();
        }
        parameters
            .into_iter()
            .map(|parameter| view! { <ParameterInput parameter values mistakes /> })
            .collect_view()
            .into_any()
    };
    view! {
        <h2>"Run"</h2>
        {move || {
            let lines = warnings(ctx, runnable.get());
            (!lines.is_empty()).then(|| view! {
                <ul class="run-warnings" id="run-warning">
                    {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
            })
        }}
        <ExposeNewest ctx error />
        <form class="run-form" on:submit=|event| event.prevent_default()>{fields}</form>
        <button type="button" id="designer-run" disabled=move || starting.get() || !runnable.get() on:click=start>
            {move || if starting.get() { "Starting…" } else { "Run" }}
        </button>
        <ErrorAlert error id="run-error" />
        <RunOutcome ctx hide=Callback::new(move |()| {
            stop();
            ctx.run.set(None);
        }) />
    }
}

/// Parameter values from their boxes: empty ones keep their default.
fn parse_all(
    parameters: &[Parameter],
    texts: &BTreeMap<String, String>,
) -> (BTreeMap<String, serde_json::Value>, BTreeMap<String, String>) {
    let (mut parsed, mut bad) = (BTreeMap::new(), BTreeMap::new());
    for p in parameters {
        let text = texts.get(&p.name).map(String::as_str).unwrap_or_default();
        match parse_parameter(text, p.param_type) {
            Ok(Some(value)) => _ = parsed.insert(p.name.clone(), value),
            Ok(None) => {}
            Err(message) => _ = bad.insert(p.name.clone(), message),
        }
    }
    (parsed, bad)
}

#[component]
fn ParameterInput(
    parameter: Parameter,
    values: RwSignal<BTreeMap<String, String>>,
    mistakes: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = format!("run-param-{}", parameter.name);
    let name = StoredValue::new(parameter.name.clone());
    let default = value_text(parameter.default.as_ref());
    let placeholder =
        if default.is_empty() { "no default".to_owned() } else { format!("default: {default}") };
    let mistake = move || mistakes.with(|m| name.with_value(|n| m.get(n).cloned()));
    let kind = format!("{:?}", parameter.param_type).to_lowercase();
    view! {
        <div class="prop-field">
            <label for=id.clone()>{parameter.name.clone()} " " <span class="field-type">{kind}</span></label>
            <input
                type="text"
                id=id
                autocomplete="off"
                placeholder=placeholder
                prop:value=move || values.with(|v| name.with_value(|n| v.get(n).cloned().unwrap_or_default()))
                on:input=move |event| {
                    let text = event_target_value(&event);
                    values.update(|v| _ = v.insert(name.get_value(), text));
                }
            />
            {(!parameter.description.is_empty()).then(|| view! { <p class="hint">{parameter.description.clone()}</p> })}
            {move || mistake().map(|m| view! { <p class="field-problem">{m}</p> })}
        </div>
    }
}

/// The followed run: status, rows written, and when it ended, how, with a link to its page.
#[component]
fn RunOutcome(ctx: Ctx, hide: Callback<()>) -> impl IntoView {
    move || {
        ctx.run.get().map(|run| {
            let written: u64 = run.metrics.iter().filter_map(|m| m.rows_out.get("written")).sum();
            let outcome = match run.status {
                RunStatus::Queued => "Waiting for a node to take it…".to_owned(),
                RunStatus::Running => format!("Running; {} rows written so far.", count_label(written)),
                RunStatus::Succeeded => format!("Finished: {} rows written.", count_label(written)),
                RunStatus::Cancelled => "Cancelled.".to_owned(),
                RunStatus::Failed => match &run.error {
                    Some(e) => match &e.stage {
                        Some(stage) => format!("Failed in stage {stage}: {}", e.message),
                        None => format!("Failed: {}", e.message),
                    },
                    None => "Failed.".to_owned(),
                },
            };
            let href = format!("/runs/{}", encode_segment(&run.id));
            view! {
                <div class="run-outcome" id="run-status" data-status=run.status.as_str()>
                    <p>
                        <RunStatusBadge status=run.status />
                        " " {format!("version {}", run.version)}
                    </p>
                    <p id="run-outcome">{outcome}</p>
                    <p>
                        <a id="run-link" href=href>"Open the run's page"</a>
                    </p>
                    <button type="button" class="secondary small" id="run-clear" on:click=move |_| hide.run(())>
                        "Hide the run on the canvas"
                    </button>
                </div>
            }
        })
    }
}

/// When the newest saved version is not the exposed one, a button to expose it (what a run
/// uses), so saving and running stay in this tab.
#[component]
fn ExposeNewest(ctx: Ctx, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let newest = Memo::new(move |_| {
        ctx.saved
            .with(|s| (s.summary.exposed_version != Some(s.summary.version)).then_some(s.summary.version))
    });
    let expose = move |_| {
        let Some(version) = newest.get_untracked() else { return };
        busy.set(true);
        error.set(None);
        let name = ctx.name();
        spawn_local(async move {
            let result = api::expose_version(&name, version).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(summary) => {
                    ctx.saved.update(|s| s.summary = summary);
                    ctx.refresh_versions();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    move || {
        let runnable = ctx.document.with(|d| matches!(d.kind, DataflowKind::Job | DataflowKind::Process));
        newest.get().filter(|_| runnable).map(|version| {
            view! {
                <button type="button" class="secondary small" id="run-expose" disabled=busy on:click=expose>
                    {format!("Expose v{version}")}
                </button>
            }
        })
    }
}
