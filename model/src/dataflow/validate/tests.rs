use super::*;
use crate::{Edge, Position, Stage};

fn stage(id: &str, stage_type: &str) -> Stage {
    Stage {
        id: id.into(),
        stage_type: stage_type.into(),
        options: Default::default(),
        position: Position::default(),
    }
}

fn edge(from: &str, to: &str) -> Edge {
    Edge { from: from.into(), to: to.into() }
}

fn doc(stages: Vec<Stage>, edges: Vec<Edge>) -> DataflowDocument {
    DataflowDocument { stages, edges, ..DataflowDocument::empty("orders", DataflowKind::Job) }
}

fn messages(problems: &[ErrorDetail]) -> Vec<&str> {
    problems.iter().map(|p| p.message.as_str()).collect()
}

#[test]
fn the_design_example_is_valid_and_complete() {
    let json = r#"{
      "name": "orders-by-region", "kind": "job", "description": "Totals",
      "parameters": [{"name": "input", "type": "string", "default": "orders.csv"}],
      "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "${input}"}, "position": {"x": 80, "y": 120}},
        {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}, "position": {"x": 300, "y": 120}},
        {"id": "agg", "type": "aggregate", "options": {"group_by": ["region"], "aggregates": [{"function": "sum", "field": "amount", "as": "total"}]}, "position": {"x": 520, "y": 120}},
        {"id": "out", "type": "write_csv", "options": {"path": "out/totals.csv"}, "position": {"x": 740, "y": 120}}
      ],
      "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "agg"}, {"from": "agg", "to": "out"}]
    }"#;
    let document: DataflowDocument = serde_json::from_str(json).expect("design example parses");
    assert_eq!(check_complete(&document), vec![]);
}

#[test]
fn an_empty_document_is_a_valid_draft() {
    assert_eq!(validate_document(&DataflowDocument::empty("new-flow", DataflowKind::Service)), vec![]);
}

#[test]
fn names_are_checked() {
    assert!(validate_dataflow_name("orders_2024.v1").is_ok());
    for bad in ["", "-lead", "has space", "slash/no", &"x".repeat(101)] {
        assert!(validate_dataflow_name(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn every_problem_is_reported_at_once_with_its_stage() {
    let d = doc(
        vec![stage("a", "read_csv"), stage("a", "filter"), stage("b", "teleport"), stage("w", "write_csv")],
        vec![edge("a", "ghost"), edge("w", "a"), edge("a.nope", "w"), edge("a.nope", "w")],
    );
    let problems = validate_document(&d);
    let text = messages(&problems);
    assert!(text.contains(&"stage id \"a\" is used twice"), "{text:?}");
    assert!(text.contains(&"unknown stage type \"teleport\""), "{text:?}");
    assert!(text.contains(&"edge to \"ghost\" names no stage of this dataflow"), "{text:?}");
    assert!(text.contains(&"stage \"w\" has no output"), "{text:?}");
    assert!(text.iter().any(|m| m.contains("appears twice")), "{text:?}");
    let teleport = problems.iter().find(|p| p.message.contains("teleport")).expect("type problem");
    assert_eq!(teleport.stage.as_deref(), Some("b"));
    assert_eq!(teleport.path.as_deref(), Some("type"));
}

#[test]
fn named_ports_are_checked() {
    let d = doc(
        vec![stage("l", "read_csv"), stage("r", "read_csv"), stage("j", "join"), stage("f", "filter")],
        vec![
            edge("l", "j.left"),
            edge("r", "j.middle"),
            edge("j.unmatched_left", "f"),
            edge("f.kept", "j.right"),
        ],
    );
    let text: Vec<String> = validate_document(&d).into_iter().map(|p| p.message).collect();
    assert_eq!(
        text,
        vec![
            "stage \"j\" has no input port \"middle\"".to_string(),
            "stage \"f\" has no output port \"kept\"".into(),
            "stage \"f\" is part of a cycle".into(),
            "stage \"j\" is part of a cycle".into()
        ]
    );
}

#[test]
fn an_input_port_takes_one_edge_except_union() {
    let two_into_filter = doc(
        vec![stage("a", "read_csv"), stage("b", "read_csv"), stage("f", "filter")],
        vec![edge("a", "f"), edge("b", "f.in")],
    );
    assert_eq!(
        messages(&validate_document(&two_into_filter)),
        vec!["input port f.in takes one edge; it has several"]
    );
    let two_into_union = doc(
        vec![stage("a", "read_csv"), stage("b", "read_csv"), stage("u", "union")],
        vec![edge("a", "u"), edge("b", "u")],
    );
    assert_eq!(validate_document(&two_into_union), vec![]);
}

#[test]
fn cycles_name_their_stages() {
    let d = doc(
        vec![stage("src", "read_csv"), stage("x", "union"), stage("y", "filter")],
        vec![edge("src", "x"), edge("x", "y"), edge("y", "x")],
    );
    let stuck: Vec<_> = validate_document(&d).into_iter().filter_map(|p| p.stage).collect();
    assert_eq!(stuck, vec!["x", "y"]);
}

#[test]
fn route_accepts_any_named_output() {
    let d = doc(
        vec![stage("r", "read_csv"), stage("route", "route"), stage("w", "write_csv")],
        vec![edge("r", "route"), edge("route.high", "w")],
    );
    assert_eq!(validate_document(&d), vec![]);
}

#[test]
fn completeness_needs_connected_inputs_and_kind_rules() {
    let mut join = stage("j", "join");
    join.options.insert("keys".into(), serde_json::json!([{"left": "id", "right": "id"}]));
    let mut read = stage("l", "read_csv");
    read.options.insert("path".into(), "a.csv".into());
    let d = doc(vec![read, join], vec![edge("l", "j.left")]);
    assert_eq!(validate_document(&d), vec![]);
    assert_eq!(messages(&check_complete(&d)), vec!["input port j.right is not connected"]);

    let service = DataflowDocument::empty("svc", DataflowKind::Service);
    assert_eq!(
        messages(&check_complete(&service)),
        vec!["a service needs exactly one input and one output stage; it has 0 and 0"]
    );
}

#[test]
fn parameters_must_be_unique_identifiers() {
    let mut d = doc(vec![], vec![]);
    let p = |name: &str| crate::Parameter {
        name: name.into(),
        param_type: Default::default(),
        default: None,
        description: String::new(),
    };
    d.parameters = vec![p("input"), p("input"), p("9lives")];
    let paths: Vec<_> = validate_document(&d).into_iter().filter_map(|p| p.path).collect();
    assert_eq!(paths, vec!["parameters[1].name", "parameters[2].name"]);
}

#[test]
fn unknown_fields_are_rejected_when_parsing() {
    let err = serde_json::from_str::<DataflowDocument>(r#"{"name":"a","kind":"job","colour":"red"}"#)
        .expect_err("unknown field accepted");
    assert!(err.to_string().contains("colour"));
}
