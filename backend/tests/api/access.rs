//! Authorization, table-driven: every endpoint × every built-in role, allowed or denied
//! exactly as `backend::auth::permission::BUILTIN_ROLES` says (allowed: anything but 401/403;
//! denied: 403 `forbidden`), then per-object overrides (a viewer granted execute on one
//! dataflow, a designer denied one dataflow, a role denied one dataflow).
//!
//! The table and its check against the declared routes are in [`crate::access_table`]; a row
//! whose route is not declared (yet) is skipped.

use backend::auth::permission::BUILTIN_ROLES;
use model::{CreatedToken, DataflowDocument, Page, Run, Schedule};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::access_table::{Need, Row, declared_routes, price_service, schedule_spec, table};
use crate::app::{TestApp, error_body, job};

crate::both!(
    every_endpoint_allows_exactly_the_roles_that_hold_its_permission,
    overrides_grant_and_deny_one_dataflow
);

/// A user per built-in role (`{role}-user`) and an API token for each.
async fn role_tokens(app: &TestApp) -> Vec<(&'static str, String)> {
    let mut tokens = Vec::new();
    for role in BUILTIN_ROLES {
        let username = format!("{}-user", role.name);
        let user = json!({"username": username, "password": "password-1234", "roles": [role.name]});
        let created = app.request(Method::POST, "/api/v1/users").json(&user).send().await.unwrap();
        assert_eq!(created.status(), StatusCode::CREATED, "user {username}");
        tokens.push((role.name, token_of(app, &username).await));
    }
    tokens
}

/// Sign `username` in on a client of its own and create an API token.
pub async fn token_of(app: &TestApp, username: &str) -> String {
    let client = crate::app::cookie_client();
    let login = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": "password-1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK, "{username} signs in");
    let created: CreatedToken = client
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"name": "tests"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created.token
}

/// orders (job, exposed, with its input), spare (job), price (service, exposed), a schedule
/// and a finished run of orders, the user `target` and the custom role `auditor`.
async fn fixtures(app: &TestApp) -> (String, String) {
    std::fs::write(app.data_dir.path().join("orders.csv"), "id,amount\n1,50\n2,150\n").unwrap();
    for doc in [
        serde_json::to_value(job("orders")).unwrap(),
        serde_json::to_value(job("spare")).unwrap(),
        price_service(),
    ] {
        let document: DataflowDocument = serde_json::from_value(doc).unwrap();
        assert_eq!(app.create_dataflow(&document).await.status(), StatusCode::CREATED);
    }
    for name in ["orders", "spare", "price"] {
        let exposed = app
            .request(Method::POST, &format!("/api/v1/dataflows/{name}/versions/1/expose"))
            .send()
            .await
            .unwrap();
        assert_eq!(exposed.status(), StatusCode::OK, "expose {name}");
    }
    let schedule: Schedule = app.post_json("/api/v1/schedules", &schedule_spec("nightly")).await;
    let run: Run = app.post_json("/api/v1/dataflows/orders/runs", &json!({})).await;
    let user = json!({"username": "target", "password": "password-1234", "roles": ["viewer"]});
    assert_eq!(
        app.request(Method::POST, "/api/v1/users").json(&user).send().await.unwrap().status(),
        StatusCode::CREATED
    );
    let role = json!({"name": "auditor", "permissions": ["audit:view"]});
    assert_eq!(
        app.request(Method::POST, "/api/v1/roles").json(&role).send().await.unwrap().status(),
        StatusCode::CREATED
    );
    (schedule.id, run.id)
}

async fn call(app: &TestApp, token: &str, row: &Row, ids: &(String, String)) -> reqwest::Response {
    let path = row.path.replace("{schedule}", &ids.0).replace("{run}", &ids.1);
    let url = if path.starts_with("/rest/") { app.url(&path) } else { app.url(&format!("/api/v1{path}")) };
    let mut request = reqwest::Client::new().request(row.method.clone(), url).bearer_auth(token);
    if row.method == Method::DELETE {
        request = request.header("if-match", "\"stale\"");
    }
    if let Some(body) = &row.body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

async fn every_endpoint_allows_exactly_the_roles_that_hold_its_permission(app: TestApp) {
    app.login_admin().await;
    let ids = fixtures(&app).await;
    let tokens = role_tokens(&app).await;
    let declared = declared_routes();
    for row in table() {
        if !declared.contains(&(row.method.as_str().to_owned(), row.route.to_owned())) {
            continue;
        }
        for (role_name, token) in &tokens {
            let role = BUILTIN_ROLES.iter().find(|r| r.name == *role_name).unwrap();
            let allowed = match row.need {
                Need::Public => continue,
                Need::SignedIn => true,
                Need::Permission(name) => role.permissions.iter().any(|p| p.as_str() == name),
            };
            let response = call(&app, token, &row, &ids).await;
            let what = format!("{} {} as {role_name}", row.method, row.path);
            if allowed {
                let status = response.status();
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{what}: allowed, got {status}: {}",
                    response.text().await.unwrap_or_default()
                );
            } else {
                let body = error_body(response, StatusCode::FORBIDDEN, "forbidden").await;
                assert!(
                    body.error.message.contains(':'),
                    "{what}: names the permission: {}",
                    body.error.message
                );
            }
        }
    }
}

