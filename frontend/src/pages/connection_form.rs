//! The form that creates or edits a connection: fields by kind (server address and user for
//! PostgreSQL and MySQL, a path for SQLite and directories), and a write-only password that
//! shows only whether one is set, with "Replace" and "Clear".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Connection, ConnectionKind, ConnectionSpec};

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

/// What the password field will do on save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChoice {
    Keep,
    Clear,
    Replace(String),
}

/// The form's text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionForm {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub host: String,
    pub port: String,
    pub database: String,
    pub username: String,
    pub path: String,
}

impl ConnectionForm {
    pub fn of(connection: &Connection) -> Self {
        Self {
            name: connection.name.clone(),
            kind: connection.kind.as_str().to_owned(),
            description: connection.description.clone(),
            host: connection.host.clone().unwrap_or_default(),
            port: connection.port.map(|p| p.to_string()).unwrap_or_default(),
            database: connection.database.clone().unwrap_or_default(),
            username: connection.username.clone().unwrap_or_default(),
            path: connection.path.clone().unwrap_or_default(),
        }
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The spec to send: only the fields of the chosen kind. The server checks the rest (and
/// answers with a detail per field).
pub fn connection_spec(
    form: &ConnectionForm,
    password: &PasswordChoice,
) -> Result<ConnectionSpec, &'static str> {
    if form.name.trim().is_empty() {
        return Err("Give the connection a name; stages refer to it by that name.");
    }
    let kind = ConnectionKind::parse(&form.kind).ok_or("Choose the kind of connection.")?;
    let mut spec = ConnectionSpec {
        name: form.name.trim().to_owned(),
        kind: kind.as_str().to_owned(),
        description: form.description.trim().to_owned(),
        ..ConnectionSpec::default()
    };
    if kind.is_server() {
        spec.host = some(&form.host);
        spec.database = some(&form.database);
        spec.username = some(&form.username);
        spec.port = match form.port.trim() {
            "" => None,
            port => Some(port.parse::<i64>().map_err(|_| "The port must be a whole number (1 to 65535).")?),
        };
        spec.password = match password {
            PasswordChoice::Keep => None,
            PasswordChoice::Clear => Some(None),
            PasswordChoice::Replace(text) => Some(Some(text.clone())),
        };
    } else {
        spec.path = some(&form.path);
    }
    Ok(spec)
}

/// Creates a connection (`editing` is `None`) or edits one; `saved` runs after the server
/// accepted it, `cancel` when the user gives up.
#[component]
pub fn ConnectionEditor(
    editing: Option<Connection>,
    saved: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let original_name = editing.as_ref().map(|c| c.name.clone());
    let password_set = editing.as_ref().is_some_and(|c| c.password_set);
    let start = editing
        .as_ref()
        .map(ConnectionForm::of)
        .unwrap_or(ConnectionForm { kind: "postgres".into(), ..ConnectionForm::default() });
    let is_new = original_name.is_none();
    let name = RwSignal::new(start.name);
    let kind = RwSignal::new(start.kind);
    let description = RwSignal::new(start.description);
    let host = RwSignal::new(start.host);
    let port = RwSignal::new(start.port);
    let database = RwSignal::new(start.database);
    let username = RwSignal::new(start.username);
    let path = RwSignal::new(start.path);
    let password = RwSignal::new(String::new());
    // A new connection takes a password at once; a stored one keeps its own until replaced.
    let replacing = RwSignal::new(is_new);
    let clearing = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let is_server = move || ConnectionKind::parse(&kind.get()).is_some_and(ConnectionKind::is_server);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = ConnectionForm {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            description: description.get_untracked(),
            host: host.get_untracked(),
            port: port.get_untracked(),
            database: database.get_untracked(),
            username: username.get_untracked(),
            path: path.get_untracked(),
        };
        let choice = if clearing.get_untracked() {
            PasswordChoice::Clear
        } else if replacing.get_untracked() && !(is_new && password.get_untracked().is_empty()) {
            PasswordChoice::Replace(password.get_untracked())
        } else {
            PasswordChoice::Keep
        };
        let spec = match connection_spec(&form, &choice) {
            Ok(spec) => spec,
            Err(message) => return problem.set(Some(message)),
        };
        problem.set(None);
        error.set(None);
        pending.set(true);
        let original = original_name.clone();
        spawn_local(async move {
            let result = match &original {
                Some(name) => api::update_connection(name, &spec).await.map(drop),
                None => api::create_connection(&spec).await.map(drop),
            };
            pending.set(false);
            match result {
                Ok(()) => _ = saved.try_run(()),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };

    let password_state = move || {
        if clearing.get() {
            "will be cleared"
        } else if password_set {
            "set"
        } else {
            "not set"
        }
    };
    let password_field = move || {
        is_server().then(|| {
            view! {
                <div class="field">
                    <label for="connection-password">"Password"</label>
                    <p class="muted">
                        "Stored encrypted, never shown: " <strong id="connection-password-state">{password_state}</strong>
                    </p>
                    {move || {
                        if replacing.get() {
                            view! {
                                <input
                                    id="connection-password"
                                    type="password"
                                    autocomplete="new-password"
                                    bind:value=password
                                />
                            }
                                .into_any()
                        } else {
                            view! {
                                <button
                                    id="connection-password-replace"
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        clearing.set(false);
                                        replacing.set(true);
                                    }
                                >
                                    "Replace"
                                </button>
                            }
                                .into_any()
                        }
                    }}
                    {(!is_new && password_set).then(|| view! {
                        <button
                            id="connection-password-clear"
                            type="button"
                            class="secondary"
                            on:click=move |_| {
                                replacing.set(false);
                                clearing.set(true);
                            }
                        >
                            "Clear"
                        </button>
                    })}
                </div>
            }
        })
    };
    let server_fields = move || {
        is_server().then(|| {
            view! {
                <div class="field">
                    <label for="connection-host">"Host"</label>
                    <input id="connection-host" autocomplete="off" bind:value=host />
                </div>
                <div class="field">
                    <label for="connection-port">"Port " <span class="muted">"(default 5432 / 3306)"</span></label>
                    <input id="connection-port" type="number" min="1" max="65535" inputmode="numeric" bind:value=port />
                </div>
                <div class="field">
                    <label for="connection-database">"Database"</label>
                    <input id="connection-database" autocomplete="off" bind:value=database />
                </div>
                <div class="field">
                    <label for="connection-username">"User"</label>
                    <input id="connection-username" autocomplete="off" bind:value=username />
                </div>
            }
        })
    };
    let path_field = move || {
        (!is_server()).then(|| {
            view! {
                <div class="field grow">
                    <label for="connection-path">"Path under the data directory"</label>
                    <input id="connection-path" autocomplete="off" placeholder="db/shop.sqlite" bind:value=path />
                </div>
            }
        })
    };
    let kinds = ConnectionKind::ALL.iter().map(|k| {
        let value = k.as_str();
        let label = match k {
            ConnectionKind::Postgres => "PostgreSQL",
            ConnectionKind::Mysql => "MySQL / MariaDB",
            ConnectionKind::Sqlite => "SQLite file",
            ConnectionKind::Directory => "Directory",
        };
        view! { <option value=value>{label}</option> }
    });
    let heading = if is_new { "New connection" } else { "Edit connection" };

    view! {
        <section class="panel" aria-labelledby="connection-form-heading">
            <h2 id="connection-form-heading">{heading}</h2>
            <form id="connection-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="connection-name">"Name"</label>
                    <input id="connection-name" autocomplete="off" disabled=!is_new bind:value=name />
                </div>
                <div class="field">
                    <label for="connection-kind">"Kind"</label>
                    <select id="connection-kind" bind:value=kind>{kinds.collect_view()}</select>
                </div>
                <div class="field grow">
                    <label for="connection-description">"Description " <span class="muted">"(optional)"</span></label>
                    <input id="connection-description" autocomplete="off" bind:value=description />
                </div>
                {server_fields}
                {password_field}
                {path_field}
                <button id="connection-save" type="submit" disabled=pending>"Save"</button>
                <button id="connection-cancel" type="button" class="secondary" on:click=move |_| cancel.run(())>
                    "Cancel"
                </button>
            </form>
            {move || problem.get().map(|m| view! { <p class="error" role="alert" id="connection-form-problem">{m}</p> })}
            <ErrorAlert error id="connection-form-error" />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> ConnectionForm {
        ConnectionForm {
            name: " dw ".into(),
            kind: kind.into(),
            host: "db".into(),
            port: "5433".into(),
            database: "sales".into(),
            username: "etl".into(),
            path: "db/x.sqlite".into(),
            ..ConnectionForm::default()
        }
    }

    #[test]
    fn server_kinds_send_address_and_the_password_choice() {
        let spec = connection_spec(&form("postgres"), &PasswordChoice::Keep).unwrap();
        assert_eq!((spec.name.as_str(), spec.port, spec.path), ("dw", Some(5433), None));
        assert_eq!(spec.password, None, "kept: not sent");
        let cleared = connection_spec(&form("mysql"), &PasswordChoice::Clear).unwrap();
        assert_eq!(cleared.password, Some(None));
        let replaced = connection_spec(&form("mysql"), &PasswordChoice::Replace("pw".into())).unwrap();
        assert_eq!(replaced.password, Some(Some("pw".into())));
    }

    #[test]
    fn path_kinds_send_only_the_path() {
        let spec = connection_spec(&form("sqlite"), &PasswordChoice::Replace("pw".into())).unwrap();
        assert_eq!((spec.host, spec.password, spec.path.as_deref()), (None, None, Some("db/x.sqlite")));
    }

    #[test]
    fn obvious_mistakes_are_caught_before_sending() {
        assert!(
            connection_spec(&ConnectionForm { name: " ".into(), ..form("postgres") }, &PasswordChoice::Keep)
                .is_err()
        );
        assert!(
            connection_spec(&ConnectionForm { port: "x".into(), ..form("postgres") }, &PasswordChoice::Keep)
                .is_err()
        );
        assert!(connection_spec(&form("oracle"), &PasswordChoice::Keep).is_err());
    }
}
