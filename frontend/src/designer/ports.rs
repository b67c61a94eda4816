//! Which ports a stage shows on the canvas, and how an edge end (`"stage"` or `"stage.port"`)
//! resolves to one of them.

use model::{Edge, EdgeEnd, Stage, stage_ports};
use serde_json::{Map, Value};

/// Which side of a stage a port sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortDirection {
    /// Drawn on the left edge; edges arrive here.
    Input,
    /// Drawn on the right edge; edges leave from here.
    Output,
}

/// One port as the canvas draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    pub name: String,
    /// An unconnected required input makes the dataflow incomplete.
    pub required: bool,
    /// Accepts several incoming edges (`union.in`).
    pub many: bool,
    /// The stage type (or the caller, for a subflow) declares it; `false` when only an edge of
    /// the document names it, so the canvas can draw it as suspect (the validator says why).
    pub declared: bool,
}

impl PortInfo {
    /// A declared port taking one edge, not required: how subflow and route ports are described.
    pub fn new(name: &str) -> Self {
        Self { name: name.to_owned(), required: false, many: false, declared: true }
    }

    fn undeclared(name: &str) -> Self {
        Self { declared: false, ..Self::new(name) }
    }
}

/// A stage's ports, top to bottom on each side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortList {
    pub inputs: Vec<PortInfo>,
    pub outputs: Vec<PortInfo>,
}

impl PortList {
    /// The ports on one side.
    pub fn side(&self, direction: PortDirection) -> &[PortInfo] {
        match direction {
            PortDirection::Input => &self.inputs,
            PortDirection::Output => &self.outputs,
        }
    }

    /// The larger of the two sides' counts: what the box's height must fit.
    pub fn max_side(&self) -> usize {
        self.inputs.len().max(self.outputs.len())
    }

    fn push_missing(&mut self, direction: PortDirection, port: PortInfo) {
        let side = match direction {
            PortDirection::Input => &mut self.inputs,
            PortDirection::Output => &mut self.outputs,
        };
        if !side.iter().any(|p| p.name == port.name) {
            side.push(port);
        }
    }
}

/// The ports of `stage`: its type's fixed ports; for `route` one output per configured route
/// plus `default`; for `subflow` (whose ports live in the embedded dataflow) and unknown types
/// the ports its edges name. Ports named by edges but not declared are appended, so every edge
/// of the document has somewhere to attach.
pub fn port_list(stage: &Stage, edges: &[Edge]) -> PortList {
    port_list_with(stage, edges, None)
}

/// [`port_list`], with the ports of a `subflow` stage supplied by the caller once it has loaded
/// the embedded dataflow (its `input` and `output` stage ids).
pub fn port_list_with(stage: &Stage, edges: &[Edge], declared: Option<&PortList>) -> PortList {
    let mut list = declared.cloned().unwrap_or_else(|| type_ports(stage));
    for edge in edges {
        let (from, to) = (EdgeEnd::parse(&edge.from), EdgeEnd::parse(&edge.to));
        if let Some(port) = from.port.filter(|_| from.stage == stage.id) {
            list.push_missing(PortDirection::Output, PortInfo::undeclared(port));
        }
        if let Some(port) = to.port.filter(|_| to.stage == stage.id) {
            list.push_missing(PortDirection::Input, PortInfo::undeclared(port));
        }
    }
    list
}

fn type_ports(stage: &Stage) -> PortList {
    let Some(ports) = stage_ports(&stage.stage_type) else { return PortList::default() };
    let info = |p: &model::PortSpec| PortInfo {
        name: p.name.to_owned(),
        required: p.required,
        many: p.many,
        declared: true,
    };
    let mut list = PortList { inputs: ports.inputs.iter().map(info).collect(), outputs: Vec::new() };
    if ports.dynamic_outputs {
        for name in route_ports(&stage.options) {
            list.push_missing(PortDirection::Output, PortInfo::new(&name));
        }
    }
    for port in ports.outputs {
        list.push_missing(PortDirection::Output, info(port));
    }
    list
}

