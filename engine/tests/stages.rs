//! Each stage with hand-checked output: CSV in, CSV (or JSON, Parquet) out, compared
//! byte-for-byte, with nulls, empty inputs, unicode and type coercion.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, assert_file, job, rows_in, rows_out};
use serde_json::json;

const ORDERS: &str = "id,name,region,amount\n1,Ann,north,120\n2,Bob,south,80\n3,Émile,north,\n4,Dana,south,300\n5,Eve,north,100.5\n";

fn read() -> serde_json::Value {
    json!({"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}})
}

fn write(id: &str, path: &str) -> serde_json::Value {
    json!({"id": id, "type": "write_csv", "options": {"path": path}})
}

#[tokio::test]
async fn filter_splits_records_and_nulls_are_rejected() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}}, write("out", "out/big.csv"), write("rej", "out/rest.csv")]),
        &[("read", "big"), ("big", "out"), ("big.rejected", "rej")],
    );
    let metrics = data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "out/big.csv",
        "id,name,region,amount\n1,Ann,north,120.0\n4,Dana,south,300.0\n5,Eve,north,100.5\n",
    );
    assert_file(&data, "out/rest.csv", "id,name,region,amount\n2,Bob,south,80.0\n3,Émile,north,\n");
    assert_eq!(rows_in(&metrics, "big"), 5);
    assert_eq!((rows_out(&metrics, "big", "out"), rows_out(&metrics, "big", "rejected")), (3, 2));
    assert_eq!(rows_out(&metrics, "out", "written"), 3);
    assert_eq!(data.files("out"), vec!["big.csv", "rest.csv"], "no temporary files left");
}

#[tokio::test]
async fn transform_adds_and_replaces_fields_in_order() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "t", "type": "transform", "options": {"fields": [
            {"name": "name", "expression": "upper(name)"},
            {"name": "gross", "expression": "amount * 2"},
            {"name": "band", "expression": "CASE WHEN gross >= 200 THEN 'high' ELSE 'low' END"}
        ]}}, write("out", "t.csv")]),
        &[("read", "t"), ("t", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "t.csv",
        "id,name,region,amount,gross,band\n1,ANN,north,120.0,240.0,high\n2,BOB,south,80.0,160.0,low\n3,ÉMILE,north,,,low\n4,DANA,south,300.0,600.0,high\n5,EVE,north,100.5,201.0,high\n",
    );
}

#[tokio::test]
async fn select_keeps_orders_and_renames() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "s", "type": "select", "options": {"fields": ["amount", "id"], "rename": {"amount": "total"}}}, write("out", "s.csv")]),
        &[("read", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "s.csv", "total,id\n120.0,1\n80.0,2\n,3\n300.0,4\n100.5,5\n");
}

#[tokio::test]
async fn route_sends_each_record_to_the_first_match() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "r", "type": "route", "options": {"routes": [
            {"port": "high", "predicate": "amount >= 120"},
            {"port": "north", "predicate": "region = 'north'"}
        ]}}, write("h", "high.csv"), write("n", "north.csv"), write("d", "default.csv")]),
        &[("read", "r"), ("r.high", "h"), ("r.north", "n"), ("r.default", "d")],
    );
    let metrics = data.run(&doc).await.unwrap();
    assert_file(&data, "high.csv", "id,name,region,amount\n1,Ann,north,120.0\n4,Dana,south,300.0\n");
    assert_file(&data, "north.csv", "id,name,region,amount\n3,Émile,north,\n5,Eve,north,100.5\n");
    assert_file(&data, "default.csv", "id,name,region,amount\n2,Bob,south,80.0\n");
    assert_eq!(rows_out(&metrics, "r", "default"), 1);
}

#[tokio::test]
async fn aggregate_then_sort() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "a", "type": "aggregate", "options": {"group_by": ["region"], "aggregates": [
            {"function": "sum", "field": "amount", "as": "total"},
            {"function": "count", "as": "orders"},
            {"function": "count", "field": "amount", "as": "priced"},
            {"function": "max", "field": "name", "as": "last_name"}
        ]}}, {"id": "s", "type": "sort", "options": {"keys": [{"field": "total", "descending": true}]}}, write("out", "a.csv")]),
        &[("read", "a"), ("a", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "a.csv",
        "region,total,orders,priced,last_name\nsouth,380.0,2,2,Dana\nnorth,220.5,3,2,Émile\n",
    );
}

#[tokio::test]
async fn distinct_keeps_the_first_and_passes_duplicates_on() {
    let data = Data::new();
    data.write("people.csv", "name,city\nAnn,Oslo\nBob,Rome\nAnn,Paris\nCara,Rome\nBob,Rome\n");
    let doc = job(
        json!([{"id": "read", "type": "read_csv", "options": {"path": "people.csv"}},
               {"id": "d", "type": "distinct", "options": {"fields": ["name"]}}, write("out", "first.csv"), write("dup", "dups.csv"),
               {"id": "all", "type": "distinct", "options": {}}, write("whole", "whole.csv")]),
        &[("read", "d"), ("d", "out"), ("d.duplicates", "dup"), ("read", "all"), ("all", "whole")],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "first.csv", "name,city\nAnn,Oslo\nBob,Rome\nCara,Rome\n");
    assert_file(&data, "dups.csv", "name,city\nAnn,Paris\nBob,Rome\n");
    assert_file(&data, "whole.csv", "name,city\nAnn,Oslo\nBob,Rome\nAnn,Paris\nCara,Rome\n");
}

