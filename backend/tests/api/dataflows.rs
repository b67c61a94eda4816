//! The dataflow lifecycle: create, list, read, replace with If-Match, versions, expose, delete.

use model::{Dataflow, DataflowSummary, DataflowVersion, Page, ValidationReport, VersionInfo};
use reqwest::{Method, StatusCode};

use crate::app::{TestApp, empty, error_body, job};

crate::both!(
    create_read_list_and_delete,
    saves_make_versions_and_need_the_current_etag,
    concurrent_saves_cannot_both_win,
    only_complete_versions_can_be_exposed,
    search_and_pages_cover_every_dataflow,
    validate_lists_every_problem,
    export_and_import_round_trip,
    imports_of_one_name_at_once_all_land,
);

async fn create_read_list_and_delete(app: TestApp) {
    app.login_admin().await;
    let response = app.create_dataflow(&job("orders")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap().to_owned();
    let created: Dataflow = response.json().await.unwrap();
    assert_eq!((created.summary.version, created.summary.exposed_version), (1, None));
    assert_eq!(created.etag, etag);
    assert_eq!(created.summary.created_by, "admin");

    error_body(app.create_dataflow(&job("orders")).await, StatusCode::CONFLICT, "already_exists").await;

    let read: Dataflow = app.get_json("/api/v1/dataflows/orders").await;
    assert_eq!(read.document, job("orders"));
    let list: Page<DataflowSummary> = app.get_json("/api/v1/dataflows").await;
    assert_eq!(list.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["orders"]);

    let deleted = app.request(Method::DELETE, "/api/v1/dataflows/orders").send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.request(Method::GET, "/api/v1/dataflows/orders").send().await.unwrap();
    let body = error_body(gone, StatusCode::NOT_FOUND, "dataflow_not_found").await;
    assert!(body.error.message.contains("orders"));
    let list: Page<DataflowSummary> = app.get_json("/api/v1/dataflows").await;
    assert!(list.items.is_empty());
    // The name is free again.
    assert_eq!(app.create_dataflow(&empty("orders")).await.status(), StatusCode::CREATED);
}

async fn put(
    app: &TestApp,
    name: &str,
    etag: Option<&str>,
    document: &model::DataflowDocument,
) -> reqwest::Response {
    let mut request =
        app.request(Method::PUT, &format!("/api/v1/dataflows/{name}?comment=tuned")).json(document);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    request.send().await.unwrap()
}

async fn saves_make_versions_and_need_the_current_etag(app: TestApp) {
    app.login_admin().await;
    let first: Dataflow = app.create_dataflow(&empty("orders")).await.json().await.unwrap();
    let mut edited = job("orders");
    edited.description = "second".into();

    error_body(
        put(&app, "orders", None, &edited).await,
        StatusCode::PRECONDITION_REQUIRED,
        "precondition_required",
    )
    .await;
    let saved = put(&app, "orders", Some(&first.etag), &edited).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let second: Dataflow = saved.json().await.unwrap();
    assert_eq!(second.summary.version, 2);
    assert_ne!(second.etag, first.etag);

    let stale = put(&app, "orders", Some(&first.etag), &empty("orders")).await;
    let body = error_body(stale, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    assert!(body.error.message.contains("version 2"), "{}", body.error.message);
    let current: Dataflow = app.get_json("/api/v1/dataflows/orders").await;
    assert_eq!(current.document, edited, "the stale save changed nothing");

    let renamed = put(&app, "orders", Some(&second.etag), &job("other")).await;
    error_body(renamed, StatusCode::BAD_REQUEST, "invalid_request").await;

    let versions: Page<VersionInfo> = app.get_json("/api/v1/dataflows/orders/versions").await;
    let listed: Vec<(i32, &str)> = versions.items.iter().map(|v| (v.version, v.comment.as_str())).collect();
    assert_eq!(listed, vec![(2, "tuned"), (1, "")]);
    let v1: DataflowVersion = app.get_json("/api/v1/dataflows/orders/versions/1").await;
    assert_eq!(v1.document, empty("orders"));
    let missing = app.request(Method::GET, "/api/v1/dataflows/orders/versions/9").send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, "version_not_found").await;
}

async fn concurrent_saves_cannot_both_win(app: TestApp) {
    app.login_admin().await;
    let first: Dataflow = app.create_dataflow(&empty("race")).await.json().await.unwrap();
    let saves = (0..4).map(|i| {
        let mut document = empty("race");
        document.description = format!("editor {i}");
        let (app, etag) = (&app, first.etag.clone());
        async move { put(app, "race", Some(&etag), &document).await.status() }
    });
    let statuses = futures::future::join_all(saves).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::PRECONDITION_FAILED),
        "{statuses:?}"
    );
    let versions: Page<VersionInfo> = app.get_json("/api/v1/dataflows/race/versions").await;
    assert_eq!(versions.items.len(), 2);
}

