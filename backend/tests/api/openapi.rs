//! `GET /api/v1/openapi.json`: served to anyone, and it documents exactly the routes the node
//! declares — a route added without an annotation, or an annotation left behind by a removed
//! route, fails here. Whether real responses match it is schemathesis' job (`scripts/api-fuzz.sh`).

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::access_table::declared_routes;
use crate::app::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_covers_every_route_and_nothing_else() {
    let app = TestApp::sqlite().await;
    let response = app.request(Method::GET, "/api/v1/openapi.json").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the document needs no sign-in");
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);

    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let mut declared: BTreeSet<(String, String)> = declared_routes()
        .into_iter()
        .map(|(method, route)| {
            let full = if route.starts_with("/rest/") { route } else { format!("/api/v1{route}") };
            (method, full)
        })
        .collect();
    for own in ["/healthz", "/readyz", "/api/v1/openapi.json"] {
        declared.insert(("GET".into(), own.into()));
    }
    let undocumented: Vec<_> = declared.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&declared).collect();
    assert!(undocumented.is_empty(), "routes missing from the document: {undocumented:?}");
    assert!(stale.is_empty(), "documented but not routed: {stale:?}");

    // Every operation names its error answers with the error body.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let is_health = ["/healthz", "/readyz", "/api/v1/openapi.json"].contains(&path.as_str());
            assert!(is_health || responses.contains_key("400"), "{method} {path} lacks 400");
            assert!(is_health || responses.contains_key("500"), "{method} {path} lacks 500");
        }
    }
}
