//! The log of one run, oldest line first, growing as the run page polls: a scrolling box that
//! follows new lines while the reader is at its end and keeps their place when they scrolled up.

use leptos::html::Div;
use leptos::prelude::*;
use model::RunLogLine;

use crate::components::Timestamp;

/// How far from the end, in CSS pixels, still counts as "at the end": zoomed pages scroll by
/// fractions of a pixel.
const END_SLACK: i32 = 8;

#[component]
pub fn RunLog(logs: RwSignal<Vec<RunLogLine>>) -> impl IntoView {
    let log_box = NodeRef::<Div>::new();
    // Starts true: on opening a run, its newest lines (and the error, if any) are the news.
    let following = StoredValue::new(true);
    let on_scroll = move |_| {
        if let Some(element) = log_box.get_untracked() {
            let at_end = is_at_end(element.scroll_top(), element.scroll_height(), element.client_height());
            following.set_value(at_end);
        }
    };
    Effect::new(move |_| {
        logs.track();
        if following.try_get_value() == Some(true) {
            // After the frame, so the new rows are in the box when it scrolls.
            request_animation_frame(move || {
                if let Some(element) = log_box.get_untracked() {
                    element.set_scroll_top(element.scroll_height());
                }
            });
        }
    });
    view! {
        <section class="panel" aria-labelledby="run-logs-heading">
            <h2 id="run-logs-heading">"Log"</h2>
            <Show
                when=move || !logs.with(Vec::is_empty)
                fallback=|| view! { <p class="muted" id="run-logs-empty">"No log lines yet."</p> }
            >
                // Focusable so the box scrolls with the keyboard too.
                <div
                    id="run-logs-box"
                    class="log-box"
                    tabindex="0"
                    role="region"
                    aria-labelledby="run-logs-heading"
                    node_ref=log_box
                    on:scroll=on_scroll
                >
                    <LogTable logs />
                </div>
            </Show>
        </section>
    }
}

#[component]
fn LogTable(logs: RwSignal<Vec<RunLogLine>>) -> impl IntoView {
    view! {
        <table id="run-logs" class="data log">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Level"</th>
                    <th scope="col">"Message"</th>
                </tr>
            </thead>
            <tbody>
                // Lines are only ever appended, so their position is a stable key: a poll
                // draws the new lines only, and the ones on screen stay where they are.
                <For
                    each=move || logs.get().into_iter().enumerate()
                    key=|(index, line)| (*index, line.at.clone())
                    children=|(_, line)| view! { <LogLine line /> }
                />
            </tbody>
        </table>
    }
}

#[component]
fn LogLine(line: RunLogLine) -> impl IntoView {
    let level_class = format!("log-level log-{}", line.level);
    let key = line.level.clone();
    view! {
        <tr data-level=key>
            <td class="time">
                <Timestamp value=line.at clock=true />
            </td>
            <td>
                <span class=level_class>{line.level}</span>
            </td>
            <td class="message">{line.message}</td>
        </tr>
    }
}

/// Whether a box scrolled to `scroll_top` shows its last pixels.
fn is_at_end(scroll_top: i32, scroll_height: i32, client_height: i32) -> bool {
    scroll_height - scroll_top - client_height <= END_SLACK
}

#[cfg(test)]
mod tests {
    use super::is_at_end;

    #[test]
    fn the_end_allows_for_fractional_scrolling() {
        assert!(is_at_end(600, 1000, 400));
        assert!(is_at_end(595, 1000, 400));
        assert!(!is_at_end(500, 1000, 400));
        // A log shorter than its box is always at its end.
        assert!(is_at_end(0, 300, 400));
    }
}
