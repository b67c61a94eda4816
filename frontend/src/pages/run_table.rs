//! The table of runs on `/runs`.

use leptos::prelude::*;
use model::Run;

use crate::components::{RunStatusBadge, Timestamp};
use crate::format::{run_duration, short_id};
use crate::route::Route;

#[component]
pub fn RunTable(rows: RwSignal<Vec<Run>>) -> impl IntoView {
    view! {
        <table id="run-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Run"</th>
                    <th scope="col">"Dataflow"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Trigger"</th>
                    <th scope="col">"Node"</th>
                    <th scope="col" class="num">"Attempt"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col" class="num">"Duration"</th>
                </tr>
            </thead>
            <tbody>
                // Keyed on what a row shows, so a refresh redraws exactly the runs that moved on.
                <For
                    each=move || rows.get()
                    key=|run| {
                        (
                            run.id.clone(),
                            run.status,
                            run.node.clone(),
                            run.attempt,
                            run.started_at.clone(),
                            run.finished_at.clone(),
                        )
                    }
                    let:run
                >
                    <RunRow run />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn RunRow(run: Run) -> impl IntoView {
    let href = Route::Run(run.id.clone()).path();
    let label = short_id(&run.id).to_owned();
    let duration = run_duration(&run);
    let node = run.node.unwrap_or_else(|| "—".into());
    view! {
        <tr data-run=run.id>
            <td>
                <a href=href title="Open the run">
                    <code>{label}</code>
                </a>
            </td>
            <td>{run.dataflow} <span class="muted">" v" {run.version}</span></td>
            <td>
                <RunStatusBadge status=run.status />
            </td>
            <td>{run.trigger.as_str()}</td>
            <td>{node}</td>
            <td class="num">{run.attempt}</td>
            <td class="who-when">{run.created_by} <br /> <Timestamp value=run.created_at /></td>
            <td class="num">{duration}</td>
        </tr>
    }
}
