//! `/services`: dataflows of kind service, which answer HTTP calls, with the addresses to call and
//! a way into each one's try-it console.
//!
//! Element ids (browser tests find elements by them): `service-list` (rows carry
//! `data-service`; each row's `a.try-service` opens the console), `services-empty`,
//! `service-list-error`.

use leptos::prelude::*;
use model::{DataflowKind, DataflowSummary};

use crate::api;
use crate::components::ErrorAlert;
use crate::percent::encode_segment;
use crate::route::Route;

const NO_SERVICES: &str = "No services yet. A service answers HTTP calls with the exposed version of a \
    dataflow of kind service; create one on the Dataflows page and it appears here with its endpoints.";

#[component]
pub fn ServicesPage() -> impl IntoView {
    // The API has no kind filter; a console lists few enough dataflows to filter them here.
    let services = LocalResource::new(|| async {
        api::list_all_dataflows()
            .await
            .map(|all| all.into_iter().filter(|d| d.kind == DataflowKind::Service).collect::<Vec<_>>())
    });
    let loading = move || {
        services
            .with(Option::is_none)
            .then(|| view! { <p class="muted" aria-live="polite">"Loading services…"</p> })
    };
    let list = move || {
        services.get().map(|result| match result {
            Err(failure) => view! { <ErrorAlert error=Some(failure) id="service-list-error" /> }.into_any(),
            Ok(items) if items.is_empty() => {
                view! { <p class="empty" id="services-empty">{NO_SERVICES}</p> }.into_any()
            }
            Ok(items) => view! { <ServiceTable services=items /> }.into_any(),
        })
    };

    view! {
        <h1>"Services"</h1>
        <p class="muted">
            "Each service answers with its exposed version: send rows as JSON to its endpoint, or read "
            "one record with a GET. The classic endpoints take the older "
            <code>"{\"Input\": {\"Row\": […]}}"</code> " form. Open a service to try it."
        </p>
        <section class="panel">
            {loading}
            {list}
        </section>
    }
}

#[component]
fn ServiceTable(services: Vec<DataflowSummary>) -> impl IntoView {
    let rows = services.into_iter().map(|service| view! { <ServiceRow service /> });
    view! {
        <table id="service-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Exposed version"</th>
                    <th scope="col">"Native API"</th>
                    <th scope="col">"Classic API"</th>
                    <th scope="col" class="actions">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

#[component]
fn ServiceRow(service: DataflowSummary) -> impl IntoView {
    let console_href = Route::Service(service.name.clone()).path();
    let dataflow_href = Route::Dataflow(service.name.clone()).path();
    let key = service.name.clone();
    let exposed = service.exposed_version.map_or_else(|| "not exposed".to_owned(), |v| v.to_string());
    let endpoints = service_endpoints(&service.name, &[]);
    let (native, classic): (Vec<_>, Vec<_>) = endpoints.into_iter().partition(|e| !e.classic);
    let list = |endpoints: Vec<Endpoint>| {
        let items = endpoints.into_iter().map(|endpoint| {
            view! {
                <li>
                    <code class="endpoint">{endpoint.method} " " {endpoint.url}</code>
                </li>
            }
        });
        view! { <ul class="endpoints">{items.collect_view()}</ul> }
    };
    view! {
        <tr data-service=key class:unexposed=service.exposed_version.is_none()>
            <td>
                <a href=console_href.clone()>{service.name.clone()}</a>
            </td>
            <td class="exposed">{exposed}</td>
            <td>{list(native)}</td>
            <td>{list(classic)}</td>
            <td class="actions">
                <a class="try-service" href=console_href aria-label=format!("Try {}", service.name)>
                    "Try it"
                </a>
                " · "
                <a href=dataflow_href aria-label=format!("Dataflow {}", service.name)>
                    "Dataflow"
                </a>
            </td>
        </tr>
    }
}

/// One way to call a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Part of the element id on the service's own page.
    pub key: &'static str,
    pub method: &'static str,
    pub url: String,
    /// The `/rest/{name}/results.json` form kept for users of the platforms Tributary replaces.
    pub classic: bool,
}

/// The four ways to call `name`. The GET examples name the input's `fields` (with `…` for the
/// value) or, without them, a placeholder field.
pub fn service_endpoints(name: &str, fields: &[String]) -> Vec<Endpoint> {
    let segment = encode_segment(name);
    let query = |prefix: &str| {
        let pairs: Vec<String> = if fields.is_empty() {
            vec![format!("{prefix}field=value")]
        } else {
            fields.iter().map(|field| format!("{prefix}{}=…", encode_segment(field))).collect()
        };
        pairs.join("&")
    };
    let native = format!("/api/v1/services/{segment}");
    let classic = format!("/rest/{segment}/results.json");
    vec![
        Endpoint { key: "call", method: "POST", url: native.clone(), classic: false },
        Endpoint { key: "one", method: "GET", url: format!("{native}?{}", query("")), classic: false },
        Endpoint { key: "classic-call", method: "POST", url: classic.clone(), classic: true },
        Endpoint {
            key: "classic-one",
            method: "GET",
            url: format!("{classic}?{}", query("Data.")),
            classic: true,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::service_endpoints;

    fn lines(name: &str, fields: &[String]) -> Vec<String> {
        service_endpoints(name, fields).into_iter().map(|e| format!("{} {}", e.method, e.url)).collect()
    }

    #[test]
    fn urls_carry_the_encoded_name() {
        assert_eq!(
            lines("price check", &[]),
            [
                "POST /api/v1/services/price%20check",
                "GET /api/v1/services/price%20check?field=value",
                "POST /rest/price%20check/results.json",
                "GET /rest/price%20check/results.json?Data.field=value",
            ]
        );
    }

    #[test]
    fn get_examples_name_the_input_fields() {
        let fields = ["sku".to_owned(), "unit price".to_owned()];
        let urls = lines("prices", &fields);
        assert_eq!(urls[1], "GET /api/v1/services/prices?sku=…&unit%20price=…");
        assert_eq!(urls[3], "GET /rest/prices/results.json?Data.sku=…&Data.unit%20price=…");
    }
}
