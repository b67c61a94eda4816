//! Per-object access overrides: `GET`/`PUT /dataflows/{name}/access`, and for any kind of
//! object `GET`/`PUT /access/{kind}/{name}` (`kind`: `dataflow` or `connection`). Reading needs
//! `roles:view`, replacing `roles:edit`; a replacement applies on every node at once.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use model::{ErrorCode, ObjectAccess};

use super::extract::{AppJson, AppPath, RequestMeta};
use crate::auth::access::{ObjectKind, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::cluster::notify::{Change, config_changed};
use crate::error::{AppError, AppResult};
use crate::service::{access, dataflows};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataflows/{name}/access", get(read_dataflow).put(replace_dataflow))
        .route("/access/{kind}/{name}", get(read_any).put(replace_any))
}

fn kind(text: &str) -> AppResult<ObjectKind> {
    ObjectKind::parse(text)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("{text:?} is not dataflow or connection")))
}

fn object(kind: ObjectKind, name: &str) -> ObjectRef<'_> {
    match kind {
        ObjectKind::Dataflow => ObjectRef::Dataflow(name),
        ObjectKind::Connection => ObjectRef::Connection(name),
    }
}

/// Overrides are kept by name; a dataflow must exist to get them (404 otherwise).
async fn existing(state: &AppState, object: ObjectRef<'_>) -> AppResult<()> {
    if let ObjectRef::Dataflow(name) = object {
        dataflows::get(&state.db, name).await?;
    }
    Ok(())
}

async fn read(
    state: &AppState,
    principal: &Principal,
    object: ObjectRef<'_>,
) -> AppResult<AppJson<ObjectAccess>> {
    principal.require(Permission::RolesView)?;
    existing(state, object).await?;
    Ok(AppJson(access::get(&state.db, object).await?))
}

async fn replace(
    state: &AppState,
    meta: &RequestMeta,
    principal: &Principal,
    object: ObjectRef<'_>,
    body: ObjectAccess,
) -> AppResult<AppJson<ObjectAccess>> {
    principal.require(Permission::RolesEdit)?;
    existing(state, object).await?;
    let txn = crate::store::begin_write(&state.db).await?;
    let saved = access::replace(&txn, &meta.audit(state, &principal.username), object, body).await?;
    txn.commit().await?;
    config_changed(state, Change::Principals).await;
    Ok(AppJson(saved))
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows/{name}/access",
    tag = "access",
    params(("name" = String, Path, description = "The dataflow's name")),
    responses((status = 200, description = "The dataflow's overrides", body = model::ObjectAccess))
)]
pub(super) async fn read_dataflow(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<AppJson<ObjectAccess>> {
    read(&state, &principal, ObjectRef::Dataflow(&name)).await
}

#[utoipa::path(
    put,
    path = "/api/v1/dataflows/{name}/access",
    tag = "access",
    params(("name" = String, Path, description = "The dataflow's name")),
    request_body = model::ObjectAccess,
    responses((status = 200, description = "The overrides now in force", body = model::ObjectAccess))
)]
pub(super) async fn replace_dataflow(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppJson(body): AppJson<ObjectAccess>,
) -> AppResult<AppJson<ObjectAccess>> {
    replace(&state, &meta, &principal, ObjectRef::Dataflow(&name), body).await
}

#[utoipa::path(
    get,
    path = "/api/v1/access/{kind}/{name}",
    tag = "access",
    params(("kind" = String, Path, description = "`dataflow` or `connection`"), ("name" = String, Path, description = "The object's name")),
    responses((status = 200, description = "The object's overrides", body = model::ObjectAccess))
)]
pub(super) async fn read_any(
    State(state): State<AppState>,
    principal: Principal,
    AppPath((kind_name, name)): AppPath<(String, String)>,
) -> AppResult<AppJson<ObjectAccess>> {
    read(&state, &principal, object(kind(&kind_name)?, &name)).await
}

#[utoipa::path(
    put,
    path = "/api/v1/access/{kind}/{name}",
    tag = "access",
    params(("kind" = String, Path, description = "`dataflow` or `connection`"), ("name" = String, Path, description = "The object's name")),
    request_body = model::ObjectAccess,
    responses((status = 200, description = "The overrides now in force", body = model::ObjectAccess))
)]
pub(super) async fn replace_any(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath((kind_name, name)): AppPath<(String, String)>,
    AppJson(body): AppJson<ObjectAccess>,
) -> AppResult<AppJson<ObjectAccess>> {
    replace(&state, &meta, &principal, object(kind(&kind_name)?, &name), body).await
}
