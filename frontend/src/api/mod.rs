//! Typed client of the REST API (`/api/v1`, DESIGN §7) over the shared `model` types: one async
//! function per endpoint the console uses.

mod access;
mod audit;
mod auth;
mod client;
mod cluster;
mod connections;
mod dataflows;
mod design;
mod error;
mod runs;
mod schedules;
mod services;
mod tokens;

pub use access::{
    create_role, create_user, delete_role, list_permissions, list_roles, list_users, object_access,
    replace_object_access, replace_role, set_password, update_user,
};
pub use audit::list_audit;
pub use auth::{login, logout, me};
pub use cluster::list_nodes;
pub use connections::{
    create_connection, delete_connection, list_connections, test_connection, update_connection,
};
pub use dataflows::{
    create_dataflow, delete_dataflow, expose_version, get_dataflow, get_version, list_all_dataflows,
    list_dataflows, list_versions,
};
pub use design::{list_stages, preview_dataflow, save_dataflow, validate_dataflow};
pub use error::{ApiError, describe_detail};
pub use runs::{
    RunFilter, cancel_run, get_run, list_runs, list_runs_since, run_logs, start_run, start_run_with,
};
pub use schedules::{
    create_schedule, delete_schedule, get_schedule, list_schedules, pause_schedule, preview_spec,
    resume_schedule, schedule_fires, schedule_preview, trigger_schedule, update_schedule,
};
pub use services::call_service;
pub use tokens::{create_token, list_tokens, revoke_token};

pub type ApiResult<T> = Result<T, ApiError>;
