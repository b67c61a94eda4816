//! `/roles`: every role with its permissions; built-in roles are read-only, custom roles are
//! created, edited (a permission checklist grouped by resource) and deleted here.
//!
//! Element ids: `role-list` (one `tr[data-role]` per role, `data-builtin` on built-in ones;
//! custom ones have `button[data-edit-role]` and `button[data-delete-role]`), `role-list-error`,
//! `role-action-error`; the form `role-form` (`role-form-name`, `role-form-description`,
//! checkboxes `input[data-permission]` in one `fieldset[data-resource]` per resource,
//! `role-form-save`, `role-form-cancel`, `role-form-error`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Role, RoleSpec};

use crate::access_rules::{group_by_resource, toggle};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

#[component]
pub fn RolesPage() -> impl IntoView {
    let roles = LocalResource::new(api::list_roles);
    let permissions = LocalResource::new(api::list_permissions);
    // `None`: a new role; `Some(role)`: editing that custom role.
    let editing = RwSignal::new(None::<Option<Role>>);
    let action_error = RwSignal::new(None::<ApiError>);
    let remove = Callback::new(move |name: String| {
        action_error.set(None);
        spawn_local(async move {
            match api::delete_role(&name).await {
                Ok(()) => roles.refetch(),
                Err(failure) => action_error.set(Some(failure)),
            }
        });
    });
    let all = Signal::derive(move || permissions.get().and_then(Result::ok).unwrap_or_default());
    let saved = Callback::new(move |()| {
        editing.set(None);
        roles.refetch();
    });
    view! {
        <div class="page-header">
            <h1>"Roles"</h1>
            <button id="role-new" type="button" on:click=move |_| editing.set(Some(None))>
                "New role"
            </button>
        </div>
        <p class="muted">
            "A user may do what any of their roles allows. Built-in roles follow the release and cannot be changed."
        </p>
        <ErrorAlert error=action_error id="role-action-error" />
        {move || editing.get().map(|role| view! { <RoleForm role all editing saved /> })}
        {move || {
            roles.get().map(|result| match result {
                Err(failure) => view! { <ErrorAlert error=Some(failure) id="role-list-error" /> }.into_any(),
                Ok(page) => view! { <RoleTable roles=page.items editing remove /> }.into_any(),
            })
        }}
    }
}

#[component]
fn RoleTable(
    roles: Vec<Role>,
    editing: RwSignal<Option<Option<Role>>>,
    remove: Callback<String>,
) -> impl IntoView {
    let rows = roles.into_iter().map(|role| {
        let actions = (!role.builtin).then(|| {
            let (edited, removed) = (role.clone(), role.name.clone());
            view! {
                <button type="button" class="secondary" data-edit-role=role.name.clone()
                    on:click=move |_| editing.set(Some(Some(edited.clone())))>
                    "Edit…"
                </button>
                <button type="button" class="danger" data-delete-role=role.name.clone()
                    on:click=move |_| remove.run(removed.clone())>
                    "Delete"
                </button>
            }
        });
        view! {
            <tr data-role=role.name.clone() data-builtin=role.builtin.then_some("true")>
                <td>{role.name.clone()} {role.builtin.then(|| view! { <span class="badge">"built-in"</span> })}</td>
                <td>{role.description.clone()}</td>
                <td>
                    <code>{role.permissions.join(" ")}</code>
                </td>
                <td class="actions">{actions}</td>
            </tr>
        }
    });
    view! {
        <table id="role-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Permissions"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

#[component]
fn RoleForm(
    role: Option<Role>,
    all: Signal<Vec<String>>,
    editing: RwSignal<Option<Option<Role>>>,
    saved: Callback<()>,
) -> impl IntoView {
    let existing = role.as_ref().map(|r| r.name.clone());
    let name = RwSignal::new(role.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let description = RwSignal::new(role.as_ref().map(|r| r.description.clone()).unwrap_or_default());
    let chosen = RwSignal::new(role.map(|r| r.permissions).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let is_new = existing.is_none();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        error.set(None);
        let spec = RoleSpec {
            name: name.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
            permissions: chosen.get_untracked(),
        };
        let existing = existing.clone();
        spawn_local(async move {
            let result = match &existing {
                Some(current) => api::replace_role(current, &spec).await,
                None => api::create_role(&spec).await,
            };
            match result {
                Ok(_) => _ = saved.try_run(()),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let checklist = move || {
        group_by_resource(&all.get())
            .into_iter()
            .map(|(resource, members)| {
                let boxes = members.into_iter().map(|permission| {
                    let id = format!("role-permission-{}", permission.replace(':', "-"));
                    let label_for = id.clone();
                    let (checked, changed) = (permission.clone(), permission.clone());
                    view! {
                        <label class="check" for=label_for>
                            <input
                                type="checkbox"
                                id=id
                                data-permission=permission.clone()
                                prop:checked=move || chosen.with(|c| c.contains(&checked))
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    chosen.update(|c| *c = toggle(c, &changed, on));
                                }
                            />
                            {permission.split_once(':').map(|(_, action)| action.to_owned()).unwrap_or_default()}
                        </label>
                    }
                });
                let key = resource.clone();
                view! {
                    <fieldset data-resource=key>
                        <legend>{resource}</legend>
                        {boxes.collect_view()}
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <form id="role-form" class="panel" on:submit=submit novalidate>
            <h2>{if is_new { "New role" } else { "Edit role" }}</h2>
            <div class="field">
                <label for="role-form-name">"Name"</label>
                <input id="role-form-name" autocomplete="off" bind:value=name readonly=!is_new />
            </div>
            <div class="field">
                <label for="role-form-description">"Description"</label>
                <input id="role-form-description" autocomplete="off" bind:value=description />
            </div>
            {checklist}
            <ErrorAlert error id="role-form-error" />
            <button id="role-form-save" type="submit">"Save role"</button>
            <button id="role-form-cancel" type="button" class="secondary" on:click=move |_| editing.set(None)>
                "Cancel"
            </button>
        </form>
    }
}
