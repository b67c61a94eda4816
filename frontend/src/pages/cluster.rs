//! `/cluster`: the nodes sharing the database, refreshed while the page is open.

use std::time::Duration;

use leptos::prelude::*;
use model::NodeInfo;

use crate::api;
use crate::components::{ErrorAlert, Timestamp};
use crate::format::age;
use crate::hooks::use_interval;

/// Often enough to see a node go down within a heartbeat or two.
const REFRESH_EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn ClusterPage() -> impl IntoView {
    let nodes = LocalResource::new(api::list_nodes);
    use_interval(REFRESH_EVERY, move || nodes.refetch());

    let table = move || {
        nodes.get().map(|result| match result {
            Err(failure) => view! { <ErrorAlert error=Some(failure) id="node-list-error" /> }.into_any(),
            Ok(page) if page.items.is_empty() => {
                view! { <p class="empty" id="node-empty">"No node has reported a heartbeat."</p> }.into_any()
            }
            Ok(page) => view! { <NodeTable nodes=page.items /> }.into_any(),
        })
    };

    view! {
        <h1>"Cluster"</h1>
        <p class="muted">"Every node that shares this database, refreshed every 5 seconds."</p>
        <section class="panel">{table}</section>
    }
}

#[component]
fn NodeTable(nodes: Vec<NodeInfo>) -> impl IntoView {
    let rows = nodes.into_iter().map(|node| {
        let heartbeat_age = age(&node.heartbeat_at);
        let key = node.name.clone();
        view! {
            <tr data-node=key>
                <td>{node.name}</td>
                <td>
                    <code>{node.address}</code>
                </td>
                <td>{node.version}</td>
                <td>{node.modules.join(", ")}</td>
                <td>
                    <span class=format!("state state-{}", node.state)>{node.state.clone()}</span>
                </td>
                <td class="num node-runs">{node.runs_in_progress}</td>
                <td>
                    <Timestamp value=node.started_at />
                </td>
                <td>
                    <Timestamp value=node.heartbeat_at />
                    {heartbeat_age.map(|age| view! { <span class="muted">" (" {age} ")"</span> })}
                </td>
            </tr>
        }
    });
    view! {
        <table id="node-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Version"</th>
                    <th scope="col">"Modules"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Runs in progress"</th>
                    <th scope="col">"Started"</th>
                    <th scope="col">"Last heartbeat"</th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}
