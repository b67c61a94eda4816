//! `/connections`: the databases and directories stages read from and write to.

use leptos::prelude::*;

const NO_CONNECTIONS: &str = "No connections yet. A connection holds the address and credentials \
    of a database or directory that stages read from and write to; its password is stored \
    encrypted and never shown again.";

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    view! {
        <h1>"Connections"</h1>
        <p class="empty" id="connections-empty">
            {NO_CONNECTIONS}
        </p>
    }
}
