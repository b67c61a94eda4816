//! Per-request plumbing: the request id (accepted from `X-Request-Id` or made up), a tracing
//! span and one log line per request, and security headers.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::error::REQUEST_ID;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

fn incoming_id(request: &Request) -> Option<String> {
    let value = request.headers().get(&REQUEST_ID_HEADER)?.to_str().ok()?;
    let acceptable = !value.is_empty()
        && value.len() <= 64
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    acceptable.then(|| value.to_owned())
}

/// Paths polled by balancers and browsers: logged at debug so they do not drown the log.
fn is_quiet(path: &str) -> bool {
    path == "/healthz" || path == "/readyz" || path.starts_with("/assets/")
}

/// A new request id: random per process, then counting, so ids are unique across nodes and
/// restarts without asking the operating system for randomness on every request.
fn new_request_id() -> String {
    static PREFIX: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}{n:08x}", *PREFIX)
}

pub async fn request_context(request: Request, next: Next) -> Response {
    let id = incoming_id(&request).unwrap_or_else(new_request_id);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request).instrument(span.clone())).await;
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if is_quiet(&path) && status < 400 {
            tracing::debug!(status, elapsed_ms, "served");
        } else {
            tracing::info!(status, elapsed_ms, "served");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Headers every response carries. The console loads only its own scripts; wasm needs
/// `wasm-unsafe-eval` to instantiate.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    response
}
