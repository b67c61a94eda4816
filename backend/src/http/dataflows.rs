//! `/dataflows`: list, create, read, replace (with `If-Match`), delete, versions, expose,
//! validate, export and import. Requests about one dataflow by path pass the access layer
//! ([`super::object_guard`]) first; those naming it in the body (create, import) and the list
//! apply its overrides here.

use axum::Router;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use model::{
    DataflowDocument, DataflowSummary, DataflowVersion, ErrorCode, Page, ValidationReport, VersionInfo,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{AppJson, AppPath, AppQuery, RequestMeta};
use crate::auth::access::{self, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, AppResult};
use crate::service::{dataflows, file_options};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataflows", get(list).post(create))
        .route("/dataflows/validate", post(validate))
        .route("/dataflows/preview", post(preview))
        .route("/dataflows/import", post(import))
        .route("/dataflows/{name}", get(read).put(replace).delete(remove))
        .route("/dataflows/{name}/export", get(export))
        .route("/dataflows/{name}/versions", get(versions))
        .route("/dataflows/{name}/versions/{version}", get(version))
        .route("/dataflows/{name}/versions/{version}/expose", post(expose))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    search: Option<String>,
    cursor: Option<String>,
    limit: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct SaveQuery {
    #[serde(default)]
    comment: String,
}

/// The dataflow as JSON with its `ETag` header.
fn with_etag(status: StatusCode, dataflow: model::Dataflow) -> AppResult<Response> {
    let etag = HeaderValue::from_str(&dataflow.etag).map_err(AppError::internal)?;
    let location = HeaderValue::from_str(&format!("/api/v1/dataflows/{}", dataflow.summary.name))
        .map_err(AppError::internal)?;
    Ok((status, [(ETAG, etag), (LOCATION, location)], AppJson(dataflow)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows",
    tag = "dataflows",
    params(ListQuery),
    responses((status = 200, description = "Dataflows by name, a page at a time", body = model::Page<model::DataflowSummary>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(q): AppQuery<ListQuery>,
) -> AppResult<AppJson<Page<DataflowSummary>>> {
    principal.require(Permission::DataflowsView)?;
    let limit = q.limit.unwrap_or(50).clamp(1, dataflows::MAX_PAGE);
    let (search, cursor) = (q.search.as_deref(), q.cursor.as_deref());
    let mut page = state.read(|db| async move { dataflows::list(&db, search, cursor, limit).await }).await?;
    // Dataflows the caller is denied are not listed (the cursor still moves past them).
    let overrides = access::overrides(&state).await?;
    page.items
        .retain(|d| overrides.allows(&principal, ObjectRef::Dataflow(&d.name), Permission::DataflowsView));
    Ok(AppJson(page))
}

#[utoipa::path(
    post,
    path = "/api/v1/dataflows",
    tag = "dataflows",
    params(SaveQuery),
    request_body = model::DataflowDocument,
    responses((status = 201, description = "Created as version 1", body = model::Dataflow, headers(("ETag" = String, description = "The version's entity tag, for If-Match"))), (status = 409, description = "A dataflow of that name exists", body = model::ErrorBody), (status = 422, description = "The document is invalid; every problem is listed", body = model::ErrorBody))
)]
pub(super) async fn create(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppQuery(q): AppQuery<SaveQuery>,
    AppJson(document): AppJson<DataflowDocument>,
) -> AppResult<Response> {
    access::require(&state, &principal, ObjectRef::Dataflow(&document.name), Permission::DataflowsEdit)
        .await?;
    file_options::check(&state.config.data_dir, &document)?;
    let created =
        dataflows::create(&state.db, &meta.audit(&state, &principal.username), document, &q.comment).await?;
    with_etag(StatusCode::CREATED, created)
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows/{name}",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name")),
    responses((status = 200, description = "The newest version", body = model::Dataflow, headers(("ETag" = String, description = "The version's entity tag, for If-Match"))))
)]
pub(super) async fn read(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<Response> {
    principal.require(Permission::DataflowsView)?;
    with_etag(StatusCode::OK, dataflows::get(&state.db, &name).await?)
}

fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(IF_MATCH).and_then(|v| v.to_str().ok())
}

