//! What changed between two versions of a dataflow document: name, kind, description, run
//! policy, parameters, stages (matched by id) with their options, and edges. Moves of stage boxes are
//! reported apart from content changes, so "only rearranged" can be told from "changed".

use std::collections::BTreeMap;

use model::{DataflowDocument, DataflowKind, Edge, Parameter, Position, RunPolicy, Stage};
use serde_json::{Map, Value};

/// One side of a change: what it was and what it became.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<T> {
    pub old: T,
    pub new: T,
}

/// A change to one stage option.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionChange {
    Added { name: String, value: Value },
    Removed { name: String, value: Value },
    Changed { name: String, old: Value, new: Value },
}

/// A stage present in both versions whose type or options differ.
#[derive(Debug, Clone, PartialEq)]
pub struct StageChange {
    pub id: String,
    pub stage_type: Option<Change<String>>,
    /// By option name.
    pub options: Vec<OptionChange>,
}

/// A stage present in both versions whose box moved.
#[derive(Debug, Clone, PartialEq)]
pub struct StageMove {
    pub id: String,
    pub position: Change<Position>,
}

/// A parameter added, removed or changed (matched by name).
#[derive(Debug, Clone, PartialEq)]
pub enum ParameterChange {
    Added(Parameter),
    Removed(Parameter),
    Changed(Change<Parameter>),
}

/// Everything that differs from `old` to `new`. A renamed stage shows as one removed and one
/// added stage (ids are how versions are matched), and its edges as removed and added. Edges
/// are compared as written: `"f"` and `"f.out"` count as different text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentDiff {
    pub name: Option<Change<String>>,
    pub kind: Option<Change<DataflowKind>>,
    pub description: Option<Change<String>>,
    pub run_policy: Option<Change<RunPolicy>>,
    pub parameters: Vec<ParameterChange>,
    /// In the new version's order.
    pub stages_added: Vec<Stage>,
    /// In the old version's order.
    pub stages_removed: Vec<Stage>,
    /// Type or option changes, in the new version's order.
    pub stages_changed: Vec<StageChange>,
    /// Position-only information, kept apart from `stages_changed`.
    pub stages_moved: Vec<StageMove>,
    pub edges_added: Vec<Edge>,
    pub edges_removed: Vec<Edge>,
}

impl DocumentDiff {
    /// No difference at all, moves included.
    pub fn is_empty(&self) -> bool {
        self.stages_moved.is_empty() && !self.changes_content()
    }

    /// Whether anything but box positions differs: what running the dataflow would notice.
    pub fn changes_content(&self) -> bool {
        self.name.is_some()
            || self.kind.is_some()
            || self.description.is_some()
            || self.run_policy.is_some()
            || !self.parameters.is_empty()
            || !self.stages_added.is_empty()
            || !self.stages_removed.is_empty()
            || !self.stages_changed.is_empty()
            || !self.edges_added.is_empty()
            || !self.edges_removed.is_empty()
    }
}

/// The difference from `old` to `new`.
pub fn diff(old: &DataflowDocument, new: &DataflowDocument) -> DocumentDiff {
    let mut result = DocumentDiff {
        name: change(&old.name, &new.name),
        kind: change(&old.kind, &new.kind),
        description: change(&old.description, &new.description),
        run_policy: change(&old.run_policy, &new.run_policy),
        parameters: diff_parameters(&old.parameters, &new.parameters),
        edges_added: new.edges.iter().filter(|e| !old.edges.contains(e)).cloned().collect(),
        edges_removed: old.edges.iter().filter(|e| !new.edges.contains(e)).cloned().collect(),
        ..DocumentDiff::default()
    };
    let old_stages: BTreeMap<&str, &Stage> = old.stages.iter().rev().map(|s| (s.id.as_str(), s)).collect();
    let new_stages: BTreeMap<&str, &Stage> = new.stages.iter().rev().map(|s| (s.id.as_str(), s)).collect();
    result.stages_removed =
        old.stages.iter().filter(|s| !new_stages.contains_key(s.id.as_str())).cloned().collect();
    for stage in &new.stages {
        let Some(before) = old_stages.get(stage.id.as_str()) else {
            result.stages_added.push(stage.clone());
            continue;
        };
        let options = diff_options(&before.options, &stage.options);
        let stage_type = change(&before.stage_type, &stage.stage_type);
        if stage_type.is_some() || !options.is_empty() {
            result.stages_changed.push(StageChange { id: stage.id.clone(), stage_type, options });
        }
        if let Some(position) = change(&before.position, &stage.position) {
            result.stages_moved.push(StageMove { id: stage.id.clone(), position });
        }
    }
    result
}

/// Option changes, by option name.
pub fn diff_options(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<OptionChange> {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| match (old.get(name), new.get(name)) {
            (None, Some(value)) => Some(OptionChange::Added { name: name.clone(), value: value.clone() }),
            (Some(value), None) => Some(OptionChange::Removed { name: name.clone(), value: value.clone() }),
            (Some(a), Some(b)) if a != b => {
                Some(OptionChange::Changed { name: name.clone(), old: a.clone(), new: b.clone() })
            }
            _ => None,
        })
        .collect()
}

fn diff_parameters(old: &[Parameter], new: &[Parameter]) -> Vec<ParameterChange> {
    let find = |list: &[Parameter], name: &str| list.iter().find(|p| p.name == name).cloned();
    let mut changes: Vec<ParameterChange> =
        old.iter().filter(|p| find(new, &p.name).is_none()).cloned().map(ParameterChange::Removed).collect();
    for param in new {
        match find(old, &param.name) {
            None => changes.push(ParameterChange::Added(param.clone())),
            Some(before) if &before != param => {
                changes.push(ParameterChange::Changed(Change { old: before, new: param.clone() }));
            }
            Some(_) => {}
        }
    }
    changes
}

fn change<T: PartialEq + Clone>(old: &T, new: &T) -> Option<Change<T>> {
    (old != new).then(|| Change { old: old.clone(), new: new.clone() })
}

#[cfg(test)]
mod tests;
