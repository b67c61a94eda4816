//! The Tributary node: REST API, browser console, authentication and the configuration store.
//!
//! # Layout
//! - [`cli`]: subcommands (`serve`, `migrate`, `healthcheck`, …) and their dispatch.
//! - [`client`]: the job executor and listings, talking to a node through the REST API.
//! - [`config`]: layered configuration (defaults → TOML file → `TRIBUTARY_*` → flags), validated.
//! - [`store`]: database connection and migrations (SQLite or PostgreSQL).
//! - [`auth`]: passwords, secrets, permissions and the authenticated principal.
//! - [`service`]: the rules and transactions behind each endpoint, one module per resource.
//! - [`http`]: the router, middleware, extractors and one module of handlers per resource.
//! - [`runner`]: the worker that claims queued runs and executes them on the engine.
//! - [`scheduler`]: cron, one-off and file-triggered schedules firing exactly once; run purge.
//! - [`cluster`]: this node's row in `nodes` and its heartbeat.
//! - [`error`]: the one error type and its code → status table.
//! - [`state`]: [`state::AppState`], the cheap handles every handler gets.
//! - [`shutdown`]: signals, draining and the supervisor of background tasks.
//! - [`telemetry`]: tracing set-up.

/// Stack of every runtime thread. Planning walks an expression recursively, and DataFusion
/// inlines derived fields into the expressions that use them, so nested fields add up; 2 MiB
/// (the default) is not enough for the deepest expressions the engine accepts.
pub const THREAD_STACK_BYTES: usize = 8 * 1024 * 1024;

pub mod auth;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod config;
pub mod error;
pub mod http;
pub mod runner;
pub mod scheduler;
pub mod service;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod telemetry;

pub use http::build_router;
pub use state::AppState;

use tokio::net::TcpListener;

/// Start a node on an already bound listener and serve until `shutdown` is cancelled. Tests pass
/// a listener on `127.0.0.1:0`; `serve` binds the configured address.
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    let address = listener.local_addr()?;
    let shutdown = state.shutdown.clone();
    // Whatever this node's previous process was running is lost: queue it again before claiming.
    runner::reclaim::requeue_own(&state).await?;
    let tasks = cluster::start_background_tasks(&state, address);
    let router = build_router(state.clone());
    tracing::info!(%address, node = %state.node_name, "serving");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
    tasks.stop().await;
    cluster::mark_stopped(&state).await;
    Ok(())
}
