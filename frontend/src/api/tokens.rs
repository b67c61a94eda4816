//! `/tokens`: the signed-in user's API tokens.

use model::{ApiToken, CreateTokenRequest, CreatedToken, Page};

use super::ApiResult;
use super::client::{delete, fetch_json, fetch_nothing, get, post, send_json};
use crate::percent::encode_segment;

pub async fn list_tokens() -> ApiResult<Page<ApiToken>> {
    fetch_json(get("/tokens")).await
}

/// The answer carries the secret; it is the only time the server sends it.
pub async fn create_token(request: &CreateTokenRequest) -> ApiResult<CreatedToken> {
    send_json(post("/tokens"), request).await
}

pub async fn revoke_token(id: &str) -> ApiResult<()> {
    fetch_nothing(delete(&format!("/tokens/{}", encode_segment(id)))).await
}