#[tokio::test]
async fn join_keeps_matches_and_reports_the_unmatched() {
    let data = Data::new();
    data.write("orders.csv", "id,customer,amount\n1,c1,10\n2,c2,20\n3,c9,30\n");
    data.write("customers.csv", "id,name\nc1,Ann\nc2,Bob\nc3,Cara\n");
    let doc = job(
        json!([{"id": "o", "type": "read_csv", "options": {"path": "orders.csv"}},
               {"id": "c", "type": "read_csv", "options": {"path": "customers.csv"}},
               {"id": "j", "type": "join", "options": {"keys": [{"left": "customer", "right": "id"}]}},
               {"id": "sorted", "type": "sort", "options": {"keys": [{"field": "id"}]}},
               write("out", "joined.csv"), write("ul", "no_customer.csv"), write("ur", "no_orders.csv")]),
        &[
            ("o", "j.left"),
            ("c", "j.right"),
            ("j", "sorted"),
            ("sorted", "out"),
            ("j.unmatched_left", "ul"),
            ("j.unmatched_right", "ur"),
        ],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "joined.csv", "id,customer,amount,id_right,name\n1,c1,10,c1,Ann\n2,c2,20,c2,Bob\n");
    assert_file(&data, "no_customer.csv", "id,customer,amount\n3,c9,30\n");
    assert_file(&data, "no_orders.csv", "id,name\nc3,Cara\n");
}

#[tokio::test]
async fn lookup_adds_reference_fields() {
    let data = Data::new();
    data.write("orders.csv", "id,country\n1,NO\n2,JP\n3,XX\n");
    data.write("countries.csv", "code,country_name,currency\nNO,Norge,NOK\nJP,日本,JPY\n");
    let doc = job(
        json!([{"id": "o", "type": "read_csv", "options": {"path": "orders.csv"}},
               {"id": "c", "type": "read_csv", "options": {"path": "countries.csv"}},
               {"id": "l", "type": "lookup", "options": {"keys": [{"in": "country", "table": "code"}], "fields": ["country_name"]}},
               {"id": "s", "type": "sort", "options": {"keys": [{"field": "id"}]}}, write("out", "l.csv")]),
        &[("o", "l"), ("c", "l.table"), ("l", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "l.csv", "id,country,country_name\n1,NO,Norge\n2,JP,日本\n3,XX,\n");
}

#[tokio::test]
async fn union_aligns_fields_by_name() {
    let data = Data::new();
    data.write("a.csv", "id,name\n1,Ann\n");
    data.write("b.csv", "name,city\nBob,Rome\n");
    let doc = job(
        json!([{"id": "a", "type": "read_csv", "options": {"path": "a.csv"}}, {"id": "b", "type": "read_csv", "options": {"path": "b.csv"}},
               {"id": "u", "type": "union"}, {"id": "s", "type": "sort", "options": {"keys": [{"field": "name"}]}}, write("out", "u.csv")]),
        &[("a", "u"), ("b", "u"), ("u", "s"), ("s", "out")],
    );
    let metrics = data.run(&doc).await.unwrap();
    assert_file(&data, "u.csv", "id,name,city\n1,Ann,\n,Bob,Rome\n");
    assert_eq!(rows_in(&metrics, "u"), 2);
}

#[tokio::test]
async fn limit_offset_and_sequence_ids_follow_the_file() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "l", "type": "limit", "options": {"count": 2, "offset": 1}},
               {"id": "u", "type": "unique_id", "options": {"field": "seq", "start": 100}},
               {"id": "s", "type": "select", "options": {"fields": ["seq", "name"]}}, write("out", "l.csv")]),
        &[("read", "l"), ("l", "u"), ("u", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "l.csv", "seq,name\n100,Bob\n101,Émile\n");
}

#[tokio::test]
async fn validate_marks_broken_rules() {
    let data = Data::new();
    data.write("orders.csv", ORDERS);
    let doc = job(
        json!([read(), {"id": "v", "type": "validate", "options": {"rules": [
            {"name": "priced", "predicate": "amount IS NOT NULL"},
            {"name": "small", "predicate": "amount < 200"}
        ]}}, write("ok", "valid.csv"), write("bad", "invalid.csv")]),
        &[("read", "v"), ("v.valid", "ok"), ("v.invalid", "bad")],
    );
    data.run(&doc).await.unwrap();
    assert_file(
        &data,
        "valid.csv",
        "id,name,region,amount\n1,Ann,north,120.0\n2,Bob,south,80.0\n5,Eve,north,100.5\n",
    );
    assert_file(
        &data,
        "invalid.csv",
        "id,name,region,amount,_errors\n3,Émile,north,,\"priced, small\"\n4,Dana,south,300.0,small\n",
    );
}

