//! The HTTP surface: [`build_router`] wires the API under `/api/v1`, health endpoints, the
//! console, and the layers every request passes (request id, logging, body limit,
//! compression, security headers).

pub mod access;
pub mod admin;
pub mod auth;
pub mod connections;
pub mod console;
pub mod dataflows;
pub mod extract;
pub mod forward;
pub mod health;
pub mod middleware;
pub mod object_guard;
pub mod openapi;
pub mod roles;
pub mod runs;
pub mod schedules;
pub mod services;
pub mod stages;
pub mod tokens;
pub mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use model::ErrorCode;
use tower_http::compression::CompressionLayer;

use crate::error::AppError;
use crate::state::AppState;

pub fn build_router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::routes())
        .merge(tokens::routes())
        .merge(dataflows::routes())
        .merge(admin::routes())
        .merge(runs::routes())
        .merge(schedules::routes())
        .merge(services::routes())
        .merge(stages::routes())
        .merge(connections::routes())
        .merge(users::routes())
        .merge(roles::routes())
        .merge(access::routes())
        .route("/openapi.json", get(openapi::document))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .merge(health::routes())
        .merge(services::classic_routes())
        .route("/assets/{*path}", get(console::asset))
        .fallback(console_or_not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), object_guard::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), forward::forward_if_needed))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(middleware::request_context))
        .with_state(state)
}

async fn api_not_found(uri: Uri) -> AppError {
    AppError::new(ErrorCode::NotFound, format!("no API endpoint at {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> AppError {
    AppError::new(ErrorCode::MethodNotAllowed, format!("{method} is not supported on {}", uri.path()))
}

/// Console routes are client-side: any other GET gets `index.html`.
async fn console_or_not_found(method: Method, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path();
    let is_console = method == Method::GET && !path.starts_with("/api/") && !path.starts_with("/rest/");
    if is_console {
        console::index(headers).await
    } else {
        AppError::new(ErrorCode::NotFound, format!("nothing at {path}")).into_response()
    }
}
