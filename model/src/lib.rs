//! Tributary's wire contract: every type a node sends or receives over HTTP, and the dataflow
//! document with its structural validator. Plain serde, no I/O, builds for wasm32 so the browser
//! console and the nodes share one definition.
//!
//! # Layout
//! - [`error`]: the error body every failing request returns, and its codes.
//! - [`auth`]: login, the signed-in user, API tokens.
//! - [`access`]: users, roles and per-object access overrides.
//! - [`audit`]: audit log rows and their filters.
//! - [`catalog`]: the stage catalog (ports, option schemas) and option checks.
//! - [`dataflow`]: the dataflow document (stages, edges, parameters) and its structural validation.
//! - [`runs`]: runs, service calls and previews.
//! - [`schedules`]: schedules, their fire times and previews.
//! - [`connections`]: databases and directories stages use by name (password write-only).
//! - [`api`]: request and response shapes of the dataflow endpoints, list pages, health.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod connections;
pub mod dataflow;
pub mod error;
pub mod runs;
pub mod schedules;

pub use access::*;
pub use api::*;
pub use audit::*;
pub use auth::*;
pub use catalog::{OptionSpec, OptionType, PortSpecInfo, StageSpec, catalog, check_options, stage_spec};
pub use connections::*;
pub use dataflow::*;
pub use error::*;
pub use runs::*;
pub use schedules::*;
