//! The versions tab: every saved version (newest first) to open read-only or expose, and what
//! changed between two of them (or from one to the working copy). While an old version is open,
//! a banner over the canvas offers the way back, or to take it as the working copy.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{DataflowDocument, VersionInfo};

use super::state::{Ctx, Notice};
use super::version_diff::DiffView;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Timestamp};
use crate::designer::diff;

/// The `diff-to` choice meaning the document being edited.
const WORKING: &str = "working";

/// A version's document, fetched once: saved versions never change.
async fn version_document(ctx: Ctx, number: i32) -> Result<DataflowDocument, ApiError> {
    let name = ctx.name();
    Ok(api::get_version(&name, number).await?.document)
}

#[component]
pub fn VersionsPanel(ctx: Ctx) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let open = move |number: i32| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = version_document(ctx, number).await;
            busy.try_set(false);
            match result {
                Ok(document) => ctx.open_version(number, document),
                Err(failure) => _ = error.try_set(Some(failure)),
            }
        });
    };
    let expose = move |number: i32| {
        busy.set(true);
        error.set(None);
        let name = ctx.name();
        spawn_local(async move {
            let result = api::expose_version(&name, number).await;
            busy.try_set(false);
            match result {
                Ok(summary) => {
                    ctx.saved.update(|s| s.summary = summary);
                    ctx.notice.set(Some(Notice::info(format!("Version {number} is now exposed."))));
                    ctx.refresh_versions();
                }
                Err(failure) => _ = error.try_set(Some(failure)),
            }
        });
    };
    let list = move || match ctx.versions.get() {
        None => view! { <p class="muted">"Loading the versions…"</p> }.into_any(),
        Some(Err(failure)) => view! { <ErrorAlert error=Some(failure) id="versions-error" /> }.into_any(),
        Some(Ok(versions)) => {
            let rows = versions
                .into_iter()
                .map(|version| view! { <VersionRow ctx version busy open expose /> })
                .collect_view();
            view! { <ul class="versions-list" id="versions-list">{rows}</ul> }.into_any()
        }
    };
    view! {
        <h2>"Versions"</h2>
        <p class="muted small">"Runs, schedules and services use the exposed version."</p>
        <ErrorAlert error id="version-action-error" />
        {list}
        <Compare ctx />
    }
}

#[component]
fn VersionRow(
    ctx: Ctx,
    version: VersionInfo,
    busy: RwSignal<bool>,
    open: impl Fn(i32) + Copy + Send + Sync + 'static,
    expose: impl Fn(i32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = version.version;
    let comment = if version.comment.is_empty() { "No comment".to_owned() } else { version.comment };
    let viewing = move || ctx.viewing.get() == Some(number);
    view! {
        <li data-version=number class:exposed=version.exposed class:viewing=viewing>
            <div class="version-head">
                <strong>{format!("v{number}")}</strong>
                {version.exposed.then(|| view! { <span class="badge">"exposed"</span> })}
                <span class="muted small">{version.created_by} ", " <Timestamp value=version.created_at /></span>
            </div>
            <p class="version-comment">{comment}</p>
            <div class="buttons">
                <button type="button" class="secondary small" id=format!("version-open-{number}")
                    disabled=move || busy.get() || viewing() on:click=move |_| open(number)>
                    "Open"
                </button>
                <button type="button" class="secondary small" id=format!("version-expose-{number}")
                    disabled=move || busy.get() || version.exposed on:click=move |_| expose(number)>
                    "Expose"
                </button>
            </div>
        </li>
    }
}

/// Two versions to compare, newest against the one before by default.
#[component]
fn Compare(ctx: Ctx) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(WORKING.to_owned());
    let result = RwSignal::new(None::<Result<diff::DocumentDiff, ApiError>>);
    let numbers = Memo::new(move |_| {
        ctx.versions.with(|v| match v {
            Some(Ok(list)) => list.iter().map(|v| v.version).collect::<Vec<_>>(),
            _ => vec![],
        })
    });
    // The newest version is the default "from": against the working copy it shows unsaved changes.
    Effect::new(move |_| {
        if let Some(newest) = numbers.with(|n| n.first().copied())
            && from.with_untracked(String::is_empty)
        {
            from.set(newest.to_string());
        }
    });
    let compare = move |_| {
        let (a, b) = (from.get_untracked(), to.get_untracked());
        let working = ctx.document.get_untracked();
        result.set(None);
        spawn_local(async move {
            let load = |choice: String| {
                let working = working.clone();
                async move {
                    match choice.parse::<i32>() {
                        Ok(number) => version_document(ctx, number).await,
                        Err(_) => Ok(working),
                    }
                }
            };
            let outcome = match (load(a).await, load(b).await) {
                (Ok(old), Ok(new)) => Ok(diff(&old, &new)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            result.try_set(Some(outcome));
        });
    };
    let choices = move |selected: RwSignal<String>, working: bool| {
        let mut options: Vec<(String, String)> =
            numbers.get().into_iter().map(|n| (n.to_string(), format!("v{n}"))).collect();
        if working {
            options.insert(0, (WORKING.to_owned(), "Working copy".to_owned()));
        }
        options
            .into_iter()
            .map(|(value, label)| {
                let this = value.clone();
                view! { <option value=value prop:selected=move || selected.with(|s| *s == this)>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <h3>"What changed"</h3>
        <div class="compare">
            <label for="diff-from">"From"</label>
            <select id="diff-from" on:change=move |e| from.set(event_target_value(&e))>
                {move || choices(from, false)}
            </select>
            <label for="diff-to">"to"</label>
            <select id="diff-to" on:change=move |e| to.set(event_target_value(&e))>
                {move || choices(to, true)}
            </select>
            <button type="button" class="secondary small" id="diff-show" on:click=compare>"Compare"</button>
        </div>
        {move || result.get().map(|r| match r {
            Ok(changes) => view! { <DiffView changes /> }.into_any(),
            Err(error) => view! { <ErrorAlert error=Some(error) id="diff-error" /> }.into_any(),
        })}
    }
}

/// Over the canvas while an old version is open.
#[component]
pub fn ViewingBanner(ctx: Ctx) -> impl IntoView {
    move || {
        ctx.viewing.get().map(|number| {
            view! {
                <div class="viewing-banner" id="viewing-banner" role="status">
                    <span>{format!("Viewing version {number}, read-only.")}</span>
                    <button
                        type="button"
                        class="secondary small"
                        id="version-back"
                        on:click=move |_| ctx.back_to_editing()
                    >
                        "Back to editing"
                    </button>
                    <button
                        type="button"
                        class="small"
                        id="version-restore"
                        on:click=move |_| ctx.restore_viewed()
                    >
                        "Use as working copy"
                    </button>
                </div>
            }
        })
    }
}
