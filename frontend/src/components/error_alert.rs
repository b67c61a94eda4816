//! How a failed call is shown: the message, then each detail the server listed.

use leptos::prelude::*;

use crate::api::{ApiError, describe_detail};

/// Shows the error while there is one; `role="alert"` so screen readers announce it.
#[component]
pub fn ErrorAlert(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// Lets tests and `aria-describedby` point at this alert.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    move || {
        error.get().map(|error| {
            let details = (!error.details.is_empty()).then(|| {
                let lines = error.details.iter().map(|detail| view! { <li>{describe_detail(detail)}</li> });
                view! { <ul>{lines.collect_view()}</ul> }
            });
            view! {
                <div class="error" role="alert" id=id>
                    <p>{error.message}</p>
                    {details}
                </div>
            }
        })
    }
}
