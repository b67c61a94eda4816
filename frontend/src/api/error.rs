//! [`ApiError`]: a failed call, decoded from the server's error body into something a page can
//! show and branch on.

use std::fmt;

use model::{ErrorBody, ErrorCode, ErrorDetail};

use crate::format::sentence;

/// Status 0 stands for "no response at all" (network down, server unreachable).
const NO_RESPONSE: u16 = 0;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// The server's code (see [`ErrorCode`]), or `network` / `unsendable_request` /
    /// `unexpected_response` for failures the server did not describe.
    pub code: String,
    /// A sentence for people, ready to show.
    pub message: String,
    pub details: Vec<ErrorDetail>,
    pub request_id: String,
}

impl ApiError {
    /// The request never got an answer.
    pub fn network(cause: impl fmt::Display) -> Self {
        Self::bare(
            NO_RESPONSE,
            "network",
            format!("Could not reach the server ({cause}). Check the connection and try again."),
        )
    }

    /// The request could not even be built (a body that does not serialize, a URL the browser
    /// rejects): the console's fault, but the user still deserves a message rather than a panic.
    pub fn unsendable(cause: impl fmt::Display) -> Self {
        Self::bare(
            NO_RESPONSE,
            "unsendable_request",
            format!("The console could not send the request ({cause})."),
        )
    }

    /// The answer was not what the API promises (a proxy's error page, a body that does not parse).
    pub fn unexpected(status: u16, cause: impl fmt::Display) -> Self {
        Self::bare(
            status,
            "unexpected_response",
            format!("The server sent an answer the console does not understand ({cause})."),
        )
    }

    /// Decodes a failing response; a body that is not the API's error body still yields a message.
    pub fn from_response(status: u16, body: &str) -> Self {
        let Ok(ErrorBody { error }) = serde_json::from_str::<ErrorBody>(body) else {
            return Self::bare(status, "unexpected_response", fallback_message(status));
        };
        let message = if status >= 500 {
            // 5xx bodies say only "internal error" by design; the request id lets an operator find
            // the cause in the node's log.
            match error.request_id.as_str() {
                "" => fallback_message(status),
                id => format!("{} (request id {id}).", fallback_message(status).trim_end_matches('.')),
            }
        } else {
            // Server messages are lower-case fragments ("wrong user name or password").
            sentence(&error.message)
        };
        Self { status, code: error.code, message, details: error.details, request_id: error.request_id }
    }

    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.as_str()
    }

    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// The session is gone (expired, signed out elsewhere): the console should show the login
    /// page. A wrong password is also a 401 but must keep the user on the form.
    pub fn means_signed_out(&self) -> bool {
        self.status == 401 && !self.is(ErrorCode::InvalidCredentials)
    }

    fn bare(status: u16, code: &str, message: String) -> Self {
        Self { status, code: code.into(), message, details: vec![], request_id: String::new() }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One detail as a line: where, then what.
pub fn describe_detail(detail: &ErrorDetail) -> String {
    match (&detail.stage, &detail.path) {
        (_, Some(path)) => format!("{path}: {}", detail.message),
        (Some(stage), None) => format!("{stage}: {}", detail.message),
        (None, None) => detail.message.clone(),
    }
}

fn fallback_message(status: u16) -> String {
    match status {
        401 => "Your session has ended. Sign in again.".into(),
        403 => "You do not have permission to do this.".into(),
        404 => "Not found.".into(),
        429 => "Too many attempts. Wait a moment and try again.".into(),
        500..=599 => {
            "The server could not complete the request. Try again; if it keeps failing, tell an operator."
                .into()
        }
        _ => format!("The request failed with HTTP status {status}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_error_body() {
        let body = r#"{"error":{"code":"already_exists","message":"a dataflow named x already exists",
            "details":[{"path":"name","message":"taken"}],"request_id":"r1"}}"#;
        let error = ApiError::from_response(409, body);
        assert!(error.is(ErrorCode::AlreadyExists));
        assert_eq!(error.message, "A dataflow named x already exists.");
        assert_eq!(describe_detail(&error.details[0]), "name: taken");
    }

    #[test]
    fn server_errors_point_to_the_request_id() {
        let body = r#"{"error":{"code":"internal","message":"internal error","request_id":"abc"}}"#;
        let error = ApiError::from_response(500, body);
        assert!(error.message.contains("request id abc"), "{}", error.message);
    }

    #[test]
    fn a_body_from_elsewhere_still_gives_a_message() {
        let error = ApiError::from_response(502, "<html>Bad Gateway</html>");
        assert_eq!(error.code, "unexpected_response");
        assert!(error.message.starts_with("The server could not complete"));
    }

    #[test]
    fn a_wrong_password_is_not_a_lost_session() {
        let wrong =
            ApiError::from_response(401, r#"{"error":{"code":"invalid_credentials","message":"no"}}"#);
        let expired = ApiError::from_response(401, r#"{"error":{"code":"unauthenticated","message":"no"}}"#);
        assert!(!wrong.means_signed_out());
        assert!(expired.means_signed_out());
    }
}
