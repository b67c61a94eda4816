//! Cross-site request forgery: a write authenticated by the session cookie must carry the
//! header [`CSRF_HEADER`]. A page on another site can make the browser send the cookie, but it
//! cannot add a custom header without a CORS preflight, which a node never grants. Bearer
//! tokens are not sent by browsers on their own, so requests carrying one need no proof.

use axum::http::Method;
use axum::http::request::Parts;
use model::ErrorCode;

use crate::error::AppError;

/// The header the console sends on every request; any value will do.
pub const CSRF_HEADER: &str = "x-tributary-csrf";

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuse a cookie-authenticated write that lacks [`CSRF_HEADER`], or that the browser marks
/// as coming from another site.
pub fn check_cookie_write(parts: &Parts) -> Result<(), AppError> {
    if is_safe(&parts.method) {
        return Ok(());
    }
    let cross_site = parts.headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site");
    if parts.headers.contains_key(CSRF_HEADER) && !cross_site {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::CsrfFailed,
        format!(
            "a {} signed in with the session cookie must send the header X-Tributary-CSRF: 1 \
             (integrations can use an API token instead)",
            parts.method
        ),
    ))
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    fn parts(method: Method, headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().method(method).uri("/api/v1/dataflows");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).map(|r| r.into_parts().0).expect("request")
    }

    #[test]
    fn reads_need_no_proof() {
        assert!(check_cookie_write(&parts(Method::GET, &[])).is_ok());
    }

    #[test]
    fn writes_need_the_header_from_the_same_site() {
        assert!(check_cookie_write(&parts(Method::POST, &[])).is_err());
        assert!(check_cookie_write(&parts(Method::DELETE, &[(CSRF_HEADER, "1")])).is_ok());
        let cross = [(CSRF_HEADER, "1"), ("sec-fetch-site", "cross-site")];
        assert_eq!(
            check_cookie_write(&parts(Method::PUT, &cross)).map_err(|e| e.code),
            Err(ErrorCode::CsrfFailed)
        );
        assert!(
            check_cookie_write(&parts(
                Method::PATCH,
                &[(CSRF_HEADER, "1"), ("sec-fetch-site", "same-origin")]
            ))
            .is_ok()
        );
    }
}
