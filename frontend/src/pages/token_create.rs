//! The form that creates an API token, and the one-time display of its secret with a copy
//! button.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{CreateTokenRequest, CreatedToken};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;

/// `created` runs after the server made a token, so the list can show it.
#[component]
pub fn CreateTokenForm(created: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let new_token = RwSignal::new(None::<CreatedToken>);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let request = match token_request(&name.get_untracked(), &days.get_untracked()) {
            Ok(request) => request,
            Err(message) => return problem.set(Some(message)),
        };
        problem.set(None);
        error.set(None);
        new_token.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = api::create_token(&request).await;
            pending.set(false);
            match result {
                Ok(token) => {
                    name.set(String::new());
                    days.set(String::new());
                    new_token.set(Some(token));
                    // `try_`: the user may have left the page before the answer came.
                    _ = created.try_run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">"New API token"</h2>
            <form class="inline-form" on:submit=submit novalidate>
                <div class="field grow">
                    <label for="new-token-name">"Name"</label>
                    <input
                        id="new-token-name"
                        autocomplete="off"
                        placeholder="What will use it"
                        bind:value=name
                    />
                </div>
                <div class="field">
                    <label for="new-token-days">
                        "Expires after (days) " <span class="muted">"(optional)"</span>
                    </label>
                    <input
                        id="new-token-days"
                        type="number"
                        min="1"
                        step="1"
                        inputmode="numeric"
                        bind:value=days
                    />
                </div>
                <button id="new-token-create" type="submit" disabled=pending>
                    "Create token"
                </button>
            </form>
            {move || {
                problem.get().map(|message| {
                    view! { <p class="error" role="alert" id="new-token-problem">{message}</p> }
                })
            }}
            <ErrorAlert error id="new-token-error" />
            {move || new_token.get().map(|token| view! { <NewTokenSecret token /> })}
        </section>
    }
}

#[component]
fn NewTokenSecret(token: CreatedToken) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let secret = token.token.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let secret = secret.clone();
        spawn_local(async move {
            // Refused without focus or permission: the secret stays on screen to select by hand.
            let result = JsFuture::from(clipboard.write_text(&secret)).await;
            copied.set(Some(result.is_ok()));
        });
    };
    let copy_status = move || {
        copied.get().map(|ok| {
            let text =
                if ok { "Copied." } else { "The browser did not allow copying; select the token instead." };
            view! { <span id="new-token-copied" class="muted">{text}</span> }
        })
    };
    view! {
        <div class="secret" role="status">
            <p>
                <strong>"Copy the token “" {token.token_info.name} "” now."</strong>
                " It will not be shown again; if it is lost, revoke it and create another."
            </p>
            <code id="new-token-secret">{token.token}</code>
            <button id="new-token-copy" type="button" class="secondary" on:click=copy>
                "Copy"
            </button>
            {copy_status}
        </div>
    }
}

/// Checks the form before sending: a name, and a whole number of days if any.
fn token_request(name: &str, days: &str) -> Result<CreateTokenRequest, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the token a name, so you can tell it apart later.");
    }
    let expires_in_days = match days.trim() {
        "" => None,
        days => match days.parse::<u32>() {
            Ok(days) if days > 0 => Some(days),
            _ => {
                return Err(
                    "Days until expiry must be a whole number of at least 1, or empty for no expiry.",
                );
            }
        },
    };
    Ok(CreateTokenRequest { name: name.to_owned(), expires_in_days })
}

#[cfg(test)]
mod tests {
    use super::token_request;

    #[test]
    fn checks_name_and_days() {
        assert!(token_request(" ", "").is_err());
        assert!(token_request("ci", "0").is_err());
        assert!(token_request("ci", "1.5").is_err());
        let request = token_request(" ci ", "").unwrap();
        assert_eq!((request.name.as_str(), request.expires_in_days), ("ci", None));
        assert_eq!(token_request("ci", "30").unwrap().expires_in_days, Some(30));
    }
}
