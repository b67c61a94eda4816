//! `/tokens`: the caller's API tokens. Any signed-in user manages their own; a token acts with
//! its owner's permissions.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use model::{ApiToken, CreateTokenRequest, CreatedToken, Page};

use super::extract::{AppJson, AppPath, RequestMeta};
use crate::auth::Principal;
use crate::error::AppResult;
use crate::service::api_tokens;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/tokens", get(list).post(create)).route("/tokens/{id}", delete(revoke))
}

#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    tag = "tokens",
    responses((status = 200, description = "Your API tokens (never their secret)", body = model::Page<model::ApiToken>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<ApiToken>>> {
    let items = api_tokens::list(&state.db, &principal.user_id).await?;
    Ok(AppJson(Page { items, next_cursor: None }))
}

#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "tokens",
    request_body = model::CreateTokenRequest,
    responses((status = 201, description = "The token; its secret is shown only in this response", body = model::CreatedToken))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppJson(request): AppJson<CreateTokenRequest>,
) -> AppResult<(StatusCode, AppJson<CreatedToken>)> {
    let ctx = meta.audit(&state, &principal.username);
    let created = api_tokens::create(&state.db, &ctx, &principal.user_id, request).await?;
    Ok((StatusCode::CREATED, AppJson(created)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "tokens",
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"))
)]
pub(super) async fn revoke(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    api_tokens::revoke(&state.db, &meta.audit(&state, &principal.username), &principal.user_id, &id).await?;
    crate::cluster::notify::config_changed(&state, crate::cluster::notify::Change::Principals).await;
    Ok(StatusCode::NO_CONTENT)
}