#[utoipa::path(
    put,
    path = "/api/v1/dataflows/{name}",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name"), ("If-Match" = String, Header, description = "The ETag of the version you edited"), SaveQuery),
    request_body = model::DataflowDocument,
    responses((status = 200, description = "Saved as the next version", body = model::Dataflow, headers(("ETag" = String, description = "The version's entity tag, for If-Match"))), (status = 412, description = "Someone saved since the version in If-Match", body = model::ErrorBody), (status = 422, description = "The document is invalid", body = model::ErrorBody), (status = 428, description = "If-Match is missing", body = model::ErrorBody))
)]
pub(super) async fn replace(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    headers: HeaderMap,
    AppPath(name): AppPath<String>,
    AppQuery(q): AppQuery<SaveQuery>,
    AppJson(document): AppJson<DataflowDocument>,
) -> AppResult<Response> {
    principal.require(Permission::DataflowsEdit)?;
    let Some(tag) = if_match(&headers) else {
        return Err(AppError::new(
            ErrorCode::PreconditionRequired,
            "send If-Match with the ETag of the version you edited, so nobody's changes are overwritten",
        ));
    };
    file_options::check(&state.config.data_dir, &document)?;
    let ctx = meta.audit(&state, &principal.username);
    with_etag(
        StatusCode::OK,
        dataflows::replace(&state.db, &ctx, &name, Some(tag), document, &q.comment).await?,
    )
}

#[utoipa::path(
    delete,
    path = "/api/v1/dataflows/{name}",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name"), ("If-Match" = Option<String>, Header, description = "Delete only if this is still the newest version")),
    responses((status = 204, description = "Deleted with its versions"), (status = 409, description = "Schedules or process flows still use it", body = model::ErrorBody), (status = 412, description = "If-Match does not match the newest version", body = model::ErrorBody))
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    headers: HeaderMap,
    AppPath(name): AppPath<String>,
) -> AppResult<StatusCode> {
    principal.require(Permission::DataflowsEdit)?;
    dataflows::delete(&state.db, &meta.audit(&state, &principal.username), &name, if_match(&headers)).await?;
    crate::cluster::notify::config_changed(&state, crate::cluster::notify::Change::Service(name.clone()))
        .await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows/{name}/versions",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name")),
    responses((status = 200, description = "Every saved version, newest first", body = model::Page<model::VersionInfo>))
)]
pub(super) async fn versions(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<AppJson<Page<VersionInfo>>> {
    principal.require(Permission::DataflowsView)?;
    Ok(AppJson(Page { items: dataflows::versions(&state.db, &name).await?, next_cursor: None }))
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows/{name}/versions/{version}",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name"), ("version" = i32, Path, description = "The version number")),
    responses((status = 200, description = "One saved version", body = model::DataflowVersion))
)]
pub(super) async fn version(
    State(state): State<AppState>,
    principal: Principal,
    AppPath((name, number)): AppPath<(String, i32)>,
) -> AppResult<AppJson<DataflowVersion>> {
    principal.require(Permission::DataflowsView)?;
    Ok(AppJson(dataflows::version(&state.db, &name, number).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/dataflows/{name}/versions/{version}/expose",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name"), ("version" = i32, Path, description = "The version number")),
    responses((status = 200, description = "This version is now the one services and schedules use", body = model::DataflowSummary), (status = 409, description = "The version is not complete", body = model::ErrorBody), (status = 422, description = "The version is invalid", body = model::ErrorBody))
)]
pub(super) async fn expose(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppPath((name, number)): AppPath<(String, i32)>,
) -> AppResult<AppJson<DataflowSummary>> {
    principal.require(Permission::DataflowsExpose)?;
    let summary =
        dataflows::expose(&state.db, &meta.audit(&state, &principal.username), &name, number).await?;
    crate::cluster::notify::config_changed(&state, crate::cluster::notify::Change::Service(name.clone()))
        .await;
    Ok(AppJson(summary))
}

