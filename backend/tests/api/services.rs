//! Services over HTTP, native and classic forms; the stage catalog; validation with schemas;
//! previews.

use model::{DataflowDocument, Page, PreviewResponse, ServiceResponse, StageSpec, ValidationReport};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app::{TestApp, error_body, job};

crate::both!(services_answer_native_and_classic_calls, the_catalog_validation_and_preview_help_the_designer);

fn price_service() -> DataflowDocument {
    serde_json::from_value(json!({"name": "price", "kind": "service",
        "parameters": [{"name": "rate", "type": "number", "default": 1.25}],
        "stages": [
            {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
            {"id": "big", "type": "filter", "options": {"predicate": "net >= 10"}},
            {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "net * ${rate}"}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "big"}, {"from": "big", "to": "t"}, {"from": "t", "to": "out"}]}))
    .unwrap()
}

async fn services_answer_native_and_classic_calls(app: TestApp) {
    app.login_admin().await;
    app.create_dataflow(&price_service()).await;
    let early =
        app.request(Method::POST, "/api/v1/services/price").json(&json!({"rows": []})).send().await.unwrap();
    error_body(early, StatusCode::CONFLICT, "not_exposed").await;
    app.request(Method::POST, "/api/v1/dataflows/price/versions/1/expose").send().await.unwrap();

    let body = json!({"rows": [{"sku": "a", "net": 10}, {"sku": "b", "net": 1}], "parameters": {"rate": 2}});
    let answer: ServiceResponse = app.post_json("/api/v1/services/price", &body).await;
    assert_eq!(
        Value::from(answer.rows.into_iter().map(Value::Object).collect::<Vec<_>>()),
        json!([{"sku": "a", "net": 10.0, "gross": 20.0}])
    );

    let one: ServiceResponse = app.get_json("/api/v1/services/price?sku=x&net=40").await;
    assert_eq!(one.rows[0]["gross"], json!(50.0));

    let classic: Value = app.get_json("/rest/price/results.json?Data.sku=x&Data.net=40&Option.rate=3").await;
    assert_eq!(classic, json!({"Output": {"Row": [{"sku": "x", "net": 40.0, "gross": 120.0}]}}));
    let posted: Value = app
        .request(Method::POST, "/rest/price/results.json")
        .json(&json!({"Input": {"Row": [{"sku": "y", "net": 12}]}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted, json!({"Output": {"Row": [{"sku": "y", "net": 12.0, "gross": 15.0}]}}));

    let wrong_type = app
        .request(Method::POST, "/api/v1/services/price")
        .json(&json!({"rows": [{"sku": "a", "net": "ten"}]}))
        .send()
        .await
        .unwrap();
    let body = error_body(wrong_type, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(body.error.details[0].stage.as_deref(), Some("in"));
    let bad_query = app.request(Method::GET, "/api/v1/services/price?net=lots").send().await.unwrap();
    error_body(bad_query, StatusCode::BAD_REQUEST, "invalid_request").await;
    let unknown_field =
        app.request(Method::GET, "/rest/price/results.json?Data.colour=red").send().await.unwrap();
    error_body(unknown_field, StatusCode::BAD_REQUEST, "invalid_request").await;
    error_body(
        app.request(Method::GET, "/api/v1/services/nothing?a=1").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "service_not_found",
    )
    .await;
    let anonymous =
        reqwest::Client::new().get(app.url("/rest/price/results.json?Data.sku=x")).send().await.unwrap();
    error_body(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // Exposing another version changes the answers at once.
    let current: model::Dataflow = app.get_json("/api/v1/dataflows/price").await;
    let mut doubled = price_service();
    doubled.parameters[0].default = Some(json!(10));
    let saved = app
        .request(Method::PUT, "/api/v1/dataflows/price")
        .header("If-Match", current.etag)
        .json(&doubled)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    app.request(Method::POST, "/api/v1/dataflows/price/versions/2/expose").send().await.unwrap();
    let answer: ServiceResponse = app.get_json("/api/v1/services/price?sku=x&net=40").await;
    assert_eq!(answer.rows[0]["gross"], json!(400.0));
}

async fn the_catalog_validation_and_preview_help_the_designer(app: TestApp) {
    app.login_admin().await;
    let catalog: Page<StageSpec> = app.get_json("/api/v1/stages").await;
    assert_eq!(catalog.items.len(), 29, "28 stages of jobs and services, and run_job of process flows");
    let filter = catalog.items.iter().find(|s| s.stage_type == "filter").unwrap();
    assert_eq!(filter.outputs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["out", "rejected"]);
    assert!(catalog.items.iter().any(|s| s.stage_type == "match" && s.module == "quality"));
    assert!(catalog.items.iter().any(|s| s.stage_type == "parse_address" && s.module == "address"));

    std::fs::write(app.data_dir.path().join("orders.csv"), "id,amount\n1,50\n2,150\n").unwrap();
    let report: ValidationReport = app.post_json("/api/v1/dataflows/validate", &job("v")).await;
    assert!(report.valid, "{:?}", report.problems);
    let fields: Vec<&str> = report.schemas["big.out"].iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, vec!["id", "amount"]);
    let mut typo = job("v");
    typo.stages[1].options.insert("predicate".into(), json!("amuont > 1"));
    let report: ValidationReport = app.post_json("/api/v1/dataflows/validate", &typo).await;
    assert!(!report.valid);
    assert_eq!(report.problems[0].stage.as_deref(), Some("big"));
    assert_eq!(report.problems[0].path.as_deref(), Some("options.predicate"));

    let preview: PreviewResponse = app
        .request(Method::POST, "/api/v1/dataflows/preview")
        .json(&json!({"document": job("v"), "limit": 10}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        preview.ports["big.out"].rows,
        vec![serde_json::from_value(json!({"id": 2, "amount": 150})).unwrap()]
    );
    assert!(!app.data_dir.path().join("out/big.csv").exists(), "a preview writes nothing");
}