/// The output names a `route` stage's `routes` option configures (`[{port, predicate}]`), in
/// order, without blanks or repeats. Malformed items are skipped: the validator reports them.
pub fn route_ports(options: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let items = options.get("routes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for item in items {
        let Some(name) = item.get("port").and_then(Value::as_str) else { continue };
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// The port a bare `"stage"` end refers to: the type's first input or first output. `None`
/// for types without one on that side, subflows and unknown types.
pub fn default_port(stage_type: &str, direction: PortDirection) -> Option<&'static str> {
    let ports = stage_ports(stage_type)?;
    let side = match direction {
        PortDirection::Input => ports.inputs,
        PortDirection::Output => ports.outputs,
    };
    side.first().map(|p| p.name)
}

/// The port name an edge end means, the default filled in; `None` when it names none.
pub fn resolve_port(stage_type: &str, port: Option<&str>, direction: PortDirection) -> Option<String> {
    port.or_else(|| default_port(stage_type, direction)).map(str::to_owned)
}

/// The edge-end text for a port: bare `"stage"` for the type's default port (the form documents
/// are written in), `"stage.port"` otherwise.
pub fn format_end(stage_id: &str, stage_type: &str, port: Option<&str>, direction: PortDirection) -> String {
    match port {
        Some(p) if default_port(stage_type, direction) != Some(p) => format!("{stage_id}.{p}"),
        _ => stage_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Position;
    use serde_json::json;

    fn stage(id: &str, stage_type: &str, options: Value) -> Stage {
        let options = options.as_object().cloned().unwrap_or_default();
        Stage { id: id.into(), stage_type: stage_type.into(), options, position: Position::default() }
    }

    fn names(ports: &[PortInfo]) -> Vec<&str> {
        ports.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn fixed_types_show_their_declared_ports() {
        let join = port_list(&stage("j", "join", json!({})), &[]);
        assert_eq!(names(&join.inputs), ["left", "right"]);
        assert_eq!(names(&join.outputs), ["out", "unmatched_left", "unmatched_right"]);
        assert_eq!(join.max_side(), 3);
        let union = port_list(&stage("u", "union", json!({})), &[]);
        assert!(union.inputs[0].many && union.inputs[0].required);
        assert!(port_list(&stage("r", "read_csv", json!({})), &[]).inputs.is_empty());
    }

    #[test]
    fn route_outputs_come_from_its_routes_then_default() {
        let options = json!({"routes": [
            {"port": "high", "predicate": "a > 1"}, {"port": "low"}, {"port": "high"}, {"port": ""}, 7
        ]});
        let route = port_list(&stage("r", "route", options), &[]);
        assert_eq!(names(&route.outputs), ["high", "low", "default"]);
        assert!(route.outputs.iter().all(|p| p.declared));
        let stray = [Edge { from: "r.gone".into(), to: "x".into() }];
        let route = port_list(&stage("r", "route", json!({})), &stray);
        assert_eq!(names(&route.outputs), ["default", "gone"]);
        assert!(!route.outputs[1].declared);
        assert_eq!(names(&route.inputs), ["in"]);
    }

    #[test]
    fn ports_named_by_edges_are_added_for_subflows() {
        let edges = [
            Edge { from: "src".into(), to: "sub.rows".into() },
            Edge { from: "sub.taxed".into(), to: "w".into() },
            Edge { from: "sub".into(), to: "w2".into() },
        ];
        let sub = port_list(&stage("sub", "subflow", json!({})), &edges);
        assert_eq!(names(&sub.inputs), ["rows"]);
        assert_eq!(names(&sub.outputs), ["taxed"]);
        assert!(!sub.inputs[0].declared);
        let declared = PortList { inputs: vec![PortInfo::new("orders")], outputs: vec![] };
        let sub = port_list_with(&stage("sub", "subflow", json!({})), &edges, Some(&declared));
        assert_eq!(names(&sub.inputs), ["orders", "rows"]);
        assert!(sub.inputs[0].declared && !sub.inputs[1].declared);
    }

    #[test]
    fn bare_ends_resolve_to_the_default_port() {
        assert_eq!(default_port("filter", PortDirection::Output), Some("out"));
        assert_eq!(default_port("route", PortDirection::Output), Some("default"));
        assert_eq!(default_port("join", PortDirection::Input), Some("left"));
        assert_eq!(default_port("read_csv", PortDirection::Input), None);
        assert_eq!(default_port("subflow", PortDirection::Input), None);
        assert_eq!(resolve_port("filter", None, PortDirection::Output).as_deref(), Some("out"));
        assert_eq!(
            resolve_port("filter", Some("rejected"), PortDirection::Output).as_deref(),
            Some("rejected")
        );
    }

    #[test]
    fn ends_are_written_bare_for_default_ports() {
        assert_eq!(format_end("f", "filter", Some("out"), PortDirection::Output), "f");
        assert_eq!(format_end("f", "filter", Some("rejected"), PortDirection::Output), "f.rejected");
        assert_eq!(format_end("j", "join", Some("right"), PortDirection::Input), "j.right");
        assert_eq!(format_end("s", "subflow", Some("rows"), PortDirection::Input), "s.rows");
        assert_eq!(format_end("s", "subflow", None, PortDirection::Input), "s");
    }
}
