use model::{DataflowDocument, DataflowKind, Edge, Position, Stage};

use super::*;

fn stage(id: &str, stage_type: &str, x: f64, y: f64) -> Stage {
    Stage {
        id: id.into(),
        stage_type: stage_type.into(),
        options: Default::default(),
        position: Position { x, y },
    }
}

/// read at (0,0) → f at (300,0): read's output at (160,28), f's input at (300,28).
fn scene() -> Scene {
    let doc = DataflowDocument {
        stages: vec![stage("read", "read_csv", 0.0, 0.0), stage("f", "filter", 300.0, 0.0)],
        edges: vec![Edge { from: "read".into(), to: "f".into() }],
        ..DataflowDocument::empty("d", DataflowKind::Job)
    };
    Scene::new(&doc)
}

fn port(stage: &str, port: &str, direction: PortDirection) -> PortHit {
    PortHit { stage: stage.into(), port: port.into(), direction }
}

const NONE: Modifiers = Modifiers { shift: false, space: false };
const SHIFT: Modifiers = Modifiers { shift: true, space: false };

#[test]
fn targets_prefer_ports_then_boxes_then_edges() {
    let scene = scene();
    assert_eq!(
        target_at(&scene, Point::new(165.0, 30.0), 1.0),
        Target::Port(port("read", "out", PortDirection::Output))
    );
    assert_eq!(target_at(&scene, Point::new(80.0, 30.0), 1.0), Target::Stage("read".into()));
    assert_eq!(target_at(&scene, Point::new(230.0, 31.0), 1.0), Target::Edge(0));
    assert_eq!(target_at(&scene, Point::new(230.0, 200.0), 1.0), Target::Background);
    // Grab distances are screen pixels: zoomed out to a half, 12 world units is 6 pixels.
    assert_eq!(target_at(&scene, Point::new(230.0, 40.0), 1.0), Target::Background);
    assert_eq!(target_at(&scene, Point::new(230.0, 40.0), 0.5), Target::Edge(0));
}

#[test]
fn a_drag_on_the_background_pans_and_a_click_clears() {
    let origin = Point::new(10.0, 10.0);
    let (mut gesture, effect) = press(Target::Background, NONE, origin, origin, 1.0, |_| false);
    assert_eq!(effect, PressEffect::None);
    // Under the threshold nothing moves yet.
    assert_eq!(gesture.drag(Point::new(12.0, 11.0), origin), DragEffect::None);
    assert_eq!(gesture.drag(Point::new(20.0, 15.0), origin), DragEffect::Pan(10.0, 5.0));
    assert_eq!(gesture.drag(Point::new(25.0, 15.0), origin), DragEffect::Pan(5.0, 0.0));
    assert_eq!(gesture.release(&Target::Background), Outcome::None);

    let (click, _) = press(Target::Background, NONE, origin, origin, 1.0, |_| false);
    assert_eq!(click.release(&Target::Background), Outcome::ClearSelection);
}

#[test]
fn space_pans_even_over_a_stage() {
    let mods = Modifiers { shift: false, space: true };
    let (gesture, effect) =
        press(Target::Stage("read".into()), mods, Point::default(), Point::default(), 1.0, |_| false);
    assert_eq!(effect, PressEffect::None);
    assert!(matches!(gesture, Gesture::Pan { clears: false, .. }));
}

#[test]
fn shift_drag_on_the_background_draws_a_band() {
    let (mut gesture, _) =
        press(Target::Background, SHIFT, Point::new(0.0, 0.0), Point::new(100.0, 100.0), 1.0, |_| false);
    let effect = gesture.drag(Point::new(50.0, 40.0), Point::new(50.0, 60.0));
    assert_eq!(effect, DragEffect::Band(Rect::new(50.0, 60.0, 50.0, 40.0)));
    assert_eq!(gesture.release(&Target::Background), Outcome::Band(Rect::new(50.0, 60.0, 50.0, 40.0)));
    let (still, _) = press(Target::Background, SHIFT, Point::default(), Point::default(), 1.0, |_| false);
    assert_eq!(still.release(&Target::Background), Outcome::None);
}

#[test]
fn pressing_a_stage_selects_it_and_dragging_moves_by_whole_world_units() {
    let target = Target::Stage("f".into());
    let (mut gesture, effect) =
        press(target.clone(), NONE, Point::new(0.0, 0.0), Point::default(), 2.0, |_| false);
    assert_eq!(effect, PressEffect::SelectOnly("f".into()));
    assert_eq!(gesture.offset(), None);
    assert_eq!(gesture.drag(Point::new(41.0, -21.0), Point::default()), DragEffect::Offset(21.0, -11.0));
    assert_eq!(gesture.offset(), Some((21.0, -11.0)));
    assert_eq!(gesture.release(&target), Outcome::Moved(21.0, -11.0));
}

