//! The document laid out in world space: one box per stage with its port anchors, one curve per
//! edge. Built from the document whenever it changes; drawing and hit-testing both read it.

use std::collections::BTreeMap;

use model::{DataflowDocument, Edge, EdgeEnd, Stage};

use super::geometry::{Point, Rect, STAGE_WIDTH, edge_path, port_anchor, sample_edge, stage_height};
use super::ports::{PortDirection, PortList, port_list_with, resolve_port};

/// Where one port is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct PortAnchor {
    pub name: String,
    pub direction: PortDirection,
    pub point: Point,
    pub required: bool,
    pub many: bool,
    /// `false` for a port only an edge names (see [`PortInfo::declared`](super::ports::PortInfo::declared)).
    pub declared: bool,
}

/// A stage's box. A stage's `position` is the top-left corner of its box.
#[derive(Debug, Clone, PartialEq)]
pub struct StageBox {
    pub id: String,
    pub stage_type: String,
    pub rect: Rect,
    pub inputs: Vec<PortAnchor>,
    pub outputs: Vec<PortAnchor>,
}

impl StageBox {
    /// The box of `stage` showing `ports`.
    pub fn new(stage: &Stage, ports: &PortList) -> Self {
        let rect = Rect::new(stage.position.x, stage.position.y, STAGE_WIDTH, stage_height(ports));
        let anchors = |direction: PortDirection| {
            let side = ports.side(direction);
            side.iter()
                .enumerate()
                .map(|(i, p)| PortAnchor {
                    name: p.name.clone(),
                    direction,
                    point: port_anchor(&rect, direction, i, side.len()),
                    required: p.required,
                    many: p.many,
                    declared: p.declared,
                })
                .collect()
        };
        Self {
            id: stage.id.clone(),
            stage_type: stage.stage_type.clone(),
            inputs: anchors(PortDirection::Input),
            outputs: anchors(PortDirection::Output),
            rect,
        }
    }

    /// The anchors on one side.
    pub fn side(&self, direction: PortDirection) -> &[PortAnchor] {
        match direction {
            PortDirection::Input => &self.inputs,
            PortDirection::Output => &self.outputs,
        }
    }

    /// Where an edge end on this stage attaches: the named (or default) port, or the middle of
    /// the side when the end names no port the box knows (a bare end on a subflow).
    pub fn attach_point(&self, port: Option<&str>, direction: PortDirection) -> Point {
        let resolved = resolve_port(&self.stage_type, port, direction);
        let found = self.side(direction).iter().find(|a| Some(&a.name) == resolved.as_ref());
        match (found, direction) {
            (Some(anchor), _) => anchor.point,
            (None, PortDirection::Input) => Point::new(self.rect.x, self.rect.center().y),
            (None, PortDirection::Output) => Point::new(self.rect.right(), self.rect.center().y),
        }
    }
}

/// One edge's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeShape {
    /// Index into the document's `edges`.
    pub index: usize,
    pub edge: Edge,
    pub from: Point,
    pub to: Point,
}

impl EdgeShape {
    /// The SVG path `d` to draw it with.
    pub fn path(&self) -> String {
        edge_path(self.from, self.to)
    }

    /// The middle of the curve, where its row count is written.
    pub fn midpoint(&self) -> Point {
        sample_edge(self.from, self.to, 2).get(1).copied().unwrap_or(self.from)
    }
}

/// Every stage box (in document order: later ones are drawn over earlier ones) and every edge
/// whose two stages exist; an edge naming a missing stage is left to the problems panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    pub stages: Vec<StageBox>,
    pub edges: Vec<EdgeShape>,
}

impl Scene {
    pub fn new(doc: &DataflowDocument) -> Self {
        Self::with_declared_ports(doc, &BTreeMap::new())
    }

    /// Like [`Scene::new`], with the ports of some stages (subflows, by stage id) supplied.
    pub fn with_declared_ports(doc: &DataflowDocument, declared: &BTreeMap<String, PortList>) -> Self {
        let stages: Vec<StageBox> = doc
            .stages
            .iter()
            .map(|s| StageBox::new(s, &port_list_with(s, &doc.edges, declared.get(&s.id))))
            .collect();
        let by_id: BTreeMap<&str, &StageBox> = stages.iter().rev().map(|b| (b.id.as_str(), b)).collect();
        let edges = doc
            .edges
            .iter()
            .enumerate()
            .filter_map(|(index, edge)| {
                let (from, to) = (EdgeEnd::parse(&edge.from), EdgeEnd::parse(&edge.to));
                let from_point = by_id.get(from.stage)?.attach_point(from.port, PortDirection::Output);
                let to_point = by_id.get(to.stage)?.attach_point(to.port, PortDirection::Input);
                Some(EdgeShape { index, edge: edge.clone(), from: from_point, to: to_point })
            })
            .collect();
        Self { stages, edges }
    }

