//! The versions of one dataflow, newest first, with the button that exposes one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Page, VersionInfo};

use crate::api::{self, ApiError, ApiResult};
use crate::components::{ErrorAlert, Timestamp};

pub type VersionsResource = LocalResource<ApiResult<Page<VersionInfo>>>;

#[component]
pub fn VersionsSection(name: String, versions: VersionsResource, reload: Callback<()>) -> impl IntoView {
    let name = StoredValue::new(name);
    let error = RwSignal::new(None::<ApiError>);
    let exposing = RwSignal::new(None::<i32>);
    let expose = move |version: i32| {
        exposing.set(Some(version));
        error.set(None);
        let name = name.get_value();
        spawn_local(async move {
            let result = api::expose_version(&name, version).await;
            exposing.set(None);
            match result {
                // `try_`: the user may have left the page before the answer came.
                Ok(_) => _ = reload.try_run(()),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };

    let table = move || {
        versions.get().map(|result| match result {
            Err(failure) => view! { <ErrorAlert error=Some(failure) id="versions-error" /> }.into_any(),
            Ok(page) => {
                let mut items = page.items;
                items.sort_by_key(|version| std::cmp::Reverse(version.version));
                let rows = items.into_iter().map(|version| view! { <VersionRow version exposing expose /> });
                view! {
                    <table id="dataflow-versions" class="data">
                        <thead>
                            <tr>
                                <th scope="col" class="num">"Version"</th>
                                <th scope="col">"Saved"</th>
                                <th scope="col">"Comment"</th>
                                <th scope="col">
                                    <span class="visually-hidden">"Expose"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{rows.collect_view()}</tbody>
                    </table>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <p class="muted">
                "Services and schedules use the exposed version; saving a new version does not change it."
            </p>
            <ErrorAlert error id="expose-error" />
            {table}
        </section>
    }
}

#[component]
fn VersionRow(
    version: VersionInfo,
    exposing: RwSignal<Option<i32>>,
    expose: impl Fn(i32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = version.version;
    let comment = if version.comment.is_empty() { "—".to_owned() } else { version.comment };
    let label = if version.exposed { "Exposed" } else { "Expose" };
    view! {
        <tr data-version=number class:exposed=version.exposed>
            <td class="num">{number}</td>
            <td class="who-when">{version.created_by} <br /> <Timestamp value=version.created_at /></td>
            <td>{comment}</td>
            <td class="actions">
                <button
                    type="button"
                    class="secondary"
                    data-expose=number
                    disabled=move || version.exposed || exposing.get().is_some()
                    on:click=move |_| expose(number)
                >
                    {label}
                </button>
            </td>
        </tr>
    }
}
