use super::*;
use crate::designer::ports::PortDirection;
use model::DataflowKind;
use serde_json::json;

fn at(x: f64, y: f64) -> Position {
    Position { x, y }
}

fn edge(from: &str, to: &str) -> Edge {
    Edge { from: from.into(), to: to.into() }
}

fn end(text: &str) -> EdgeEnd<'_> {
    EdgeEnd::parse(text)
}

/// read → f → s, with u (union) and w (write) unconnected.
fn designer() -> Designer {
    let mut d = Designer::new(DataflowDocument::empty("flow", DataflowKind::Job));
    for (t, x) in
        [("read_csv", 0.0), ("filter", 200.0), ("sort", 400.0), ("union", 600.0), ("write_csv", 800.0)]
    {
        d.add_stage(t, at(x, 0.0)).unwrap();
    }
    d.rename_stage("read_csv", "read").unwrap();
    d.rename_stage("filter", "f").unwrap();
    d.rename_stage("sort", "s").unwrap();
    d.rename_stage("union", "u").unwrap();
    d.rename_stage("write_csv", "w").unwrap();
    d.connect(end("read"), end("f")).unwrap();
    d.connect(end("f"), end("s")).unwrap();
    d.load(d.document().clone());
    d
}

/// Runs `edit`, then checks that undo restores the exact prior document and redo the result.
fn assert_undoable(d: &mut Designer, edit: impl FnOnce(&mut Designer)) {
    let before = d.document().clone();
    edit(d);
    let after = d.document().clone();
    assert_ne!(before, after, "the edit changed nothing");
    assert!(d.can_undo() && !d.can_redo());
    assert!(d.undo());
    assert_eq!(d.document(), &before);
    assert!(d.can_redo());
    assert!(d.redo());
    assert_eq!(d.document(), &after);
    assert!(!d.can_redo());
}

fn ids(d: &Designer) -> Vec<&str> {
    d.document().stages.iter().map(|s| s.id.as_str()).collect()
}

fn selected(d: &Designer) -> Vec<&str> {
    d.selection().stages.iter().map(String::as_str).collect()
}

#[test]
fn every_edit_is_undoable_and_redoable() {
    let mut d = designer();
    assert!(!d.can_undo());
    assert_undoable(&mut d, |d| {
        d.add_stage("limit", at(5.0, 5.0)).unwrap();
    });
    assert_undoable(&mut d, |d| d.connect(end("s"), end("u")).unwrap());
    assert_undoable(&mut d, |d| d.delete_edge(&edge("f", "s")).unwrap());
    assert_undoable(&mut d, |d| d.set_option("f", "predicate", Some(json!("a > 1")), None).unwrap());
    assert_undoable(&mut d, |d| d.set_option("f", "predicate", None, None).unwrap());
    assert_undoable(&mut d, |d| d.rename_stage("f", "big").unwrap());
    assert_undoable(&mut d, |d| {
        d.select("big", false);
        d.move_selected(10.0, -5.0, None).unwrap();
    });
    assert_undoable(&mut d, |d| {
        d.select("s", false);
        d.delete_selection().unwrap();
    });
    assert_undoable(&mut d, |d| {
        d.select_all();
        let text = d.copy_selection().unwrap();
        d.paste(&text).unwrap();
    });
    assert_undoable(&mut d, |d| d.auto_layout().unwrap());
    assert_undoable(&mut d, |d| {
        d.replace_document(DataflowDocument::empty("other", DataflowKind::Service)).unwrap()
    });
    assert_undoable(&mut d, |d| {
        d.apply(None, |doc, _| {
            doc.description = "Totals".into();
            Ok(())
        })
        .unwrap()
    });
}

#[test]
fn undo_walks_back_through_a_sequence_and_redo_forward() {
    let mut d = designer();
    let mut versions = vec![d.document().clone()];
    d.add_stage("limit", at(0.0, 300.0)).unwrap();
    versions.push(d.document().clone());
    d.connect(end("s"), end("limit")).unwrap();
    versions.push(d.document().clone());
    d.set_option("limit", "count", Some(json!(10)), None).unwrap();
    versions.push(d.document().clone());
    for expected in versions.iter().rev().skip(1) {
        assert!(d.undo());
        assert_eq!(d.document(), expected);
    }
    assert!(!d.undo());
    for expected in versions.iter().skip(1) {
        assert!(d.redo());
        assert_eq!(d.document(), expected);
    }
    // A new edit after undo forgets the redo stack.
    d.undo();
    d.add_stage("sort", at(0.0, 0.0)).unwrap();
    assert!(!d.can_redo());
}

