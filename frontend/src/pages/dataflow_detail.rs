//! `/dataflows/{name}`: one dataflow's facts, running it (jobs), its versions and its document,
//! who may do what with it (access overrides), and deleting it.

use leptos::prelude::*;
use model::{Dataflow, DataflowSummary};

use super::dataflow_delete::DeleteDataflow;
use super::dataflow_run::RunDataflow;
use super::dataflow_versions::{VersionsResource, VersionsSection};
use super::object_access::{AccessSection, ObjectKind};
use crate::api;
use crate::components::{ErrorAlert, Timestamp};
use crate::route::Route;

#[component]
pub fn DataflowPage(name: String) -> impl IntoView {
    let dataflow = LocalResource::new({
        let name = name.clone();
        move || {
            let name = name.clone();
            async move { api::get_dataflow(&name).await }
        }
    });
    let versions: VersionsResource = LocalResource::new({
        let name = name.clone();
        move || {
            let name = name.clone();
            async move { api::list_versions(&name).await }
        }
    });
    // Exposing changes both the facts and the versions table.
    let reload = Callback::new(move |()| {
        dataflow.refetch();
        versions.refetch();
    });

    view! {
        <a class="back" href="/dataflows">"← Dataflows"</a>
        {move || match dataflow.get() {
            None => view! { <p class="muted" aria-live="polite">"Loading the dataflow…"</p> }.into_any(),
            Some(Err(error)) if error.is_not_found() => {
                view! { <DataflowNotFound name=name.clone() /> }.into_any()
            }
            Some(Err(error)) => {
                view! {
                    <h1 id="dataflow-name">{name.clone()}</h1>
                    <ErrorAlert error=Some(error) id="dataflow-error" />
                }
                    .into_any()
            }
            Some(Ok(dataflow)) => view! { <DataflowView dataflow versions reload /> }.into_any(),
        }}
    }
}

#[component]
fn DataflowNotFound(name: String) -> impl IntoView {
    view! {
        <h1>"Dataflow not found"</h1>
        <p class="empty" id="dataflow-not-found">
            "There is no dataflow named “" {name} "”. It may have been deleted or never created. "
            <a href="/dataflows">"Back to the dataflows"</a>
        </p>
    }
}

#[component]
fn DataflowView(dataflow: Dataflow, versions: VersionsResource, reload: Callback<()>) -> impl IntoView {
    let Dataflow { summary, etag, document } = dataflow;
    let document_json = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("The document cannot be shown: {error}"));
    let name = summary.name.clone();
    view! {
        <div class="page-header">
            <h1 id="dataflow-name">{summary.name.clone()}</h1>
            <span class="badge" id="dataflow-kind">{summary.kind.as_str()}</span>
            <a class="button" id="dataflow-design" href=Route::DataflowDesign(name.clone()).path()>
                "Design"
            </a>
        </div>
        <Facts summary=summary.clone() />
        <RunDataflow summary />
        <VersionsSection name=name.clone() versions reload />
        <section class="panel" aria-labelledby="document-heading">
            <h2 id="document-heading">"Document"</h2>
            <p class="muted">"The newest version, read-only."</p>
            <pre id="dataflow-document" class="document">{document_json}</pre>
        </section>
        <AccessSection kind=ObjectKind::Dataflow name=name.clone() />
        <DeleteDataflow name etag />
    }
}

#[component]
fn Facts(summary: DataflowSummary) -> impl IntoView {
    let description =
        if summary.description.is_empty() { "No description.".to_owned() } else { summary.description };
    let exposed = summary.exposed_version.map_or_else(|| "None".to_owned(), |version| version.to_string());
    view! {
        <p class="description" id="dataflow-description">{description}</p>
        <dl class="facts">
            <div>
                <dt>"Current version"</dt>
                <dd id="dataflow-version">{summary.version}</dd>
            </div>
            <div>
                <dt>"Exposed version"</dt>
                <dd id="dataflow-exposed-version">{exposed}</dd>
            </div>
            <div>
                <dt>"Created"</dt>
                <dd>{summary.created_by} ", " <Timestamp value=summary.created_at /></dd>
            </div>
            <div>
                <dt>"Updated"</dt>
                <dd>{summary.updated_by} ", " <Timestamp value=summary.updated_at /></dd>
            </div>
        </dl>
    }
}
