//! SeaORM entities of the configuration store, one module per table. They never leave the
//! backend: handlers convert them to `model` types at the boundary.
//!
//! # Layout
//! users, roles, user_roles, sessions, api_tokens, dataflows, dataflow_versions, audit_events,
//! nodes, runs, run_logs, schedules, schedule_fires, object_access, connections: one module each, named after
//! its table.

pub mod api_tokens;
pub mod audit_events;
pub mod connections;
pub mod dataflow_versions;
pub mod dataflows;
pub mod nodes;
pub mod object_access;
pub mod roles;
pub mod run_logs;
pub mod runs;
pub mod schedule_fires;
pub mod schedules;
pub mod sessions;
pub mod user_roles;
pub mod users;