#[test]
fn undo_restores_the_selection_of_the_time() {
    let mut d = designer();
    d.select("f", false);
    d.select("s", true);
    d.delete_selection().unwrap();
    assert!(d.selection().is_empty());
    d.undo();
    assert_eq!(selected(&d), ["f", "s"]);
}

#[test]
fn refused_edits_change_nothing_and_record_nothing() {
    let mut d = designer();
    let before = d.document().clone();
    assert_eq!(
        d.connect(end("s"), end("read")),
        Err(EditError::NoDefaultPort { stage: "read".into(), direction: PortDirection::Input })
    );
    assert_eq!(
        d.connect(end("s"), end("f")),
        Err(EditError::PortTaken { stage: "f".into(), port: "in".into() })
    );
    assert_eq!(d.add_stage("teleport", at(0.0, 0.0)), Err(EditError::UnknownStageType("teleport".into())));
    assert_eq!(
        d.delete_edge(&edge("s", "w")),
        Err(EditError::NoSuchEdge { from: "s".into(), to: "w".into() })
    );
    assert_eq!(d.set_option("ghost", "x", None, None), Err(EditError::UnknownStage("ghost".into())));
    assert_eq!(d.set_option("f", "", None, None), Err(EditError::EmptyOptionName));
    d.clear_selection();
    assert_eq!(d.delete_selection(), Err(EditError::NothingSelected));
    assert_eq!(d.move_selected(1.0, 1.0, None), Err(EditError::NothingSelected));
    assert!(matches!(d.paste("garbage"), Err(EditError::InvalidClipboard(_))));
    assert_eq!(d.document(), &before);
    assert!(!d.can_undo());
    // An edit that changes nothing is no undo step either.
    d.set_option("f", "absent", None, None).unwrap();
    d.rename_stage("f", "f").unwrap();
    assert!(!d.can_undo());
}

#[test]
fn cycles_are_refused_and_union_takes_many() {
    let mut d = designer();
    d.add_stage("sort", at(0.0, 0.0)).unwrap();
    d.connect(end("s"), end("sort")).unwrap();
    assert_eq!(
        d.connect(end("sort"), end("f")),
        Err(EditError::PortTaken { stage: "f".into(), port: "in".into() })
    );
    d.delete_edge(&edge("read", "f")).unwrap();
    assert_eq!(
        d.connect(end("sort"), end("f")),
        Err(EditError::Cycle { from: "sort".into(), to: "f".into() })
    );
    d.connect(end("read"), end("u")).unwrap();
    d.connect(end("f.rejected"), end("u")).unwrap();
    d.connect(end("sort"), end("u.in")).unwrap();
    assert_eq!(d.document().edges.iter().filter(|e| e.to == "u").count(), 3);
    assert_eq!(d.selection().edge, Some(edge("sort", "u")));
}

#[test]
fn added_stages_get_fresh_ids_and_are_selected() {
    let mut d = designer();
    assert_eq!(d.add_stage("filter", at(1.0, 2.0)).unwrap(), "filter");
    assert_eq!(d.add_stage("filter", at(f64::NAN, 2.0)).unwrap(), "filter_2");
    assert_eq!(d.add_stage("filter", at(0.0, 0.0)).unwrap(), "filter_3");
    assert_eq!(selected(&d), ["filter_3"]);
    assert_eq!(d.document().stages[6].position, at(0.0, 2.0));
    assert!(model::validate_document(d.document()).is_empty());
}

#[test]
fn deleting_stages_removes_their_edges() {
    let mut d = designer();
    d.select("f", false);
    d.delete_selection().unwrap();
    assert_eq!(ids(&d), ["read", "s", "u", "w"]);
    assert!(d.document().edges.is_empty());
    d.undo();
    d.select_edge(&edge("f", "s"));
    d.delete_selection().unwrap();
    assert_eq!(d.document().edges, [edge("read", "f")]);
}

