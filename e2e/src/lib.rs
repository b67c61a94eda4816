//! End-to-end fixtures: real `tributary serve` processes on fresh databases, and real headless
//! Chromium driven through chromedriver. Every wait has a deadline; nothing sleeps blindly.
//!
//! # Layout
//! - [`wait`]: polling a condition until a deadline.
//! - [`pg`]: a uniquely named database on the local PostgreSQL, dropped afterwards.
//! - [`node`]: a `tributary serve` child process, ready when `/readyz` says so, killed on drop.
//! - [`browser`]: chromedriver + Chromium with a fresh profile, screenshots under `target/`.

pub mod browser;
pub mod node;
pub mod pg;
pub mod wait;
