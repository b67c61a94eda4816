//! `/services`: dataflows that answer HTTP calls.

use leptos::prelude::*;

const NO_SERVICES: &str = "No services yet. A service answers HTTP calls with the exposed version of a \
    dataflow of kind service; each one appears here with its endpoint and call statistics.";

#[component]
pub fn ServicesPage() -> impl IntoView {
    view! {
        <h1>"Services"</h1>
        <p class="empty" id="services-empty">
            {NO_SERVICES}
        </p>
    }
}
