//! `/users`: list, read, create, change roles or enabled (`PATCH`), reset a password
//! (`POST /users/{username}/password`), delete. A change that affects who may sign in or what
//! they may do takes effect at once on every node.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use model::{CreateUser, Page, SetPassword, UpdateUser, User};

use super::extract::{AppJson, AppPath, RequestMeta};
use crate::auth::{Permission, Principal};
use crate::cluster::notify::{Change, config_changed};
use crate::error::AppResult;
use crate::service::users;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{username}", get(read).patch(update).delete(remove))
        .route("/users/{username}/password", post(set_password))
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    responses((status = 200, description = "Every user", body = model::Page<model::User>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> AppResult<AppJson<Page<User>>> {
    principal.require(Permission::UsersView)?;
    Ok(AppJson(Page { items: users::list(&state.db).await?, next_cursor: None }))
}

#[utoipa::path(
    get,
    path = "/api/v1/users/{username}",
    tag = "users",
    params(("username" = String, Path, description = "The user's name")),
    responses((status = 200, description = "The user", body = model::User))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(username): AppPath<String>,
) -> AppResult<AppJson<User>> {
    principal.require(Permission::UsersView)?;
    Ok(AppJson(users::get(&state.db, &username).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = model::CreateUser,
    responses((status = 201, description = "Created", body = model::User), (status = 409, description = "A user of that name exists", body = model::ErrorBody))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppJson(request): AppJson<CreateUser>,
) -> AppResult<(StatusCode, AppJson<User>)> {
    principal.require(Permission::UsersEdit)?;
    let user = users::create(&state.db, &meta.audit(&state, &principal.username), request).await?;
    Ok((StatusCode::CREATED, AppJson(user)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/{username}",
    tag = "users",
    params(("username" = String, Path, description = "The user's name")),
    request_body = model::UpdateUser,
    responses((status = 200, description = "Changed", body = model::User), (status = 409, description = "That would leave no enabled administrator", body = model::ErrorBody))
)]
pub(super) async fn update(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(username): AppPath<String>,
    AppJson(change): AppJson<UpdateUser>,
) -> AppResult<AppJson<User>> {
    principal.require(Permission::UsersEdit)?;
    let user = users::update(&state.db, &meta.audit(&state, &principal.username), &username, change).await?;
    config_changed(&state, Change::Principals).await;
    Ok(AppJson(user))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{username}/password",
    tag = "users",
    params(("username" = String, Path, description = "The user's name")),
    request_body = model::SetPassword,
    responses((status = 204, description = "Set; the user's sessions are signed out"))
)]
pub(super) async fn set_password(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(username): AppPath<String>,
    AppJson(request): AppJson<SetPassword>,
) -> AppResult<StatusCode> {
    principal.require(Permission::UsersEdit)?;
    let ctx = meta.audit(&state, &principal.username);
    users::set_password(&state.db, &ctx, &username, &request.password).await?;
    config_changed(&state, Change::Principals).await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/api/v1/users/{username}",
    tag = "users",
    params(("username" = String, Path, description = "The user's name")),
    responses((status = 204, description = "Deleted with their sessions and tokens"), (status = 409, description = "That would leave no enabled administrator", body = model::ErrorBody))
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(username): AppPath<String>,
) -> AppResult<StatusCode> {
    principal.require(Permission::UsersEdit)?;
    users::delete(&state.db, &meta.audit(&state, &principal.username), &username).await?;
    config_changed(&state, Change::Principals).await;
    Ok(StatusCode::NO_CONTENT)
}
