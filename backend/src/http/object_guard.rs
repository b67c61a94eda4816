//! The access layer every request passes: requests about one dataflow, service or connection
//! (found from the method and path, so every such route is covered, whichever module serves
//! it) are checked against that object's overrides before the handler runs — a deny answers
//! 403 there, a grant lends the caller the permission for this request. Every 403, whoever
//! decided it, is written to the audit log as a permission denial.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use model::ErrorCode;

use super::extract::RequestMeta;
use crate::auth::access::{self, Decision, ObjectRef};
use crate::auth::{Permission, Principal};
use crate::service::audit::{self, AuditEntry};
use crate::state::AppState;

/// What a request is about, when it is about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Dataflow(String, Permission),
    Connection(String, Permission),
}

impl Scope {
    fn object(&self) -> (ObjectRef<'_>, Permission) {
        match self {
            Self::Dataflow(name, p) => (ObjectRef::Dataflow(name), *p),
            Self::Connection(name, p) => (ObjectRef::Connection(name), *p),
        }
    }
}

/// Paths under `/dataflows/` that are not a dataflow's name.
const NOT_NAMES: &[&str] = &["validate", "preview", "import"];

/// The object and permission a request needs, from its method and path alone.
pub fn scope(method: &Method, path: &str) -> Option<Scope> {
    use Permission::*;
    if let Some(rest) = path.strip_prefix("/api/v1/dataflows/") {
        let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if name.is_empty() || NOT_NAMES.contains(&name) {
            return None;
        }
        let segments: Vec<&str> = tail.split('/').filter(|s| !s.is_empty()).collect();
        let permission = match (method, segments.as_slice()) {
            (&Method::GET, [])
            | (&Method::GET, ["export" | "versions"])
            | (&Method::GET, ["versions", _]) => DataflowsView,
            (&Method::PUT | &Method::DELETE, []) => DataflowsEdit,
            (&Method::POST, ["versions", _, "expose"]) => DataflowsExpose,
            (&Method::POST, ["runs"]) => DataflowsExecute,
            _ => return None,
        };
        return Some(Scope::Dataflow(name.to_owned(), permission));
    }
    let service = path
        .strip_prefix("/api/v1/services/")
        .or_else(|| path.strip_prefix("/rest/").and_then(|rest| rest.strip_suffix("/results.json")));
    if let Some(name) = service.filter(|n| !n.is_empty() && !n.contains('/')) {
        return Some(Scope::Dataflow(name.to_owned(), ServicesCall));
    }
    if let Some(rest) = path.strip_prefix("/api/v1/connections/") {
        let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if !name.is_empty() {
            // Testing a connection only reads it.
            let reads = method == Method::GET || (method == Method::POST && tail == "test");
            let permission = if reads { ConnectionsView } else { ConnectionsEdit };
            return Some(Scope::Connection(name.to_owned(), permission));
        }
    }
    None
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let credentials = credentials(&parts.headers);
    let Ok(meta) = RequestMeta::from_request_parts(&mut parts, &state).await;
    let what = format!("{} {}", parts.method, parts.uri.path());
    let scope = scope(&parts.method, parts.uri.path());
    let resource = match &scope {
        Some(scope) => scope.object().0.resource(),
        None => parts.uri.path().to_owned(),
    };
    if let Some(scope) = &scope {
        let (object, permission) = scope.object();
        // Unauthenticated: the handler answers 401 as usual.
        if let Ok(principal) = Principal::from_request_parts(&mut parts, &state).await {
            match access::check(&state, &principal, object, permission).await {
                Ok(Decision::Denied) => {
                    record_denial(&state, meta, &principal.username, resource, &what).await;
                    return access::denied(object, permission).into_response();
                }
                Ok(Decision::Granted) => {
                    parts.extensions.insert(principal.granted(permission));
                }
                Ok(Decision::RoleWide) => {}
                Err(err) => return err.into_response(),
            }
        }
    }
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status() == StatusCode::FORBIDDEN
        && response.extensions().get::<ErrorCode>() == Some(&ErrorCode::Forbidden)
    {
        let (mut parts, ()) = Request::new(()).into_parts();
        parts.headers = credentials;
        let actor = match Principal::from_request_parts(&mut parts, &state).await {
            Ok(principal) => principal.username,
            Err(_) => String::new(),
        };
        record_denial(&state, meta, &actor, resource, &what).await;
    }
    response
}

/// Only what identifies the caller, kept to name them in the audit log after a 403.
fn credentials(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [AUTHORIZATION, COOKIE] {
        for value in headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

async fn record_denial(state: &AppState, meta: RequestMeta, actor: &str, resource: String, what: &str) {
    let ctx = meta.audit(state, actor);
    let entry = AuditEntry {
        outcome: "denied",
        after: Some(serde_json::json!({ "request": what })),
        ..AuditEntry::ok("auth:permission_denied", resource)
    };
    if let Err(err) = audit::record(&state.db, &ctx, entry).await {
        tracing::warn!(error = %err, "recording a permission denial failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_scoped_paths_name_their_object_and_permission() {
        use Permission::*;
        let df = |name: &str, p| Some(Scope::Dataflow(name.into(), p));
        assert_eq!(scope(&Method::GET, "/api/v1/dataflows/orders"), df("orders", DataflowsView));
        assert_eq!(scope(&Method::PUT, "/api/v1/dataflows/orders"), df("orders", DataflowsEdit));
        assert_eq!(scope(&Method::DELETE, "/api/v1/dataflows/orders"), df("orders", DataflowsEdit));
        assert_eq!(scope(&Method::GET, "/api/v1/dataflows/orders/versions/2"), df("orders", DataflowsView));
        assert_eq!(
            scope(&Method::POST, "/api/v1/dataflows/orders/versions/2/expose"),
            df("orders", DataflowsExpose)
        );
        assert_eq!(scope(&Method::POST, "/api/v1/dataflows/orders/runs"), df("orders", DataflowsExecute));
        assert_eq!(scope(&Method::POST, "/api/v1/services/price"), df("price", ServicesCall));
        assert_eq!(scope(&Method::GET, "/rest/price/results.json"), df("price", ServicesCall));
        assert_eq!(
            scope(&Method::POST, "/api/v1/connections/warehouse/test"),
            Some(Scope::Connection("warehouse".into(), ConnectionsView))
        );
        assert_eq!(
            scope(&Method::PUT, "/api/v1/connections/warehouse"),
            Some(Scope::Connection("warehouse".into(), ConnectionsEdit))
        );
        for (method, path) in [
            (Method::POST, "/api/v1/dataflows/validate"),
            (Method::POST, "/api/v1/dataflows/import"),
            (Method::GET, "/api/v1/dataflows"),
            (Method::GET, "/api/v1/dataflows/orders/access"),
            (Method::GET, "/api/v1/runs"),
        ] {
            assert_eq!(scope(&method, path), None, "{method} {path}");
        }
    }
}
