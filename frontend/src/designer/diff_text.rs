//! What changed between two versions, in words: a [`DocumentDiff`] as one line per difference,
//! each marked added, removed, changed or moved so the list can be coloured.

use model::{Parameter, ParameterType};
use serde_json::Value;

use super::diff::{DocumentDiff, OptionChange, ParameterChange};
use super::values::short_value;

/// What a line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Changed,
    /// Boxes only moved: the dataflow runs the same.
    Moved,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
            Self::Moved => "moved",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: Kind,
    pub text: String,
}

fn line(kind: Kind, text: String) -> DiffLine {
    DiffLine { kind, text }
}

const VALUE_CHARS: usize = 60;

fn show(value: &Value) -> String {
    short_value(value, VALUE_CHARS)
}

fn describe_parameter(p: &Parameter) -> String {
    let default = p.default.as_ref().map(|d| format!(" = {}", show(d))).unwrap_or_default();
    let param_type = match p.param_type {
        ParameterType::String => "string",
        ParameterType::Integer => "integer",
        ParameterType::Number => "number",
        ParameterType::Boolean => "boolean",
    };
    format!("{} ({param_type}){default}", p.name)
}

/// Every difference as a line: the document's own fields, parameters, stages added, removed and
/// changed (type, then options), edges, and last how many boxes only moved.
pub fn describe(changes: &DocumentDiff) -> Vec<DiffLine> {
    let mut out = Vec::new();
    if let Some(c) = &changes.name {
        out.push(line(Kind::Changed, format!("Name: {} → {}", c.old, c.new)));
    }
    if let Some(c) = &changes.kind {
        out.push(line(Kind::Changed, format!("Kind: {} → {}", c.old.as_str(), c.new.as_str())));
    }
    if let Some(c) = &changes.description {
        out.push(line(Kind::Changed, format!("Description: “{}” → “{}”", c.old, c.new)));
    }
    if changes.run_policy.is_some() {
        out.push(line(Kind::Changed, "Run policy (retries, time limit) changed".to_owned()));
    }
    for p in &changes.parameters {
        out.push(match p {
            ParameterChange::Added(p) => {
                line(Kind::Added, format!("Parameter added: {}", describe_parameter(p)))
            }
            ParameterChange::Removed(p) => {
                line(Kind::Removed, format!("Parameter removed: {}", describe_parameter(p)))
            }
            ParameterChange::Changed(c) => line(
                Kind::Changed,
                format!(
                    "Parameter {}: {} → {}",
                    c.new.name,
                    describe_parameter(&c.old),
                    describe_parameter(&c.new)
                ),
            ),
        });
    }
    for s in &changes.stages_added {
        out.push(line(Kind::Added, format!("Stage added: {} ({})", s.id, s.stage_type)));
    }
    for s in &changes.stages_removed {
        out.push(line(Kind::Removed, format!("Stage removed: {} ({})", s.id, s.stage_type)));
    }
    for s in &changes.stages_changed {
        if let Some(t) = &s.stage_type {
            out.push(line(Kind::Changed, format!("Stage {}: type {} → {}", s.id, t.old, t.new)));
        }
        for o in &s.options {
            out.push(match o {
                OptionChange::Added { name, value } => {
                    line(Kind::Added, format!("Stage {}: {name} set to {}", s.id, show(value)))
                }
                OptionChange::Removed { name, value } => {
                    line(Kind::Removed, format!("Stage {}: {name} removed (was {})", s.id, show(value)))
                }
                OptionChange::Changed { name, old, new } => {
                    line(Kind::Changed, format!("Stage {}: {name} {} → {}", s.id, show(old), show(new)))
                }
            });
        }
    }
    for e in &changes.edges_added {
        out.push(line(Kind::Added, format!("Edge added: {} → {}", e.from, e.to)));
    }
    for e in &changes.edges_removed {
        out.push(line(Kind::Removed, format!("Edge removed: {} → {}", e.from, e.to)));
    }
    if !changes.stages_moved.is_empty() {
        let count = changes.stages_moved.len();
        out.push(line(
            Kind::Moved,
            format!("{count} stage{} moved on the canvas", if count == 1 { "" } else { "s" }),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::designer::diff::diff;

    fn doc(value: Value) -> model::DataflowDocument {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn every_kind_of_change_gets_a_line() {
        let old = doc(json!({"name": "d", "kind": "job",
            "parameters": [{"name": "input", "default": "a.csv"}],
            "stages": [{"id": "r", "type": "read_csv", "options": {"path": "${input}"}},
                       {"id": "f", "type": "filter", "options": {"predicate": "a > 1"}},
                       {"id": "gone", "type": "sort"}],
            "edges": [{"from": "r", "to": "f"}]}));
        let new = doc(json!({"name": "d", "kind": "job", "description": "now described",
            "parameters": [{"name": "input", "default": "b.csv"}],
            "stages": [{"id": "r", "type": "read_csv", "options": {"path": "${input}"}, "position": {"x": 5, "y": 0}},
                       {"id": "f", "type": "filter", "options": {"predicate": "a > 2"}},
                       {"id": "w", "type": "write_csv", "options": {"path": "out.csv"}}],
            "edges": [{"from": "r", "to": "f"}, {"from": "f", "to": "w"}]}));
        let lines: Vec<(&str, String)> =
            describe(&diff(&old, &new)).into_iter().map(|l| (l.kind.as_str(), l.text)).collect();
        assert_eq!(
            lines,
            [
                ("changed", "Description: “” → “now described”".to_owned()),
                ("changed", "Parameter input: input (string) = a.csv → input (string) = b.csv".to_owned()),
                ("added", "Stage added: w (write_csv)".to_owned()),
                ("removed", "Stage removed: gone (sort)".to_owned()),
                ("changed", "Stage f: predicate a > 1 → a > 2".to_owned()),
                ("added", "Edge added: f → w".to_owned()),
                ("moved", "1 stage moved on the canvas".to_owned()),
            ]
        );
        assert!(describe(&diff(&old, &old)).is_empty());
    }
}
