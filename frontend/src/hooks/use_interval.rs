//! Runs a function every so often while the calling component is on screen.

use std::time::Duration;

use leptos::prelude::*;

/// Calls `tick` every `period` until the calling component is removed.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, period) {
        on_cleanup(move || handle.clear());
    }
}
