//! The next fire times of a schedule, in its own time zone, as the preview endpoints list them:
//! shown live in the editor and on a saved schedule's page.

use leptos::prelude::*;
use model::SchedulePreview;

use crate::schedule::describe_local;

/// `id` names the list (`{id}`), its empty note (`{id}-empty`). Each item carries the UTC time in
/// `data-utc` and shows the local one.
#[component]
pub fn FireTimes(
    #[prop(into)] preview: Signal<Option<SchedulePreview>>,
    id: &'static str,
    /// Why there are no times, when there are none (a file trigger, a past date…).
    #[prop(into)]
    none_text: Signal<&'static str>,
) -> impl IntoView {
    move || {
        let preview = preview.get()?;
        if preview.fire_times.is_empty() {
            let empty_id = format!("{id}-empty");
            return Some(view! { <p class="muted" id=empty_id>{none_text.get()}</p> }.into_any());
        }
        let zone = preview.timezone.clone();
        let items = preview.fire_times.into_iter().map(|time| {
            let title = format!("{} in UTC", time.utc);
            let utc = time.utc.clone();
            view! {
                <li data-utc=utc>
                    <time datetime=time.utc title=title>
                        {describe_local(&time.local)}
                    </time>
                </li>
            }
        });
        Some(
            view! {
                <p class="muted hint">"In " {zone} ":"</p>
                <ol id=id class="fire-times">
                    {items.collect_view()}
                </ol>
            }
            .into_any(),
        )
    }
}
