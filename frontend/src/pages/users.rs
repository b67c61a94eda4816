//! `/users`: every user with their roles and whether they may sign in; changing a user's
//! roles, disabling or enabling them, resetting their password; creating a user.
//!
//! Element ids: `user-list` (one `tr[data-user]` per user, with `button[data-edit-roles]`,
//! `button[data-toggle-enabled]` and `button[data-reset-password]`), `user-list-error`,
//! `user-action-error`; the role editor `user-edit` (checkboxes `input[data-role]`,
//! `user-edit-save`, `user-edit-cancel`); the password form `user-password`
//! (`user-password-input`, `user-password-save`, `user-password-cancel`); the creation form
//! `new-user-name`, `new-user-password`, `new-user-roles` (checkboxes `input[data-role]`),
//! `new-user-create`, `new-user-problem`, `new-user-error`.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{CreateUser, Role, UpdateUser, User};

use crate::access_rules::{toggle, user_form_problem};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

/// What the page is doing with one user, if anything.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    Roles(String, Vec<String>),
    Password(String),
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = LocalResource::new(api::list_users);
    let roles = LocalResource::new(api::list_roles);
    let editing = RwSignal::new(None::<Editing>);
    let action_error = RwSignal::new(None::<ApiError>);
    let role_names = Signal::derive(move || {
        roles
            .get()
            .and_then(Result::ok)
            .map(|page| page.items.into_iter().map(|r: Role| r.name).collect())
            .unwrap_or_default()
    });
    let apply = Callback::new(move |(username, change): (String, UpdateUser)| {
        action_error.set(None);
        spawn_local(async move {
            match api::update_user(&username, &change).await {
                Ok(_) => {
                    editing.set(None);
                    users.refetch();
                }
                Err(failure) => action_error.set(Some(failure)),
            }
        });
    });
    let list = move || {
        users.get().map(|result| match result {
            Err(failure) => view! { <ErrorAlert error=Some(failure) id="user-list-error" /> }.into_any(),
            Ok(page) => view! { <UserTable users=page.items editing apply /> }.into_any(),
        })
    };
    view! {
        <h1>"Users"</h1>
        <section class="panel" aria-labelledby="users-heading">
            <h2 id="users-heading">"Who may sign in"</h2>
            <p class="muted">
                "A disabled user cannot sign in; their sessions and API tokens stop working at once."
            </p>
            <ErrorAlert error=action_error id="user-action-error" />
            {move || match editing.get() {
                Some(Editing::Roles(username, held)) => {
                    view! { <RoleEditor username held role_names editing apply /> }.into_any()
                }
                Some(Editing::Password(username)) => {
                    view! { <PasswordForm username editing action_error /> }.into_any()
                }
                None => ().into_any(),
            }}
            {list}
        </section>
        <CreateUserForm role_names created=Callback::new(move |()| users.refetch()) />
    }
}

#[component]
fn UserTable(
    users: Vec<User>,
    editing: RwSignal<Option<Editing>>,
    apply: Callback<(String, UpdateUser)>,
) -> impl IntoView {
    let rows = users.into_iter().map(|user| {
        let (roles_of, password_of, toggle_of) = (user.username.clone(), user.username.clone(), user.username.clone());
        let held = user.roles.clone();
        let enabled = user.enabled;
        view! {
            <tr data-user=user.username.clone()>
                <td>{user.username.clone()}</td>
                <td>{if user.roles.is_empty() { "—".to_owned() } else { user.roles.join(", ") }}</td>
                <td>{if enabled { "Enabled" } else { "Disabled" }}</td>
                <td class="actions">
                    <button
                        type="button"
                        class="secondary"
                        data-edit-roles=user.username.clone()
                        on:click=move |_| editing.set(Some(Editing::Roles(roles_of.clone(), held.clone())))
                    >
                        "Roles…"
                    </button>
                    <button
                        type="button"
                        class=if enabled { "danger" } else { "secondary" }
                        data-toggle-enabled=user.username.clone()
                        on:click=move |_| apply.run((toggle_of.clone(), UpdateUser { roles: None, enabled: Some(!enabled) }))
                    >
                        {if enabled { "Disable" } else { "Enable" }}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-reset-password=user.username.clone()
                        on:click=move |_| editing.set(Some(Editing::Password(password_of.clone())))
                    >
                        "Reset password…"
                    </button>
                </td>
            </tr>
        }
    });
    view! {
        <table id="user-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"User"</th>
                    <th scope="col">"Roles"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

/// One checkbox per role, checked for those in `chosen`.
#[component]
fn RoleChecklist(
    role_names: Signal<Vec<String>>,
    chosen: RwSignal<Vec<String>>,
    prefix: &'static str,
) -> impl IntoView {
    move || {
        role_names
            .get()
            .into_iter()
            .map(|role| {
                let id = format!("{prefix}-{role}");
                let (checked_role, changed_role) = (role.clone(), role.clone());
                let label_for = id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input
                            type="checkbox"
                            id=id
                            data-role=role.clone()
                            prop:checked=move || chosen.with(|c| c.contains(&checked_role))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                chosen.update(|c| *c = toggle(c, &changed_role, on));
                            }
                        />
                        {role}
                    </label>
                }
            })
            .collect_view()
    }
}