async fn only_complete_versions_can_be_exposed(app: TestApp) {
    app.login_admin().await;
    let mut draft = job("orders");
    draft.edges.pop();
    let created: Dataflow = app.create_dataflow(&draft).await.json().await.unwrap();
    let refused =
        app.request(Method::POST, "/api/v1/dataflows/orders/versions/1/expose").send().await.unwrap();
    let body = error_body(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_dataflow").await;
    assert_eq!(body.error.details[0].message, "input port out.in is not connected");
    assert_eq!(body.error.details[0].stage.as_deref(), Some("out"));

    assert_eq!(put(&app, "orders", Some(&created.etag), &job("orders")).await.status(), StatusCode::OK);
    let exposed =
        app.request(Method::POST, "/api/v1/dataflows/orders/versions/2/expose").send().await.unwrap();
    assert_eq!(exposed.status(), StatusCode::OK);
    let summary: DataflowSummary = exposed.json().await.unwrap();
    assert_eq!(summary.exposed_version, Some(2));
    let versions: Page<VersionInfo> = app.get_json("/api/v1/dataflows/orders/versions").await;
    assert_eq!(versions.items.iter().map(|v| v.exposed).collect::<Vec<_>>(), vec![true, false]);
}

async fn search_and_pages_cover_every_dataflow(app: TestApp) {
    app.login_admin().await;
    let names = ["alpha", "beta", "Gamma_orders", "delta-orders", "epsilon", "zeta%"];
    for name in names.iter().filter(|n| !n.contains('%')) {
        assert_eq!(app.create_dataflow(&empty(name)).await.status(), StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/dataflows?limit=2&cursor={c}"),
            None => "/api/v1/dataflows?limit=2".into(),
        };
        let page: Page<DataflowSummary> = app.get_json(&path).await;
        assert!(page.items.len() <= 2);
        seen.extend(page.items.into_iter().map(|d| d.name));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, vec!["Gamma_orders", "alpha", "beta", "delta-orders", "epsilon"]);

    let found: Page<DataflowSummary> = app.get_json("/api/v1/dataflows?search=ORDERS").await;
    assert_eq!(
        found.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        vec!["Gamma_orders", "delta-orders"]
    );
    let mut described = empty("omega");
    described.description = "Monthly ORDER totals".into();
    assert_eq!(app.create_dataflow(&described).await.status(), StatusCode::CREATED);
    let by_description: Page<DataflowSummary> = app.get_json("/api/v1/dataflows?search=order%20totals").await;
    assert_eq!(by_description.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["omega"]);
    // `_` is a literal, not a wildcard.
    let literal: Page<DataflowSummary> = app.get_json("/api/v1/dataflows?search=a_o").await;
    assert_eq!(literal.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["Gamma_orders"]);
}

async fn validate_lists_every_problem(app: TestApp) {
    app.login_admin().await;
    let mut document = job("check");
    document.stages[1].stage_type = "teleport".into();
    document.edges.push(model::Edge { from: "out".into(), to: "read".into() });
    let report: ValidationReport = app.post_json("/api/v1/dataflows/validate", &document).await;
    assert!(!report.valid);
    let stages: Vec<Option<&str>> = report.problems.iter().map(|p| p.stage.as_deref()).collect();
    assert!(stages.contains(&Some("big")), "{:?}", report.problems);
    assert!(report.problems.iter().any(|p| p.message.contains("no output")), "{:?}", report.problems);
    std::fs::write(app.data_dir.path().join("orders.csv"), "id,amount\n1,5\n").unwrap();
    let ok: ValidationReport = app.post_json("/api/v1/dataflows/validate", &job("check")).await;
    assert!(ok.valid && ok.problems.is_empty(), "{ok:?}");
}

async fn export_and_import_round_trip(app: TestApp) {
    app.login_admin().await;
    app.create_dataflow(&job("orders")).await;
    let exported = app.request(Method::GET, "/api/v1/dataflows/orders/export").send().await.unwrap();
    let disposition = exported
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.contains("orders.json"));
    let mut document: model::DataflowDocument = exported.json().await.unwrap();
    assert_eq!(document, job("orders"));

    document.description = "imported again".into();
    let again = app.request(Method::POST, "/api/v1/dataflows/import").json(&document).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Dataflow>().await.unwrap().summary.version, 2);
    document.name = "copy".into();
    let created = app.request(Method::POST, "/api/v1/dataflows/import").json(&document).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
}

/// Imports race on a new name: each one is saved (one creates it, the others add versions), none
/// is refused because another got there first.
async fn imports_of_one_name_at_once_all_land(app: TestApp) {
    app.login_admin().await;
    let imports = (0..10).map(|i| {
        let mut document = job("raced");
        document.description = format!("import {i}");
        app.request(Method::POST, "/api/v1/dataflows/import").json(&document).send()
    });
    let statuses: Vec<StatusCode> =
        futures::future::join_all(imports).await.into_iter().map(|r| r.unwrap().status()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 9, "{statuses:?}");
    let stored: Dataflow = app.get_json("/api/v1/dataflows/raced").await;
    assert_eq!(stored.summary.version, 10);
}
