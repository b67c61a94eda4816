//! Tributary's browser console: a Leptos client-side app compiled to wasm32, served by every node
//! under `/assets/` and talking to the same node's REST API with the session cookie.
//!
//! # Layout
//! - `app`: the root component; the login page alone, every other page inside the shell.
//! - `route`: the `Route` enum that owns the console's paths, and browser history.
//! - `api`: typed client of `/api/v1` over the `model` types, and `ApiError`.
//! - `pages`: one component per route.
//! - `components`: what pages share: the shell (header and navigation), alerts, times.
//! - `hooks`: reactive helpers (`use_debounced`, `use_interval`).
//! - `format`, `percent`: plain functions for showing times and encoding path segments.
//!
//! The page itself is `index.html` with `assets/boot.js`, which loads the wasm-bindgen output.

mod api;
mod app;
mod components;
mod format;
mod hooks;
mod pages;
mod percent;
mod route;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs when the module is instantiated by `boot.js`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
