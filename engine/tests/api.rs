//! Checking documents, previews, service calls, failures and cancellation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use common::{Data, job};
use engine::NoSubflows;
use model::DataflowDocument;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn doc(value: Value) -> DataflowDocument {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn check_reports_every_problem_with_stage_and_option() {
    let data = Data::new();
    data.write("orders.csv", "id,amount\n1,5\n");
    let document = doc(job(
        json!([
            {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
            {"id": "typo", "type": "filter", "options": {"predicate": "amout > 1"}},
            {"id": "sneaky", "type": "filter", "options": {"predicate": "id IN (SELECT 1)"}},
            {"id": "gone", "type": "read_csv", "options": {"path": "missing.csv"}},
            {"id": "escape", "type": "read_csv", "options": {"path": "../etc/passwd"}},
            {"id": "t", "type": "transform", "options": {"fields": [{"name": "double", "expression": "amount * 2"}]}}
        ]),
        &[("read", "typo"), ("read", "sneaky"), ("read", "t")],
    ));
    let (schemas, problems) =
        engine::api::check(&data.engine, &document, &BTreeMap::new(), &NoSubflows).await;
    let places: Vec<(Option<&str>, Option<&str>)> =
        problems.iter().map(|p| (p.stage.as_deref(), p.path.as_deref())).collect();
    assert!(places.contains(&(Some("typo"), Some("options.predicate"))), "{problems:?}");
    assert!(places.contains(&(Some("sneaky"), Some("options.predicate"))), "{problems:?}");
    assert!(places.contains(&(Some("gone"), Some("options.path"))), "{problems:?}");
    assert!(places.contains(&(Some("escape"), Some("options.path"))), "{problems:?}");
    let typo = problems.iter().find(|p| p.stage.as_deref() == Some("typo")).unwrap();
    assert!(typo.message.contains("amout"), "{}", typo.message);
    let fields: Vec<(&str, &str)> =
        schemas["t.out"].iter().map(|f| (f.name.as_str(), f.field_type.as_str())).collect();
    assert_eq!(fields, vec![("id", "Int64"), ("amount", "Int64"), ("double", "Int64")]);
}

#[tokio::test]
async fn preview_shows_the_first_rows_on_every_port() {
    let data = Data::new();
    let mut csv = String::from("id,amount\n");
    for i in 1..=200 {
        csv.push_str(&format!("{i},{}\n", i * 10));
    }
    data.write("orders.csv", &csv);
    let document = doc(job(
        json!([{"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
               {"id": "f", "type": "filter", "options": {"predicate": "amount > 30"}},
               {"id": "out", "type": "write_csv", "options": {"path": "never.csv"}}]),
        &[("read", "f"), ("f", "out")],
    ));
    let preview = engine::api::preview(&data.engine, &document, &BTreeMap::new(), 5, &NoSubflows).await;
    assert_eq!(preview.problems, vec![]);
    assert_eq!(preview.ports["read.out"].rows.len(), 5);
    let passed: Vec<i64> = preview.ports["f.out"].rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(passed, vec![4, 5], "only the first 5 source records are read");
    assert_eq!(preview.ports["f.rejected"].rows.len(), 3);
    assert!(!data.exists("never.csv"), "a preview writes nothing");
}

fn service() -> DataflowDocument {
    doc(json!({"name": "price", "kind": "service",
        "parameters": [{"name": "rate", "type": "number", "default": 1.25}],
        "stages": [
            {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
            {"id": "big", "type": "filter", "options": {"predicate": "net >= 10"}},
            {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "net * ${rate}"}, {"name": "sku", "expression": "upper(sku)"}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "big"}, {"from": "big", "to": "t"}, {"from": "t", "to": "out"}]}))
}

#[tokio::test]
async fn a_service_call_runs_rows_through_the_flow() {
    let data = Data::new();
    let rows: Vec<engine::api::Row> = serde_json::from_value(
        json!([{"sku": "a-1", "net": 10}, {"sku": "b-2", "net": 2.5}, {"sku": "ü-3", "net": 100}]),
    )
    .unwrap();
    let out = engine::api::call_service(&data.engine, &service(), &rows, &BTreeMap::new(), &NoSubflows)
        .await
        .unwrap();
    assert_eq!(
        Value::from(out.into_iter().map(Value::Object).collect::<Vec<_>>()),
        json!([
            {"sku": "A-1", "net": 10.0, "gross": 12.5},
            {"sku": "Ü-3", "net": 100.0, "gross": 125.0}
        ])
    );
    let params = BTreeMap::from([("rate".to_string(), json!(2))]);
    let out =
        engine::api::call_service(&data.engine, &service(), &rows[..1], &params, &NoSubflows).await.unwrap();
    assert_eq!(out[0]["gross"], json!(20.0));
    let bad: Vec<engine::api::Row> = serde_json::from_value(json!([{"sku": "x", "net": "ten"}])).unwrap();
    let err = engine::api::call_service(&data.engine, &service(), &bad, &BTreeMap::new(), &NoSubflows)
        .await
        .unwrap_err();
    assert_eq!(err.stage.as_deref(), Some("in"));
}

#[tokio::test]
async fn a_failing_run_leaves_no_output_behind() {
    let data = Data::new();
    let mut csv = String::from("id,code\n");
    for i in 0..50_000 {
        csv.push_str(&format!("{i},{}\n", if i == 49_000 { "oops".to_string() } else { i.to_string() }));
    }
    data.write("in.csv", &csv);
    let document = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "in.csv", "schema": {"code": "string"}}},
               {"id": "t", "type": "transform", "options": {"fields": [{"name": "n", "expression": "CAST(code AS INT)"}]}},
               {"id": "w", "type": "write_csv", "options": {"path": "out/n.csv"}}]),
        &[("r", "t"), ("t", "w")],
    );
    let errors = data.run(&document).await.unwrap_err();
    assert!(errors[0].message.contains("oops"), "{:?}", errors[0]);
    assert_eq!(data.files("out"), Vec::<String>::new(), "nothing half-written");
}

