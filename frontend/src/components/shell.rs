//! The frame of every signed-in page: a header with the product and the user, the main
//! navigation on the left, the page itself on the right.

use leptos::prelude::*;
use leptos::task::spawn_local;

use model::Me;

use crate::api::{self, ApiError};
use crate::components::ErrorAlert;
use crate::pages::page_for;
use crate::route::{Route, navigate};

/// `(data-nav key, label, target, the permission its page needs)` in the order the navigation
/// shows them.
const NAV_ENTRIES: [(&str, &str, Route, Option<&str>); 11] = [
    ("dataflows", "Dataflows", Route::Dataflows, Some("dataflows:view")),
    ("runs", "Runs", Route::Runs, Some("runs:view")),
    ("schedules", "Schedules", Route::Schedules, Some("schedules:view")),
    ("services", "Services", Route::Services, Some("dataflows:view")),
    ("connections", "Connections", Route::Connections, Some("connections:view")),
    ("admin", "Administration", Route::Admin, None),
    ("tokens", "API tokens", Route::Tokens, None),
    ("users", "Users", Route::Users, Some("users:view")),
    ("roles", "Roles", Route::Roles, Some("roles:view")),
    ("audit", "Audit log", Route::Audit, Some("audit:view")),
    ("cluster", "Cluster", Route::Cluster, Some("cluster:view")),
];

#[component]
pub fn Shell(route: ReadSignal<Route>) -> impl IntoView {
    // A lost session answers 401 here, which takes the browser to the login page.
    let me = LocalResource::new(api::me);
    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header me />
            <MainNav route me />
            <main id="main" class="content" tabindex="-1">
                {move || page_for(route.get())}
            </main>
        </div>
    }
}

#[component]
fn Header(me: LocalResource<Result<Me, ApiError>>) -> impl IntoView {
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

/// The sections the signed-in user may use: until the server has said who that is, only those
/// everyone may. A page reached by its address still says which permission it needs.
#[component]
fn MainNav(route: ReadSignal<Route>, me: LocalResource<Result<Me, ApiError>>) -> impl IntoView {
    let held = Memo::new(move |_| me.get().and_then(Result::ok).map(|me| me.permissions).unwrap_or_default());
    let links = NAV_ENTRIES.map(|(key, label, target, needs)| {
        let href = target.path();
        let current = move || route.with(|route| route.nav_key() == Some(key)).then_some("page");
        let shown = move || needs.is_none_or(|needed| held.with(|held| held.iter().any(|p| p == needed)));
        view! {
            <Show when=shown>
                <li>
                    <a href=href.clone() data-nav=key aria-current=current>
                        {label}
                    </a>
                </li>
            </Show>
        }
    });
    view! {
        <nav id="main-nav" class="sidebar" aria-label="Main">
            <ul>{links.into_iter().collect_view()}</ul>
        </nav>
    }
}
