//! Extractors whose rejections use the API's error body: JSON bodies, query strings, paths,
//! and the request's metadata (id, client address) for the audit log.

use std::net::SocketAddr;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use model::ErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{AppError, current_request_id};
use crate::service::audit::AuditContext;
use crate::state::AppState;

/// `Json` whose rejections (syntax, unknown fields, wrong types, size, content type) are
/// [`AppError`]s, so serde's complaints reach the client in the same body as every error.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonSyntaxError(_) => AppError::new(ErrorCode::InvalidJson, text),
        JsonRejection::JsonDataError(_) => AppError::new(ErrorCode::InvalidRequest, text),
        JsonRejection::MissingJsonContentType(_) => AppError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as JSON with Content-Type: application/json",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::new(ErrorCode::PayloadTooLarge, "the request body is larger than this server accepts")
        }
        _ => AppError::new(ErrorCode::InvalidRequest, text),
    }
}

/// An optional JSON body: an empty body gives `T::default()`, anything else must be valid JSON
/// of `T` (same errors as [`AppJson`]).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(
                    ErrorCode::PayloadTooLarge,
                    "the request body is larger than this server accepts",
                )
            } else {
                AppError::invalid(rejection.body_text())
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer).map(Self).map_err(|e| {
            let code = if e.inner().is_syntax() || e.inner().is_eof() {
                ErrorCode::InvalidJson
            } else {
                ErrorCode::InvalidRequest
            };
            AppError::new(code, format!("the request body is not valid: {e}"))
        })
    }
}

/// `Query` with the API's error body.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|r: QueryRejection| AppError::invalid(r.body_text()))
    }
}

/// `Path` with the API's error body.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|r: PathRejection| AppError::invalid(r.body_text()))
    }
}

/// Request id, client address and scheme, for audit entries and cookies.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub ip: Option<String>,
    /// Whether the client reached us over HTTPS (directly or via the balancer).
    pub https: bool,
}

impl RequestMeta {
    pub fn audit(&self, state: &AppState, actor: impl Into<String>) -> AuditContext {
        AuditContext {
            actor: actor.into(),
            node: state.node_name.to_string(),
            ip: self.ip.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        // The balancer appends the client; the first entry is the original client.
        let forwarded =
            header("x-forwarded-for").and_then(|v| v.split(',').next()).map(|v| v.trim().to_owned());
        let peer =
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
        Ok(Self {
            request_id: current_request_id(),
            ip: forwarded.or(peer),
            https: header("x-forwarded-proto") == Some("https"),
        })
    }
}
