//! `/runs`: the history of job runs.

use leptos::prelude::*;

#[component]
pub fn RunsPage() -> impl IntoView {
    view! {
        <h1>"Runs"</h1>
        <p class="empty" id="runs-empty">
            "No runs yet. Runs of jobs appear here with their status, timings and logs."
        </p>
    }
}
