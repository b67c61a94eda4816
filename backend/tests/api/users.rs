//! Users and roles through the API and the CLI: create, change roles, disable (sessions and
//! tokens stop at once), reset passwords, custom roles; every bad input refused whole with
//! the error body; passwords never come back.

use model::{CreatedToken, Page, Role, User};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::access::token_of;
use crate::app::{TestApp, error_body};

crate::both!(
    admins_manage_users_and_changes_apply_at_once,
    custom_roles_and_their_rules,
    bad_credentials_are_refused
);

async fn send(app: &TestApp, method: Method, path: &str, body: Value) -> reqwest::Response {
    app.request(method, &format!("/api/v1{path}")).json(&body).send().await.unwrap()
}

fn with_token(app: &TestApp, token: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(token)
}

async fn admins_manage_users_and_changes_apply_at_once(app: TestApp) {
    app.login_admin().await;
    let created = send(
        &app,
        Method::POST,
        "/users",
        json!({"username": "dana", "password": "password-1234", "roles": ["viewer"]}),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let text = created.text().await.unwrap();
    assert!(!text.contains("password"), "no password in the answer: {text}");
    let dana: User = serde_json::from_str(&text).unwrap();
    assert_eq!((dana.roles.clone(), dana.enabled), (vec!["viewer".to_owned()], true));

    // dana signs in (session) and holds a token; as a viewer she cannot edit.
    let session = crate::app::cookie_client();
    let login = session
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "dana", "password": "password-1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let token = token_of(&app, "dana").await;
    let edit = with_token(&app, &token, Method::POST, "/dataflows")
        .json(&crate::app::job("x"))
        .send()
        .await
        .unwrap();
    error_body(edit, StatusCode::FORBIDDEN, "forbidden").await;

    // New roles apply to her token at once.
    let promoted = send(&app, Method::PATCH, "/users/dana", json!({"roles": ["designer", "viewer"]})).await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let edit = with_token(&app, &token, Method::POST, "/dataflows")
        .json(&crate::app::job("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), StatusCode::CREATED);

    // Disabled: session, token and sign-in all stop at once.
    let disabled: User =
        send(&app, Method::PATCH, "/users/dana", json!({"enabled": false})).await.json().await.unwrap();
    assert!(!disabled.enabled);
    let me = session.get(app.url("/api/v1/auth/me")).send().await.unwrap();
    error_body(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let me = with_token(&app, &token, Method::GET, "/auth/me").send().await.unwrap();
    error_body(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let login = app.login_as("dana", "password-1234").await;
    error_body(login, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.login_admin().await;

    // Enabled again with a new password: the old one no longer works, the token does.
    send(&app, Method::PATCH, "/users/dana", json!({"enabled": true})).await;
    let reset =
        send(&app, Method::POST, "/users/dana/password", json!({"password": "brand-new-secret"})).await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    error_body(app.login_as("dana", "password-1234").await, StatusCode::UNAUTHORIZED, "invalid_credentials")
        .await;
    assert_eq!(app.login_as("dana", "brand-new-secret").await.status(), StatusCode::OK);
    app.login_admin().await;
    let me = with_token(&app, &token, Method::GET, "/auth/me").send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // Bad input: every problem listed, nothing written.
    let bad = send(
        &app,
        Method::POST,
        "/users",
        json!({"username": "Bad Name", "password": "short", "roles": ["viewer", "wizard"]}),
    )
    .await;
    let body = error_body(bad, StatusCode::BAD_REQUEST, "invalid_request").await;
    let paths: Vec<_> = body.error.details.iter().filter_map(|d| d.path.clone()).collect();
    assert_eq!(paths, ["username", "password", "roles[1]"]);
    let unknown_role = send(&app, Method::PATCH, "/users/dana", json!({"roles": ["wizard"]})).await;
    error_body(unknown_role, StatusCode::BAD_REQUEST, "invalid_request").await;
    let short = send(&app, Method::POST, "/users/dana/password", json!({"password": "short"})).await;
    error_body(short, StatusCode::BAD_REQUEST, "invalid_request").await;
    let twice =
        send(&app, Method::POST, "/users", json!({"username": "dana", "password": "password-1234"})).await;
    error_body(twice, StatusCode::CONFLICT, "already_exists").await;
    let extra = send(
        &app,
        Method::POST,
        "/users",
        json!({"username": "eve", "password": "password-1234", "admin": true}),
    )
    .await;
    error_body(extra, StatusCode::BAD_REQUEST, "invalid_request").await;
    let missing = app.request(Method::GET, "/api/v1/users/nobody").send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, "user_not_found").await;
    let users: Page<User> = app.get_json("/api/v1/users").await;
    let names: Vec<_> = users.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["admin", "dana"]);
    assert_eq!(users.items[1].roles, ["designer", "viewer"]);

    // Nobody locks the installation out of its administration.
    let last = send(&app, Method::PATCH, "/users/admin", json!({"roles": ["viewer"]})).await;
    error_body(last, StatusCode::CONFLICT, "last_admin").await;
    let last = send(&app, Method::DELETE, "/users/admin", json!({})).await;
    error_body(last, StatusCode::CONFLICT, "last_admin").await;

    // Deleted: gone with her token; the audit log has it all, without a password.
    assert_eq!(send(&app, Method::DELETE, "/users/dana", json!({})).await.status(), StatusCode::NO_CONTENT);
    let me = with_token(&app, &token, Method::GET, "/auth/me").send().await.unwrap();
    error_body(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let audit =
        app.request(Method::GET, "/api/v1/audit?limit=500").send().await.unwrap().text().await.unwrap();
    for action in ["users:create", "users:update", "users:password", "users:delete"] {
        assert!(audit.contains(action), "{action} audited");
    }
    assert!(!audit.contains("password-1234") && !audit.contains("brand-new-secret"));
}

async fn custom_roles_and_their_rules(app: TestApp) {
    app.login_admin().await;
    let roles: Page<Role> = app.get_json("/api/v1/roles").await;
    let builtin: Vec<_> = roles.items.iter().filter(|r| r.builtin).map(|r| r.name.as_str()).collect();
    assert_eq!(builtin, ["admin", "designer", "integration", "operator", "viewer"]);
    let viewer = roles.items.iter().find(|r| r.name == "viewer").unwrap();
    assert_eq!(viewer.permissions, ["cluster:view", "dataflows:view", "runs:view", "schedules:view"]);
    let all: Vec<String> = app.get_json("/api/v1/permissions").await;
    assert!(
        all.contains(&"dataflows:execute".to_owned()) && all.len() == backend::auth::Permission::ALL.len()
    );

    let created = send(
        &app,
        Method::POST,
        "/roles",
        json!({"name": "auditor", "description": "Reads the log", "permissions": ["audit:view"]}),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    send(
        &app,
        Method::POST,
        "/users",
        json!({"username": "aude", "password": "password-1234", "roles": ["auditor"]}),
    )
    .await;
    let token = token_of(&app, "aude").await;
    assert_eq!(
        with_token(&app, &token, Method::GET, "/audit").send().await.unwrap().status(),
        StatusCode::OK
    );
    error_body(
        with_token(&app, &token, Method::GET, "/runs").send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Changing the role changes what its holders may do, at once.
    let changed = send(
        &app,
        Method::PUT,
        "/roles/auditor",
        json!({"description": "Reads", "permissions": ["audit:view", "runs:view"]}),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(with_token(&app, &token, Method::GET, "/runs").send().await.unwrap().status(), StatusCode::OK);

    // Built-in roles are read-only; unknown permissions and names are refused.
    let edit = send(&app, Method::PUT, "/roles/viewer", json!({"permissions": ["users:edit"]})).await;
    error_body(edit, StatusCode::CONFLICT, "builtin_role").await;
    let delete = send(&app, Method::DELETE, "/roles/admin", json!({})).await;
    error_body(delete, StatusCode::CONFLICT, "builtin_role").await;
    let shadow = send(&app, Method::POST, "/roles", json!({"name": "viewer", "permissions": []})).await;
    error_body(shadow, StatusCode::CONFLICT, "builtin_role").await;
    let bad = send(
        &app,
        Method::POST,
        "/roles",
        json!({"name": "Ops Team", "permissions": ["dataflows:fly", "runs:view"]}),
    )
    .await;
    let body = error_body(bad, StatusCode::BAD_REQUEST, "invalid_request").await;
    let paths: Vec<_> = body.error.details.iter().filter_map(|d| d.path.clone()).collect();
    assert_eq!(paths, ["name", "permissions[0]"]);
    let unchanged: Role = app.get_json("/api/v1/roles/viewer").await;
    assert_eq!(unchanged.permissions, viewer.permissions);
    let missing = app.request(Method::GET, "/api/v1/roles/nope").send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, "role_not_found").await;

    // A role in use is not deleted; once nobody holds it, it is.
    let in_use = send(&app, Method::DELETE, "/roles/auditor", json!({})).await;
    let body = error_body(in_use, StatusCode::CONFLICT, "role_in_use").await;
    assert_eq!(body.error.details[0].message, "aude");
    send(&app, Method::PATCH, "/users/aude", json!({"roles": []})).await;
    assert_eq!(
        send(&app, Method::DELETE, "/roles/auditor", json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    error_body(
        with_token(&app, &token, Method::GET, "/audit").send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

async fn bad_credentials_are_refused(app: TestApp) {
    app.login_admin().await;
    send(
        &app,
        Method::POST,
        "/users",
        json!({"username": "vic", "password": "password-1234", "roles": ["viewer"]}),
    )
    .await;
    // Wrong role: a viewer manages nobody.
    let token = token_of(&app, "vic").await;
    let create = with_token(&app, &token, Method::POST, "/users")
        .json(&json!({"username": "mallory", "password": "password-1234", "roles": ["admin"]}))
        .send()
        .await
        .unwrap();
    error_body(create, StatusCode::FORBIDDEN, "forbidden").await;
    let grant = with_token(&app, &token, Method::PATCH, "/users/vic")
        .json(&json!({"roles": ["admin"]}))
        .send()
        .await
        .unwrap();
    error_body(grant, StatusCode::FORBIDDEN, "forbidden").await;

    // A revoked token stops at once.
    let created: CreatedToken = with_token(&app, &token, Method::POST, "/tokens")
        .json(&json!({"name": "short-lived"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        with_token(&app, &created.token, Method::GET, "/auth/me").send().await.unwrap().status(),
        StatusCode::OK
    );
    let revoked = with_token(&app, &token, Method::DELETE, &format!("/tokens/{}", created.token_info.id))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let me = with_token(&app, &created.token, Method::GET, "/auth/me").send().await.unwrap();
    error_body(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // A tampered session cookie is no session.
    let session = crate::app::cookie_client();
    let login = session
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "vic", "password": "password-1234"}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let (name, value) = cookie.split_once('=').unwrap();
    let mut tampered = value.to_owned();
    let last = if tampered.ends_with('A') { 'B' } else { 'A' };
    tampered.pop();
    tampered.push(last);
    for value in [tampered.as_str(), "", "not-a-session"] {
        let me = reqwest::Client::new()
            .get(app.url("/api/v1/auth/me"))
            .header("cookie", format!("{name}={value}"))
            .send()
            .await
            .unwrap();
        error_body(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK, "the untampered cookie works");
}
