//! The key of a chart coloured by run status: one swatch per status shown.

use leptos::prelude::*;
use model::RunStatus;

/// Lists `statuses` in [`RunStatus::ALL`] order, each with the colour the charts give it.
#[component]
pub fn StatusLegend(#[prop(into)] statuses: Signal<Vec<RunStatus>>, id: &'static str) -> impl IntoView {
    let items = move || {
        let shown = statuses.get();
        let present = RunStatus::ALL.into_iter().filter(|status| shown.contains(status));
        present
            .map(|status| {
                view! {
                    <li>
                        <span class=format!("swatch status-{}", status.as_str()) aria-hidden="true"></span>
                        {status.as_str()}
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="chart-legend" id=id aria-label="Colours by status">{items}</ul> }
}