#[tokio::test]
async fn a_cancelled_run_stops_and_writes_nothing() {
    let data = Data::new();
    data.write("in.csv", "id\n1\n2\n");
    let document = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "in.csv"}}, {"id": "w", "type": "write_csv", "options": {"path": "out.csv"}}]),
        &[("r", "w")],
    );
    let compiled = data.compile(&document, &[]).await.unwrap();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = engine::execute(&compiled, &cancel).await.unwrap_err();
    assert_eq!(err.message, "the run was cancelled");
    assert!(!data.exists("out.csv"));
}

#[tokio::test]
async fn fields_nobody_uses_are_not_read() {
    let data = Data::new();
    data.write("wide.csv", "id,name,amount,notes\n1,a,5,x\n");
    let document = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "wide.csv"}},
               {"id": "f", "type": "filter", "options": {"predicate": "amount > 1"}},
               {"id": "s", "type": "select", "options": {"fields": ["id"]}},
               {"id": "w", "type": "write_csv", "options": {"path": "ids.csv"}}]),
        &[("r", "f"), ("f", "s"), ("s", "w")],
    );
    let compiled = data.compile(&document, &[]).await.unwrap();
    let plan = compiled.sinks[0].input.clone().create_physical_plan().await.unwrap();
    let text = datafusion::physical_plan::displayable(plan.as_ref()).indent(false).to_string();
    assert!(text.contains("projection=[id, amount]"), "{text}");
    assert_eq!(text.matches("TapExec").count(), 3, "{text}");
}