async fn access(app: &TestApp, dataflow: &str, entries: Value) {
    let response = app
        .request(Method::PUT, &format!("/api/v1/dataflows/{dataflow}/access"))
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap_or_default());
}

async fn overrides_grant_and_deny_one_dataflow(app: TestApp) {
    app.login_admin().await;
    let ids = fixtures(&app).await;
    let tokens = role_tokens(&app).await;
    let token = |name: &str| tokens.iter().find(|(role, _)| *role == name).map(|(_, t)| t.clone()).unwrap();
    let (viewer, designer, operator) = (token("viewer"), token("designer"), token("operator"));
    let as_role = |token: String, method: Method, path: String| {
        let url =
            if path.starts_with("/rest/") { app.url(&path) } else { app.url(&format!("/api/v1{path}")) };
        reqwest::Client::new().request(method, url).bearer_auth(token)
    };

    // A viewer granted execute on orders runs it, and only it.
    access(
        &app,
        "orders",
        json!([{"subject": {"role": "viewer"}, "effect": "grant", "permissions": ["dataflows:execute"]}]),
    )
    .await;
    let run = as_role(viewer.clone(), Method::POST, "/dataflows/orders/runs".into()).send().await.unwrap();
    assert_eq!(run.status(), StatusCode::ACCEPTED, "granted execute");
    let other = as_role(viewer.clone(), Method::POST, "/dataflows/spare/runs".into()).send().await.unwrap();
    error_body(other, StatusCode::FORBIDDEN, "forbidden").await;
    let edit = as_role(viewer.clone(), Method::DELETE, "/dataflows/orders".into()).send().await.unwrap();
    error_body(edit, StatusCode::FORBIDDEN, "forbidden").await;
    let trigger =
        as_role(viewer, Method::POST, format!("/schedules/{}/trigger", ids.0)).send().await.unwrap();
    assert_eq!(trigger.status(), StatusCode::ACCEPTED, "granted execute covers the dataflow's schedule");

    // A designer denied spare no longer sees, exports, edits or runs it; orders is untouched.
    access(&app, "spare", json!([{"subject": {"user": "designer-user"}, "effect": "deny"}])).await;
    for (method, path) in [
        (Method::GET, "/dataflows/spare"),
        (Method::GET, "/dataflows/spare/export"),
        (Method::GET, "/dataflows/spare/versions"),
        (Method::POST, "/dataflows/spare/runs"),
        (Method::POST, "/dataflows/spare/versions/1/expose"),
        (Method::DELETE, "/dataflows/spare"),
    ] {
        let response = as_role(designer.clone(), method.clone(), path.into()).send().await.unwrap();
        let body = error_body(response, StatusCode::FORBIDDEN, "forbidden").await;
        assert!(body.error.message.contains("spare"), "{method} {path}: {}", body.error.message);
    }
    let imported = as_role(designer.clone(), Method::POST, "/dataflows/import".into())
        .json(&job("spare"))
        .send()
        .await
        .unwrap();
    error_body(imported, StatusCode::FORBIDDEN, "forbidden").await;
    let list: Page<model::DataflowSummary> = as_role(designer.clone(), Method::GET, "/dataflows".into())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<_> = list.items.iter().map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"orders") && !names.contains(&"spare"), "{names:?}");
    let read = as_role(designer.clone(), Method::GET, "/dataflows/orders".into()).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    // Everyone else still sees spare.
    let seen = as_role(operator.clone(), Method::GET, "/dataflows/spare".into()).send().await.unwrap();
    assert_eq!(seen.status(), StatusCode::OK);
    // Its runs are out of the designer's reach too: not listed, not readable, not cancellable.
    let spare_run: Run = app.post_json("/api/v1/dataflows/spare/runs", &json!({})).await;
    for (method, path) in [
        (Method::GET, format!("/runs/{}", spare_run.id)),
        (Method::GET, format!("/runs/{}/logs", spare_run.id)),
        (Method::GET, format!("/runs/{}/events", spare_run.id)),
        (Method::POST, format!("/runs/{}/cancel", spare_run.id)),
    ] {
        let response = as_role(designer.clone(), method.clone(), path.clone()).send().await.unwrap();
        error_body(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let listed: Page<Run> =
        as_role(designer.clone(), Method::GET, "/runs".into()).send().await.unwrap().json().await.unwrap();
    assert!(listed.items.iter().all(|r| r.dataflow != "spare"), "the designer sees a run of spare");
    let read =
        as_role(operator.clone(), Method::GET, format!("/runs/{}", spare_run.id)).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK, "others still read it");

    // A deny for a role covers its holders; here only for calling the service.
    access(
        &app,
        "price",
        json!([{"subject": {"role": "operator"}, "effect": "deny", "permissions": ["services:call"]}]),
    )
    .await;
    let called =
        as_role(operator.clone(), Method::GET, "/rest/price/results.json?Data.sku=a&Data.net=1".into())
            .send()
            .await
            .unwrap();
    error_body(called, StatusCode::FORBIDDEN, "forbidden").await;
    let read = as_role(operator, Method::GET, "/dataflows/price".into()).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK, "the deny names only services:call");

    // Every denial is in the audit log with who, what and which object.
    let audit: Value = app.get_json("/api/v1/audit?limit=500").await;
    let denials: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth:permission_denied" && e["outcome"] == "denied")
        .collect();
    assert!(
        denials.iter().any(|e| e["actor"] == "designer-user" && e["resource"] == "dataflow:spare"),
        "{denials:?}"
    );
    assert!(denials.iter().any(|e| e["actor"] == "viewer-user" && e["resource"] == "dataflow:spare"));
    assert!(denials.iter().any(|e| e["actor"] == "operator-user" && e["resource"] == "dataflow:price"));

    // The access list reads back as saved; a bad one is refused whole.
    let saved: Value = app.get_json("/api/v1/dataflows/spare/access").await;
    assert_eq!(
        saved,
        json!({"entries": [{"subject": {"user": "designer-user"}, "effect": "deny", "permissions": []}]})
    );
    let bad = app
        .request(Method::PUT, "/api/v1/dataflows/spare/access")
        .json(&json!({"entries": [
            {"subject": {"user": "ghost"}, "effect": "deny"},
            {"subject": {"role": "viewer"}, "effect": "grant", "permissions": ["users:edit"]},
            {"subject": {"role": "viewer"}, "effect": "grant"}]}))
        .send()
        .await
        .unwrap();
    let body = error_body(bad, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(body.error.details.len(), 4, "{:?}", body.error.details);
    let unchanged: Value = app.get_json("/api/v1/dataflows/spare/access").await;
    assert_eq!(unchanged, saved);
    let missing = app.request(Method::GET, "/api/v1/dataflows/nothing/access").send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, "dataflow_not_found").await;

    // Connections take overrides the same way.
    if declared_routes().contains(&("POST".to_owned(), "/connections".to_owned())) {
        connection_overrides(&app, &designer).await;
    }

    // Removing the overrides gives the designer spare back.
    access(&app, "spare", json!([])).await;
    let back = as_role(designer, Method::GET, "/dataflows/spare".into()).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::OK);
}

