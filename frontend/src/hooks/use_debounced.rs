//! A signal that follows another once it has stopped changing, so typing does not send a request
//! per key stroke.

use std::time::Duration;

use leptos::prelude::*;

/// Follows `source` after it has been quiet for `delay`.
pub fn use_debounced<T>(source: ReadSignal<T>, delay: Duration) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let (debounced, set_debounced) = signal(source.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let cancel_pending = move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        let value = source.get();
        cancel_pending();
        let settle = move || {
            // The first run of the effect would otherwise re-send the value it started with.
            if debounced.try_get_untracked().is_some_and(|current| current != value) {
                set_debounced.set(value);
            }
        };
        pending.set_value(set_timeout_with_handle(settle, delay).ok());
    });
    on_cleanup(cancel_pending);
    debounced
}
