//! `/connections`: list, read, create, update, delete, and test (really connecting). Requests
//! about one connection pass its access overrides in [`super::object_guard`]; the list leaves
//! out those the caller may not view.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use model::{Connection, ConnectionSpec, ConnectionTest, Page};

use super::extract::{AppJson, AppPath, RequestMeta};
use crate::auth::access::{self, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::service::connections;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connections", get(list).post(create))
        .route("/connections/{name}", get(read).put(update).delete(delete))
        .route("/connections/{name}/test", post(test))
}

#[utoipa::path(
    get,
    path = "/api/v1/connections",
    tag = "connections",
    responses((status = 200, description = "Every connection (never its password)", body = model::Page<model::Connection>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<Connection>>> {
    principal.require(Permission::ConnectionsView)?;
    let mut items = state.read(|db| async move { connections::list(&db).await }).await?;
    let overrides = access::overrides(&state).await?;
    items.retain(|c| {
        overrides.allows(&principal, ObjectRef::Connection(&c.name), Permission::ConnectionsView)
    });
    Ok(AppJson(Page { items, next_cursor: None }))
}

#[utoipa::path(
    get,
    path = "/api/v1/connections/{name}",
    tag = "connections",
    params(("name" = String, Path, description = "The connection's name")),
    responses((status = 200, description = "The connection (never its password)", body = model::Connection))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<AppJson<Connection>> {
    principal.require(Permission::ConnectionsView)?;
    Ok(AppJson(connections::to_model(&connections::find(&state.db, &name).await?)))
}

#[utoipa::path(
    post,
    path = "/api/v1/connections",
    tag = "connections",
    request_body = model::ConnectionSpec,
    responses((status = 201, description = "Created; the password is stored encrypted", body = model::Connection), (status = 409, description = "A connection of that name exists", body = model::ErrorBody))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppJson(spec): AppJson<ConnectionSpec>,
) -> AppResult<(StatusCode, AppJson<Connection>)> {
    principal.require(Permission::ConnectionsEdit)?;
    let ctx = meta.audit(&state, &principal.username);
    let connection =
        connections::create(&state.db, &ctx, state.cipher.as_ref(), &state.config.data_dir, spec).await?;
    Ok((StatusCode::CREATED, AppJson(connection)))
}

#[utoipa::path(
    put,
    path = "/api/v1/connections/{name}",
    tag = "connections",
    params(("name" = String, Path, description = "The connection's name")),
    request_body = model::ConnectionSpec,
    responses((status = 200, description = "Replaced; an omitted password keeps the stored one", body = model::Connection))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppJson(spec): AppJson<ConnectionSpec>,
) -> AppResult<AppJson<Connection>> {
    principal.require(Permission::ConnectionsEdit)?;
    let ctx = meta.audit(&state, &principal.username);
    let cipher = state.cipher.as_ref();
    Ok(AppJson(connections::update(&state.db, &ctx, cipher, &state.config.data_dir, &name, spec).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/connections/{name}",
    tag = "connections",
    params(("name" = String, Path, description = "The connection's name")),
    responses((status = 204, description = "Deleted"), (status = 409, description = "Dataflows still use it", body = model::ErrorBody))
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<StatusCode> {
    principal.require(Permission::ConnectionsEdit)?;
    connections::delete(&state.db, &meta.audit(&state, &principal.username), &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Connects for real; a failure to connect is `ok: false` with the reason, not an error.
#[utoipa::path(
    post,
    path = "/api/v1/connections/{name}/test",
    tag = "connections",
    params(("name" = String, Path, description = "The connection's name")),
    responses((status = 200, description = "Whether the database or directory answered, and how fast", body = model::ConnectionTest))
)]
pub(super) async fn test(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<AppJson<ConnectionTest>> {
    principal.require(Permission::ConnectionsView)?;
    let cipher = state.cipher.as_ref();
    Ok(AppJson(connections::test(&state.db, cipher, &state.config.data_dir, &name).await?))
}
