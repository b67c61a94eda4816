//! Services: `POST /api/v1/services/{name}` (`{"rows", "parameters"}` → `{"rows"}`), `GET
//! /api/v1/services/{name}?field=value` (one record), and the classic form under `/rest`:
//! `GET /rest/{name}/results.json?Data.Field=…&Option.Name=…` and `POST` with
//! `{"Input": {"Row": […]}}`, answered as `{"Output": {"Row": […]}}`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use super::extract::{AppJson, AppPath, AppQuery};
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::service::services;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/services/{name}", get(call_one).post(call))
}

/// Mounted at the root, beside `/api/v1`.
pub fn classic_routes() -> Router<AppState> {
    Router::new().route("/rest/{name}/results.json", get(classic_get).post(classic_post))
}

/// [`model::ServiceRequest`] with its records kept as JSON text: the engine decodes them
/// straight into its columns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CallRequest {
    rows: Vec<Box<RawValue>>,
    #[serde(default)]
    parameters: BTreeMap<String, Value>,
}

/// A JSON response `{prefix}{rows}{suffix}` around records the engine already encoded:
/// [`model::ServiceResponse`] is `{"rows": …}`, the classic form `{"Output": {"Row": …}}`.
fn rows_response(prefix: &str, rows: Vec<u8>, suffix: &str) -> Response {
    let mut body = Vec::with_capacity(prefix.len() + rows.len() + suffix.len());
    body.extend_from_slice(prefix.as_bytes());
    body.extend_from_slice(&rows);
    body.extend_from_slice(suffix.as_bytes());
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Run a service call and count it in this node's per-minute summary for the audit log.
async fn timed<T>(
    state: &AppState,
    name: &str,
    principal: &Principal,
    call: impl std::future::Future<Output = AppResult<T>>,
) -> AppResult<T> {
    let started = std::time::Instant::now();
    let result = call.await;
    state.call_stats.record(name, &principal.username, started.elapsed(), result.is_ok());
    result
}

#[utoipa::path(
    post,
    path = "/api/v1/services/{name}",
    tag = "services",
    params(("name" = String, Path, description = "The service's name")),
    request_body = model::ServiceRequest,
    responses((status = 200, description = "The rows the service answered", body = model::ServiceResponse), (status = 409, description = "`not_exposed`: no version of it is exposed, or it is not a service", body = model::ErrorBody))
)]
pub(super) async fn call(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppJson(request): AppJson<CallRequest>,
) -> AppResult<Response> {
    principal.require(Permission::ServicesCall)?;
    let rows =
        timed(&state, &name, &principal, services::call(&state, &name, &request.rows, &request.parameters))
            .await?;
    Ok(rows_response(r#"{"rows":"#, rows, "}"))
}

#[utoipa::path(
    get,
    path = "/api/v1/services/{name}",
    tag = "services",
    params(("name" = String, Path, description = "The service's name"), ("fields" = Option<HashMap<String, String>>, Query, style = Form, explode, description = "One record: each query parameter is a field")),
    responses((status = 200, description = "The rows the service answered", body = model::ServiceResponse), (status = 409, description = "`not_exposed`: no version of it is exposed, or it is not a service", body = model::ErrorBody))
)]
pub(super) async fn call_one(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppQuery(fields): AppQuery<BTreeMap<String, String>>,
) -> AppResult<Response> {
    principal.require(Permission::ServicesCall)?;
    let call = async {
        let row = services::text_row(&state, &name, &fields).await?;
        services::call(&state, &name, &[row], &BTreeMap::new()).await
    };
    let rows = timed(&state, &name, &principal, call).await?;
    Ok(rows_response(r#"{"rows":"#, rows, "}"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct ClassicInput {
    #[schema(value_type = Vec<Object>)]
    row: Vec<Box<RawValue>>,
}

/// `{"Input": {"Row": [...]}, "Option": {...}}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct ClassicRequest {
    input: ClassicInput,
    #[serde(default)]
    option: BTreeMap<String, Value>,
}

/// `{"Output": {"Row": [...]}}`: what the classic form answers (written by [`rows_response`]).
#[derive(ToSchema)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
pub(super) struct ClassicResponse {
    output: ClassicInput,
}

#[utoipa::path(
    post,
    path = "/rest/{name}/results.json",
    tag = "services",
    params(("name" = String, Path, description = "The service's name")),
    request_body = ClassicRequest,
    responses((status = 200, description = "The rows the service answered, as `{\"Output\": {\"Row\": [...]}}`", body = ClassicResponse), (status = 409, description = "`not_exposed`: no version of it is exposed, or it is not a service", body = model::ErrorBody))
)]
pub(super) async fn classic_post(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppJson(request): AppJson<ClassicRequest>,
) -> AppResult<Response> {
    principal.require(Permission::ServicesCall)?;
    let rows =
        timed(&state, &name, &principal, services::call(&state, &name, &request.input.row, &request.option))
            .await?;
    Ok(rows_response(r#"{"Output":{"Row":"#, rows, "}}"))
}

#[utoipa::path(
    get,
    path = "/rest/{name}/results.json",
    tag = "services",
    params(("name" = String, Path, description = "The service's name"), ("fields" = Option<HashMap<String, String>>, Query, style = Form, explode, description = "`Data.<field>` for the record, `Option.<name>` for parameters")),
    responses((status = 200, description = "The rows the service answered, as `{\"Output\": {\"Row\": [...]}}`", body = ClassicResponse), (status = 409, description = "`not_exposed`: no version of it is exposed, or it is not a service", body = model::ErrorBody))
)]
pub(super) async fn classic_get(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
    AppQuery(query): AppQuery<BTreeMap<String, String>>,
) -> AppResult<Response> {
    principal.require(Permission::ServicesCall)?;
    let mut data = BTreeMap::new();
    let mut options = BTreeMap::new();
    for (key, value) in query {
        if let Some(field) = key.strip_prefix("Data.") {
            data.insert(field.to_owned(), value);
        } else if let Some(option) = key.strip_prefix("Option.") {
            options.insert(option.to_owned(), Value::from(value));
        } else {
            return Err(crate::error::AppError::invalid(format!(
                "query parameter {key:?} should start with Data. or Option."
            )));
        }
    }
    let call = async {
        let row = services::text_row(&state, &name, &data).await?;
        services::call(&state, &name, &[row], &options).await
    };
    let rows = timed(&state, &name, &principal, call).await?;
    Ok(rows_response(r#"{"Output":{"Row":"#, rows, "}}"))
}
