//! The answer to a try-it call: HTTP status and round-trip time, then the rows as a grid (and as
//! JSON), or the API's error.
//!
//! Element ids (browser tests find elements by them): `service-response-meta`,
//! `service-response-status` (with `data-status`, the HTTP status, `0` without a response),
//! `service-response-latency`, `service-response-count`, `service-response` (the grid),
//! `service-response-empty`, `service-response-json`, `service-call-error`.

use leptos::prelude::*;
use model::ServiceResponse;
use serde_json::{Map, Value};

use crate::api::{ApiError, ApiResult};
use crate::components::ErrorAlert;
use crate::try_it::{InputField, display_value, grid_columns};

/// One call as the console shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    /// `0` when no answer came back.
    pub status: u16,
    pub latency_ms: f64,
    pub rows: Result<Vec<Map<String, Value>>, ApiError>,
}

impl CallOutcome {
    pub fn new(result: ApiResult<(u16, ServiceResponse)>, latency_ms: f64) -> Self {
        match result {
            Ok((status, response)) => Self { status, latency_ms, rows: Ok(response.rows) },
            Err(error) => Self { status: error.status, latency_ms, rows: Err(error) },
        }
    }
}

#[component]
pub fn CallResult(
    outcome: RwSignal<Option<CallOutcome>>,
    fields: StoredValue<Vec<InputField>>,
) -> impl IntoView {
    move || {
        outcome.get().map(|outcome| {
            let body = match outcome.rows {
                Ok(rows) => view! { <ResponseRows rows fields /> }.into_any(),
                Err(error) => view! { <ErrorAlert error=Some(error) id="service-call-error" /> }.into_any(),
            };
            view! {
                <section class="call-result" aria-labelledby="service-response-heading" aria-live="polite">
                    <h3 id="service-response-heading">"Response"</h3>
                    <p class="call-meta" id="service-response-meta">
                        <span
                            id="service-response-status"
                            class=status_class(outcome.status)
                            data-status=outcome.status
                        >
                            {status_text(outcome.status)}
                        </span>
                        " in "
                        <span id="service-response-latency">{latency_text(outcome.latency_ms)}</span>
                    </p>
                    {body}
                </section>
            }
        })
    }
}

#[component]
fn ResponseRows(rows: Vec<Map<String, Value>>, fields: StoredValue<Vec<InputField>>) -> impl IntoView {
    let count = match rows.len() {
        1 => "1 row".to_owned(),
        n => format!("{n} rows"),
    };
    let json = serde_json::to_string_pretty(&rows)
        .unwrap_or_else(|error| format!("The rows cannot be shown: {error}"));
    let grid = if rows.is_empty() {
        view! { <p class="muted" id="service-response-empty">"The service answered with no rows."</p> }
            .into_any()
    } else {
        let columns = fields.with_value(|fields| grid_columns(&rows, fields));
        view! { <ResponseGrid rows columns /> }.into_any()
    };
    view! {
        <p class="muted" id="service-response-count">{count}</p>
        {grid}
        <details class="response-json">
            <summary>"Response rows as JSON"</summary>
            <pre id="service-response-json" class="document">{json}</pre>
        </details>
    }
}

#[component]
fn ResponseGrid(rows: Vec<Map<String, Value>>, columns: Vec<String>) -> impl IntoView {
    let headers = columns.iter().map(|column| view! { <th scope="col">{column.clone()}</th> }).collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = columns.iter().map(|column| match row.get(column) {
                None | Some(Value::Null) => view! { <td class="null">"null"</td> }.into_any(),
                Some(value) => view! { <td>{display_value(value)}</td> }.into_any(),
            });
            view! { <tr>{cells.collect_view()}</tr> }
        })
        .collect_view();
    view! {
        <div class="grid-scroll">
            <table id="service-response" class="data response-grid">
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

fn status_text(status: u16) -> String {
    if status == 0 { "No response".to_owned() } else { format!("HTTP {status}") }
}

/// The run-status colours: green for success, red for any failure.
fn status_class(status: u16) -> &'static str {
    if (200..300).contains(&status) { "state state-succeeded" } else { "state state-failed" }
}

/// Whole milliseconds: the browser's clock is no finer, and nobody tunes a service by the
/// fraction.
fn latency_text(latency_ms: f64) -> String {
    format!("{:.0} ms", latency_ms.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_latency_read_plainly() {
        assert_eq!(status_text(200), "HTTP 200");
        assert_eq!(status_text(0), "No response");
        assert_eq!(status_class(201), "state state-succeeded");
        assert_eq!(status_class(422), "state state-failed");
        assert_eq!(latency_text(12.6), "13 ms");
        assert_eq!(latency_text(-1.0), "0 ms");
    }

    #[test]
    fn a_failed_call_keeps_its_status() {
        let error = ApiError::from_response(400, r#"{"error":{"code":"invalid","message":"bad rows"}}"#);
        let outcome = CallOutcome::new(Err(error), 5.0);
        assert_eq!(outcome.status, 400);
        assert!(outcome.rows.is_err_and(|error| error.message == "Bad rows."));
        let answered = CallOutcome::new(Ok((200, ServiceResponse { rows: vec![Map::new()] })), 5.0);
        assert_eq!(answered.rows.map(|rows| rows.len()), Ok(1));
    }
}
