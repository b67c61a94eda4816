//! `/connections`: the databases and directories stages read from and write to. The list
//! (name, kind, where, user, whether a password is set), a test button per connection that
//! really connects and shows the outcome with its latency, editing, and deleting after a
//! confirmation.
//!
//! Element ids: `connection-list` (one `tr[data-connection]` per connection, with
//! `button[data-test]`, `button[data-edit]`, `button[data-delete]` and a `td.password` saying
//! "set" or "not set"), `connection-new`, `connection-empty`, `connection-list-error`,
//! `connection-test-result` (`data-ok` true or false, with the message and latency),
//! `connection-test-error`, `connection-confirm` (with `connection-confirm-delete` and
//! `connection-confirm-cancel`), `connection-delete-error`; the form's ids are in
//! `connection_form` (`connection-form`, `connection-name`, `connection-kind`,
//! `connection-host`, `connection-port`, `connection-database`, `connection-username`,
//! `connection-password`, `connection-password-state`, `connection-password-replace`,
//! `connection-password-clear`, `connection-path`, `connection-save`, `connection-cancel`,
//! `connection-form-problem`, `connection-form-error`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Connection, ConnectionKind, ConnectionTest};

use super::connection_form::ConnectionEditor;
use super::object_access::{AccessSection, ObjectKind};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

const NO_CONNECTIONS: &str = "No connections yet. A connection holds the address and credentials \
    of a database or directory that stages read from and write to; its password is stored \
    encrypted and never shown again.";

/// What the form is doing: nothing, creating, or editing a stored connection.
#[derive(Clone)]
enum Editing {
    Closed,
    New,
    Existing(Box<Connection>),
}

/// Where a connection points, in one line.
fn location(connection: &Connection) -> String {
    if connection.kind.is_server() {
        format!(
            "{}:{}/{}",
            connection.host.clone().unwrap_or_default(),
            connection.port.map(|p| p.to_string()).unwrap_or_default(),
            connection.database.clone().unwrap_or_default()
        )
    } else {
        connection.path.clone().unwrap_or_default()
    }
}

