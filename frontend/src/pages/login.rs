//! `/login`: the sign-in form, shown without the shell.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{ErrorCode, LoginRequest};

use crate::api::{self, ApiError};
use crate::route::{Route, navigate};

const WRONG_CREDENTIALS: &str = "Wrong user name or password.";

#[component]
pub fn LoginPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = LoginRequest { username: username.get_untracked(), password: password.get_untracked() };
        spawn_local(async move {
            let result = api::login(&request).await;
            pending.set(false);
            match result {
                Ok(_) => navigate(&Route::Dataflows),
                Err(failure) => error.set(Some(login_error_message(&failure))),
            }
        });
    };

    view! {
        <main class="login-page">
            <form class="login-card" on:submit=submit>
                <h1>"Tributary"</h1>
                <p class="muted">"Sign in to the console."</p>
                <label for="username">"User name"</label>
                <input id="username" name="username" autocomplete="username" required bind:value=username />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                {move || {
                    error.get().map(|message| {
                        view! { <p class="error" role="alert" id="login-error">{message}</p> }
                    })
                }}
                <button id="login-submit" type="submit" disabled=pending>
                    "Sign in"
                </button>
            </form>
        </main>
    }
}

/// Wrong credentials get one fixed sentence whatever the server's wording (a disabled account
/// gets it too: the node does not tell whether an account exists); anything else (too many
/// attempts, the server unreachable) is more specific, so it is shown as is.
fn login_error_message(error: &ApiError) -> String {
    if error.is(ErrorCode::InvalidCredentials) || error.status == 401 {
        WRONG_CREDENTIALS.into()
    } else {
        error.message.clone()
    }
}