#[tokio::test]
async fn standardize_cleans_text() {
    let data = Data::new();
    data.write("names.csv", "name\n\"  ann   o'neil \"\nBOB  SMITH\n");
    let doc = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "names.csv"}},
               {"id": "s", "type": "standardize", "options": {"fields": [{"field": "name", "case": "title", "strip_punctuation": true}]}},
               write("out", "clean.csv")]),
        &[("r", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    assert_file(&data, "clean.csv", "name\nAnn Oneil\nBob Smith\n");
}

#[tokio::test]
async fn json_and_parquet_round_trip_with_parameters() {
    let data = Data::new();
    data.write("in/orders.csv", ORDERS);
    let doc = json!({"name": "p", "kind": "job", "parameters": [{"name": "input", "default": "nothing.csv"}],
        "stages": [{"id": "r", "type": "read_csv", "options": {"path": "in/${input}", "schema": {"id": "string"}}},
                   {"id": "pq", "type": "write_parquet", "options": {"path": "out/orders.parquet"}},
                   {"id": "js", "type": "write_json", "options": {"path": "out/orders.json"}}],
        "edges": [{"from": "r", "to": "pq"}, {"from": "r", "to": "js"}]});
    data.run_with(&doc, &[("input", json!("orders.csv"))]).await.unwrap();
    let first_line = data.read("out/orders.json").lines().next().unwrap_or_default().to_owned();
    assert_eq!(first_line, r#"{"id":"1","name":"Ann","region":"north","amount":120.0}"#);

    let back = job(
        json!([{"id": "r", "type": "read_parquet", "options": {"path": "out/orders.parquet"}},
               {"id": "f", "type": "filter", "options": {"predicate": "id = '4'"}}, write("out", "out/back.csv")]),
        &[("r", "f"), ("f", "out")],
    );
    data.run(&back).await.unwrap();
    assert_file(&data, "out/back.csv", "id,name,region,amount\n4,Dana,south,300.0\n");
}

#[tokio::test]
async fn empty_inputs_write_empty_outputs() {
    let data = Data::new();
    data.write("empty.csv", "id,amount\n");
    let doc = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "empty.csv", "schema": {"id": "integer", "amount": "number"}}},
               {"id": "f", "type": "filter", "options": {"predicate": "amount > 1"}}, write("out", "none.csv")]),
        &[("r", "f"), ("f", "out")],
    );
    let metrics = data.run(&doc).await.unwrap();
    assert_eq!(rows_out(&metrics, "out", "written"), 0);
    assert!(data.exists("none.csv"));
}

#[tokio::test]
async fn a_sort_stays_sorted_when_the_scan_runs_in_parallel() {
    let data = Data::new();
    let mut csv = String::from("id,amount\n");
    for i in 0..1_200_000u64 {
        csv.push_str(&format!("{i},{}\n", (i * 7919) % 100_000));
    }
    data.write("big.csv", &csv);
    let doc = job(
        json!([{"id": "r", "type": "read_csv", "options": {"path": "big.csv"}},
               {"id": "s", "type": "sort", "options": {"keys": [{"field": "amount", "descending": true}, {"field": "id"}]}},
               write("out", "sorted.csv")]),
        &[("r", "s"), ("s", "out")],
    );
    data.run(&doc).await.unwrap();
    let text = data.read("sorted.csv");
    let amounts: Vec<u64> =
        text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
    assert_eq!(amounts.len(), 1_200_000);
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "output is not sorted");
}

/// A file read again is not sampled again while unchanged, but a changed file is: new values,
/// new fields and new types show.
#[tokio::test]
async fn a_file_read_again_shows_its_changes() {
    let data = Data::new();
    let doc = job(json!([read(), write("out", "out.csv")]), &[("read", "out")]);
    // Written `hours` ago, as far as its modification time tells.
    let settled = |content: &str, hours: u64| {
        data.write("orders.csv", content);
        let file = std::fs::File::options().write(true).open(data.dir.path().join("orders.csv")).unwrap();
        file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(hours * 3600))
            .unwrap();
    };
    settled("id,amount\n1,100\n", 2);
    data.run(&doc).await.unwrap();
    data.run(&doc).await.unwrap();
    assert_file(&data, "out.csv", "id,amount\n1,100\n");
    // The same size, changed just now.
    data.write("orders.csv", "id,amount\n1,1.5\n");
    data.run(&doc).await.unwrap();
    assert_file(&data, "out.csv", "id,amount\n1,1.5\n");
    // The same size, and changed long ago: only the modification time tells.
    settled("id,amount\n1,2.5\n", 1);
    data.run(&doc).await.unwrap();
    data.run(&doc).await.unwrap();
    assert_file(&data, "out.csv", "id,amount\n1,2.5\n");
    data.write("orders.csv", "id,amount,region\n1,10,north\n");
    data.run(&doc).await.unwrap();
    assert_file(&data, "out.csv", "id,amount,region\n1,10,north\n");
}
