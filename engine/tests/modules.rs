//! The `quality` and `address` stages inside dataflows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, assert_file, job};
use serde_json::json;

#[tokio::test]
async fn match_groups_likely_duplicates() {
    let data = Data::new();
    data.write("people.csv", "id,name,city\n1,Jonathan Smith,Oslo\n2,Jonathon Smith,Oslo\n3,Mary Jones,Oslo\n4,Jonathan Smith,Rome\n5,Mary Jones,Oslo\n");
    let doc = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "people.csv"}},
               {"id": "m", "type": "match", "options": {"blocking_key": "city", "threshold": 0.9,
                 "fields": [{"field": "name", "similarity": "jaro_winkler"}]}},
               {"id": "w", "type": "write_csv", "options": {"path": "groups.csv"}}]),
        &[("r", "m"), ("m", "w")],
    );
    data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "groups.csv",
        "id,name,city,match_group,match_score\n1,Jonathan Smith,Oslo,1,0.9714\n2,Jonathon Smith,Oslo,1,0.9714\n3,Mary Jones,Oslo,2,1.0\n4,Jonathan Smith,Rome,3,\n5,Mary Jones,Oslo,2,1.0\n",
    );
}

#[tokio::test]
async fn parse_address_adds_the_parts() {
    let data = Data::new();
    data.write("addresses.csv", "id,line\n1,\"350 Bay St, Toronto, ON M5H 2S6, Canada\"\n2,\"Hauptstraße 5, 10115 Berlin, Germany\"\n3,\n");
    let doc = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "addresses.csv"}},
               {"id": "p", "type": "parse_address", "options": {"field": "line", "prefix": "a_"}},
               {"id": "s", "type": "select", "options": {"fields": ["id", "a_number", "a_street", "a_city", "a_region", "a_postcode", "a_country", "a_confidence"]}},
               {"id": "w", "type": "write_csv", "options": {"path": "parsed.csv"}}]),
        &[("r", "p"), ("p", "s"), ("s", "w")],
    );
    data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "parsed.csv",
        "id,a_number,a_street,a_city,a_region,a_postcode,a_country,a_confidence\n1,350,Bay St,Toronto,ON,M5H 2S6,CA,1.0\n2,5,Hauptstraße,Berlin,,10115,DE,1.0\n3,,,,,,,0.0\n",
    );
}

struct OneSubflow(model::DataflowDocument);

#[async_trait::async_trait]
impl engine::SubflowSource for OneSubflow {
    async fn load(&self, name: &str, _version: Option<i32>) -> engine::EngineResult<model::DataflowDocument> {
        if name == self.0.name {
            Ok(self.0.clone())
        } else {
            Err(engine::EngineError::user("", format!("no subflow {name}")))
        }
    }
}

#[tokio::test]
async fn subflows_embed_a_reusable_dataflow() {
    let data = Data::new();
    data.write("orders.csv", "id,amount\n1,50\n2,150\n3,250\n");
    let taxes: model::DataflowDocument = serde_json::from_value(json!({"name": "add-tax", "kind": "subflow",
        "parameters": [{"name": "rate", "default": 1.1}],
        "stages": [{"id": "rows", "type": "input", "options": {"fields": [{"name": "amount", "type": "number"}]}},
                   {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "amount * ${rate}"}]}},
                   {"id": "taxed", "type": "output"}],
        "edges": [{"from": "rows", "to": "t"}, {"from": "t", "to": "taxed"}]}))
    .unwrap();
    let doc: model::DataflowDocument = serde_json::from_value(json!({"name": "main", "kind": "job",
        "parameters": [{"name": "rate", "default": 2}],
        "stages": [{"id": "r", "type": "read_csv", "options": {"path": "orders.csv"}},
                   {"id": "sub", "type": "subflow", "options": {"dataflow": "add-tax"}},
                   {"id": "split", "type": "transform", "options": {"fields": [{"name": "parts", "expression": "make_array(id, id * 10)"}]}},
                   {"id": "each", "type": "split", "options": {"field": "parts"}},
                   {"id": "w", "type": "write_csv", "options": {"path": "taxed.csv"}}],
        "edges": [{"from": "r", "to": "sub.rows"}, {"from": "sub.taxed", "to": "split"}, {"from": "split", "to": "each"}, {"from": "each", "to": "w"}]}))
    .unwrap();
    let compiled = engine::compile(
        &data.engine,
        &doc,
        &Default::default(),
        Default::default(),
        &OneSubflow(taxes),
        engine::Purpose::Run,
    )
    .await
    .unwrap();
    assert_eq!(compiled.problems, vec![]);
    engine::execute(&compiled, &tokio_util::sync::CancellationToken::new()).await.unwrap();
    assert_file(
        &data,
        "taxed.csv",
        "id,amount,gross,parts\n1,50,100,1\n1,50,100,10\n2,150,300,2\n2,150,300,20\n3,250,500,3\n3,250,500,30\n",
    );
}
