//! Any path the console does not know.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p class="empty" id="page-not-found">
            "The console has no page at " <code>{path}</code> ". "
            <a href="/dataflows">"Go to the dataflows"</a> "."
        </p>
    }
}
