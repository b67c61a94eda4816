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