fn kind_label(kind: ConnectionKind) -> &'static str {
    match kind {
        ConnectionKind::Postgres => "PostgreSQL",
        ConnectionKind::Mysql => "MySQL",
        ConnectionKind::Sqlite => "SQLite",
        ConnectionKind::Directory => "Directory",
    }
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let connections = LocalResource::new(api::list_connections);
    let editing = RwSignal::new(Editing::Closed);
    let tested = RwSignal::new(None::<(String, ConnectionTest)>);
    let testing = RwSignal::new(None::<String>);
    let test_error = RwSignal::new(None::<ApiError>);
    let confirming = RwSignal::new(None::<String>);
    let delete_error = RwSignal::new(None::<ApiError>);

    let test = Callback::new(move |name: String| {
        test_error.set(None);
        tested.set(None);
        testing.set(Some(name.clone()));
        spawn_local(async move {
            let result = api::test_connection(&name).await;
            testing.set(None);
            match result {
                Ok(outcome) => tested.set(Some((name, outcome))),
                Err(failure) => test_error.set(Some(failure)),
            }
        });
    });
    let remove = move |name: String| {
        delete_error.set(None);
        spawn_local(async move {
            let result = api::delete_connection(&name).await;
            confirming.set(None);
            match result {
                Ok(()) => connections.refetch(),
                Err(failure) => delete_error.set(Some(failure)),
            }
        });
    };
    let saved = Callback::new(move |()| {
        editing.set(Editing::Closed);
        connections.refetch();
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Closed));

    let list = move || {
        connections.get().map(|result| match result {
            Err(failure) => {
                view! { <ErrorAlert error=Some(failure) id="connection-list-error" /> }.into_any()
            }
            Ok(page) if page.items.is_empty() => {
                view! { <p class="empty" id="connection-empty">{NO_CONNECTIONS}</p> }.into_any()
            }
            Ok(page) => view! { <ConnectionTable connections=page.items editing confirming test testing /> }
                .into_any(),
        })
    };
    let outcome = move || {
        tested.get().map(|(name, outcome)| {
            let class = if outcome.ok { "notice" } else { "error" };
            let verdict = if outcome.ok { "works" } else { "failed" };
            view! {
                <div id="connection-test-result" class=class role="status" data-ok=outcome.ok.to_string()>
                    <p>
                        <strong>"“" {name} "” " {verdict}</strong>
                        " (" {outcome.latency_ms} " ms): " {outcome.message}
                    </p>
                </div>
            }
        })
    };
    let confirmation = move || {
        confirming.get().map(|name| {
            let target = name.clone();
            view! {
                <div id="connection-confirm" class="confirm" role="alertdialog" aria-labelledby="connection-confirm-text">
                    <p id="connection-confirm-text">
                        "Delete the connection “" {name} "”? Dataflows that use it will fail until it exists again."
                    </p>
                    <button id="connection-confirm-delete" type="button" class="danger" on:click=move |_| remove(target.clone())>
                        "Delete"
                    </button>
                    <button id="connection-confirm-cancel" type="button" class="secondary" on:click=move |_| confirming.set(None)>
                        "Cancel"
                    </button>
                </div>
            }
        })
    };
    let form = move || match editing.get() {
        Editing::Closed => ().into_any(),
        Editing::New => view! { <ConnectionEditor editing=None saved cancel /> }.into_any(),
        Editing::Existing(connection) => {
            let name = connection.name.clone();
            view! {
                <ConnectionEditor editing=Some(*connection) saved cancel />
                <AccessSection kind=ObjectKind::Connection name />
            }
            .into_any()
        }
    };

    view! {
        <h1>"Connections"</h1>
        <p class="muted">
            "Stages " <code>"read_db"</code> " and " <code>"write_db"</code>
            " name a connection; its password stays on the server, encrypted."
        </p>
        <button id="connection-new" type="button" on:click=move |_| editing.set(Editing::New)>
            "New connection"
        </button>
        {form}
        <ErrorAlert error=test_error id="connection-test-error" />
        {outcome}
        <ErrorAlert error=delete_error id="connection-delete-error" />
        {confirmation}
        {list}
    }
}

#[component]
fn ConnectionTable(
    connections: Vec<Connection>,
    editing: RwSignal<Editing>,
    confirming: RwSignal<Option<String>>,
    test: Callback<String>,
    testing: RwSignal<Option<String>>,
) -> impl IntoView {
    let rows = connections.into_iter().map(|connection| {
        let name = connection.name.clone();
        let (test_name, delete_name, busy_name) = (name.clone(), name.clone(), name.clone());
        let edited = connection.clone();
        let password = if !connection.kind.is_server() {
            "—"
        } else if connection.password_set {
            "set"
        } else {
            "not set"
        };
        view! {
            <tr data-connection=name.clone()>
                <td>{name.clone()}</td>
                <td>{kind_label(connection.kind)}</td>
                <td><code>{location(&connection)}</code></td>
                <td>{connection.username.clone().unwrap_or_default()}</td>
                <td class="password">{password}</td>
                <td>{connection.description.clone()}</td>
                <td class="actions">
                    <button
                        type="button"
                        class="secondary"
                        data-test=name.clone()
                        disabled=move || testing.get().as_deref() == Some(busy_name.as_str())
                        on:click=move |_| test.run(test_name.clone())
                    >
                        "Test"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-edit=name.clone()
                        on:click=move |_| editing.set(Editing::Existing(Box::new(edited.clone())))
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        data-delete=name.clone()
                        on:click=move |_| confirming.set(Some(delete_name.clone()))
                    >
                        "Delete"
                    </button>
                </td>
            </tr>
        }
    });
    view! {
        <table id="connection-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Where"</th>
                    <th scope="col">"User"</th>
                    <th scope="col">"Password"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}