#[component]
fn RoleEditor(
    username: String,
    held: Vec<String>,
    role_names: Signal<Vec<String>>,
    editing: RwSignal<Option<Editing>>,
    apply: Callback<(String, UpdateUser)>,
) -> impl IntoView {
    let chosen = RwSignal::new(held);
    let save_name = username.clone();
    // The editor opens above the table: focus brings it into view wherever the page was scrolled.
    let panel = NodeRef::<html::Fieldset>::new();
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            let _ = panel.focus();
        }
    });
    view! {
        <fieldset id="user-edit" class="panel" tabindex="-1" node_ref=panel>
            <legend>"Roles of " {username}</legend>
            <RoleChecklist role_names chosen prefix="user-edit-role" />
            <button
                id="user-edit-save"
                type="button"
                on:click=move |_| apply.run((save_name.clone(), UpdateUser { roles: Some(chosen.get_untracked()), enabled: None }))
            >
                "Save roles"
            </button>
            <button id="user-edit-cancel" type="button" class="secondary" on:click=move |_| editing.set(None)>
                "Cancel"
            </button>
        </fieldset>
    }
}

#[component]
fn PasswordForm(
    username: String,
    editing: RwSignal<Option<Editing>>,
    action_error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let target = username.clone();
    // The form opens above the table: focus brings it into view wherever the page was scrolled.
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        action_error.set(None);
        let (username, password) = (target.clone(), password.get_untracked());
        spawn_local(async move {
            match api::set_password(&username, &password).await {
                Ok(()) => done.set(true),
                Err(failure) => action_error.set(Some(failure)),
            }
        });
    };
    view! {
        <form id="user-password" class="inline-form panel" on:submit=submit novalidate>
            <div class="field grow">
                <label for="user-password-input">"New password for " {username}</label>
                <input id="user-password-input" type="password" autocomplete="new-password" bind:value=password node_ref=input />
            </div>
            <button id="user-password-save" type="submit">"Set password"</button>
            <button id="user-password-cancel" type="button" class="secondary" on:click=move |_| editing.set(None)>
                "Close"
            </button>
            {move || done.get().then(|| view! { <p role="status">"Password set; the user's sessions ended."</p> })}
        </form>
    }
}

#[component]
fn CreateUserForm(role_names: Signal<Vec<String>>, created: Callback<()>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let (name, secret) = (username.get_untracked(), password.get_untracked());
        if let Some(message) = user_form_problem(&name, &secret) {
            return problem.set(Some(message));
        }
        problem.set(None);
        error.set(None);
        let request = CreateUser {
            username: name.trim().to_owned(),
            password: secret,
            roles: chosen.get_untracked(),
            enabled: true,
        };
        spawn_local(async move {
            match api::create_user(&request).await {
                Ok(_) => {
                    username.set(String::new());
                    password.set(String::new());
                    chosen.set(Vec::new());
                    _ = created.try_run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="new-user-heading">
            <h2 id="new-user-heading">"New user"</h2>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="new-user-name">"User name"</label>
                    <input id="new-user-name" autocomplete="off" bind:value=username />
                </div>
                <div class="field">
                    <label for="new-user-password">"Password " <span class="muted">"(at least 10 characters)"</span></label>
                    <input id="new-user-password" type="password" autocomplete="new-password" bind:value=password />
                </div>
                <fieldset id="new-user-roles">
                    <legend>"Roles"</legend>
                    <RoleChecklist role_names chosen prefix="new-user-role" />
                </fieldset>
                <button id="new-user-create" type="submit">"Create user"</button>
            </form>
            {move || problem.get().map(|message| view! { <p class="error" role="alert" id="new-user-problem">{message}</p> })}
            <ErrorAlert error id="new-user-error" />
        </section>
    }
}
