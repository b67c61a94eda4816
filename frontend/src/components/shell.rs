//! The frame of every signed-in page: a header with the product and the user, the main
//! navigation on the left, the page itself on the right.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::pages::page_for;
use crate::route::{Route, navigate};

/// `(data-nav key, label, target)` in the order the navigation shows them.
const NAV_ENTRIES: [(&str, &str, Route); 11] = [
    ("dataflows", "Dataflows", Route::Dataflows),
    ("runs", "Runs", Route::Runs),
    ("schedules", "Schedules", Route::Schedules),
    ("services", "Services", Route::Services),
    ("connections", "Connections", Route::Connections),
    ("admin", "Administration", Route::Admin),
    ("tokens", "API tokens", Route::Tokens),
    ("users", "Users", Route::Users),
    ("roles", "Roles", Route::Roles),
    ("audit", "Audit log", Route::Audit),
    ("cluster", "Cluster", Route::Cluster),
];

#[component]
pub fn Shell(route: ReadSignal<Route>) -> impl IntoView {
    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <MainNav route />
            <main id="main" class="content" tabindex="-1">
                {move || page_for(route.get())}
            </main>
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    // A lost session answers 401 here, which takes the browser to the login page.
    let me = LocalResource::new(api::me);
    let sign_out_error = RwSignal::new(None::<ApiError>);
    let sign_out = move |_| {
        sign_out_error.set(None);
        spawn_local(async move {
            match api::logout().await {
                Ok(()) => navigate(&Route::Login),
                Err(error) => sign_out_error.set(Some(error)),
            }
        });
    };
    let current_user = move || {
        me.get()
            .and_then(Result::ok)
            .map(|me| view! { <span id="current-user" class="user">{me.username}</span> })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/dataflows">"Tributary"</a>
            <div class="session">
                {current_user}
                <button id="sign-out" type="button" class="secondary" on:click=sign_out>
                    "Sign out"
                </button>
            </div>
            <ErrorAlert error=sign_out_error id="sign-out-error" />
        </header>
    }
}

#[component]
fn MainNav(route: ReadSignal<Route>) -> impl IntoView {
    let links = NAV_ENTRIES.map(|(key, label, target)| {
        let current = move || route.with(|route| route.nav_key() == Some(key)).then_some("page");
        view! {
            <li>
                <a href=target.path() data-nav=key aria-current=current>
                    {label}
                </a>
            </li>
        }
    });
    view! {
        <nav id="main-nav" class="sidebar" aria-label="Main">
            <ul>{links.into_iter().collect_view()}</ul>
        </nav>
    }
}