/// Structure, options and the dataflow's kind first; when the structure holds, the engine checks
/// expressions, fields and files and computes the schema on every port.
#[utoipa::path(
    post,
    path = "/api/v1/dataflows/validate",
    tag = "dataflows",
    request_body = model::DataflowDocument,
    responses((status = 200, description = "Every problem, and the schema on each port", body = model::ValidationReport))
)]
pub(super) async fn validate(
    State(state): State<AppState>,
    principal: Principal,
    AppJson(document): AppJson<DataflowDocument>,
) -> AppResult<AppJson<ValidationReport>> {
    principal.require(Permission::DataflowsView)?;
    let mut problems = model::check_complete(&document);
    let mut schemas = Default::default();
    if model::validate_document(&document).is_empty() {
        let subflows = crate::runner::DbSubflows(&state.db);
        let (found, engine_problems) =
            engine::api::check(&state.engine, &document, &Default::default(), &subflows).await;
        schemas = found;
        for problem in engine_problems {
            if !problems.iter().any(|p| p.stage == problem.stage && p.path == problem.path) {
                problems.push(problem);
            }
        }
    }
    Ok(AppJson(ValidationReport { valid: problems.is_empty(), problems, schemas }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dataflows/preview",
    tag = "dataflows",
    request_body = model::PreviewRequest,
    responses((status = 200, description = "The first rows and schema on every port", body = model::PreviewResponse), (status = 422, description = "The structure is invalid", body = model::ErrorBody))
)]
pub(super) async fn preview(
    State(state): State<AppState>,
    principal: Principal,
    AppJson(request): AppJson<model::PreviewRequest>,
) -> AppResult<AppJson<model::PreviewResponse>> {
    principal.require(Permission::DataflowsEdit)?;
    let structural = model::validate_document(&request.document);
    if !structural.is_empty() {
        let message = format!("the dataflow has {} problem(s)", structural.len());
        return Err(AppError::new(ErrorCode::InvalidDataflow, message).with_details(structural));
    }
    let subflows = crate::runner::DbSubflows(&state.db);
    let limit = request.limit.unwrap_or(50);
    Ok(AppJson(
        engine::api::preview(&state.engine, &request.document, &request.parameters, limit, &subflows).await,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/dataflows/{name}/export",
    tag = "dataflows",
    params(("name" = String, Path, description = "The dataflow's name")),
    responses((status = 200, description = "The newest version's document as a file", body = model::DataflowDocument))
)]
pub(super) async fn export(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(name): AppPath<String>,
) -> AppResult<Response> {
    principal.require(Permission::DataflowsView)?;
    let dataflow = dataflows::get(&state.db, &name).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}.json\""))
        .map_err(AppError::internal)?;
    Ok(([(CONTENT_DISPOSITION, disposition)], AppJson(dataflow.document)).into_response())
}

/// Create the dataflow, or save the document as its next version if it exists.
#[utoipa::path(
    post,
    path = "/api/v1/dataflows/import",
    tag = "dataflows",
    params(SaveQuery),
    request_body = model::DataflowDocument,
    responses((status = 200, description = "Saved as the next version of an existing dataflow", body = model::Dataflow, headers(("ETag" = String, description = "The version's entity tag, for If-Match"))), (status = 201, description = "Created", body = model::Dataflow, headers(("ETag" = String, description = "The version's entity tag, for If-Match"))), (status = 422, description = "The document is invalid", body = model::ErrorBody))
)]
pub(super) async fn import(
    State(state): State<AppState>,
    meta: RequestMeta,
    principal: Principal,
    AppQuery(q): AppQuery<SaveQuery>,
    AppJson(document): AppJson<DataflowDocument>,
) -> AppResult<Response> {
    access::require(&state, &principal, ObjectRef::Dataflow(&document.name), Permission::DataflowsEdit)
        .await?;
    file_options::check(&state.config.data_dir, &document)?;
    let ctx = meta.audit(&state, &principal.username);
    let comment = if q.comment.is_empty() { "imported".to_owned() } else { q.comment };
    let name = document.name.clone();
    // Saves of one name take turns, so an import that finds the dataflow always lands as its
    // next version. Imports of a new name race to create it: the losers save over the winner.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let saved = match dataflows::replace(&state.db, &ctx, &name, None, document.clone(), &comment).await {
            Err(err) if err.code == ErrorCode::DataflowNotFound => {
                dataflows::create(&state.db, &ctx, document.clone(), &comment)
                    .await
                    .map(|created| (StatusCode::CREATED, created))
            }
            saved => saved.map(|saved| (StatusCode::OK, saved)),
        };
        match saved {
            // Another import created it first: the next attempt saves over that one.
            Err(err) if attempt < IMPORT_ATTEMPTS && err.code == ErrorCode::AlreadyExists => {}
            saved => {
                let (status, dataflow) = saved?;
                return with_etag(status, dataflow);
            }
        }
    }
}

/// How often an import tries again after losing the race to create a new name.
const IMPORT_ATTEMPTS: u32 = 3;
