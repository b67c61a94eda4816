//! Structural validation: everything that can be checked from the document alone. Every problem
//! is reported at once, each with the stage (and option path) it belongs to.
//!
//! Two levels: [`validate_document`] finds what makes a document unsaveable (broken references,
//! cycles, unknown types); [`check_complete`] adds what a draft may still lack but a dataflow
//! needs before it is exposed (connected required ports, the kind's rules).

use std::collections::{HashMap, HashSet};

use super::{DataflowDocument, DataflowKind, EdgeEnd, stage_ports};
use crate::ErrorDetail;

const MAX_NAME_LEN: usize = 100;

/// Dataflow names appear in URLs: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
pub fn validate_dataflow_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("name must not be empty".into());
    };
    if name.len() > MAX_NAME_LEN {
        return Err(format!("name must be at most {MAX_NAME_LEN} characters"));
    }
    if !first.is_ascii_alphanumeric() {
        return Err("name must start with a letter or digit".into());
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!("name must not contain {bad:?}; use letters, digits, '-', '_' or '.'"));
    }
    Ok(())
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn problem(stage: Option<&str>, path: Option<String>, message: String) -> ErrorDetail {
    ErrorDetail { stage: stage.map(str::to_owned), path, message }
}

/// Problems that make the document unsaveable; empty when it is structurally sound.
pub fn validate_document(doc: &DataflowDocument) -> Vec<ErrorDetail> {
    let mut problems = Vec::new();
    if let Err(message) = validate_dataflow_name(&doc.name) {
        problems.push(problem(None, Some("name".into()), message));
    }
    check_parameters(doc, &mut problems);
    check_run_policy(doc, &mut problems);
    check_stages(doc, &mut problems);
    check_edges(doc, &mut problems);
    check_cycles(doc, &mut problems);
    problems
}

/// Structural problems plus what a draft may lack but an exposed dataflow may not: options
/// as the catalog describes them, connected required ports, the kind's rules.
pub fn check_complete(doc: &DataflowDocument) -> Vec<ErrorDetail> {
    let mut problems = validate_document(doc);
    problems.extend(crate::check_options(doc));
    check_required_ports(doc, &mut problems);
    check_kind_rules(doc, &mut problems);
    problems
}

fn check_run_policy(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let policy = &doc.run_policy;
    let max = crate::RunPolicy::MAX_ATTEMPTS;
    if policy.max_attempts == 0 || policy.max_attempts > max {
        problems.push(problem(
            None,
            Some("run_policy.max_attempts".into()),
            format!("max_attempts must be 1 to {max} (1 means no retry)"),
        ));
    }
    if policy.backoff_seconds > crate::RunPolicy::MAX_BACKOFF_SECONDS {
        problems.push(problem(
            None,
            Some("run_policy.backoff_seconds".into()),
            "backoff_seconds must be at most 86400 (a day)".into(),
        ));
    }
    if policy.timeout_seconds == Some(0) {
        problems.push(problem(
            None,
            Some("run_policy.timeout_seconds".into()),
            "timeout_seconds must be at least 1; leave it out for no limit".into(),
        ));
    }
}

fn check_parameters(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let mut seen = HashSet::new();
    for (i, param) in doc.parameters.iter().enumerate() {
        let path = Some(format!("parameters[{i}].name"));
        if !is_identifier(&param.name) {
            problems.push(problem(
                None,
                path,
                format!("parameter name {:?} is not an identifier", param.name),
            ));
        } else if !seen.insert(param.name.as_str()) {
            problems.push(problem(None, path, format!("parameter {:?} is declared twice", param.name)));
        }
    }
}

fn check_stages(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let mut seen = HashSet::new();
    for (i, stage) in doc.stages.iter().enumerate() {
        let id = stage.id.as_str();
        if !is_identifier(id) {
            let message =
                format!("stage id {id:?} must start with a letter and use letters, digits, '_' or '-'");
            problems.push(problem(Some(id), Some(format!("stages[{i}].id")), message));
        } else if !seen.insert(id) {
            problems.push(problem(
                Some(id),
                Some(format!("stages[{i}].id")),
                format!("stage id {id:?} is used twice"),
            ));
        }
        if stage_ports(&stage.stage_type).is_none() {
            let message = format!("unknown stage type {:?}", stage.stage_type);
            problems.push(problem(Some(id), Some("type".into()), message));
        }
    }
}

