//! Hit-testing in world coordinates: what lies under the pointer (a stage, a port, an edge) and
//! which stages a rubber band encloses. Radii and tolerances are world units, so the canvas
//! divides its screen-pixel slop by the zoom.

use model::EdgeEnd;

use super::geometry::{Point, Rect, edge_curve, sample_edge};
use super::ports::PortDirection;
use super::scene::{EdgeShape, Scene};

/// Straight segments an edge curve is cut into for distance tests: at 24 the chord of the
/// longest canvas curve strays under a pixel from the curve.
pub const EDGE_SAMPLES: usize = 24;

/// A port under the pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortHit {
    pub stage: String,
    pub port: String,
    pub direction: PortDirection,
}

impl PortHit {
    /// The port as an edge end, for [`Designer::connect`](super::graph::Designer::connect).
    pub fn end(&self) -> EdgeEnd<'_> {
        EdgeEnd { stage: &self.stage, port: Some(&self.port) }
    }
}

/// The two ports of a connecting drag as (from, to): the drag may start on either end, so an
/// input dragged to an output is turned round. Two ports on the same side stay as they are,
/// for `connect` to refuse with its message.
pub fn orient<'a>(start: &'a PortHit, drop: &'a PortHit) -> (EdgeEnd<'a>, EdgeEnd<'a>) {
    if start.direction == PortDirection::Input && drop.direction == PortDirection::Output {
        (drop.end(), start.end())
    } else {
        (start.end(), drop.end())
    }
}

/// The topmost stage whose box contains `p` (border included). Later stages in the document
/// are drawn over earlier ones, so the search runs backwards.
pub fn stage_at(scene: &Scene, p: Point) -> Option<&str> {
    scene.stages.iter().rev().find(|b| b.rect.contains(p)).map(|b| b.id.as_str())
}

/// The port nearest to `p` within `radius` (inclusive); on a tie the topmost stage's port.
pub fn port_at(scene: &Scene, p: Point, radius: f64) -> Option<PortHit> {
    let mut best: Option<(f64, PortHit)> = None;
    for stage in scene.stages.iter().rev() {
        for anchor in stage.inputs.iter().chain(&stage.outputs) {
            let distance = anchor.point.distance(p);
            if distance <= radius && best.as_ref().is_none_or(|(d, _)| distance < *d) {
                let hit = PortHit {
                    stage: stage.id.clone(),
                    port: anchor.name.clone(),
                    direction: anchor.direction,
                };
                best = Some((distance, hit));
            }
        }
    }
    best.map(|(_, hit)| hit)
}

/// The edge whose curve passes nearest to `p`, if within `tolerance` (inclusive).
pub fn edge_at(scene: &Scene, p: Point, tolerance: f64) -> Option<&EdgeShape> {
    let mut best: Option<(f64, &EdgeShape)> = None;
    for shape in &scene.edges {
        // A cubic lies inside the hull of its control points: skip the far ones cheaply.
        let [a, b, c, d] = edge_curve(shape.from, shape.to);
        let hull = Rect::from_corners(a, b).union(&Rect::from_corners(c, d));
        let near = Rect::new(
            hull.x - tolerance,
            hull.y - tolerance,
            hull.width + 2.0 * tolerance,
            hull.height + 2.0 * tolerance,
        );
        if !near.contains(p) {
            continue;
        }
        let samples = sample_edge(shape.from, shape.to, EDGE_SAMPLES);
        let distance =
            samples.windows(2).map(|w| p.distance_to_segment(w[0], w[1])).fold(f64::INFINITY, f64::min);
        if distance <= tolerance && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, shape));
        }
    }
    best.map(|(_, shape)| shape)
}

