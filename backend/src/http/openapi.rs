//! The OpenAPI 3.1 document of the REST API, served at `GET /api/v1/openapi.json`. It is generated
//! from the handlers' `#[utoipa::path]` annotations and the wire types of `model`, so it changes
//! with the code. [`StandardErrors`] adds to every operation the error responses the shared layers
//! and extractors can give (malformed input, authentication, permissions, body limits, readiness),
//! each with the error body; the annotations list the errors particular to one operation.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use model::ErrorBody;
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder, path::Operation};
use utoipa::{Modify, OpenApi};

/// The name of the session cookie scheme and the bearer token scheme in the document.
const SESSION: &str = "session";
const TOKEN: &str = "token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tributary",
        description = "Dataflows, runs, schedules, services and administration of a Tributary node. \
            Authenticate with `Authorization: Bearer <API token>` or the session cookie from \
            `POST /api/v1/auth/login`; cookie-authenticated writes also need the \
            `X-Tributary-CSRF: 1` header. Every failing request answers with the error body."
    ),
    paths(
        document,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::tokens::list,
        super::tokens::create,
        super::tokens::revoke,
        super::dataflows::list,
        super::dataflows::create,
        super::dataflows::validate,
        super::dataflows::preview,
        super::dataflows::import,
        super::dataflows::read,
        super::dataflows::replace,
        super::dataflows::remove,
        super::dataflows::export,
        super::dataflows::versions,
        super::dataflows::version,
        super::dataflows::expose,
        super::access::read_dataflow,
        super::access::replace_dataflow,
        super::access::read_any,
        super::access::replace_any,
        super::runs::submit,
        super::runs::list,
        super::runs::read,
        super::runs::cancel,
        super::runs::logs,
        super::runs::events,
        super::schedules::list,
        super::schedules::create,
        super::schedules::preview_spec,
        super::schedules::read,
        super::schedules::replace,
        super::schedules::delete,
        super::schedules::pause,
        super::schedules::resume,
        super::schedules::trigger,
        super::schedules::preview,
        super::schedules::fires,
        super::services::call_one,
        super::services::call,
        super::services::classic_get,
        super::services::classic_post,
        super::stages::list,
        super::connections::list,
        super::connections::create,
        super::connections::read,
        super::connections::update,
        super::connections::delete,
        super::connections::test,
        super::users::list,
        super::users::create,
        super::users::read,
        super::users::update,
        super::users::remove,
        super::users::set_password,
        super::roles::list,
        super::roles::create,
        super::roles::read,
        super::roles::replace,
        super::roles::remove,
        super::roles::permissions,
        super::admin::nodes,
        super::admin::audit_log,
        super::health::healthz,
        super::health::readyz,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security, &StandardErrors),
    security(("token" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Sign in and out, who am I"),
        (name = "tokens", description = "Your API tokens"),
        (name = "dataflows", description = "Dataflow documents, their versions and exposure"),
        (name = "access", description = "Per-object overrides of role permissions"),
        (name = "runs", description = "Submit, follow and cancel runs of jobs and process flows"),
        (name = "schedules", description = "Cron, one-time and file-triggered schedules"),
        (name = "services", description = "Call exposed services, in the JSON and the classic form"),
        (name = "stages", description = "The stage catalog"),
        (name = "connections", description = "Databases and directories that stages use by name"),
        (name = "users", description = "User accounts"),
        (name = "roles", description = "Built-in and custom roles and their permissions"),
        (name = "cluster", description = "The nodes of the cluster"),
        (name = "audit", description = "The audit log"),
        (name = "health", description = "Liveness and readiness for balancers"),
    )
)]
pub struct ApiDoc;

/// The document as JSON text, built once.
pub fn json() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        open_flattened(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    })
}

/// A type that refuses unknown fields (`additionalProperties: false`) and is flattened into
/// another (a part of an `allOf`) would refuse its neighbours' fields: `Schedule` is
/// `ScheduleSpec` plus `id` and more. Such parts refer instead to a copy, `<Name>Fields`, that
/// allows other properties.
fn open_flattened(doc: &mut Value) {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let closed: BTreeMap<String, Value> = schemas
        .iter()
        .filter(|(_, schema)| schema["additionalProperties"] == Value::Bool(false))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    let mut opened = BTreeSet::new();
    point_parts_to_open_copies(doc, &closed, &mut opened);
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for name in opened {
        let mut copy = closed[&name].clone();
        if let Some(fields) = copy.as_object_mut() {
            fields.remove("additionalProperties");
        }
        schemas.insert(format!("{name}Fields"), copy);
    }
}