#[test]
fn a_drag_is_one_undo_step() {
    let mut d = designer();
    d.select("f", false);
    d.select("s", true);
    for _ in 0..50 {
        d.move_selected(2.0, 1.0, Some("drag")).unwrap();
    }
    d.end_gesture();
    assert_eq!(d.document().stages[1].position, at(300.0, 50.0));
    assert_eq!(d.document().stages[2].position, at(500.0, 50.0));
    assert_eq!(d.document().stages[0].position, at(0.0, 0.0));
    d.move_selected(1.0, 0.0, Some("drag")).unwrap();
    d.undo();
    assert_eq!(d.document().stages[1].position, at(300.0, 50.0));
    d.undo();
    assert_eq!(d.document().stages[1].position, at(200.0, 0.0));
    assert!(!d.can_undo());
}

#[test]
fn typing_into_an_option_coalesces_per_field() {
    let mut d = designer();
    for text in ["a", "a ", "a >", "a > 1"] {
        d.set_option("f", "predicate", Some(json!(text)), Some("f.predicate")).unwrap();
    }
    d.undo();
    assert!(d.document().stages[1].options.is_empty());
}

#[test]
fn renaming_rewrites_edges_and_refuses_bad_ids() {
    let mut d = designer();
    d.connect(end("f.rejected"), end("u")).unwrap();
    d.select("f", false);
    d.rename_stage("f", "big").unwrap();
    assert_eq!(d.document().edges, [edge("read", "big"), edge("big", "s"), edge("big.rejected", "u")]);
    assert_eq!(selected(&d), ["big"]);
    assert_eq!(d.rename_stage("big", "s"), Err(EditError::DuplicateId("s".into())));
    assert!(matches!(d.rename_stage("big", "9x"), Err(EditError::InvalidId(_))));
    assert!(matches!(d.rename_stage("big", "a.b"), Err(EditError::InvalidId(_))));
    assert_eq!(d.rename_stage("ghost", "g"), Err(EditError::UnknownStage("ghost".into())));
    assert!(model::validate_document(d.document()).is_empty());
}

#[test]
fn selection_clicks_shift_clicks_and_bands() {
    let mut d = designer();
    d.select("f", false);
    d.select("s", false);
    assert_eq!(selected(&d), ["s"]);
    d.select("f", true);
    assert_eq!(selected(&d), ["f", "s"]);
    d.select("s", true);
    assert_eq!(selected(&d), ["f"]);
    d.select("ghost", false);
    assert_eq!(selected(&d), ["f"]);
    d.select_stages(["read".to_owned(), "ghost".to_owned()], true);
    assert_eq!(selected(&d), ["f", "read"]);
    d.select_stages(["w".to_owned()], false);
    assert_eq!(selected(&d), ["w"]);
    d.select_edge(&edge("read", "f"));
    assert!(d.selection().stages.is_empty());
    assert_eq!(d.selection().edge, Some(edge("read", "f")));
    d.select_all();
    assert_eq!(selected(&d), ["f", "read", "s", "u", "w"]);
    assert_eq!(d.selection().edge, None);
    d.clear_selection();
    assert!(d.selection().is_empty());
}

#[test]
fn paste_selects_the_pasted_stages_with_edges_remapped() {
    let mut d = designer();
    d.select("f", false);
    d.select("s", true);
    let text = d.copy_selection().unwrap();
    let pasted = d.paste(&text).unwrap();
    assert_eq!(pasted, ["f_2", "s_2"]);
    assert_eq!(selected(&d), ["f_2", "s_2"]);
    assert_eq!(d.document().edges.last(), Some(&edge("f_2", "s_2")));
    assert_eq!(d.document().stages[5].position, at(224.0, 24.0));
    assert!(d.undo());
    assert_eq!(ids(&d), ["read", "f", "s", "u", "w"]);
}

#[test]
fn a_drag_from_an_input_to_an_output_connects_them() {
    use crate::designer::hit::{orient, port_at};
    use crate::designer::scene::Scene;
    let mut d = designer();
    d.delete_edge(&edge("read", "f")).unwrap();
    let scene = Scene::new(d.document());
    // f's input sits at (200, 28), read's output at (160, 28).
    let start = port_at(&scene, crate::designer::Point::new(201.0, 29.0), 6.0).unwrap();
    let drop = port_at(&scene, crate::designer::Point::new(159.0, 27.0), 6.0).unwrap();
    let (from, to) = orient(&start, &drop);
    d.connect(from, to).unwrap();
    assert_eq!(d.document().edges.last(), Some(&edge("read", "f")));
}
