//! A server time shown in local time, with the exact value on hover.

use leptos::prelude::*;

use crate::format::local_time;

#[component]
pub fn Timestamp(#[prop(into)] value: String) -> impl IntoView {
    view! { <time datetime=value.clone() title=value.clone()>{local_time(&value)}</time> }
}
