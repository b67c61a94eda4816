//! The error body of DESIGN §7 and the codes a client can branch on.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `{"error": {...}}`: what every 4xx and 5xx response carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorInfo {
    /// Stable, snake_case; see [`ErrorCode`].
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
    #[serde(default)]
    pub request_id: String,
}

/// One problem among several (validation lists every problem at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Where the problem is: a stage id, `stage.option`, a field name or an edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

impl ErrorDetail {
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { stage: None, path: Some(path.into()), message: message.into() }
    }
}

/// Every code a node returns. The status each one maps to lives in one table in the backend.
macro_rules! error_codes {
    ($($variant:ident => $code:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    InvalidJson => "invalid_json",
    InvalidRequest => "invalid_request",
    InvalidDataflow => "invalid_dataflow",
    Unauthenticated => "unauthenticated",
    InvalidCredentials => "invalid_credentials",
    Forbidden => "forbidden",
    NotFound => "not_found",
    DataflowNotFound => "dataflow_not_found",
    VersionNotFound => "version_not_found",
    TokenNotFound => "token_not_found",
    RunNotFound => "run_not_found",
    ScheduleNotFound => "schedule_not_found",
    ServiceNotFound => "service_not_found",
    ConnectionNotFound => "connection_not_found",
    ConnectionInUse => "connection_in_use",
    UserNotFound => "user_not_found",
    RoleNotFound => "role_not_found",
    BuiltinRole => "builtin_role",
    RoleInUse => "role_in_use",
    LastAdmin => "last_admin",
    NotExposed => "not_exposed",
    RunFinished => "run_finished",
    ServiceFailed => "service_failed",
    MethodNotAllowed => "method_not_allowed",
    AlreadyExists => "already_exists",
    PreconditionFailed => "precondition_failed",
    PreconditionRequired => "precondition_required",
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    NotReady => "not_ready",
    TooManyRequests => "too_many_requests",
    CsrfFailed => "csrf_failed",
    Internal => "internal",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn body_omits_empty_details() {
        let body = ErrorBody {
            error: ErrorInfo {
                code: "not_found".into(),
                message: "no such thing".into(),
                details: vec![],
                request_id: "r1".into(),
            },
        };
        let json = serde_json::to_value(&body).unwrap_or_default();
        assert_eq!(json["error"]["code"], "not_found");
        assert!(json["error"].get("details").is_none());
    }
}
