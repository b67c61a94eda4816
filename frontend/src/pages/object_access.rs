//! The "Access" section of a dataflow's page and of a connection's form: the overrides that
//! grant or deny one user or one role permissions on this object, adding and removing them, saving the whole list. A
//! deny beats everything; a grant gives what it lists even without the role-wide permission.
//! Only shown to callers who may read roles; saving needs `roles:edit`.
//!
//! Element ids: `access` (the section), `access-list` (one `li[data-entry]` per entry with its
//! `button[data-remove-entry]`), `access-empty`, `access-subject-kind`, `access-subject-name`,
//! `access-effect`, checkboxes `input[data-access-permission]`, `access-add`, `access-problem`,
//! `access-save`, `access-saved`, `access-error`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{AccessEntry, ObjectAccess};

use crate::access_rules::{CONNECTION_PERMISSIONS, DATAFLOW_PERMISSIONS, describe, new_entry, toggle};
use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

/// What an access section is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Dataflow,
    Connection,
}

impl ObjectKind {
    /// As the API names it in `/access/{kind}/{name}`.
    fn as_str(self) -> &'static str {
        match self {
            Self::Dataflow => "dataflow",
            Self::Connection => "connection",
        }
    }

    /// The permissions an override on such an object may name.
    fn permissions(self) -> &'static [&'static str] {
        match self {
            Self::Dataflow => DATAFLOW_PERMISSIONS,
            Self::Connection => CONNECTION_PERMISSIONS,
        }
    }
}

#[component]
pub fn AccessSection(kind: ObjectKind, name: String) -> impl IntoView {
    let loaded = LocalResource::new({
        let name = name.clone();
        move || {
            let name = name.clone();
            async move { api::object_access(kind.as_str(), &name).await }
        }
    });
    view! {
        {move || match loaded.get() {
            None => ().into_any(),
            // Callers who may not read roles see no section at all.
            Some(Err(error)) if error.status == 403 => ().into_any(),
            Some(Err(error)) => view! { <ErrorAlert error=Some(error) id="access-error" /> }.into_any(),
            Some(Ok(access)) => view! { <AccessEditor object=kind name=name.clone() entries=access.entries /> }.into_any(),
        }}
    }
}

#[component]
fn AccessEditor(object: ObjectKind, name: String, entries: Vec<AccessEntry>) -> impl IntoView {
    let entries = RwSignal::new(entries);
    let kind = RwSignal::new("role".to_owned());
    let subject = RwSignal::new(String::new());
    let effect = RwSignal::new("grant".to_owned());
    let chosen = RwSignal::new(Vec::<String>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let add = move |_| match new_entry(
        &kind.get_untracked(),
        &subject.get_untracked(),
        &effect.get_untracked(),
        &chosen.get_untracked(),
    ) {
        Ok(entry) => {
            problem.set(None);
            saved.set(false);
            entries.update(|list| list.push(entry));
            subject.set(String::new());
            chosen.set(Vec::new());
        }
        Err(message) => problem.set(Some(message)),
    };
    let save = move |_| {
        error.set(None);
        let (name, access) = (name.clone(), ObjectAccess { entries: entries.get_untracked() });
        spawn_local(async move {
            match api::replace_object_access(object.as_str(), &name, &access).await {
                Ok(stored) => {
                    entries.set(stored.entries);
                    saved.set(true);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let list = move || {
        let items = entries.get();
        if items.is_empty() {
            return view! { <p class="empty" id="access-empty">"No overrides: the roles decide."</p> }
                .into_any();
        }
        let rows = items.into_iter().enumerate().map(|(index, entry)| {
            let text = describe(&entry);
            view! {
                <li data-entry=text.clone()>
                    {text.clone()}
                    <button type="button" class="secondary" data-remove-entry=index.to_string()
                        aria-label=format!("Remove: {text}")
                        on:click=move |_| {
                            saved.set(false);
                            entries.update(|list| { list.remove(index); });
                        }>
                        "Remove"
                    </button>
                </li>
            }
        });
        view! { <ul id="access-list">{rows.collect_view()}</ul> }.into_any()
    };
    let checkboxes = object.permissions().iter().map(|permission| {
        let id = format!("access-permission-{}", permission.replace(':', "-"));
        let label_for = id.clone();
        view! {
            <label class="check" for=label_for>
                <input
                    type="checkbox"
                    id=id
                    data-access-permission=*permission
                    prop:checked=move || chosen.with(|c| c.iter().any(|p| p == permission))
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        chosen.update(|c| *c = toggle(c, permission, on));
                    }
                />
                {*permission}
            </label>
        }
    });
    view! {
        <section class="panel" id="access" aria-labelledby="access-heading">
            <h2 id="access-heading">"Access"</h2>
            <p class="muted">
                "A deny for a user or one of their roles beats everything (no permissions ticked: deny all); "
                {format!("a grant gives the ticked permissions on this {} even without them role-wide.", object.as_str())}
            </p>
            {list}
            <fieldset>
                <legend>"Add an entry"</legend>
                <label for="access-subject-kind">"For a"</label>
                <select id="access-subject-kind" on:change=move |e| kind.set(event_target_value(&e))>
                    <option value="role" selected=true>"role"</option>
                    <option value="user">"user"</option>
                </select>
                <label for="access-subject-name">"named"</label>
                <input id="access-subject-name" autocomplete="off" bind:value=subject />
                <label for="access-effect">"Effect"</label>
                <select id="access-effect" on:change=move |e| effect.set(event_target_value(&e))>
                    <option value="grant" selected=true>"grant"</option>
                    <option value="deny">"deny"</option>
                </select>
                {checkboxes.collect_view()}
                <button id="access-add" type="button" class="secondary" on:click=add>"Add"</button>
            </fieldset>
            {move || problem.get().map(|message| view! { <p class="error" role="alert" id="access-problem">{message}</p> })}
            <ErrorAlert error id="access-error" />
            <button id="access-save" type="button" on:click=save>"Save access"</button>
            {move || saved.get().then(|| view! { <span id="access-saved" role="status">"Saved; applies at once."</span> })}
        </section>
    }
}
