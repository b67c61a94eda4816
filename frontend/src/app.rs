//! The root component: the login page on its own, every other page inside the [`Shell`].

use leptos::prelude::*;

use crate::components::Shell;
use crate::pages::LoginPage;
use crate::route::{Route, use_route};

#[component]
pub fn App() -> impl IntoView {
    let route = use_route();
    Effect::new(move |_| document().set_title(&route.with(Route::title)));
    // The shell stays mounted while moving between its pages, so the header does not ask the
    // server who is signed in on every click.
    view! {
        <Show when=move || route.with(|route| *route != Route::Login) fallback=LoginPage>
            <Shell route />
        </Show>
    }
}
