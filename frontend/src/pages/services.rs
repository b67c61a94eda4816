//! `/services`: dataflows of kind service, which answer HTTP calls, with the addresses to call.

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
            "its results as a REST resource."
        </p>
        <section class="panel">
            {loading}
            {list}
        </section>
    }
}

#[component]
fn ServiceTable(services: Vec<DataflowSummary>) -> impl IntoView {
    let rows = services.into_iter().map(|service| {
        let href = Route::Dataflow(service.name.clone()).path();
        let key = service.name.clone();
        let (call, results) = service_urls(&service.name);
        let exposed = service.exposed_version.map_or_else(|| "not exposed".to_owned(), |v| v.to_string());
        view! {
            <tr data-service=key class:unexposed=service.exposed_version.is_none()>
                <td>
                    <a href=href>{service.name}</a>
                </td>
                <td class="exposed">{exposed}</td>
                <td>
                    <code class="endpoint">"POST " {call}</code>
                </td>
                <td>
                    <code class="endpoint">"GET " {results}</code>
                </td>
            </tr>
        }
    });
    view! {
        <table id="service-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Exposed version"</th>
                    <th scope="col">"Call"</th>
                    <th scope="col">"Results"</th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

/// The service's two addresses: rows in, rows out (`POST`), and its results as a REST resource.
fn service_urls(name: &str) -> (String, String) {
    let segment = encode_segment(name);
    (format!("/api/v1/services/{segment}"), format!("/rest/{segment}/results.json"))
}

#[cfg(test)]
mod tests {
    use super::service_urls;

    #[test]
    fn urls_carry_the_encoded_name() {
        let (call, results) = service_urls("price check");
        assert_eq!(call, "/api/v1/services/price%20check");
        assert_eq!(results, "/rest/price%20check/results.json");
    }
}
