//! `/users`, `/roles`, `/permissions` and `/access/{kind}/{name}`: users, roles and per-object
//! access overrides (of a dataflow or a connection).

use model::{CreateUser, ObjectAccess, Page, Role, RoleSpec, SetPassword, UpdateUser, User};

use super::ApiResult;
use super::client::{delete, fetch_json, fetch_nothing, get, patch, post, put, send_json, send_nothing};
use crate::percent::encode_segment;

pub async fn list_users() -> ApiResult<Page<User>> {
    fetch_json(get("/users")).await
}

pub async fn create_user(request: &CreateUser) -> ApiResult<User> {
    send_json(post("/users"), request).await
}

/// New roles and/or enabled; only the fields present change.
pub async fn update_user(username: &str, change: &UpdateUser) -> ApiResult<User> {
    send_json(patch(&format!("/users/{}", encode_segment(username))), change).await
}

pub async fn set_password(username: &str, password: &str) -> ApiResult<()> {
    let body = SetPassword { password: password.to_owned() };
    send_nothing(post(&format!("/users/{}/password", encode_segment(username))), &body).await
}

pub async fn list_roles() -> ApiResult<Page<Role>> {
    fetch_json(get("/roles")).await
}

/// Every permission a role can hold, `resource:action`.
pub async fn list_permissions() -> ApiResult<Vec<String>> {
    fetch_json(get("/permissions")).await
}

pub async fn create_role(spec: &RoleSpec) -> ApiResult<Role> {
    send_json(post("/roles"), spec).await
}

pub async fn replace_role(name: &str, spec: &RoleSpec) -> ApiResult<Role> {
    send_json(put(&format!("/roles/{}", encode_segment(name))), spec).await
}

pub async fn delete_role(name: &str) -> ApiResult<()> {
    fetch_nothing(delete(&format!("/roles/{}", encode_segment(name)))).await
}

/// Where the overrides on one object live; `kind` is `dataflow` or `connection`.
fn access_path(kind: &str, name: &str) -> String {
    match kind {
        "dataflow" => format!("/dataflows/{}/access", encode_segment(name)),
        _ => format!("/access/{kind}/{}", encode_segment(name)),
    }
}

pub async fn object_access(kind: &str, name: &str) -> ApiResult<ObjectAccess> {
    fetch_json(get(&access_path(kind, name))).await
}

pub async fn replace_object_access(kind: &str, name: &str, access: &ObjectAccess) -> ApiResult<ObjectAccess> {
    send_json(put(&access_path(kind, name)), access).await
}
