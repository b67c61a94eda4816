//! Keeps the current [`Route`] in step with the browser: `pushState` when the console navigates,
//! `popstate` on back and forward, and clicks on console links handled in the page.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent, PopStateEvent};

use super::Route;

/// Goes to `route` as a new history entry. Callable from anywhere, async tasks included: it needs
/// no reactive owner because it tells the listener of [`use_route`] through a `popstate` event.
pub fn navigate(route: &Route) {
    let path = route.path();
    let window = window();
    if window.location().pathname().ok().as_deref() == Some(path.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
    if let Ok(event) = PopStateEvent::new("popstate") {
        let _ = window.dispatch_event(&event);
    }
}

/// The current route as a signal, with the listeners that keep it current. Call once, in the root
/// component: the listeners live as long as it does.
pub fn use_route() -> ReadSignal<Route> {
    show_root_as_dataflows();
    let (route, set_route) = signal(location_route());
    let on_popstate = window_event_listener(ev::popstate, move |_| {
        let next = location_route();
        // Setting an equal route would re-render the whole page for nothing.
        if route.try_get_untracked().as_ref() != Some(&next) {
            set_route.set(next);
        }
    });
    let on_click = window_event_listener(ev::click, follow_link_in_page);
    on_cleanup(move || {
        on_popstate.remove();
        on_click.remove();
    });
    route
}

fn location_route() -> Route {
    Route::parse(&window().location().pathname().unwrap_or_default())
}

/// `/` shows the dataflow list; saying so in the address bar keeps one address per page.
fn show_root_as_dataflows() {
    let window = window();
    if window.location().pathname().ok().as_deref() == Some("/")
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&Route::Dataflows.path()));
    }
}

/// Plain left clicks on console links stay in the page; modified clicks (new tab, new window,
/// download) and links elsewhere are left to the browser, so links behave like links.
fn follow_link_in_page(event: MouseEvent) {
    let modified = event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return;
    }
    let anchor = event
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten());
    let Some(anchor) = anchor else {
        return;
    };
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return;
    }
    let Some(path) = anchor.get_attribute("href").and_then(|href| console_path(&href).map(str::to_owned))
    else {
        return;
    };
    event.prevent_default();
    navigate(&Route::parse(&path));
}

/// The path of a link the console renders itself: absolute, same origin, not the API or the
/// static files. Query and fragment are dropped because no console page reads them.
fn console_path(href: &str) -> Option<&str> {
    let is_console = href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/api/")
        && !href.starts_with("/assets/");
    is_console.then(|| href.split(['?', '#']).next().unwrap_or(href))
}

#[cfg(test)]
mod tests {
    use super::console_path;

    #[test]
    fn only_console_paths_are_followed_in_page() {
        assert_eq!(console_path("/dataflows/a"), Some("/dataflows/a"));
        assert_eq!(console_path("/runs?status=failed#top"), Some("/runs"));
        assert_eq!(console_path("#main"), None);
        assert_eq!(console_path("//example.com/x"), None);
        assert_eq!(console_path("https://example.com/"), None);
        assert_eq!(console_path("/api/v1/openapi.json"), None);
        assert_eq!(console_path("/assets/style.css"), None);
    }
}
