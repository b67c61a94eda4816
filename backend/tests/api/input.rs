//! Bad input: each a 4xx with the error body, and nothing half-written. These run on the router
//! directly (no socket) where they do not need a session.

use axum::body::Body;
use axum::http::{Request, header};
use model::{DataflowSummary, ErrorBody, Page};
use reqwest::{Method, StatusCode};
use tower::ServiceExt;

use crate::app::{TestApp, error_body, job};

crate::both!(
    malformed_and_unknown_input_is_refused,
    invalid_dataflows_write_nothing,
    unknown_routes_and_methods_get_the_error_body
);

async fn malformed_and_unknown_input_is_refused(app: TestApp) {
    app.login_admin().await;
    let post = |body: &'static str| {
        app.request(Method::POST, "/api/v1/dataflows")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let body =
        error_body(post("{\"name\": \"x\",").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(
        body.error.message.contains("EOF") || body.error.message.contains("line 1"),
        "{}",
        body.error.message
    );
    let body = error_body(
        post(r#"{"name":"x","kind":"job","colour":"red"}"#).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    assert!(body.error.message.contains("unknown field `colour`"), "{}", body.error.message);
    let body = error_body(
        post(r#"{"name":"x","kind":"batch"}"#).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    assert!(body.error.message.contains("batch"), "{}", body.error.message);

    let text = app
        .request(Method::POST, "/api/v1/dataflows")
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    error_body(text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let bad_query = app.request(Method::GET, "/api/v1/dataflows?limit=lots").send().await.unwrap();
    error_body(bad_query, StatusCode::BAD_REQUEST, "invalid_request").await;
    let bad_version = app.request(Method::GET, "/api/v1/dataflows/x/versions/first").send().await.unwrap();
    error_body(bad_version, StatusCode::BAD_REQUEST, "invalid_request").await;

    let list: Page<DataflowSummary> = app.get_json("/api/v1/dataflows").await;
    assert!(list.items.is_empty(), "a refused request wrote a dataflow");
}

async fn invalid_dataflows_write_nothing(app: TestApp) {
    app.login_admin().await;
    let mut document = job("loop");
    document.edges.push(model::Edge { from: "big".into(), to: "read".into() });
    document.stages.push(model::Stage { id: "big".into(), ..document.stages[1].clone() });
    let body = error_body(
        app.create_dataflow(&document).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_dataflow",
    )
    .await;
    let messages: Vec<&str> = body.error.details.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"stage id \"big\" is used twice"), "{messages:?}");
    assert!(messages.contains(&"stage \"read\" takes no input"), "{messages:?}");

    let list: Page<DataflowSummary> = app.get_json("/api/v1/dataflows").await;
    assert!(list.items.is_empty());
    let audit: serde_json::Value = app.get_json("/api/v1/audit").await;
    assert!(audit["items"].as_array().unwrap().iter().all(|e| e["action"] != "dataflows:create"));
}

async fn unknown_routes_and_methods_get_the_error_body(app: TestApp) {
    let router = backend::build_router(app.state.clone());
    let request =
        |method: &str, uri: &str| Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();

    let response = router.clone().oneshot(request("GET", "/api/v1/nothing-here")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let body: ErrorBody = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body.error.code, "not_found");

    let response = router.clone().oneshot(request("PATCH", "/api/v1/dataflows")).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    assert_eq!(serde_json::from_slice::<ErrorBody>(&bytes).unwrap().error.code, "method_not_allowed");

    let response = router.oneshot(request("GET", "/rest/unknown/summary.xml")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_parsing() {
    let app = TestApp::sqlite_with(|args| args.max_body_size = Some("1KiB".into())).await;
    app.login_admin().await;
    let mut document = job("big");
    document.description = "x".repeat(4096);
    let body =
        error_body(app.create_dataflow(&document).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            .await;
    assert!(body.error.message.contains("larger"));
    let list: Page<DataflowSummary> = app.get_json("/api/v1/dataflows").await;
    assert!(list.items.is_empty());
}
