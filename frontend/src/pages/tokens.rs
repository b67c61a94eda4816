//! `/tokens`: the signed-in user's API tokens: the list (name, prefix, created, expires, last
//! used), revoking one after a confirmation, and the form that creates one and shows its secret
//! once.
//!
//! Element ids: `token-list` (one `tr[data-token]` per token, its `button[data-revoke]`),
//! `token-confirm` (the confirmation, with `token-confirm-revoke` and `token-confirm-cancel`),
//! `token-empty`, `token-list-error`, `token-revoke-error`; the creation form's ids are in
//! `token_create`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::ApiToken;

use super::token_create::CreateTokenForm;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Timestamp, optional_time};

const NO_TOKENS: &str = "You have no API tokens. A token lets a script or an integration call the \
    API as you, with your permissions.";

#[component]
pub fn TokensPage() -> impl IntoView {
    view! {
        <h1>"API tokens"</h1>
        <TokensPanel />
    }
}

/// The list and the creation form; also shown on the administration page.
#[component]
pub fn TokensPanel() -> impl IntoView {
    let tokens = LocalResource::new(api::list_tokens);
    let reload = Callback::new(move |()| tokens.refetch());
    let revoke_error = RwSignal::new(None::<ApiError>);
    // The token waiting for the user to confirm its revocation.
    let confirming = RwSignal::new(None::<ApiToken>);
    let revoke = move |id: String| {
        revoke_error.set(None);
        spawn_local(async move {
            let result = api::revoke_token(&id).await;
            confirming.set(None);
            match result {
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
            Ok(page) => view! { <TokenTable tokens=page.items confirming /> }.into_any(),
        })
    };
    let confirmation = move || {
        confirming.get().map(|token| {
            let id = token.id.clone();
            view! {
                <div id="token-confirm" class="confirm" role="alertdialog" aria-labelledby="token-confirm-text">
                    <p id="token-confirm-text">
                        "Revoke the token “" {token.name} "”? Whatever uses it stops working at once, on every node."
                    </p>
                    <button
                        id="token-confirm-revoke"
                        type="button"
                        class="danger"
                        on:click=move |_| revoke(id.clone())
                    >
                        "Revoke"
                    </button>
                    <button
                        id="token-confirm-cancel"
                        type="button"
                        class="secondary"
                        on:click=move |_| confirming.set(None)
                    >
                        "Cancel"
                    </button>
                </div>
            }
        })
    };

    view! {
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"Your tokens"</h2>
            <p class="muted">
                "Send a token as " <code>"Authorization: Bearer …"</code>
                " to call the API without signing in."
            </p>
            <ErrorAlert error=revoke_error id="token-revoke-error" />
            {confirmation}
            {list}
        </section>
        <CreateTokenForm created=reload />
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiToken>, confirming: RwSignal<Option<ApiToken>>) -> impl IntoView {
    let rows = tokens.into_iter().map(|token| {
        let row_id = token.id.clone();
        let revoke_id = token.id.clone();
        let asked = token.clone();
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
                        data-revoke=revoke_id
                        on:click=move |_| confirming.set(Some(asked.clone()))
                    >
                        "Revoke…"
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
