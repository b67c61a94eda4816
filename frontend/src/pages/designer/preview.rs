//! The edge preview: selecting an edge runs the document on the first source records
//! (`POST /dataflows/preview`, nothing is written) and shows the schema and first rows on that
//! edge. One answer covers every edge, so choosing another edge of the same document is instant.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{DataflowDocument, Edge, FieldSchema, PortPreview, PreviewRequest, PreviewResponse};
use serde_json::{Map, Value};

use super::state::Ctx;
use crate::api::{self, ApiError, describe_detail};
use crate::components::ErrorAlert;
use crate::designer::schema::source_key;
use crate::designer::values::short_value;

/// Source records read and rows shown per edge.
const PREVIEW_ROWS: usize = 50;
/// Characters of a cell shown before it is cut.
const CELL_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq)]
struct Answer {
    document: DataflowDocument,
    result: Result<PreviewResponse, ApiError>,
}

/// Whether two documents would preview the same: all but the boxes' positions.
fn same_content(a: &DataflowDocument, b: &DataflowDocument) -> bool {
    a.kind == b.kind
        && a.parameters == b.parameters
        && a.edges == b.edges
        && a.stages.len() == b.stages.len()
        && a.stages
            .iter()
            .zip(&b.stages)
            .all(|(x, y)| x.id == y.id && x.stage_type == y.stage_type && x.options == y.options)
}

#[component]
pub fn PreviewPanel(ctx: Ctx) -> impl IntoView {
    let edge = Memo::new(move |_| ctx.selection.with(|s| s.edge.clone()));
    let answer = RwSignal::new(None::<Answer>);
    let loading = RwSignal::new(false);
    let fetch = move || {
        let document = ctx.document.get_untracked();
        loading.set(true);
        spawn_local(async move {
            let request = PreviewRequest {
                document: document.clone(),
                limit: Some(PREVIEW_ROWS),
                parameters: Default::default(),
            };
            let result = api::preview_dataflow(&request).await;
            loading.try_set(false);
            answer.try_set(Some(Answer { document, result }));
        });
    };
    let stale = Memo::new(move |_| {
        answer.with(|a| a.as_ref().is_none_or(|a| ctx.document.with(|d| !same_content(d, &a.document))))
    });
    // Selecting an edge previews the document as it is now, unless that answer is at hand.
    Effect::new(move |_| {
        if edge.with(Option::is_some) && stale.get_untracked() && !loading.get_untracked() {
            fetch();
        }
    });
    let title = move || {
        edge.get().map_or_else(|| "Preview".to_owned(), |e| format!("Preview: {} → {}", e.from, e.to))
    };
    let body = move || {
        let Some(edge) = edge.get() else {
            return view! { <p class="muted">"Click an edge to see the first rows that flow along it."</p> }
                .into_any();
        };
        if loading.get() {
            return view! { <p class="muted" aria-live="polite">"Running the preview…"</p> }.into_any();
        }
        match answer.get() {
            None => view! { <p class="muted">"No preview yet."</p> }.into_any(),
            Some(Answer { result: Err(error), .. }) => {
                view! { <ErrorAlert error=Some(error) id="preview-error" /> }.into_any()
            }
            Some(Answer { result: Ok(response), document }) => {
                view! { <EdgeData document response edge /> }.into_any()
            }
        }
    };
    view! {
        <section class="preview-panel" id="preview-panel" aria-labelledby="preview-heading">
            <div class="panel-head">
                <h2 id="preview-heading">{title}</h2>
                <span class="muted small" hidden=move || !stale.get() || answer.with(Option::is_none)>
                    "The dataflow changed since this preview."
                </span>
                <button
                    type="button"
                    class="secondary small"
                    id="preview-refresh"
                    disabled=move || edge.with(Option::is_none) || loading.get()
                    on:click=move |_| fetch()
                >
                    "Refresh"
                </button>
            </div>
            {body}
        </section>
    }
}

#[component]
fn EdgeData(document: DataflowDocument, response: PreviewResponse, edge: Edge) -> impl IntoView {
    let key = source_key(&document, &edge);
    let problems = (!response.problems.is_empty()).then(|| {
        let lines = response.problems.iter().map(|p| view! { <li>{describe_detail(p)}</li> }).collect_view();
        view! { <ul class="preview-problems">{lines}</ul> }
    });
    let port = key.as_ref().and_then(|k| response.ports.get(k)).cloned();
    let data = match (port, key) {
        (Some(PortPreview { schema, rows }), Some(key)) => view! { <Grid key schema rows /> }.into_any(),
        _ => view! { <p class="muted" id="preview-nothing">"No records reached this edge."</p> }.into_any(),
    };
    view! {
        {data}
        {problems}
    }
}

#[component]
fn Grid(key: String, schema: Vec<FieldSchema>, rows: Vec<Map<String, Value>>) -> impl IntoView {
    let count = rows.len();
    let head = schema
        .iter()
        .map(|f| {
            let nullable = if f.nullable { ", may be null" } else { "" };
            view! {
                <th scope="col" title=format!("{}{nullable}", f.field_type)>
                    {f.name.clone()} <span class="field-type">{f.field_type.clone()}</span>
                </th>
            }
        })
        .collect_view();
    let names: Vec<String> = schema.iter().map(|f| f.name.clone()).collect();
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let cells = names
                .iter()
                .map(|name| match row.get(name) {
                    None | Some(Value::Null) => view! { <td class="null">"null"</td> }.into_any(),
                    Some(value) => view! { <td>{short_value(value, CELL_CHARS)}</td> }.into_any(),
                })
                .collect_view();
            view! {
                <tr>
                    <td class="num muted">{i + 1}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="grid-scroll">
            <table class="data preview-grid" id="preview-grid" data-port=key>
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <p class="muted small" id="preview-count">
            {format!("{count} row{} shown (at most {PREVIEW_ROWS}).", if count == 1 { "" } else { "s" })}
        </p>
    }
}
