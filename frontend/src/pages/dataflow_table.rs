//! The table of dataflows on `/dataflows`.

use leptos::prelude::*;
use model::DataflowSummary;

use crate::components::Timestamp;
use crate::route::Route;

#[component]
pub fn DataflowTable(rows: RwSignal<Vec<DataflowSummary>>) -> impl IntoView {
    view! {
        <table id="dataflow-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="num">"Version"</th>
                    <th scope="col" class="num">"Exposed"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                // Keyed on what a row shows, so a reload redraws exactly the rows that changed.
                <For
                    each=move || rows.get()
                    key=|row| (row.name.clone(), row.version, row.exposed_version, row.updated_at.clone())
                    let:row
                >
                    <DataflowRow row />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn DataflowRow(row: DataflowSummary) -> impl IntoView {
    let exposed = row.exposed_version.map_or_else(|| "—".to_owned(), |version| version.to_string());
    let href = Route::Dataflow(row.name.clone()).path();
    let key = row.name.clone();
    view! {
        <tr data-name=key>
            <td>
                <a href=href>{row.name}</a>
            </td>
            <td>
                <span class="badge">{row.kind.as_str()}</span>
            </td>
            <td class="description">{row.description}</td>
            <td class="num">{row.version}</td>
            <td class="num">{exposed}</td>
            <td class="who-when">
                {row.updated_by} <br /> <Timestamp value=row.updated_at />
            </td>
        </tr>
    }
}
