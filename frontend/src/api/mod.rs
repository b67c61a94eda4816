//! Typed client of the REST API (`/api/v1`, DESIGN §7) over the shared `model` types: one async
//! function per endpoint the console uses.

mod auth;
mod client;
mod cluster;
mod dataflows;
mod error;
mod runs;
mod tokens;

pub use auth::{login, logout, me};
pub use cluster::list_nodes;
pub use dataflows::{
    create_dataflow, delete_dataflow, expose_version, get_dataflow, list_all_dataflows, list_dataflows,
    list_versions,
};
pub use error::{ApiError, describe_detail};
pub use runs::{RunFilter, cancel_run, get_run, list_runs, run_logs, start_run};
pub use tokens::{create_token, list_tokens, revoke_token};

pub type ApiResult<T> = Result<T, ApiError>;
