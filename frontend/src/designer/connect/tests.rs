use super::*;
use model::{DataflowKind, Position, Stage};
use serde_json::json;

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

fn end(text: &str) -> EdgeEnd<'_> {
    EdgeEnd::parse(text)
}

/// read, filter f, sort s, union u, join j, write w, subflow sub, route rt (routes high, low).
fn doc(edges: Vec<Edge>) -> DataflowDocument {
    let mut route = stage("rt", "route");
    route.options =
        json!({"routes": [{"port": "high", "predicate": "a > 1"}, {"port": "low", "predicate": "a < 0"}]})
            .as_object()
            .cloned()
            .unwrap_or_default();
    let stages = vec![
        stage("read", "read_csv"),
        stage("f", "filter"),
        stage("s", "sort"),
        stage("u", "union"),
        stage("j", "join"),
        stage("w", "write_csv"),
        stage("sub", "subflow"),
        route,
    ];
    DataflowDocument { stages, edges, ..DataflowDocument::empty("d", DataflowKind::Job) }
}

#[test]
fn edges_are_written_bare_for_default_ports() {
    let d = doc(vec![]);
    assert_eq!(check_connect(&d, end("read.out"), end("f.in")), Ok(edge("read", "f")));
    assert_eq!(check_connect(&d, end("f.rejected"), end("j.right")), Ok(edge("f.rejected", "j.right")));
    assert_eq!(check_connect(&d, end("read"), end("j")), Ok(edge("read", "j")));
}

#[test]
fn edges_run_from_an_output_to_an_input() {
    let d = doc(vec![]);
    assert_eq!(
        check_connect(&d, end("f.out"), end("s.out")),
        Err(EditError::WrongDirection { end: "s.out".into(), expected: PortDirection::Input })
    );
    assert_eq!(
        check_connect(&d, end("j.left"), end("s")),
        Err(EditError::WrongDirection { end: "j.left".into(), expected: PortDirection::Output })
    );
    assert_eq!(
        check_connect(&d, end("w"), end("s")),
        Err(EditError::NoDefaultPort { stage: "w".into(), direction: PortDirection::Output })
    );
    assert_eq!(
        check_connect(&d, end("s"), end("read")),
        Err(EditError::NoDefaultPort { stage: "read".into(), direction: PortDirection::Input })
    );
    assert_eq!(
        check_connect(&d, end("f.nope"), end("s")),
        Err(EditError::NoSuchPort {
            stage: "f".into(),
            port: "nope".into(),
            direction: PortDirection::Output
        })
    );
    assert_eq!(check_connect(&d, end("ghost"), end("s")), Err(EditError::UnknownStage("ghost".into())));
}

#[test]
fn a_stage_cannot_feed_itself() {
    assert_eq!(check_connect(&doc(vec![]), end("s"), end("s")), Err(EditError::SelfLoop("s".into())));
}

#[test]
fn an_input_takes_one_edge_however_it_is_written() {
    let d = doc(vec![edge("read", "s")]);
    let taken = Err(EditError::PortTaken { stage: "s".into(), port: "in".into() });
    assert_eq!(check_connect(&d, end("f"), end("s")), taken);
    assert_eq!(check_connect(&d, end("f.rejected"), end("s.in")), taken);
    // join's other input is still free.
    let d = doc(vec![edge("read", "j")]);
    assert_eq!(check_connect(&d, end("f"), end("j.right")), Ok(edge("f", "j.right")));
    assert!(check_connect(&d, end("f"), end("j.left")).is_err());
}

#[test]
fn a_union_input_takes_many_but_not_the_same_edge_twice() {
    let d = doc(vec![edge("read", "u"), edge("f", "u")]);
    assert_eq!(check_connect(&d, end("f.rejected"), end("u")), Ok(edge("f.rejected", "u")));
    assert_eq!(
        check_connect(&d, end("read.out"), end("u.in")),
        Err(EditError::DuplicateEdge { from: "read".into(), to: "u".into() })
    );
}

#[test]
fn cycles_are_refused() {
    // f → s → j; j → f would close the loop.
    let d = doc(vec![edge("f", "s"), edge("s", "j")]);
    assert_eq!(
        check_connect(&d, end("j"), end("f")),
        Err(EditError::Cycle { from: "j".into(), to: "f".into() })
    );
    assert!(leads_to(&d, "f", "j"));
    assert!(!leads_to(&d, "j", "f"));
    // A parallel path is not a cycle.
    assert_eq!(check_connect(&d, end("f.rejected"), end("j.right")), Ok(edge("f.rejected", "j.right")));
}

#[test]
fn route_outputs_are_its_routes_and_default() {
    let d = doc(vec![]);
    assert_eq!(check_connect(&d, end("rt.high"), end("s")), Ok(edge("rt.high", "s")));
    assert_eq!(check_connect(&d, end("rt"), end("s")), Ok(edge("rt", "s")));
    assert_eq!(check_connect(&d, end("rt.default"), end("s")), Ok(edge("rt", "s")));
    assert_eq!(
        check_connect(&d, end("rt.in"), end("s")),
        Err(EditError::WrongDirection { end: "rt.in".into(), expected: PortDirection::Output })
    );
}

#[test]
fn subflow_ports_are_not_known_here_so_any_name_goes() {
    let d = doc(vec![edge("read", "sub.rows")]);
    assert_eq!(check_connect(&d, end("sub.taxed"), end("s")), Ok(edge("sub.taxed", "s")));
    assert_eq!(check_connect(&d, end("f"), end("sub.other")), Ok(edge("f", "sub.other")));
    assert_eq!(
        check_connect(&d, end("f"), end("sub.rows")),
        Err(EditError::PortTaken { stage: "sub".into(), port: "rows".into() })
    );
}

#[test]
fn drops_on_a_box_reach_its_first_free_input() {
    let d = doc(vec![edge("read", "j"), edge("f", "u")]);
    assert_eq!(free_input(&d, "j").as_deref(), Some("right"));
    assert_eq!(free_input(&d, "u").as_deref(), Some("in"));
    assert_eq!(free_input(&d, "s").as_deref(), Some("in"));
    assert_eq!(free_input(&d, "read"), None);
    assert_eq!(free_input(&d, "sub"), None);
    let full = doc(vec![edge("read", "j"), edge("f", "j.right")]);
    assert_eq!(free_input(&full, "j"), None);
}