/// Ids of the stages whose boxes lie wholly inside `band` (a box touching its border counts),
/// in document order.
pub fn stages_in(scene: &Scene, band: &Rect) -> Vec<String> {
    scene.stages.iter().filter(|b| band.contains_rect(&b.rect)).map(|b| b.id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataflowDocument, DataflowKind, Edge, Position, Stage};

    fn stage(id: &str, stage_type: &str, x: f64, y: f64) -> Stage {
        Stage {
            id: id.into(),
            stage_type: stage_type.into(),
            options: Default::default(),
            position: Position { x, y },
        }
    }

    /// read at (0,0), filter at (300,0) overlapped by sort at (380,20); read → filter.
    fn scene() -> Scene {
        let doc = DataflowDocument {
            stages: vec![
                stage("read", "read_csv", 0.0, 0.0),
                stage("f", "filter", 300.0, 0.0),
                stage("s", "sort", 380.0, 20.0),
            ],
            edges: vec![Edge { from: "read".into(), to: "f".into() }],
            ..DataflowDocument::empty("d", DataflowKind::Job)
        };
        Scene::new(&doc)
    }

    #[test]
    fn stage_hits_include_the_border_and_prefer_the_topmost() {
        let scene = scene();
        assert_eq!(stage_at(&scene, Point::new(0.0, 0.0)), Some("read"));
        assert_eq!(stage_at(&scene, Point::new(160.0, 56.0)), Some("read"));
        assert_eq!(stage_at(&scene, Point::new(160.001, 56.0)), None);
        assert_eq!(stage_at(&scene, Point::new(310.0, 10.0)), Some("f"));
        // (400, 30) is inside both f and s; s comes later, so it is on top.
        assert_eq!(stage_at(&scene, Point::new(400.0, 30.0)), Some("s"));
        assert_eq!(stage_at(&scene, Point::new(-1.0, 0.0)), None);
    }

    #[test]
    fn port_hits_find_the_nearest_port_within_the_radius() {
        let scene = scene();
        // read's output at (160, 28).
        let hit = port_at(&scene, Point::new(166.0, 36.0), 10.0);
        assert_eq!(
            hit,
            Some(PortHit { stage: "read".into(), port: "out".into(), direction: PortDirection::Output })
        );
        assert_eq!(port_at(&scene, Point::new(166.0, 36.0), 9.99), None);
        // filter's outputs at (460, 18.67) `out` and (460, 37.33) `rejected`.
        let hit = port_at(&scene, Point::new(460.0, 36.0), 8.0);
        assert_eq!(hit.map(|h| h.port), Some("rejected".to_owned()));
        let input = port_at(&scene, Point::new(300.0, 28.0), 1.0);
        assert_eq!(input.map(|h| (h.stage, h.direction)), Some(("f".to_owned(), PortDirection::Input)));
    }

    #[test]
    fn drags_are_oriented_from_output_to_input() {
        let out = PortHit { stage: "a".into(), port: "out".into(), direction: PortDirection::Output };
        let input = PortHit { stage: "b".into(), port: "in".into(), direction: PortDirection::Input };
        let forward = (EdgeEnd::parse("a.out"), EdgeEnd::parse("b.in"));
        assert_eq!(orient(&out, &input), forward);
        assert_eq!(orient(&input, &out), forward);
        assert_eq!(orient(&input, &input), (EdgeEnd::parse("b.in"), EdgeEnd::parse("b.in")));
    }

    #[test]
    fn edge_hits_follow_the_curve() {
        let scene = scene();
        // read (160,28) → f (300,28) is a straight horizontal curve.
        assert_eq!(edge_at(&scene, Point::new(230.0, 32.0), 4.01).map(|e| e.index), Some(0));
        assert_eq!(edge_at(&scene, Point::new(230.0, 32.0), 3.99), None);
        assert_eq!(edge_at(&scene, Point::new(230.0, 200.0), 4.0), None);
    }

    #[test]
    fn edge_hits_on_a_bent_curve() {
        let doc = DataflowDocument {
            stages: vec![stage("a", "read_csv", 0.0, 0.0), stage("b", "sort", 400.0, 200.0)],
            edges: vec![Edge { from: "a".into(), to: "b".into() }],
            ..DataflowDocument::empty("d", DataflowKind::Job)
        };
        let scene = Scene::new(&doc);
        // From (160,28) to (400,228): by symmetry the curve passes through the midpoint.
        assert!(edge_at(&scene, Point::new(280.0, 128.0), 0.5).is_some());
        // The straight chord's quarter point is off the S-shaped curve.
        assert!(edge_at(&scene, Point::new(220.0, 78.0), 5.0).is_none());
    }

    #[test]
    fn rubber_bands_select_wholly_enclosed_stages() {
        let scene = scene();
        let band = Rect::from_corners(Point::new(540.0, 76.0), Point::new(300.0, 0.0));
        assert_eq!(stages_in(&scene, &band), ["f", "s"]);
        let short = Rect::new(300.0, 0.0, 239.0, 76.0);
        assert_eq!(stages_in(&scene, &short), ["f"]);
        assert!(stages_in(&scene, &Rect::new(1000.0, 0.0, 10.0, 10.0)).is_empty());
    }
}