#[tokio::test]
async fn a_prepared_service_answers_call_after_call() {
    let data = Data::new();
    data.write("rates.csv", "sku,rate\nA-1,2\nB-2,3\n");
    let document = doc(json!({"name": "lookup", "kind": "service",
        "stages": [
            {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
            {"id": "rates", "type": "read_csv", "options": {"path": "rates.csv"}},
            {"id": "l", "type": "lookup", "options": {"keys": [{"in": "sku", "table": "sku"}], "fields": ["rate"]}},
            {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "net * rate"}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "l"}, {"from": "rates", "to": "l.table"}, {"from": "l", "to": "t"}, {"from": "t", "to": "out"}]}));
    assert!(engine::prepared::preparable(&document));
    let prepared =
        engine::prepared::PreparedService::prepare(&data.engine, &document, &BTreeMap::new(), &NoSubflows)
            .await
            .unwrap();
    assert!(!prepared.is_pipeline(), "a lookup joins, so it runs as a plan");
    for (sku, net, gross) in [("A-1", 10, 20.0), ("B-2", 10, 30.0), ("A-1", 1, 2.0)] {
        let out = call_prepared(&prepared, json!([{"sku": sku, "net": net}])).await;
        assert_eq!(out.as_array().map(Vec::len), Some(1));
        assert_eq!(out[0]["gross"], json!(gross), "{sku} {net}");
    }
    assert_eq!(call_prepared(&prepared, json!([])).await, json!([]));
}

async fn call_prepared(prepared: &engine::prepared::PreparedService, rows: Value) -> Value {
    let rows: Vec<Box<serde_json::value::RawValue>> = serde_json::from_value(rows).unwrap();
    serde_json::from_slice(&prepared.call(&rows).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_filter_and_compute_service_runs_as_expressions_with_the_plans_answers() {
    let data = Data::new();
    let document = service();
    let prepared =
        engine::prepared::PreparedService::prepare(&data.engine, &document, &BTreeMap::new(), &NoSubflows)
            .await
            .unwrap();
    assert!(prepared.is_pipeline(), "{}", prepared.explain());
    let rows = json!([{"sku": "a-1", "net": 10}, {"sku": null, "net": 12}, {"net": 3}, {"sku": "ü-3", "net": 100, "extra": 1}]);
    let planned: Vec<engine::api::Row> = serde_json::from_value(rows.clone()).unwrap();
    let planned = engine::api::call_service(&data.engine, &document, &planned, &BTreeMap::new(), &NoSubflows)
        .await
        .unwrap();
    let expected = json!([
        {"sku": "A-1", "net": 10.0, "gross": 12.5},
        {"sku": null, "net": 12.0, "gross": 15.0},
        {"sku": "Ü-3", "net": 100.0, "gross": 125.0}
    ]);
    assert_eq!(Value::from(planned.into_iter().map(Value::Object).collect::<Vec<_>>()), expected);
    assert_eq!(call_prepared(&prepared, rows).await, expected);
    assert_eq!(call_prepared(&prepared, json!([{"net": 1}])).await, json!([]));
    let bad: Vec<Box<serde_json::value::RawValue>> = serde_json::from_value(json!([{"net": "ten"}])).unwrap();
    assert_eq!(prepared.call(&bad).await.unwrap_err().stage.as_deref(), Some("in"));
}

#[test]
fn only_order_free_dataflows_may_read_in_parallel() {
    let stage = |id: &str, t: &str, options: Value| json!({"id": id, "type": t, "options": options});
    let path = json!({"path": "a.csv"});
    let sorted = doc(job(
        json!([
            stage("r", "read_csv", path.clone()),
            stage("s", "sort", json!({"keys": [{"field": "id"}]})),
            stage("w", "write_csv", path.clone())
        ]),
        &[("r", "s"), ("s", "w")],
    ));
    assert!(engine::compile::order_free(&sorted));
    let copied = doc(job(
        json!([stage("r", "read_csv", path.clone()), stage("w", "write_csv", path.clone())]),
        &[("r", "w")],
    ));
    assert!(!engine::compile::order_free(&copied), "a copy keeps the file's order");
    let limited = doc(job(
        json!([
            stage("r", "read_csv", path.clone()),
            stage("s", "sort", json!({"keys": [{"field": "id"}]})),
            stage("l", "limit", json!({"count": 1})),
            stage("w", "write_csv", path)
        ]),
        &[("r", "s"), ("s", "l"), ("l", "w")],
    ));
    assert!(!engine::compile::order_free(&limited));
}