fn check_edges(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let types: HashMap<&str, &str> =
        doc.stages.iter().map(|s| (s.id.as_str(), s.stage_type.as_str())).collect();
    let mut seen_edges = HashSet::new();
    let mut inbound: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, edge) in doc.edges.iter().enumerate() {
        let path = Some(format!("edges[{i}]"));
        if !seen_edges.insert((edge.from.as_str(), edge.to.as_str())) {
            problems.push(problem(None, path, format!("edge {} → {} appears twice", edge.from, edge.to)));
            continue;
        }
        let (from, to) = (EdgeEnd::parse(&edge.from), EdgeEnd::parse(&edge.to));
        for (end, side) in [(&from, "from"), (&to, "to")] {
            if !types.contains_key(end.stage) {
                let message = format!("edge {side} {:?} names no stage of this dataflow", end.stage);
                problems.push(problem(None, Some(format!("edges[{i}].{side}")), message));
            }
        }
        let from_ports = types.get(from.stage).and_then(|t| stage_ports(t));
        if let Some(ports) = from_ports.filter(|p| !p.dynamic_ports && !p.has_output(from.port)) {
            let message = match from.port {
                Some(p) => format!("stage {:?} has no output port {p:?}", from.stage),
                None if ports.outputs.is_empty() => format!("stage {:?} has no output", from.stage),
                None => format!("stage {:?} has no default output", from.stage),
            };
            problems.push(problem(Some(from.stage), Some(format!("edges[{i}].from")), message));
        }
        if let Some(ports) = types.get(to.stage).and_then(|t| stage_ports(t)) {
            if ports.dynamic_ports {
                continue;
            }
            match ports.input(to.port) {
                None => {
                    let message = match to.port {
                        Some(p) => format!("stage {:?} has no input port {p:?}", to.stage),
                        None => format!("stage {:?} takes no input", to.stage),
                    };
                    problems.push(problem(Some(to.stage), Some(format!("edges[{i}].to")), message));
                }
                Some(port) => {
                    let count = inbound.entry((to.stage, port.name)).or_default();
                    *count += 1;
                    if *count == 2 && !port.many {
                        let message =
                            format!("input port {}.{} takes one edge; it has several", to.stage, port.name);
                        problems.push(problem(Some(to.stage), Some(format!("edges[{i}].to")), message));
                    }
                }
            }
        }
    }
}

/// Kahn's algorithm; whatever cannot be ordered lies on or behind a cycle.
fn check_cycles(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let ids: HashSet<&str> = doc.stages.iter().map(|s| s.id.as_str()).collect();
    let mut indegree: HashMap<&str, usize> = ids.iter().map(|id| (*id, 0)).collect();
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for edge in &doc.edges {
        let (from, to) = (EdgeEnd::parse(&edge.from).stage, EdgeEnd::parse(&edge.to).stage);
        if ids.contains(from) && ids.contains(to) {
            next.entry(from).or_default().push(to);
            *indegree.entry(to).or_default() += 1;
        }
    }
    let mut ready: Vec<&str> = indegree.iter().filter(|(_, d)| **d == 0).map(|(id, _)| *id).collect();
    while let Some(id) = ready.pop() {
        for to in next.get(id).into_iter().flatten() {
            if let Some(d) = indegree.get_mut(to) {
                *d -= 1;
                if *d == 0 {
                    ready.push(to);
                }
            }
        }
        indegree.remove(id);
    }
    let mut stuck: Vec<&str> = indegree.into_keys().collect();
    stuck.sort_unstable();
    for id in stuck {
        problems.push(problem(Some(id), None, format!("stage {id:?} is part of a cycle")));
    }
}

fn check_required_ports(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let connected: HashSet<(&str, Option<&str>)> = doc
        .edges
        .iter()
        .map(|e| {
            let end = EdgeEnd::parse(&e.to);
            (end.stage, end.port)
        })
        .collect();
    for stage in &doc.stages {
        let Some(ports) = stage_ports(&stage.stage_type) else { continue };
        for (i, port) in ports.inputs.iter().enumerate() {
            let by_name = connected.contains(&(stage.id.as_str(), Some(port.name)));
            let by_default = i == 0 && connected.contains(&(stage.id.as_str(), None));
            if port.required && !by_name && !by_default {
                let message = format!("input port {}.{} is not connected", stage.id, port.name);
                problems.push(problem(Some(&stage.id), None, message));
            }
        }
    }
}

fn check_kind_rules(doc: &DataflowDocument, problems: &mut Vec<ErrorDetail>) {
    let count = |t: &str| doc.stages.iter().filter(|s| s.stage_type == t).count();
    let (inputs, outputs) = (count("input"), count("output"));
    match doc.kind {
        DataflowKind::Service if inputs != 1 || outputs != 1 => problems.push(problem(
            None,
            Some("stages".into()),
            format!("a service needs exactly one input and one output stage; it has {inputs} and {outputs}"),
        )),
        DataflowKind::Job if inputs + outputs > 0 => problems.push(problem(
            None,
            Some("stages".into()),
            "a job reads and writes files or databases; input and output stages belong to services and subflows".into(),
        )),
        _ => {}
    }
    let is_process = doc.kind == DataflowKind::Process;
    for stage in &doc.stages {
        if (stage.stage_type == "run_job") != is_process && stage_ports(&stage.stage_type).is_some() {
            let message = if is_process {
                format!("a process flow is made of run_job steps; {:?} belongs in a job", stage.stage_type)
            } else {
                "run_job steps belong in process flows".to_owned()
            };
            problems.push(problem(Some(&stage.id), Some("type".into()), message));
        }
    }
}

#[cfg(test)]
mod tests;
