//! Signing in and out, sessions across nodes, API tokens, permissions, audit of sign-ins.

use model::{ApiToken, CreatedToken, Me, Page};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::app::{ADMIN_PASSWORD, TestApp, error_body, json};

crate::both!(
    sign_in_me_and_sign_out,
    wrong_password_is_refused_and_audited,
    a_session_works_on_every_node,
    api_tokens_are_shown_once_and_can_be_revoked,
    expired_tokens_are_refused,
    permissions_follow_roles,
);

async fn sign_in_me_and_sign_out(app: TestApp) {
    error_body(
        app.request(Method::GET, "/api/v1/auth/me").send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    let response = app.login_as("admin", ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie =
        response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("tributary_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let me: Me = response.json().await.unwrap();
    assert_eq!(me.username, "admin");
    assert_eq!(me.roles, vec!["admin"]);
    assert!(me.can("dataflows:edit") && me.can("users:edit"));

    let me: Me = app.get_json("/api/v1/auth/me").await;
    assert_eq!(me.username, "admin");

    let response = app.request(Method::POST, "/api/v1/auth/logout").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    error_body(
        app.request(Method::GET, "/api/v1/auth/me").send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

async fn wrong_password_is_refused_and_audited(app: TestApp) {
    let body =
        error_body(app.login_as("admin", "guess").await, StatusCode::UNAUTHORIZED, "invalid_credentials")
            .await;
    assert_eq!(body.error.message, "wrong user name or password");
    error_body(app.login_as("nobody", "guess").await, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    app.login_admin().await;
    let audit = json(app.request(Method::GET, "/api/v1/audit").send().await.unwrap()).await;
    let logins: Vec<(String, String)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth:login")
        .map(|e| (e["actor"].as_str().unwrap().to_owned(), e["outcome"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        logins,
        vec![
            ("admin".into(), "ok".into()),
            ("nobody".into(), "failed".into()),
            ("admin".into(), "failed".into())
        ]
    );
}

async fn a_session_works_on_every_node(app: TestApp) {
    let other = app.second_node().await;
    app.login_admin().await;
    // The same cookie jar, a different node.
    let response = app.client.get(format!("{other}/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    app.request(Method::POST, "/api/v1/auth/logout").send().await.unwrap();
    let response = reqwest::Client::new().get(format!("{other}/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn api_tokens_are_shown_once_and_can_be_revoked(app: TestApp) {
    app.login_admin().await;
    let response =
        app.request(Method::POST, "/api/v1/tokens").json(&json!({"name": "ci"})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: CreatedToken = response.json().await.unwrap();
    assert!(created.token.starts_with(&created.token_info.prefix));

    let listed: Page<ApiToken> = app.get_json("/api/v1/tokens").await;
    assert_eq!(listed.items, vec![created.token_info.clone()]);
    let raw = app.request(Method::GET, "/api/v1/tokens").send().await.unwrap().text().await.unwrap();
    assert!(!raw.contains(&created.token), "the secret is listed");

    let bearer = reqwest::Client::new();
    let me = bearer.get(app.url("/api/v1/auth/me")).bearer_auth(&created.token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.json::<Me>().await.unwrap().username, "admin");

    let path = format!("/api/v1/tokens/{}", created.token_info.id);
    assert_eq!(app.request(Method::DELETE, &path).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let refused = bearer.get(app.url("/api/v1/auth/me")).bearer_auth(&created.token).send().await.unwrap();
    error_body(refused, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    error_body(
        app.request(Method::DELETE, &path).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "token_not_found",
    )
    .await;

    let bad = app
        .request(Method::POST, "/api/v1/tokens")
        .json(&json!({"name": "", "expires_in_days": 0}))
        .send()
        .await
        .unwrap();
    let body = error_body(bad, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(body.error.details.len(), 2);
}

async fn expired_tokens_are_refused(app: TestApp) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    app.login_admin().await;
    let created: CreatedToken = app
        .request(Method::POST, "/api/v1/tokens")
        .json(&json!({"name": "short", "expires_in_days": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let backend = app.state.db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE api_tokens SET expires_at = $1 WHERE id = $2",
        _ => "UPDATE api_tokens SET expires_at = ? WHERE id = ?",
    };
    let past = chrono::Utc::now() - chrono::TimeDelta::hours(1);
    app.state
        .db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [past.into(), created.token_info.id.clone().into()],
        ))
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&created.token)
        .send()
        .await
        .unwrap();
    let body = error_body(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert!(body.error.message.contains("expired"));
}

async fn permissions_follow_roles(app: TestApp) {
    backend::service::users::create_user(&app.state.db, "vera", "viewer-password", &["viewer"])
        .await
        .unwrap();
    app.login_admin().await;
    assert_eq!(app.create_dataflow(&crate::app::empty("shared")).await.status(), StatusCode::CREATED);

    let viewer = TestApp::client_for(&app);
    let login = viewer
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "vera", "password": "viewer-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let list = viewer.get(app.url("/api/v1/dataflows")).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let create =
        viewer.post(app.url("/api/v1/dataflows")).json(&crate::app::empty("mine")).send().await.unwrap();
    let body = error_body(create, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(body.error.message.contains("dataflows:edit"));
    let delete = viewer.delete(app.url("/api/v1/dataflows/shared")).send().await.unwrap();
    error_body(delete, StatusCode::FORBIDDEN, "forbidden").await;
    error_body(
        viewer.get(app.url("/api/v1/audit")).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let anonymous = reqwest::Client::new().get(app.url("/api/v1/dataflows")).send().await.unwrap();
    error_body(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

impl TestApp {
    /// A separate cookie jar: a second person in front of the same node.
    pub fn client_for(_app: &TestApp) -> reqwest::Client {
        crate::app::cookie_client()
    }
}
