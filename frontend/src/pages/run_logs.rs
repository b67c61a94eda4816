//! The log of one run, oldest line first, growing as the run page polls.

use leptos::prelude::*;
use model::RunLogLine;

use crate::components::Timestamp;

#[component]
pub fn RunLog(logs: RwSignal<Vec<RunLogLine>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="run-logs-heading">
            <h2 id="run-logs-heading">"Log"</h2>
            <Show
                when=move || !logs.with(Vec::is_empty)
                fallback=|| view! { <p class="muted" id="run-logs-empty">"No log lines yet."</p> }
            >
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
                        // draws the new lines only.
                        <For
                            each=move || logs.get().into_iter().enumerate()
                            key=|(index, line)| (*index, line.at.clone())
                            children=|(_, line)| view! { <LogLine line /> }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
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
