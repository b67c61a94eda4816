//! The rules for drawing an edge: which port pairs may be connected in a document, and the form
//! the new edge is written in.

use std::collections::{BTreeMap, BTreeSet};

use model::{DataflowDocument, Edge, EdgeEnd, StagePorts, stage_ports};

use super::error::EditError;
use super::ports::{PortDirection, format_end, resolve_port, route_ports};

/// A stage id and the port an end resolves to (`None`: a bare end on a subflow).
type ResolvedEnd = (String, Option<String>);

/// Checks that an edge from output `from` to input `to` may join `doc`, and returns it written
/// as documents are (bare `"stage"` for a default port). Refused: unknown stages or ports, an
/// input as the source or an output as the target, a stage feeding itself, a second edge
/// between the same ports, a second edge into an input that takes one (all but `union.in`;
/// subflow inputs take one too), and an edge closing a cycle.
pub fn check_connect(doc: &DataflowDocument, from: EdgeEnd<'_>, to: EdgeEnd<'_>) -> Result<Edge, EditError> {
    let from_type = stage_type(doc, from.stage)?;
    let to_type = stage_type(doc, to.stage)?;
    check_output(doc, &from, from_type)?;
    let takes_many = check_input(&to, to_type)?;
    if from.stage == to.stage {
        return Err(EditError::SelfLoop(from.stage.to_owned()));
    }
    let edge = Edge {
        from: format_end(from.stage, from_type, from.port, PortDirection::Output),
        to: format_end(to.stage, to_type, to.port, PortDirection::Input),
    };
    let new_from = (from.stage.to_owned(), resolve_port(from_type, from.port, PortDirection::Output));
    let new_to = (to.stage.to_owned(), resolve_port(to_type, to.port, PortDirection::Input));
    let types = stage_types(doc);
    for existing in &doc.edges {
        let (old_from, old_to) = resolve_edge(&types, existing);
        if old_from == new_from && old_to == new_to {
            return Err(EditError::DuplicateEdge { from: edge.from, to: edge.to });
        }
        if old_to == new_to && !takes_many {
            let port = new_to.1.unwrap_or_default();
            return Err(EditError::PortTaken { stage: to.stage.to_owned(), port });
        }
    }
    if leads_to(doc, to.stage, from.stage) {
        return Err(EditError::Cycle { from: from.stage.to_owned(), to: to.stage.to_owned() });
    }
    Ok(edge)
}

/// Whether a path of edges leads from stage `start` to stage `goal` (or `start == goal`).
pub fn leads_to(doc: &DataflowDocument, start: &str, goal: &str) -> bool {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for edge in &doc.edges {
        next.entry(EdgeEnd::parse(&edge.from).stage).or_default().push(EdgeEnd::parse(&edge.to).stage);
    }
    let mut seen = BTreeSet::from([start]);
    let mut stack = vec![start];
    while let Some(stage) = stack.pop() {
        if stage == goal {
            return true;
        }
        for &after in next.get(stage).into_iter().flatten() {
            if seen.insert(after) {
                stack.push(after);
            }
        }
    }
    false
}

/// The input of stage `id` that an edge dropped on its box should reach: the first one that
/// can take another edge (`union.in` always can). `None` when every input is taken, the stage
/// has none, or its ports are not known here (a subflow): the bare end is tried then.
pub fn free_input(doc: &DataflowDocument, id: &str) -> Option<String> {
    let stage = doc.stages.iter().find(|s| s.id == id)?;
    let ports = stage_ports(&stage.stage_type)?;
    let types = stage_types(doc);
    let taken: BTreeSet<Option<String>> = doc
        .edges
        .iter()
        .map(|e| resolve_edge(&types, e).1)
        .filter(|(stage, _)| stage == id)
        .map(|(_, port)| port)
        .collect();
    ports
        .inputs
        .iter()
        .find(|p| p.many || !taken.contains(&Some(p.name.to_owned())))
        .map(|p| p.name.to_owned())
}

/// Both ends of `edge` with default ports filled in, for comparing edges written differently.
pub fn resolve_edge(types: &BTreeMap<&str, &str>, edge: &Edge) -> (ResolvedEnd, ResolvedEnd) {
    let resolve = |text: &str, direction| {
        let end = EdgeEnd::parse(text);
        let port = match types.get(end.stage) {
            Some(t) => resolve_port(t, end.port, direction),
            None => end.port.map(str::to_owned),
        };
        (end.stage.to_owned(), port)
    };
    (resolve(&edge.from, PortDirection::Output), resolve(&edge.to, PortDirection::Input))
}

/// Stage id → stage type; the first stage wins should ids repeat.
pub fn stage_types(doc: &DataflowDocument) -> BTreeMap<&str, &str> {
    let mut types = BTreeMap::new();
    for stage in &doc.stages {
        types.entry(stage.id.as_str()).or_insert(stage.stage_type.as_str());
    }
    types
}

fn stage_type<'d>(doc: &'d DataflowDocument, id: &str) -> Result<&'d str, EditError> {
    let stage =
        doc.stages.iter().find(|s| s.id == id).ok_or_else(|| EditError::UnknownStage(id.to_owned()))?;
    Ok(&stage.stage_type)
}

fn known_ports(stage_type: &str) -> Result<StagePorts, EditError> {
    stage_ports(stage_type).ok_or_else(|| EditError::UnknownStageType(stage_type.to_owned()))
}

fn check_output(doc: &DataflowDocument, from: &EdgeEnd<'_>, stage_type: &str) -> Result<(), EditError> {
    let ports = known_ports(stage_type)?;
    if ports.dynamic_ports {
        return Ok(());
    }
    let Some(port) = from.port else {
        if ports.has_output(None) {
            return Ok(());
        }
        return Err(EditError::NoDefaultPort {
            stage: from.stage.to_owned(),
            direction: PortDirection::Output,
        });
    };
    // A route accepts any output name, but one of its inputs' names means the input.
    let configured = doc
        .stages
        .iter()
        .find(|s| s.id == from.stage)
        .is_some_and(|s| ports.dynamic_outputs && route_ports(&s.options).iter().any(|p| p == port));
    if configured || (ports.has_output(Some(port)) && ports.input(Some(port)).is_none()) {
        Ok(())
    } else if ports.input(Some(port)).is_some() {
        Err(EditError::WrongDirection {
            end: format!("{}.{port}", from.stage),
            expected: PortDirection::Output,
        })
    } else {
        Err(EditError::NoSuchPort {
            stage: from.stage.to_owned(),
            port: port.to_owned(),
            direction: PortDirection::Output,
        })
    }
}

/// Checks the target end; returns whether that input takes several edges.
fn check_input(to: &EdgeEnd<'_>, stage_type: &str) -> Result<bool, EditError> {
    let ports = known_ports(stage_type)?;
    if ports.dynamic_ports {
        return Ok(false);
    }
    if let Some(spec) = ports.input(to.port) {
        return Ok(spec.many);
    }
    match to.port {
        None => Err(EditError::NoDefaultPort { stage: to.stage.to_owned(), direction: PortDirection::Input }),
        Some(port) if ports.has_output(Some(port)) => Err(EditError::WrongDirection {
            end: format!("{}.{port}", to.stage),
            expected: PortDirection::Input,
        }),
        Some(port) => Err(EditError::NoSuchPort {
            stage: to.stage.to_owned(),
            port: port.to_owned(),
            direction: PortDirection::Input,
        }),
    }
}

#[cfg(test)]
mod tests;
