//! Reactive helpers shared by pages, named `use_*` after the leptos-use convention.

mod use_debounced;
mod use_interval;

pub use use_debounced::use_debounced;
pub use use_interval::use_interval;
