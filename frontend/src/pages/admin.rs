//! `/admin`: administration; for now the signed-in user's API tokens.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::ApiToken;

use super::token_create::CreateTokenForm;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Timestamp, optional_time};

const NO_TOKENS: &str = "You have no API tokens. A token lets a script or an integration call the \
    API as you, with your permissions.";

#[component]
pub fn AdminPage() -> impl IntoView {
    let tokens = LocalResource::new(api::list_tokens);
    let reload = Callback::new(move |()| tokens.refetch());
    let revoke_error = RwSignal::new(None::<ApiError>);
    let revoke = move |id: String| {
        revoke_error.set(None);
        spawn_local(async move {
            match api::revoke_token(&id).await {
                Ok(()) => tokens.refetch(),
                Err(failure) => revoke_error.set(Some(failure)),
            }
        });
    };

    let list = move || {
        tokens.get().map(|result| match result {
            Err(failure) => view! { <ErrorAlert error=Some(failure) id="token-list-error" /> }.into_any(),
            Ok(page) if page.items.is_empty() => {
                view! { <p class="empty" id="token-empty">{NO_TOKENS}</p> }.into_any()
            }
            Ok(page) => view! { <TokenTable tokens=page.items revoke /> }.into_any(),
        })
    };

    view! {
        <h1>"Administration"</h1>
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p class="muted">
                "Send a token as " <code>"Authorization: Bearer …"</code>
                " to call the API without signing in."
            </p>
            <ErrorAlert error=revoke_error id="token-revoke-error" />
            {list}
        </section>
        <CreateTokenForm created=reload />
    }
}

#[component]
fn TokenTable(
    tokens: Vec<ApiToken>,
    revoke: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let rows = tokens.into_iter().map(|token| {
        let id = token.id.clone();
        let row_id = token.id.clone();
        view! {
            <tr data-token=row_id>
                <td>{token.name}</td>
                <td>
                    <code>{token.prefix} "…"</code>
                </td>
                <td>
                    <Timestamp value=token.created_at />
                </td>
                <td>{optional_time(token.expires_at, "Never")}</td>
                <td>{optional_time(token.last_used_at, "Not yet")}</td>
                <td class="actions">
                    <button
                        type="button"
                        class="danger"
                        data-revoke=token.id
                        on:click=move |_| revoke(id.clone())
                    >
                        "Revoke"
                    </button>
                </td>
            </tr>
        }
    });
    view! {
        <table id="token-list" class="data">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Prefix"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Revoke"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows.collect_view()}</tbody>
        </table>
    }
}
