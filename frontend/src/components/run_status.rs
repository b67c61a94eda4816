//! A run's status as a coloured badge, the same on the list and on the run's own page.

use leptos::prelude::*;
use model::RunStatus;

#[component]
pub fn RunStatusBadge(status: RunStatus, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    let name = status.as_str();
    view! {
        <span class=format!("state state-{name}") id=id data-status=name>
            {name}
        </span>
    }
}
