//! The one error type of the API, the table from error code to HTTP status, and the request id
//! that every error body and log line carries.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::{ErrorBody, ErrorCode, ErrorDetail, ErrorInfo};
use sea_orm::{DbErr, SqlErr};

tokio::task_local! {
    /// The id of the request being served; set by the request middleware.
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// The HTTP status of each error code: the only place it is decided.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        InvalidJson | InvalidRequest => StatusCode::BAD_REQUEST,
        Unauthenticated | InvalidCredentials => StatusCode::UNAUTHORIZED,
        Forbidden | CsrfFailed => StatusCode::FORBIDDEN,
        TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        NotFound | DataflowNotFound | VersionNotFound | TokenNotFound | RunNotFound | ScheduleNotFound
        | ServiceNotFound | UserNotFound | RoleNotFound | ConnectionNotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        AlreadyExists | NotExposed | RunFinished | BuiltinRole | RoleInUse | LastAdmin | ConnectionInUse => {
            StatusCode::CONFLICT
        }
        PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        InvalidDataflow => StatusCode::UNPROCESSABLE_ENTITY,
        PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        NotReady => StatusCode::SERVICE_UNAVAILABLE,
        Internal | ServiceFailed => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a handler or service returns when it cannot do what was asked.
#[derive(Debug)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub details: Vec<ErrorDetail>,
    /// For 5xx: the cause, logged with the request id and never sent.
    source: Option<anyhow::Error>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: Vec::new(), source: None }
    }

    pub fn with_details(mut self, details: Vec<ErrorDetail>) -> Self {
        self.details = details;
        self
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self { source: Some(source.into()), ..Self::new(ErrorCode::Internal, "internal error") }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    pub fn status(&self) -> StatusCode {
        status_of(self.code)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::debug!(%detail, "unique violation");
            return Self::new(ErrorCode::AlreadyExists, "a resource with this name already exists");
        }
        Self::internal(err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let request_id = current_request_id();
        let message = if status.is_server_error() {
            match &self.source {
                Some(source) => {
                    tracing::error!(%request_id, code = %self.code, error = ?source, "request failed")
                }
                None => {
                    tracing::error!(%request_id, code = %self.code, message = %self.message, "request failed")
                }
            }
            if self.code == ErrorCode::Internal { "internal error".to_string() } else { self.message }
        } else {
            self.message
        };
        let body = ErrorBody {
            error: ErrorInfo { code: self.code.as_str().into(), message, details: self.details, request_id },
        };
        let mut response = (status, axum::Json(body)).into_response();
        // Layers tell a permission denial from other 403s by the code, without the body.
        response.extensions_mut().insert(self.code);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_error_status() {
        for code in ErrorCode::ALL {
            let status = status_of(*code);
            assert!(status.is_client_error() || status.is_server_error(), "{code} → {status}");
        }
    }

    #[tokio::test]
    async fn internal_errors_hide_their_cause() {
        let response = REQUEST_ID
            .scope("req-1".into(), async {
                AppError::internal(anyhow::anyhow!("disk on fire")).into_response()
            })
            .await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = axum::body::to_bytes(response.into_body(), 4096).await.expect("body");
        let body: ErrorBody = serde_json::from_slice(&bytes).expect("error body");
        assert_eq!(body.error.message, "internal error");
        assert_eq!(body.error.request_id, "req-1");
        assert!(!String::from_utf8_lossy(&bytes).contains("fire"));
    }
}
