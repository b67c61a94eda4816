//! The authorization table: every API endpoint with a request and the permission it needs,
//! and the routes the HTTP modules declare (`.route("…", get(…)…)` in `backend/src/http/*.rs`),
//! read from their source so that a route added without a row fails
//! `every_route_is_in_the_table`. Used by [`crate::access`].

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::app::job;

/// What an endpoint needs.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// Nobody signed in (sign-in itself).
    Public,
    /// Anyone signed in.
    SignedIn,
    Permission(&'static str),
}

pub struct Row {
    pub method: Method,
    /// The route as declared, `{param}`s included.
    pub route: &'static str,
    /// The path requested; `{schedule}` and `{run}` are replaced by fixture ids.
    pub path: &'static str,
    pub body: Option<Value>,
    pub need: Need,
}

fn row(method: Method, route: &'static str, path: &'static str, body: Option<Value>, need: Need) -> Row {
    Row { method, route, path, body, need }
}

pub fn schedule_spec(name: &str) -> Value {
    json!({"name": name, "dataflow": "orders", "cron": "0 0 2 * * *", "timezone": "UTC"})
}

pub fn price_service() -> Value {
    json!({"name": "price", "kind": "service",
        "stages": [
            {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "out"}]})
}

/// Every API endpoint, with a request that cannot be refused for a reason other than
/// permissions (or whose other refusal is a 4xx that is neither 401 nor 403), and leaves the
/// fixtures usable for the next role.
pub fn table() -> Vec<Row> {
    use Method as M;
    use Need::*;
    let p = Permission;
    let doc = serde_json::to_value(job("tablecheck")).unwrap_or_default();
    vec![
        row(M::POST, "/auth/login", "/auth/login", Some(json!({"username": "x", "password": "y"})), Public),
        row(M::POST, "/auth/logout", "/auth/logout", None, SignedIn),
        row(M::GET, "/auth/me", "/auth/me", None, SignedIn),
        row(M::GET, "/tokens", "/tokens", None, SignedIn),
        row(M::POST, "/tokens", "/tokens", Some(json!({"name": "table"})), SignedIn),
        row(M::DELETE, "/tokens/{id}", "/tokens/nope", None, SignedIn),
        row(M::GET, "/stages", "/stages", None, p("dataflows:view")),
        row(M::GET, "/dataflows", "/dataflows", None, p("dataflows:view")),
        row(M::POST, "/dataflows", "/dataflows", Some(doc.clone()), p("dataflows:edit")),
        row(M::POST, "/dataflows/validate", "/dataflows/validate", Some(doc.clone()), p("dataflows:view")),
        row(
            M::POST,
            "/dataflows/preview",
            "/dataflows/preview",
            Some(json!({"document": doc.clone()})),
            p("dataflows:edit"),
        ),
        row(M::POST, "/dataflows/import", "/dataflows/import", Some(doc), p("dataflows:edit")),
        row(M::GET, "/dataflows/{name}", "/dataflows/orders", None, p("dataflows:view")),
        // No If-Match: 428, after the permission check.
        row(
            M::PUT,
            "/dataflows/{name}",
            "/dataflows/orders",
            Some(serde_json::to_value(job("orders")).unwrap_or_default()),
            p("dataflows:edit"),
        ),
        // A stale If-Match (sent by `request`): 412, nothing deleted.
        row(M::DELETE, "/dataflows/{name}", "/dataflows/orders", None, p("dataflows:edit")),
        row(M::GET, "/dataflows/{name}/export", "/dataflows/orders/export", None, p("dataflows:view")),
        row(M::GET, "/dataflows/{name}/versions", "/dataflows/orders/versions", None, p("dataflows:view")),
        row(
            M::GET,
            "/dataflows/{name}/versions/{version}",
            "/dataflows/orders/versions/1",
            None,
            p("dataflows:view"),
        ),
        row(
            M::POST,
            "/dataflows/{name}/versions/{version}/expose",
            "/dataflows/orders/versions/1/expose",
            None,
            p("dataflows:expose"),
        ),
        row(M::POST, "/dataflows/{name}/runs", "/dataflows/orders/runs", None, p("dataflows:execute")),
        row(M::GET, "/dataflows/{name}/access", "/dataflows/orders/access", None, p("roles:view")),
        row(
            M::PUT,
            "/dataflows/{name}/access",
            "/dataflows/spare/access",
            Some(json!({"entries": []})),
            p("roles:edit"),
        ),
        row(M::GET, "/access/{kind}/{name}", "/access/connection/warehouse", None, p("roles:view")),
        row(
            M::PUT,
            "/access/{kind}/{name}",
            "/access/connection/warehouse",
            Some(json!({"entries": []})),
            p("roles:edit"),
        ),
        row(M::GET, "/runs", "/runs", None, p("runs:view")),
        row(M::GET, "/runs/{id}", "/runs/{run}", None, p("runs:view")),
        row(M::POST, "/runs/{id}/cancel", "/runs/{run}/cancel", None, p("runs:cancel")),
        row(M::GET, "/runs/{id}/logs", "/runs/{run}/logs", None, p("runs:view")),
        row(M::GET, "/runs/{id}/events", "/runs/{run}/events", None, p("runs:view")),
        row(M::GET, "/schedules", "/schedules", None, p("schedules:view")),
        row(M::POST, "/schedules", "/schedules", Some(schedule_spec("table")), p("schedules:edit")),
        row(
            M::POST,
            "/schedules/preview",
            "/schedules/preview",
            Some(schedule_spec("draft")),
            p("schedules:view"),
        ),
        row(M::GET, "/schedules/{id}", "/schedules/{schedule}", None, p("schedules:view")),
        row(
            M::PUT,
            "/schedules/{id}",
            "/schedules/{schedule}",
            Some(schedule_spec("nightly")),
            p("schedules:edit"),
        ),
        row(M::DELETE, "/schedules/{id}", "/schedules/nope", None, p("schedules:edit")),
        row(M::POST, "/schedules/{id}/pause", "/schedules/{schedule}/pause", None, p("schedules:edit")),
        row(M::POST, "/schedules/{id}/resume", "/schedules/{schedule}/resume", None, p("schedules:edit")),
        row(
            M::POST,
            "/schedules/{id}/trigger",
            "/schedules/{schedule}/trigger",
            None,
            p("dataflows:execute"),
        ),
        row(M::GET, "/schedules/{id}/preview", "/schedules/{schedule}/preview", None, p("schedules:view")),
        row(M::GET, "/schedules/{id}/fires", "/schedules/{schedule}/fires", None, p("schedules:view")),
        row(
            M::POST,
            "/services/{name}",
            "/services/price",
            Some(json!({"rows": [{"sku": "a", "net": 1}]})),
            p("services:call"),
        ),
        row(M::GET, "/services/{name}", "/services/price?sku=a&net=1", None, p("services:call")),
        row(
            M::POST,
            "/rest/{name}/results.json",
            "/rest/price/results.json",
            Some(json!({"Input": {"Row": [{"sku": "a", "net": 1}]}})),
            p("services:call"),
        ),
        row(
            M::GET,
            "/rest/{name}/results.json",
            "/rest/price/results.json?Data.sku=a&Data.net=1",
            None,
            p("services:call"),
        ),
        row(M::GET, "/users", "/users", None, p("users:view")),
        row(
            M::POST,
            "/users",
            "/users",
            Some(json!({"username": "tablecheck", "password": "password-1234", "roles": ["viewer"]})),
            p("users:edit"),
        ),
        row(M::GET, "/users/{username}", "/users/target", None, p("users:view")),
        row(M::PATCH, "/users/{username}", "/users/target", Some(json!({"enabled": true})), p("users:edit")),
        row(M::DELETE, "/users/{username}", "/users/nobody", None, p("users:edit")),
        row(
            M::POST,
            "/users/{username}/password",
            "/users/target/password",
            Some(json!({"password": "another-password"})),
            p("users:edit"),
        ),
        row(M::GET, "/roles", "/roles", None, p("roles:view")),
        row(
            M::POST,
            "/roles",
            "/roles",
            Some(json!({"name": "tablecheck", "permissions": ["dataflows:view"]})),
            p("roles:edit"),
        ),
        row(M::GET, "/roles/{name}", "/roles/auditor", None, p("roles:view")),
        row(
            M::PUT,
            "/roles/{name}",
            "/roles/auditor",
            Some(json!({"permissions": ["audit:view"]})),
            p("roles:edit"),
        ),
        row(M::DELETE, "/roles/{name}", "/roles/nope", None, p("roles:edit")),
        row(M::GET, "/permissions", "/permissions", None, p("roles:view")),
        row(M::GET, "/connections", "/connections", None, p("connections:view")),
        row(
            M::POST,
            "/connections",
            "/connections",
            Some(json!({"name": "tablecheck", "kind": "directory", "path": "."})),
            p("connections:edit"),
        ),
        row(M::GET, "/connections/{name}", "/connections/warehouse", None, p("connections:view")),
        row(
            M::PUT,
            "/connections/{name}",
            "/connections/warehouse",
            Some(json!({"name": "warehouse", "kind": "directory", "path": "."})),
            p("connections:edit"),
        ),
        row(M::DELETE, "/connections/{name}", "/connections/nope", None, p("connections:edit")),
        row(M::POST, "/connections/{name}/test", "/connections/warehouse/test", None, p("connections:view")),
        row(M::GET, "/audit", "/audit", None, p("audit:view")),
        row(M::GET, "/cluster/nodes", "/cluster/nodes", None, p("cluster:view")),
    ]
}

/// `(METHOD, route)` for every route the HTTP modules declare, read from their source; the
/// node's own pages (health, console assets) are not API endpoints.
pub fn declared_routes() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if ["health.rs", "console.rs", "mod.rs"].contains(&file.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices(".route(\"") {
            let after = &source[at + ".route(\"".len()..];
            let Some((route, rest)) = after.split_once('"') else { continue };
            // The methods: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let methods = &rest[..end];
            for method in ["get", "post", "put", "patch", "delete"] {
                let called = methods.match_indices(&format!("{method}(")).any(|(i, _)| {
                    i == 0
                        || !methods.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && methods.as_bytes()[i - 1] != b'_'
                });
                if called {
                    routes.insert((method.to_uppercase(), route.to_owned()));
                }
            }
        }
    }
    routes
}

#[test]
fn every_route_is_in_the_table() {
    let declared = declared_routes();
    assert!(declared.len() > 40, "the route scan found too little: {declared:?}");
    let tabled: BTreeSet<(String, String)> =
        table().iter().map(|r| (r.method.as_str().to_owned(), r.route.to_owned())).collect();
    let missing: Vec<_> = declared.difference(&tabled).collect();
    assert!(missing.is_empty(), "routes without a row in the authorization table: {missing:?}");
}
