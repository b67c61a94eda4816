use super::*;
use model::ParameterType;
use serde_json::json;

fn parse(value: Value) -> DataflowDocument {
    serde_json::from_value(value).unwrap()
}

fn old() -> DataflowDocument {
    parse(json!({
        "name": "orders", "kind": "job", "description": "Totals",
        "parameters": [{"name": "input", "type": "string", "default": "orders.csv"}, {"name": "gone"}],
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "${input}"}, "position": {"x": 80, "y": 120}},
            {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}, "position": {"x": 300, "y": 120}},
            {"id": "agg", "type": "aggregate", "options": {"group_by": ["region"], "note": "x"}, "position": {"x": 520, "y": 120}},
            {"id": "out", "type": "write_csv", "options": {"path": "out.csv"}, "position": {"x": 740, "y": 120}}
        ],
        "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "agg"}, {"from": "agg", "to": "out"}]
    }))
}

#[test]
fn identical_documents_have_an_empty_diff() {
    let d = diff(&old(), &old());
    assert!(d.is_empty());
    assert!(!d.changes_content());
    assert_eq!(d, DocumentDiff::default());
}

#[test]
fn every_change_is_listed_precisely() {
    let new = parse(json!({
        "name": "orders", "kind": "job", "description": "Totals by region",
        "parameters": [{"name": "input", "type": "string", "default": "all.csv"}, {"name": "limit", "type": "integer"}],
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "${input}"}, "position": {"x": 80, "y": 200}},
            {"id": "big", "type": "filter", "options": {"predicate": "amount > 500"}, "position": {"x": 300, "y": 120}},
            {"id": "agg", "type": "aggregate", "options": {"group_by": ["region"], "aggregates": []}, "position": {"x": 520, "y": 120}},
            {"id": "pq", "type": "write_parquet", "options": {"path": "out.parquet"}, "position": {"x": 740, "y": 120}}
        ],
        "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "agg"}, {"from": "agg", "to": "pq"}]
    }));
    let (before, d) = (old(), diff(&old(), &new));
    assert_eq!(d.name, None);
    assert_eq!(d.kind, None);
    assert_eq!(d.description, Some(Change { old: "Totals".into(), new: "Totals by region".into() }));
    assert_eq!(
        d.parameters,
        [
            ParameterChange::Removed(before.parameters[1].clone()),
            ParameterChange::Changed(Change {
                old: before.parameters[0].clone(),
                new: new.parameters[0].clone()
            }),
            ParameterChange::Added(Parameter {
                name: "limit".into(),
                param_type: ParameterType::Integer,
                default: None,
                description: String::new()
            }),
        ]
    );
    assert_eq!(d.stages_added, [new.stages[3].clone()]);
    assert_eq!(d.stages_removed, [before.stages[3].clone()]);
    assert_eq!(
        d.stages_changed,
        [
            StageChange {
                id: "big".into(),
                stage_type: None,
                options: vec![OptionChange::Changed {
                    name: "predicate".into(),
                    old: json!("amount > 100"),
                    new: json!("amount > 500")
                }],
            },
            StageChange {
                id: "agg".into(),
                stage_type: None,
                options: vec![
                    OptionChange::Added { name: "aggregates".into(), value: json!([]) },
                    OptionChange::Removed { name: "note".into(), value: json!("x") },
                ],
            },
        ]
    );
    assert_eq!(
        d.stages_moved,
        [StageMove {
            id: "read".into(),
            position: Change { old: Position { x: 80.0, y: 120.0 }, new: Position { x: 80.0, y: 200.0 } }
        }]
    );
    assert_eq!(d.edges_added, [Edge { from: "agg".into(), to: "pq".into() }]);
    assert_eq!(d.edges_removed, [Edge { from: "agg".into(), to: "out".into() }]);
    assert!(d.changes_content() && !d.is_empty());
}

#[test]
fn moves_alone_are_not_content_changes() {
    let mut new = old();
    new.stages[0].position.x += 10.0;
    let d = diff(&old(), &new);
    assert!(!d.is_empty());
    assert!(!d.changes_content());
    assert!(d.stages_changed.is_empty());
    assert_eq!(d.stages_moved.len(), 1);
}

#[test]
fn type_and_kind_changes_are_reported() {
    let mut new = old();
    new.stages[3].stage_type = "write_json".into();
    new.kind = DataflowKind::Subflow;
    new.name = "orders-2".into();
    new.run_policy.max_attempts = 3;
    let d = diff(&old(), &new);
    assert_eq!(d.run_policy.map(|c| (c.old.max_attempts, c.new.max_attempts)), Some((1, 3)));
    assert_eq!(d.kind, Some(Change { old: DataflowKind::Job, new: DataflowKind::Subflow }));
    assert_eq!(d.name, Some(Change { old: "orders".into(), new: "orders-2".into() }));
    assert_eq!(
        d.stages_changed,
        [StageChange {
            id: "out".into(),
            stage_type: Some(Change { old: "write_csv".into(), new: "write_json".into() }),
            options: vec![]
        }]
    );
}

#[test]
fn nested_option_values_compare_whole() {
    let old = Map::from_iter([("keys".to_owned(), json!([{"left": "a", "right": "b"}]))]);
    let new = Map::from_iter([("keys".to_owned(), json!([{"left": "a", "right": "c"}]))]);
    assert_eq!(
        diff_options(&old, &new),
        [OptionChange::Changed {
            name: "keys".into(),
            old: json!([{"left": "a", "right": "b"}]),
            new: json!([{"left": "a", "right": "c"}])
        }]
    );
    assert_eq!(diff_options(&old, &old), []);
}
