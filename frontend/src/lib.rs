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
//! - `access_rules`: the users, roles and access pages without the DOM: permission checklists,
//!   override entries in words, form checks.
//! - `json_diff`: what changed between an audit entry's before and after, key by key.
//! - `format`, `percent`: plain functions for showing times and encoding path segments.
//! - `wall_clock`: the local times of `datetime-local` inputs as RFC 3339 UTC for the API.
//! - `instant`: RFC 3339 instants as numbers, and wall clocks of a time zone, without the browser.
//! - `time_zone`: IANA zones as the browser knows them (`Intl`), and the common ones for pickers.
//! - `try_it`: the services try-it console without the DOM: typed cells, row table, request body.
//! - `schedule`: the schedule editor without the DOM: cron presets, form ↔ spec, problems by field.
//! - `charts`: chart geometry without the DOM: scales, ticks, run durations, runs per hour.
//! - `designer`: the dataflow designer without the DOM: document edits with undo, scene geometry,
//!   hit-testing, gestures, layout, diffs, problems; `pages::designer` draws and drives it.
//!
//! The page itself is `index.html` with `assets/boot.js`, which loads the wasm-bindgen output.

mod access_rules;
mod api;
mod app;
mod charts;
mod components;
pub mod designer;
mod format;
mod hooks;
mod instant;
pub mod json_diff;
mod pages;
mod percent;
mod route;
mod schedule;
mod time_zone;
mod try_it;
mod wall_clock;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs when the module is instantiated by `boot.js`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