async fn connection_overrides(app: &TestApp, designer: &str) {
    let as_role = |token: &str, method: Method, path: &str| {
        reqwest::Client::new().request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(token)
    };
    let connection = json!({"name": "warehouse", "kind": "directory", "path": "."});
    let created = app.request(Method::POST, "/api/v1/connections").json(&connection).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text().await.unwrap_or_default());
    let denied = json!({"entries": [{"subject": {"user": "designer-user"}, "effect": "deny"}]});
    let saved =
        app.request(Method::PUT, "/api/v1/access/connection/warehouse").json(&denied).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let read = as_role(designer, Method::GET, "/connections/warehouse").send().await.unwrap();
    error_body(read, StatusCode::FORBIDDEN, "forbidden").await;
    let listed: Value =
        as_role(designer, Method::GET, "/connections").send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["items"], json!([]), "the denied connection is not listed");
    let listed: Value = app.get_json("/api/v1/connections").await;
    assert_eq!(listed["items"][0]["name"], "warehouse");
    let wrong = json!({"entries": [{"subject": {"role": "viewer"}, "effect": "grant", "permissions": ["dataflows:view"]}]});
    let wrong =
        app.request(Method::PUT, "/api/v1/access/connection/warehouse").json(&wrong).send().await.unwrap();
    error_body(wrong, StatusCode::BAD_REQUEST, "invalid_request").await;
    let kind = app.request(Method::GET, "/api/v1/access/schedule/x").send().await.unwrap();
    error_body(kind, StatusCode::NOT_FOUND, "not_found").await;
}
