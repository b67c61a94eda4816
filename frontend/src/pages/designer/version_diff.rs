//! A [`DocumentDiff`] as a list, one line per difference (see [`describe`]).

use leptos::prelude::*;

use crate::designer::diff::DocumentDiff;
use crate::designer::diff_text::describe;

#[component]
pub fn DiffView(changes: DocumentDiff) -> impl IntoView {
    let lines = describe(&changes);
    let body = if lines.is_empty() {
        view! { <p class="muted">"No differences."</p> }.into_any()
    } else {
        let items = lines
            .into_iter()
            .map(|line| {
                let kind = line.kind.as_str();
                view! { <li class=format!("diff-{kind}") data-change=kind>{line.text}</li> }
            })
            .collect_view();
        view! { <ul class="diff-list">{items}</ul> }.into_any()
    };
    view! { <div class="version-diff" id="version-diff">{body}</div> }
}
