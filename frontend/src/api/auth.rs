//! `/auth`: sign in, sign out, who is signed in.

use model::{LoginRequest, Me};

use super::ApiResult;
use super::client::{fetch_json, fetch_nothing, get, post, send_json};

/// On success the server sets the session cookie; the browser keeps it.
pub async fn login(request: &LoginRequest) -> ApiResult<Me> {
    send_json(post("/auth/login"), request).await
}

pub async fn logout() -> ApiResult<()> {
    fetch_nothing(post("/auth/logout")).await
}

pub async fn me() -> ApiResult<Me> {
    fetch_json(get("/auth/me")).await
}
