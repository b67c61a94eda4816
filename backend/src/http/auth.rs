//! `/auth`: sign in (sets the session cookie), sign out, who am I.

use axum::Router;
use axum::extract::State;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use model::{ErrorCode, LoginRequest, Me};

use super::extract::{AppJson, RequestMeta};
use crate::auth::{Principal, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::service::sessions;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

fn cookie(value: &str, max_age_secs: u64, secure: bool) -> AppResult<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .map_err(AppError::internal)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = model::LoginRequest,
    security(()),
    responses((status = 200, description = "Signed in; the session cookie is set", body = model::Me), (status = 401, description = "`invalid_credentials`: wrong user name or password, or the user is disabled", body = model::ErrorBody), (status = 429, description = "Too many failed sign-ins from this address or for this user", body = model::ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait"))))
)]
pub(super) async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    AppJson(request): AppJson<LoginRequest>,
) -> AppResult<Response> {
    let ip = meta.ip.clone().unwrap_or_default();
    let username = request.username.clone();
    if let Err(wait) = state.login_limiter.attempt(&username, &ip) {
        tracing::warn!(%username, %ip, "sign-in refused: too many failed attempts");
        return Ok(too_many_attempts(wait));
    }
    let ttl = state.config.session_ttl;
    let session = match sessions::login(&state.db, ttl, &meta.audit(&state, ""), request).await {
        Ok(session) => session,
        Err(err) => {
            if err.code == ErrorCode::InvalidCredentials {
                state.login_limiter.failed(&username, &ip);
            }
            return Err(err);
        }
    };
    state.login_limiter.succeeded(&username, &ip);
    let set_cookie = cookie(&session.cookie_value, ttl.as_secs(), meta.https)?;
    Ok(([(SET_COOKIE, set_cookie)], AppJson(session.me)).into_response())
}

/// `429` with `Retry-After` in whole seconds, rounded up.
fn too_many_attempts(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let error = AppError::new(
        ErrorCode::TooManyRequests,
        format!("too many failed sign-ins; try again in {seconds} s"),
    );
    ([(RETRY_AFTER, HeaderValue::from(seconds))], error).into_response()
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses((status = 204, description = "Signed out: the session ends (an API token stays valid until revoked under /tokens)"))
)]
pub(super) async fn logout(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
) -> AppResult<Response> {
    sessions::logout(&state.db, &meta.audit(&state, &principal.username), &principal).await?;
    crate::cluster::notify::config_changed(&state, crate::cluster::notify::Change::Principals).await;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie("", 0, meta.https)?)]).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    responses((status = 200, description = "Who is calling, with their roles and permissions", body = model::Me))
)]
pub(super) async fn me(principal: Principal) -> AppJson<Me> {
    AppJson(principal.me())
}