#[test]
fn clicks_on_stages_follow_the_usual_selection_rules() {
    let target = Target::Stage("f".into());
    let at = Point::default();
    let click = |mods, selected: bool| {
        let (gesture, effect) = press(target.clone(), mods, at, at, 1.0, |_| selected);
        (effect, gesture.release(&target))
    };
    // A selected stage among others: the press keeps the group (to drag it), the click narrows.
    assert_eq!(click(NONE, true), (PressEffect::None, Outcome::Click(ClickAction::SelectOnly("f".into()))));
    assert_eq!(
        click(NONE, false),
        (PressEffect::SelectOnly("f".into()), Outcome::Click(ClickAction::Nothing))
    );
    assert_eq!(click(SHIFT, false), (PressEffect::Add("f".into()), Outcome::Click(ClickAction::Nothing)));
    assert_eq!(click(SHIFT, true), (PressEffect::None, Outcome::Click(ClickAction::Deselect("f".into()))));
}

#[test]
fn a_drag_back_to_the_start_moves_nothing() {
    let target = Target::Stage("f".into());
    let (mut gesture, _) = press(target.clone(), NONE, Point::default(), Point::default(), 1.0, |_| true);
    gesture.drag(Point::new(30.0, 0.0), Point::default());
    gesture.drag(Point::new(0.0, 0.0), Point::default());
    assert_eq!(gesture.release(&target), Outcome::None);
}

#[test]
fn pressing_an_edge_selects_it() {
    let (gesture, effect) = press(Target::Edge(3), SHIFT, Point::default(), Point::default(), 1.0, |_| false);
    assert_eq!(effect, PressEffect::SelectEdge(3));
    assert_eq!(gesture.release(&Target::Edge(3)), Outcome::None);
}

#[test]
fn dragging_between_ports_connects_output_to_input_either_way() {
    let out = port("read", "out", PortDirection::Output);
    let input = port("f", "in", PortDirection::Input);
    let anchor = Point::new(160.0, 28.0);
    let (mut gesture, _) = press(Target::Port(out.clone()), NONE, Point::default(), anchor, 1.0, |_| false);
    let line = gesture.drag(Point::new(100.0, 0.0), Point::new(260.0, 28.0));
    assert_eq!(line, DragEffect::Line(anchor, Point::new(260.0, 28.0)));
    let expected =
        Outcome::Connect { from: ("read".into(), Some("out".into())), to: ("f".into(), Some("in".into())) };
    assert_eq!(gesture.release(&Target::Port(input.clone())), expected);

    let (mut backwards, _) = press(Target::Port(input), NONE, Point::default(), anchor, 1.0, |_| false);
    // Drawn from the pointer (where the output will be) to the input it started on.
    let line = backwards.drag(Point::new(-100.0, 0.0), Point::new(60.0, 28.0));
    assert_eq!(line, DragEffect::Line(Point::new(60.0, 28.0), anchor));
    assert_eq!(backwards.release(&Target::Port(out)), expected);
}

#[test]
fn dropping_on_a_box_connects_to_its_default_port() {
    let out = port("read", "out", PortDirection::Output);
    let (mut gesture, _) =
        press(Target::Port(out.clone()), NONE, Point::default(), Point::default(), 1.0, |_| false);
    gesture.drag(Point::new(100.0, 0.0), Point::default());
    let expected = Outcome::Connect { from: ("read".into(), Some("out".into())), to: ("f".into(), None) };
    assert_eq!(gesture.release(&Target::Stage("f".into())), expected);
    // Dropped on its own box or on nothing: no edge.
    let (mut own, _) =
        press(Target::Port(out.clone()), NONE, Point::default(), Point::default(), 1.0, |_| false);
    own.drag(Point::new(100.0, 0.0), Point::default());
    assert_eq!(own.release(&Target::Stage("read".into())), Outcome::None);
    let (mut lost, _) = press(Target::Port(out), NONE, Point::default(), Point::default(), 1.0, |_| false);
    lost.drag(Point::new(100.0, 0.0), Point::default());
    assert_eq!(lost.release(&Target::Background), Outcome::None);
}

#[test]
fn a_click_on_a_port_selects_its_stage() {
    let out = port("read", "out", PortDirection::Output);
    let (gesture, _) =
        press(Target::Port(out.clone()), NONE, Point::default(), Point::default(), 1.0, |_| false);
    assert_eq!(gesture.release(&Target::Port(out)), Outcome::Click(ClickAction::SelectOnly("read".into())));
}