    /// The box of stage `id` (the first, should ids repeat).
    pub fn stage(&self, id: &str) -> Option<&StageBox> {
        self.stages.iter().find(|b| b.id == id)
    }

    /// The rectangle covering every box; `None` for an empty document.
    pub fn bounds(&self) -> Option<Rect> {
        self.stages.iter().map(|b| b.rect).reduce(|a, b| a.union(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataflowKind, Position};
    use serde_json::json;

    fn stage(id: &str, stage_type: &str, x: f64, y: f64) -> Stage {
        Stage {
            id: id.into(),
            stage_type: stage_type.into(),
            options: Default::default(),
            position: Position { x, y },
        }
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge { from: from.into(), to: to.into() }
    }

    fn doc(stages: Vec<Stage>, edges: Vec<Edge>) -> DataflowDocument {
        DataflowDocument { stages, edges, ..DataflowDocument::empty("d", DataflowKind::Job) }
    }

    #[test]
    fn edges_attach_to_their_ports() {
        let d = doc(
            vec![
                stage("r", "read_csv", 0.0, 0.0),
                stage("f", "filter", 300.0, 0.0),
                stage("j", "join", 600.0, 0.0),
            ],
            vec![edge("r", "f"), edge("f.rejected", "j.right"), edge("f", "j")],
        );
        let scene = Scene::new(&d);
        assert_eq!(scene.edges.len(), 3);
        // read_csv: one output at mid-height of the 56 px box.
        assert_eq!(scene.edges[0].from, Point::new(160.0, 28.0));
        assert_eq!(scene.edges[0].to, Point::new(300.0, 28.0));
        // filter's outputs `out` and `rejected` sit at a third and two thirds.
        assert_eq!(scene.edges[1].from.y, 56.0 * 2.0 / 3.0);
        assert_eq!(scene.edges[2].from.y, 56.0 / 3.0);
        // join is 72 px tall for its three outputs; `right` is its second input, and the bare
        // end goes to `left`.
        assert_eq!(scene.stages[2].rect.height, 72.0);
        assert_eq!(scene.edges[1].to, Point::new(600.0, 48.0));
        assert_eq!(scene.edges[2].to, Point::new(600.0, 24.0));
        assert!(scene.edges[0].path().starts_with("M 160 28 C"));
        assert_eq!(scene.edges[0].midpoint(), Point::new(230.0, 28.0));
    }

    #[test]
    fn dangling_edges_are_not_drawn_and_bounds_cover_every_box() {
        let d = doc(
            vec![stage("a", "read_csv", -10.0, 5.0), stage("b", "sort", 200.0, 300.0)],
            vec![edge("a", "ghost"), edge("a", "b")],
        );
        let scene = Scene::new(&d);
        assert_eq!(scene.edges.len(), 1);
        assert_eq!(scene.edges[0].index, 1);
        assert_eq!(scene.bounds(), Some(Rect::new(-10.0, 5.0, 370.0, 351.0)));
        assert_eq!(Scene::new(&doc(vec![], vec![])).bounds(), None);
    }

    #[test]
    fn route_boxes_show_one_port_per_route() {
        let mut route = stage("rt", "route", 0.0, 0.0);
        route.options = json!({"routes": [{"port": "a"}, {"port": "b"}, {"port": "c"}]})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let scene = Scene::new(&doc(vec![route], vec![]));
        let b = &scene.stages[0];
        let names: Vec<&str> = b.outputs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "default"]);
        assert_eq!(b.rect.height, 90.0);
        assert_eq!(b.outputs[0].point, Point::new(160.0, 18.0));
    }

    #[test]
    fn bare_subflow_ends_attach_mid_side() {
        let d = doc(
            vec![stage("r", "read_csv", 0.0, 0.0), stage("s", "subflow", 300.0, 0.0)],
            vec![edge("r", "s")],
        );
        assert_eq!(Scene::new(&d).edges[0].to, Point::new(300.0, 28.0));
    }
}
