//! `/audit`: the audit log, newest first, filtered by actor, action, resource, outcome and time;
//! each row opens to show what changed (`before` → `after`) key by key.
//!
//! Element ids: `audit-filters` (the form) with `audit-actor`, `audit-action`,
//! `audit-resource`, `audit-outcome`, `audit-since`, `audit-until`, `audit-apply`,
//! `audit-clear`; `audit-list` (the table, one `tr[data-audit-id]` per entry, its toggle
//! `button[data-expand]`), `audit-diff-{id}` (an entry's changes, one `tr[data-change]` each:
//! `added`, `removed`, `changed`), `audit-empty`, `audit-more`, `audit-error`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{AuditEvent, AuditQuery};

use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Timestamp};
use crate::json_diff::{JsonChange, diff, show};
use crate::wall_clock::local_input_to_utc;

/// Entries per page.
const PAGE_SIZE: u64 = 50;
/// `(value, label)` of the outcome filter.
const OUTCOMES: [(&str, &str); 5] = [
    ("", "Any outcome"),
    ("ok", "Succeeded"),
    ("failed", "Failed"),
    ("denied", "Denied"),
    ("errors", "With errors"),
];

/// The filter inputs as typed; applied only when the form is sent.
#[derive(Clone, Copy)]
struct Inputs {
    actor: RwSignal<String>,
    action: RwSignal<String>,
    resource: RwSignal<String>,
    outcome: RwSignal<String>,
    since: RwSignal<String>,
    until: RwSignal<String>,
}

impl Inputs {
    fn new() -> Self {
        Self {
            actor: RwSignal::new(String::new()),
            action: RwSignal::new(String::new()),
            resource: RwSignal::new(String::new()),
            outcome: RwSignal::new(String::new()),
            since: RwSignal::new(String::new()),
            until: RwSignal::new(String::new()),
        }
    }

