//! `/roles`: every role with its permissions; custom roles are created, replaced and deleted
//! here, built-in ones are read-only. `GET /permissions` lists every permission there is.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use model::{Page, Role, RoleSpec};

use super::extract::{AppJson, AppPath, RequestMeta};
use crate::auth::{Permission, Principal};
use crate::cluster::notify::{Change, config_changed};
use crate::error::AppResult;
use crate::service::roles;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/roles", get(list).post(create))
        .route("/roles/{name}", get(read).put(replace).delete(remove))
        .route("/permissions", get(permissions))
}

#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "roles",
    responses((status = 200, description = "Built-in and custom roles", body = model::Page<model::Role>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<Role>>> {
    principal.require(Permission::RolesView)?;
    Ok(AppJson(Page { items: roles::list(&state.db).await?, next_cursor: None }))
}

#[utoipa::path(
    get,
    path = "/api/v1/roles/{name}",
    tag = "roles",
    params(("name" = String, Path, description = "The role's name")),
    responses((status = 200, description = "The role", body = model::Role))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<AppJson<Role>> {
    principal.require(Permission::RolesView)?;
    Ok(AppJson(roles::get(&state.db, &name).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/roles",
    tag = "roles",
    request_body = model::RoleSpec,
    responses((status = 201, description = "Created", body = model::Role), (status = 409, description = "A role of that name exists", body = model::ErrorBody))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppJson(spec): AppJson<RoleSpec>,
) -> AppResult<(StatusCode, AppJson<Role>)> {
    principal.require(Permission::RolesEdit)?;
    let role = roles::create(&state.db, &meta.audit(&state, &principal.username), spec).await?;
    Ok((StatusCode::CREATED, AppJson(role)))
}

#[utoipa::path(
    put,
    path = "/api/v1/roles/{name}",
    tag = "roles",
    params(("name" = String, Path, description = "The role's name")),
    request_body = model::RoleSpec,
    responses((status = 200, description = "Replaced", body = model::Role), (status = 409, description = "Built-in roles cannot be edited", body = model::ErrorBody))
)]
pub(super) async fn replace(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppJson(spec): AppJson<RoleSpec>,
) -> AppResult<AppJson<Role>> {
    principal.require(Permission::RolesEdit)?;
    let role = roles::replace(&state.db, &meta.audit(&state, &principal.username), &name, spec).await?;
    config_changed(&state, Change::Principals).await;
    Ok(AppJson(role))
}

#[utoipa::path(
    delete,
    path = "/api/v1/roles/{name}",
    tag = "roles",
    params(("name" = String, Path, description = "The role's name")),
    responses((status = 204, description = "Deleted"), (status = 409, description = "Built-in, or users still have it", body = model::ErrorBody))
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<StatusCode> {
    principal.require(Permission::RolesEdit)?;
    let txn = crate::store::begin_write(&state.db).await?;
    roles::delete(&txn, &meta.audit(&state, &principal.username), &name).await?;
    txn.commit().await?;
    config_changed(&state, Change::Principals).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Every permission a role can hold, `resource:action`, in the order of DESIGN §8.
#[utoipa::path(
    get,
    path = "/api/v1/permissions",
    tag = "roles",
    responses((status = 200, description = "Every `resource:action` permission a role can grant", body = Vec<String>))
)]
pub(super) async fn permissions(principal: Principal) -> AppResult<AppJson<Vec<&'static str>>> {
    principal.require(Permission::RolesView)?;
    Ok(AppJson(Permission::ALL.iter().map(|p| p.as_str()).collect()))
}
