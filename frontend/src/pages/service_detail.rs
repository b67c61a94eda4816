//! `/services/{name}`: one service's endpoints and its try-it console, both built from the
//! exposed version's document (its input fields and parameters).
//!
//! Element ids (browser tests find elements by them): `service-name`, `service-exposed-version`,
//! `service-endpoints`, `service-endpoint-call`, `service-endpoint-one`,
//! `service-endpoint-classic-call`, `service-endpoint-classic-one`, `service-unexposed`,
//! `service-not-a-service`, `service-not-found`, `service-error`; the console's ids are listed in
//! `service_console`.

use leptos::prelude::*;
use model::{DataflowDocument, DataflowKind, DataflowSummary};

use super::service_console::ServiceConsole;
use super::services::service_endpoints;
use crate::api::{self, ApiResult};
use crate::components::ErrorAlert;
use crate::route::Route;
use crate::try_it::input_fields;

/// A service as its page needs it.
#[derive(Debug, Clone)]
struct ServiceInfo {
    summary: DataflowSummary,
    /// The exposed version's document; `None` while no version is exposed.
    document: Option<DataflowDocument>,
}

/// Calls answer with the exposed version, which need not be the newest: its document is read
/// separately when they differ.
async fn load_service(name: String) -> ApiResult<ServiceInfo> {
    let dataflow = api::get_dataflow(&name).await?;
    let document = match dataflow.summary.exposed_version {
        None => None,
        Some(exposed) if exposed == dataflow.summary.version => Some(dataflow.document),
        Some(exposed) => Some(api::get_version(&name, exposed).await?.document),
    };
    Ok(ServiceInfo { summary: dataflow.summary, document })
}

#[component]
pub fn ServicePage(name: String) -> impl IntoView {
    let service = LocalResource::new({
        let name = name.clone();
        move || load_service(name.clone())
    });
    view! {
        <a class="back" href="/services">"← Services"</a>
        {move || match service.get() {
            None => view! { <p class="muted" aria-live="polite">"Loading the service…"</p> }.into_any(),
            Some(Err(error)) if error.is_not_found() => {
                view! { <ServiceNotFound name=name.clone() /> }.into_any()
            }
            Some(Err(error)) => {
                view! {
                    <h1 id="service-name">{name.clone()}</h1>
                    <ErrorAlert error=Some(error) id="service-error" />
                }
                    .into_any()
            }
            Some(Ok(info)) => view! { <ServiceView info /> }.into_any(),
        }}
    }
}

#[component]
fn ServiceView(info: ServiceInfo) -> impl IntoView {
    let ServiceInfo { summary, document } = info;
    let dataflow_href = Route::Dataflow(summary.name.clone()).path();
    let body = match (summary.kind, summary.exposed_version, document) {
        (kind, _, _) if kind != DataflowKind::Service => view! {
            <p class="empty" id="service-not-a-service">
                "This dataflow is a " {kind.as_str()} ", not a service, so it does not answer calls. "
                <a href=dataflow_href>"Open the dataflow"</a>
            </p>
        }
        .into_any(),
        (_, Some(exposed), Some(document)) => {
            view! { <ExposedService name=summary.name.clone() exposed document /> }.into_any()
        }
        _ => view! {
            <p class="empty" id="service-unexposed">
                "No version of this service is exposed, so calls are refused. Expose a version on its "
                <a href=dataflow_href>"dataflow page"</a>
                " to try it."
            </p>
        }
        .into_any(),
    };
    let description =
        (!summary.description.is_empty()).then(|| view! { <p class="description">{summary.description}</p> });
    view! {
        <div class="page-header">
            <h1 id="service-name">{summary.name}</h1>
            <span class="badge">{summary.kind.as_str()}</span>
        </div>
        {description}
        {body}
    }
}

#[component]
fn ExposedService(name: String, exposed: i32, document: DataflowDocument) -> impl IntoView {
    let fields = input_fields(&document);
    let field_names: Vec<String> = fields.iter().map(|field| field.name.clone()).collect();
    let endpoints = service_endpoints(&name, &field_names).into_iter().map(|endpoint| {
        let id = format!("service-endpoint-{}", endpoint.key);
        let label = if endpoint.classic { "Classic" } else { "Native" };
        view! {
            <li>
                <span class="endpoint-kind">{label}</span>
                <code class="endpoint" id=id>{endpoint.method} " " {endpoint.url}</code>
            </li>
        }
    });
    view! {
        <p class="muted">
            "Calls answer with version " <strong id="service-exposed-version">{exposed}</strong>
            ", the exposed one."
        </p>
        <section class="panel" aria-labelledby="service-endpoints-heading">
            <h2 id="service-endpoints-heading">"Endpoints"</h2>
            <ul class="endpoints" id="service-endpoints">{endpoints.collect_view()}</ul>
        </section>
        <ServiceConsole name fields parameters=document.parameters />
    }
}

#[component]
fn ServiceNotFound(name: String) -> impl IntoView {
    view! {
        <h1>"Service not found"</h1>
        <p class="empty" id="service-not-found">
            "There is no dataflow named “" {name} "”. It may have been deleted or never created. "
            <a href="/services">"Back to the services"</a>
        </p>
    }
}