    fn query(&self) -> AuditQuery {
        let text = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|t| !t.trim().is_empty());
        let time = |signal: RwSignal<String>| local_input_to_utc(&signal.get_untracked());
        AuditQuery {
            actor: text(self.actor),
            action: text(self.action),
            resource: text(self.resource),
            outcome: text(self.outcome),
            since: time(self.since),
            until: time(self.until),
            cursor: None,
            limit: Some(PAGE_SIZE),
        }
    }

    fn clear(&self) {
        for signal in [self.actor, self.action, self.resource, self.outcome, self.since, self.until] {
            signal.set(String::new());
        }
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let inputs = Inputs::new();
    let entries = RwSignal::new(Vec::<AuditEvent>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = RwSignal::new(false);
    let applied = StoredValue::new(AuditQuery::default());

    // `cursor`: `None` starts over with the applied filters, `Some` adds the next page.
    let load = move |cursor: Option<String>| {
        let query = AuditQuery { cursor: cursor.clone(), ..applied.get_value() };
        error.set(None);
        spawn_local(async move {
            match api::list_audit(&query).await {
                Ok(page) => {
                    if cursor.is_some() {
                        entries.update(|all| all.extend(page.items));
                    } else {
                        entries.set(page.items);
                    }
                    next_cursor.set(page.next_cursor);
                    loaded.set(true);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let apply = move |event: SubmitEvent| {
        event.prevent_default();
        applied.set_value(inputs.query());
        load(None);
    };
    let clear = move |_| {
        inputs.clear();
        applied.set_value(inputs.query());
        load(None);
    };
    applied.set_value(inputs.query());
    load(None);

    let list = move || {
        if !loaded.get() {
            return None;
        }
        let items = entries.get();
        Some(if items.is_empty() {
            view! { <p class="empty" id="audit-empty">"No entries match these filters."</p> }.into_any()
        } else {
            view! { <AuditTable entries=items /> }.into_any()
        })
    };

    view! {
        <h1>"Audit log"</h1>
        <p class="muted">
            "Every change, sign-in and permission denial, and a summary of service calls per minute."
        </p>
        <form id="audit-filters" class="filters" on:submit=apply>
            <TextFilter id="audit-actor" label="Actor" placeholder="user name" text=inputs.actor />
            <TextFilter id="audit-action" label="Action" placeholder="e.g. auth: or dataflows:update" text=inputs.action />
            <TextFilter id="audit-resource" label="Resource" placeholder="e.g. dataflow:orders" text=inputs.resource />
            <label class="inline" for="audit-outcome">
                "Outcome"
                <select id="audit-outcome" on:change=move |event| inputs.outcome.set(event_target_value(&event))>
                    {OUTCOMES
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=move || inputs.outcome.get() == value>
                                    {label}
                                </option>
                            }
                        })
                        .into_iter()
                        .collect_view()}
                </select>
            </label>
            <TimeFilter id="audit-since" label="From" text=inputs.since />
            <TimeFilter id="audit-until" label="until" text=inputs.until />
            <button id="audit-apply" type="submit">"Apply"</button>
            <button id="audit-clear" type="button" class="secondary" on:click=clear>"Clear"</button>
        </form>
        <ErrorAlert error id="audit-error" />
        <section class="panel">{list}</section>
        <Show when=move || next_cursor.with(Option::is_some)>
            <button
                id="audit-more"
                type="button"
                class="secondary"
                on:click=move |_| load(next_cursor.get_untracked())
            >
                "Show older entries"
            </button>
        </Show>
    }
}

#[component]
fn TextFilter(
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    text: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="inline" for=id>
            {label}
            <input
                id=id
                type="search"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                prop:value=text
                on:input=move |event| text.set(event_target_value(&event))
            />
        </label>
    }
}

#[component]
fn TimeFilter(id: &'static str, label: &'static str, text: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="inline" for=id>
            {label}
            <input
                id=id
                type="datetime-local"
                prop:value=text
                on:change=move |event| text.set(event_target_value(&event))
            />
        </label>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEvent>) -> impl IntoView {
    let rows = entries.into_iter().map(|entry| view! { <AuditRow entry /> });
    view! {
        <table id="audit-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Resource"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"Node"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Changes"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}

#[component]
fn AuditRow(entry: AuditEvent) -> impl IntoView {
    let open = RwSignal::new(false);
    let changes = diff(entry.before.as_ref(), entry.after.as_ref());
    let diff_id = format!("audit-diff-{}", entry.id);
    let controls = diff_id.clone();
    let outcome_class = format!("outcome outcome-{}", entry.outcome);
    view! {
        <tr data-audit-id=entry.id.to_string()>
            <td>
                <Timestamp value=entry.at />
            </td>
            <td>{entry.actor}</td>
            <td>
                <code>{entry.action}</code>
            </td>
            <td>{entry.resource.unwrap_or_default()}</td>
            <td>
                <span class=outcome_class>{entry.outcome}</span>
            </td>
            <td>{entry.node}</td>
            <td>{entry.ip.unwrap_or_default()}</td>
            <td class="actions">
                <button
                    type="button"
                    class="secondary"
                    data-expand=entry.id.to_string()
                    aria-expanded=move || open.get().to_string()
                    aria-controls=controls
                    on:click=move |_| open.update(|open| *open = !*open)
                >
                    {move || if open.get() { "Hide changes" } else { "Show changes" }}
                </button>
            </td>
        </tr>
        <Show when=move || open.get()>
            <tr class="audit-detail">
                <td colspan="8">
                    <DiffTable id=diff_id.clone() changes=changes.clone() />
                </td>
            </tr>
        </Show>
    }
}

#[component]
fn DiffTable(id: String, changes: Vec<JsonChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="muted" id=id>"No before or after recorded."</p> }.into_any();
    }
    let rows = changes.into_iter().map(|change| {
        let (kind, path, old, new) = match change {
            JsonChange::Added { path, value } => ("added", path, String::new(), show(&value)),
            JsonChange::Removed { path, value } => ("removed", path, show(&value), String::new()),
            JsonChange::Changed { path, old, new } => ("changed", path, show(&old), show(&new)),
        };
        view! {
            <tr data-change=kind class=format!("diff-{kind}")>
                <td>
                    <code>{path}</code>
                </td>
                <td>{kind}</td>
                <td>
                    <code>{old}</code>
                </td>
                <td>
                    <code>{new}</code>
                </td>
            </tr>
        }
    });
    view! {
        <table id=id class="data diff">
            <thead>
                <tr>
                    <th scope="col">"Key"</th>
                    <th scope="col">"Change"</th>
                    <th scope="col">"Before"</th>
                    <th scope="col">"After"</th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
    .into_any()
}
