//! `/admin`: administration; for now the signed-in user's API tokens (the same panel as
//! `/tokens`, whose module lists the element ids).

use leptos::prelude::*;

use super::tokens::TokensPanel;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <h1>"Administration"</h1>
        <TokensPanel />
    }
}
