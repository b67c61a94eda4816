//! The try-it console of one service: request rows edited as a table generated from the input
//! fields or as raw JSON, optional parameters, Send, and the answer with its HTTP status and
//! round-trip time.
//!
//! Element ids (browser tests find elements by them): `service-console`, `service-mode-table`,
//! `service-mode-json` (buttons with `aria-pressed`), `service-rows` (the table; rows carry
//! `data-row`), `service-cell-{row}-{field}`, `service-remove-row-{row}`, `service-add-row`,
//! `service-rows-empty`, `service-rows-json` (textarea), `service-param-{name}`, `service-send`,
//! `service-request-problems`, then those of `service_result`. `{row}` counts from 0 in the order
//! rows were added and is never reused; `{field}` and `{name}` are made id-safe by
//! [`id_part`](crate::try_it::id_part).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Parameter, ServiceRequest};
use web_sys::js_sys::Date;

use super::service_inputs::{ParameterInputs, RowEditor};
use super::service_result::{CallOutcome, CallResult};
use crate::api;
use crate::format::sentence;
use crate::try_it::{InputField, RowTable, RowsInput, build_request, records_json};

/// How the rows are being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Table,
    Json,
}

/// The console's state, every part a cheap handle, so event handlers can take it by copy.
#[derive(Debug, Clone, Copy)]
struct Console {
    name: StoredValue<String>,
    fields: StoredValue<Vec<InputField>>,
    declared: StoredValue<Vec<Parameter>>,
    mode: RwSignal<Mode>,
    table: RwSignal<RowTable>,
    json_text: RwSignal<String>,
    parameter_texts: RwSignal<BTreeMap<String, String>>,
    /// What stops a send or a switch of editor, as sentences.
    problems: RwSignal<Vec<String>>,
    outcome: RwSignal<Option<CallOutcome>>,
    pending: RwSignal<bool>,
}