fn point_parts_to_open_copies(
    value: &mut Value,
    closed: &BTreeMap<String, Value>,
    opened: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(object) => {
            for part in object.get_mut("allOf").and_then(Value::as_array_mut).into_iter().flatten() {
                let target = part["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/"));
                if let Some(name) = target.filter(|name| closed.contains_key(*name)).map(str::to_owned) {
                    part["$ref"] = format!("#/components/schemas/{name}Fields").into();
                    opened.insert(name);
                }
            }
            object.values_mut().for_each(|v| point_parts_to_open_copies(v, closed, opened));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| point_parts_to_open_copies(v, closed, opened)),
        _ => {}
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "health",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object))
)]
pub(super) async fn document() -> Response {
    ([(CONTENT_TYPE, "application/json")], json()).into_response()
}

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(TOKEN, SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        let cookie = ApiKeyValue::with_description(
            crate::auth::SESSION_COOKIE,
            "The session from POST /api/v1/auth/login; writes also need X-Tributary-CSRF",
        );
        components.add_security_scheme(SESSION, SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    }
}

/// The errors any operation can answer with, by status: (status, component name, description).
const ERRORS: &[(&str, &str, &str)] = &[
    ("400", "BadRequest", "`invalid_json` or `invalid_request`: the body, query or path is malformed"),
    ("401", "Unauthenticated", "`unauthenticated`: no valid session or API token"),
    ("403", "Forbidden", "`forbidden` (a permission is missing or an override denies it) or `csrf_failed`"),
    (
        "404",
        "NotFound",
        "An object named in the path or the body does not exist (`dataflow_not_found`, `run_not_found`, …)",
    ),
    ("413", "PayloadTooLarge", "`payload_too_large`: the body is over the configured limit"),
    ("415", "UnsupportedMediaType", "`unsupported_media_type`: send the body as application/json"),
    (
        "500",
        "Internal",
        "`internal` or `service_failed`; the message carries no details, the request id does",
    ),
    (
        "503",
        "NotReady",
        "`not_ready`: the node is draining, its database is unreachable, or no node has a module",
    ),
];

/// Adds the shared error responses to every operation: all get 400, 500 and 503; those that
/// need a caller get 401 and 403; those with a path parameter or a body (which may name another
/// object) 404; those with a body 413 and 415.
/// Health checks and this document answer with their own bodies and get none.
struct StandardErrors;

impl Modify for StandardErrors {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            if matches!(path.as_str(), "/healthz" | "/readyz" | "/api/v1/openapi.json") {
                continue;
            }
            let operations =
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                add_errors(path, operation);
            }
        }
        let components = doc.components.get_or_insert_with(Default::default);
        for (_, name, description) in ERRORS {
            let content = Content::new(Some(Ref::from_schema_name("ErrorBody")));
            let response =
                ResponseBuilder::new().description(*description).content("application/json", content);
            components.responses.insert((*name).to_owned(), RefOr::T(response.build()));
        }
    }
}

fn add_errors(path: &str, operation: &mut Operation) {
    // `security(())` marks an operation that needs no caller: one empty requirement.
    let public = operation.security.as_ref().is_some_and(|requirements| {
        requirements.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
    });
    let has_body = operation.request_body.is_some();
    let applies = |status: &str| match status {
        "401" | "403" => !public,
        "404" => path.contains('{') || has_body,
        "413" | "415" => has_body,
        _ => true,
    };
    for (status, name, _) in ERRORS.iter().filter(|(status, ..)| applies(status)) {
        operation
            .responses
            .responses
            .entry((*status).to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_lists_its_errors_with_the_error_body() {
        let doc: serde_json::Value = serde_json::from_str(json()).unwrap_or_default();
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
        let submit = &doc["paths"]["/api/v1/dataflows/{name}/runs"]["post"]["responses"];
        for status in ["202", "400", "401", "403", "404", "413", "415", "500", "503"] {
            assert!(submit.get(status).is_some(), "submit lacks {status}: {submit}");
        }
        let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"];
        assert!(login.get("429").is_some() && login.get("403").is_none(), "{login}");
        let not_found = &doc["components"]["responses"]["NotFound"]["content"]["application/json"];
        assert_eq!(not_found["schema"]["$ref"], "#/components/schemas/ErrorBody");
        assert!(doc["components"]["schemas"]["DataflowDocument"]["properties"]["stages"].is_object());
    }
}
