use super::*;
use crate::designer::geometry::{Rect, STAGE_WIDTH};
use model::{DataflowKind, Edge, Stage};
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

fn doc(stages: Vec<Stage>, edges: Vec<Edge>) -> DataflowDocument {
    DataflowDocument { stages, edges, ..DataflowDocument::empty("d", DataflowKind::Job) }
}

fn at(positions: &BTreeMap<String, Position>, id: &str) -> (f64, f64) {
    let p = positions[id];
    (p.x, p.y)
}

/// Every pair of boxes, with their real heights, is checked for overlap.
fn assert_no_overlaps(d: &DataflowDocument) {
    let mut laid = d.clone();
    apply(&mut laid);
    let rects: Vec<(String, Rect)> = laid
        .stages
        .iter()
        .map(|s| {
            let height = stage_height(&port_list(s, &laid.edges));
            (s.id.clone(), Rect::new(s.position.x, s.position.y, STAGE_WIDTH, height))
        })
        .collect();
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            assert!(!ra.overlaps(rb), "{a} {ra:?} overlaps {b} {rb:?}");
        }
    }
}

#[test]
fn a_chain_runs_left_to_right_on_one_row() {
    let d = doc(
        vec![stage("c", "write_csv"), stage("a", "read_csv"), stage("b", "sort")],
        vec![edge("a", "b"), edge("b", "c")],
    );
    let p = layout(&d);
    assert_eq!(at(&p, "a"), (40.0, 40.0));
    assert_eq!(at(&p, "b"), (260.0, 40.0));
    assert_eq!(at(&p, "c"), (480.0, 40.0));
}

#[test]
fn a_fan_out_is_centred_on_its_source() {
    let d = doc(
        vec![
            stage("src", "read_csv"),
            stage("x", "write_csv"),
            stage("y", "write_csv"),
            stage("z", "write_csv"),
        ],
        vec![edge("src", "x"), edge("src", "y"), edge("src", "z")],
    );
    let p = layout(&d);
    assert_eq!(at(&p, "x"), (260.0, 40.0));
    assert_eq!(at(&p, "y"), (260.0, 140.0));
    assert_eq!(at(&p, "z"), (260.0, 240.0));
    assert_eq!(at(&p, "src"), (40.0, 140.0));
}

#[test]
fn columns_follow_the_longest_path() {
    // a → b → j.left and a → j.right: j is two columns right of a, not one.
    let d = doc(
        vec![stage("a", "read_csv"), stage("b", "sort"), stage("j", "join")],
        vec![edge("a", "b"), edge("b", "j"), edge("a", "j.right")],
    );
    let p = layout(&d);
    assert_eq!(p["j"].x, 480.0);
}

#[test]
fn barycenter_sweeps_undo_a_crossing() {
    // Document order puts c above d, but c is fed by the lower source b and d by a.
    let d = doc(
        vec![
            stage("a", "read_csv"),
            stage("b", "read_csv"),
            stage("c", "write_csv"),
            stage("d", "write_csv"),
        ],
        vec![edge("b", "c"), edge("a", "d")],
    );
    let p = layout(&d);
    assert!(p["a"].y < p["b"].y);
    assert!(p["d"].y < p["c"].y, "{p:?}");
}

#[test]
fn cycles_and_dangling_edges_still_get_a_layout() {
    let d = doc(
        vec![stage("a", "sort"), stage("b", "sort"), stage("c", "sort")],
        vec![edge("a", "b"), edge("b", "a"), edge("c", "ghost")],
    );
    let p = layout(&d);
    assert_eq!(p.len(), 3);
    assert_eq!(at(&p, "a"), (40.0, 40.0));
    assert_eq!(p["b"].x, 260.0);
    assert_no_overlaps(&d);
}

#[test]
fn tall_boxes_get_room() {
    let mut route = stage("r", "route");
    let routes: Vec<_> = (0..6).map(|i| json!({"port": format!("p{i}"), "predicate": "true"})).collect();
    route.options.insert("routes".into(), json!(routes));
    let d = doc(
        vec![stage("in", "read_csv"), route, stage("other", "sort"), stage("w", "write_csv")],
        vec![edge("in", "r"), edge("in", "other"), edge("r.p0", "w")],
    );
    assert_no_overlaps(&d);
}

/// 300 stages: a 150-stage chain, the 75th of which fans out to 149 writers; one more reader
/// feeds the last writer through a union with the chain's end.
fn big() -> DataflowDocument {
    let mut stages = vec![stage("s0", "read_csv")];
    let mut edges = Vec::new();
    for i in 1..150 {
        stages.push(stage(&format!("s{i}"), "sort"));
        edges.push(edge(&format!("s{}", i - 1), &format!("s{i}")));
    }
    for i in 0..148 {
        stages.push(stage(&format!("w{i}"), "write_csv"));
        edges.push(edge("s75", &format!("w{i}")));
    }
    stages.push(stage("extra", "read_csv"));
    stages.push(stage("u", "union"));
    edges.push(edge("extra", "u"));
    edges.push(edge("s149", "u"));
    doc(stages, edges)
}

#[test]
fn three_hundred_stages_are_laid_out_without_overlaps_sources_left_of_sinks() {
    let d = big();
    assert_eq!(d.stages.len(), 300);
    let p = layout(&d);
    assert_eq!(p.len(), 300);
    for e in &d.edges {
        let (from, to) = (EdgeEnd::parse(&e.from).stage, EdgeEnd::parse(&e.to).stage);
        assert!(p[from].x < p[to].x, "{from} is not left of {to}");
    }
    assert_no_overlaps(&d);
    assert_eq!(layout(&d), p, "layout is deterministic");
}

#[test]
fn apply_moves_every_stage() {
    let mut d = doc(vec![stage("a", "read_csv"), stage("b", "sort")], vec![edge("a", "b")]);
    apply(&mut d);
    assert_eq!(d.stages[1].position, Position { x: 260.0, y: 40.0 });
}

#[test]
fn new_boxes_cascade_off_occupied_spots() {
    let mut a = stage("a", "sort");
    a.position = Position { x: 100.0, y: 100.0 };
    let mut b = stage("b", "sort");
    b.position = Position { x: 124.0, y: 124.0 };
    let d = doc(vec![a, b], vec![]);
    assert_eq!(free_position(&d, Position { x: 100.2, y: 99.8 }), Position { x: 148.0, y: 148.0 });
    assert_eq!(free_position(&d, Position { x: 10.0, y: 10.0 }), Position { x: 10.0, y: 10.0 });
}