impl Console {
    fn new(name: String, fields: Vec<InputField>, parameters: Vec<Parameter>) -> Self {
        let table = RowTable::new(fields.clone());
        let json_text = records_json(&table.to_records().unwrap_or_default());
        // Without declared fields there are no columns: the rows can only be written as JSON.
        let mode = if fields.is_empty() { Mode::Json } else { Mode::Table };
        Self {
            name: StoredValue::new(name),
            fields: StoredValue::new(fields),
            declared: StoredValue::new(parameters),
            mode: RwSignal::new(mode),
            table: RwSignal::new(table),
            json_text: RwSignal::new(json_text),
            parameter_texts: RwSignal::new(BTreeMap::new()),
            problems: RwSignal::new(Vec::new()),
            outcome: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// Carries the rows over to the other editor; stays put when they do not fit it.
    fn switch_to(self, wanted: Mode) {
        if self.mode.get_untracked() == wanted {
            return;
        }
        let switched = match wanted {
            Mode::Json => self
                .table
                .with_untracked(RowTable::to_json_text)
                .map(|text| self.json_text.set(text))
                .map_err(|cells| cells.iter().map(ToString::to_string).collect()),
            Mode::Table => self
                .json_text
                .with_untracked(|text| {
                    self.fields.with_value(|fields| RowTable::from_json_text(fields.clone(), text))
                })
                .map(|rows| self.table.set(rows))
                .map_err(|problem| vec![sentence(&format!("{problem}; keep editing the rows as JSON"))]),
        };
        match switched {
            Ok(()) => {
                self.problems.set(Vec::new());
                self.mode.set(wanted);
            }
            Err(found) => self.problems.set(found),
        }
    }

    fn request(self) -> Result<ServiceRequest, Vec<String>> {
        self.declared.with_value(|declared| {
            self.parameter_texts.with_untracked(|texts| match self.mode.get_untracked() {
                Mode::Table => {
                    self.table.with_untracked(|table| build_request(RowsInput::Table(table), declared, texts))
                }
                Mode::Json => self
                    .json_text
                    .with_untracked(|text| build_request(RowsInput::Json(text), declared, texts)),
            })
        })
    }

    /// Sends the request and times the round trip, from just before the request leaves to the
    /// decoded answer.
    fn send(self) {
        let request = match self.request() {
            Ok(request) => request,
            Err(found) => return self.problems.set(found),
        };
        self.problems.set(Vec::new());
        // The last answer goes, so nobody mistakes it for the answer to this request.
        self.outcome.set(None);
        self.pending.set(true);
        let name = self.name.get_value();
        spawn_local(async move {
            let started = Date::now();
            let result = api::call_service(&name, &request).await;
            let latency_ms = Date::now() - started;
            self.pending.set(false);
            self.outcome.set(Some(CallOutcome::new(result, latency_ms)));
        });
    }
}

#[component]
pub fn ServiceConsole(name: String, fields: Vec<InputField>, parameters: Vec<Parameter>) -> impl IntoView {
    let has_fields = !fields.is_empty();
    let console = Console::new(name, fields, parameters);
    let Console { mode, table, json_text, parameter_texts, problems, outcome, pending, fields, .. } = console;
    view! {
        <section class="panel try-it" id="service-console" aria-labelledby="service-console-heading">
            <h2 id="service-console-heading">"Try it"</h2>
            <div class="toolbar">
                <h3 id="service-rows-heading">"Request rows"</h3>
                <ModeSwitch mode has_fields switch_to=move |wanted| console.switch_to(wanted) />
            </div>
            <Show
                when=move || mode.get() == Mode::Table
                fallback=move || view! { <JsonRows text=json_text has_fields /> }
            >
                <RowEditor table />
            </Show>
            <h3 id="service-parameters-heading">"Parameters"</h3>
            <ParameterInputs declared=console.declared.get_value() texts=parameter_texts />
            <RequestProblems problems />
            <div class="buttons send-row">
                <button id="service-send" type="button" disabled=pending on:click=move |_| console.send()>
                    {move || if pending.get() { "Sending…" } else { "Send" }}
                </button>
            </div>
            <CallResult outcome fields />
        </section>
    }
}

#[component]
fn ModeSwitch(
    mode: RwSignal<Mode>,
    has_fields: bool,
    switch_to: impl Fn(Mode) + Copy + 'static,
) -> impl IntoView {
    let pressed = move |which: Mode| move || if mode.get() == which { "true" } else { "false" };
    view! {
        <div class="segmented" role="group" aria-label="Edit the request rows as">
            <button
                id="service-mode-table"
                type="button"
                class="secondary"
                aria-pressed=pressed(Mode::Table)
                disabled=!has_fields
                title=(!has_fields).then_some("The input stage declares no fields to make columns of")
                on:click=move |_| switch_to(Mode::Table)
            >
                "Table"
            </button>
            <button
                id="service-mode-json"
                type="button"
                class="secondary"
                aria-pressed=pressed(Mode::Json)
                on:click=move |_| switch_to(Mode::Json)
            >
                "JSON"
            </button>
        </div>
    }
}

#[component]
fn JsonRows(text: RwSignal<String>, has_fields: bool) -> impl IntoView {
    let hint = if has_fields {
        "A JSON array with one object per row. Switch back to the table to edit them cell by cell."
    } else {
        "A JSON array with one object per row. The input stage declares no fields, so there is no table."
    };
    view! {
        <label for="service-rows-json">"Rows as JSON"</label>
        <textarea
            id="service-rows-json"
            class="code"
            rows="10"
            spellcheck="false"
            aria-describedby="service-rows-json-hint"
            prop:value=text
            on:input=move |event| text.set(event_target_value(&event))
        ></textarea>
        <p class="muted hint" id="service-rows-json-hint">{hint}</p>
    }
}

/// What stops the request from being sent (or the editor from switching), every item at once.
#[component]
fn RequestProblems(problems: RwSignal<Vec<String>>) -> impl IntoView {
    move || {
        let found = problems.get();
        (!found.is_empty()).then(|| {
            let items = found.into_iter().map(|problem| view! { <li>{problem}</li> });
            view! {
                <div class="error" role="alert" id="service-request-problems">
                    <p>"Fix these first:"</p>
                    <ul>{items.collect_view()}</ul>
                </div>
            }
        })
    }
}
