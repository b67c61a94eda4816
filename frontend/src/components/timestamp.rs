//! A server time shown in local time, with the exact value on hover.

use leptos::prelude::*;

use crate::format::{local_clock, local_time};

#[component]
pub fn Timestamp(
    #[prop(into)] value: String,
    /// Only the time of day, to the second: for log lines, whose date the page already shows.
    #[prop(optional)]
    clock: bool,
) -> impl IntoView {
    let shown = if clock { local_clock(&value) } else { local_time(&value) };
    view! { <time datetime=value.clone() title=value.clone()>{shown}</time> }
}

/// A timestamp when there is one, else the `missing` text.
pub fn optional_time(value: Option<String>, missing: &'static str) -> AnyView {
    match value {
        Some(value) => view! { <Timestamp value /> }.into_any(),
        None => missing.into_any(),
    }
}
