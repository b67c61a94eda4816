//! Live validation for the canvas: the model crate's validator run on the document, its problems
//! grouped by stage so boxes can be marked and the problems panel can list them and focus one.

use model::{DataflowDocument, ErrorDetail, check_complete, validate_document};

/// One problem as the panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// Where in the document, as the validator names it (`stages[2].id`, `edges[0].to`, `name`).
    pub path: Option<String>,
    /// The edge it concerns (from an `edges[i]` path), so the canvas can mark that curve.
    pub edge: Option<usize>,
}

/// The problems of one stage, or (`stage: None`) those of the document as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemGroup {
    /// The stage to mark and to focus when the group is clicked.
    pub stage: Option<String>,
    pub problems: Vec<Problem>,
}

/// Every problem, grouped: the document's own first, then stages in document order, then any
/// stage id the document does not hold (a duplicate's second copy is still in the document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    pub groups: Vec<ProblemGroup>,
}

impl Problems {
    /// What makes the document unsaveable ([`validate_document`]): the live markers.
    pub fn structural(doc: &DataflowDocument) -> Self {
        Self::group(doc, validate_document(doc))
    }

    /// Those plus what an exposed dataflow may not lack ([`check_complete`]): options,
    /// connected required ports, the kind's rules. Shown before exposing.
    pub fn complete(doc: &DataflowDocument) -> Self {
        Self::group(doc, check_complete(doc))
    }

    /// What the canvas marks while editing: [`Problems::complete`] for `doc`, computed in the
    /// browser on every edit, plus the `extra` problems only a node can find (expressions,
    /// fields, files; see [`server_only`]) from its newest answer. Extras about stages `doc` no
    /// longer has are dropped: that answer may predate the latest edits.
    pub fn live(doc: &DataflowDocument, extra: &[ErrorDetail]) -> Self {
        let mut details = check_complete(doc);
        let exists = |id: &str| doc.stages.iter().any(|s| s.id == id);
        for detail in extra {
            if detail.stage.as_deref().is_none_or(exists) && !details.contains(detail) {
                details.push(detail.clone());
            }
        }
        Self::group(doc, details)
    }

    /// Groups validator output (also a node's 422 `details`) by stage.
    pub fn group(doc: &DataflowDocument, details: Vec<ErrorDetail>) -> Self {
        let mut groups: Vec<ProblemGroup> = Vec::new();
        for detail in details {
            let problem = Problem {
                edge: detail.path.as_deref().and_then(edge_index),
                message: detail.message,
                path: detail.path,
            };
            match groups.iter_mut().find(|g| g.stage == detail.stage) {
                Some(group) => group.problems.push(problem),
                None => groups.push(ProblemGroup { stage: detail.stage, problems: vec![problem] }),
            }
        }
        let rank = |stage: &Option<String>| match stage {
            None => (0, 0, String::new()),
            Some(id) => match doc.stages.iter().position(|s| &s.id == id) {
                Some(i) => (1, i, String::new()),
                None => (2, 0, id.clone()),
            },
        };
        groups.sort_by_cached_key(|g| rank(&g.stage));
        Self { groups }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// How many problems there are in all.
    pub fn count(&self) -> usize {
        self.groups.iter().map(|g| g.problems.len()).sum()
    }

    /// The problems of stage `id`; empty when it has none (its box is drawn unmarked).
    pub fn for_stage(&self, id: &str) -> &[Problem] {
        self.groups
            .iter()
            .find(|g| g.stage.as_deref() == Some(id))
            .map(|g| g.problems.as_slice())
            .unwrap_or_default()
    }

    /// The ids of stages with problems, in the panel's order.
    pub fn stages(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().filter_map(|g| g.stage.as_deref())
    }

    /// The problems of stage `stage` at exactly `path` (an option's, e.g. `options.predicate`):
    /// what a property field shows under itself.
    pub fn at_path(&self, stage: &str, path: &str) -> Vec<String> {
        self.for_stage(stage)
            .iter()
            .filter(|p| p.path.as_deref() == Some(path))
            .map(|p| p.message.clone())
            .collect()
    }

    /// Whether edge `index` of the document has a problem.
    pub fn edge_has_problem(&self, index: usize) -> bool {
        self.groups.iter().flat_map(|g| &g.problems).any(|p| p.edge == Some(index))
    }
}

/// The problems of a node's validation report on `sent` that the browser's own check of
/// `sent` does not find: what only the engine knows (expressions, fields, files).
pub fn server_only(server: Vec<ErrorDetail>, sent: &DataflowDocument) -> Vec<ErrorDetail> {
    let local = check_complete(sent);
    server.into_iter().filter(|detail| !local.contains(detail)).collect()
}

/// `3` from `edges[3]` or `edges[3].from`.
fn edge_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("edges[")?;
    let (index, _) = rest.split_once(']')?;
    index.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(value: serde_json::Value) -> DataflowDocument {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_sound_document_has_no_problems() {
        let d = doc(json!({"name": "ok", "kind": "job",
            "stages": [{"id": "r", "type": "read_csv"}, {"id": "s", "type": "sort"}],
            "edges": [{"from": "r", "to": "s"}]}));
        let problems = Problems::structural(&d);
        assert!(problems.is_empty());
        assert_eq!(problems.count(), 0);
        assert!(problems.for_stage("r").is_empty());
    }

    #[test]
    fn problems_are_grouped_by_stage_in_document_order() {
        let d = doc(json!({"name": "bad name", "kind": "job",
        "stages": [
            {"id": "a", "type": "sort"}, {"id": "b", "type": "teleport"},
            {"id": "c", "type": "sort"}, {"id": "f", "type": "filter"}
        ],
        "edges": [
            {"from": "a", "to": "c"}, {"from": "c", "to": "a"},
            {"from": "f.nope", "to": "a"}, {"from": "f", "to": "ghost"}
        ]}));
        let problems = Problems::structural(&d);
        let stages: Vec<&str> = problems.stages().collect();
        assert_eq!(stages, ["a", "b", "c", "f"]);
        assert_eq!(problems.groups[0].stage, None);
        let general: Vec<&str> = problems.groups[0].problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            general,
            [
                "name must not contain ' '; use letters, digits, '-', '_' or '.'",
                "edge to \"ghost\" names no stage of this dataflow"
            ]
        );
        assert_eq!(problems.groups[0].problems[1].edge, Some(3));
        assert_eq!(problems.for_stage("b")[0].message, "unknown stage type \"teleport\"");
        // a: the second edge into its input, and the cycle.
        let a: Vec<&str> = problems.for_stage("a").iter().map(|p| p.message.as_str()).collect();
        assert_eq!(a, ["input port a.in takes one edge; it has several", "stage \"a\" is part of a cycle"]);
        assert_eq!(problems.for_stage("f")[0].edge, Some(2));
        assert!(problems.edge_has_problem(2) && !problems.edge_has_problem(0));
        assert_eq!(problems.count(), 7);
    }

    #[test]
    fn completeness_adds_unconnected_ports() {
        let d = doc(json!({"name": "d", "kind": "job", "stages": [{"id": "s", "type": "sort"}]}));
        assert!(Problems::structural(&d).is_empty());
        let complete = Problems::complete(&d);
        assert!(complete.for_stage("s").iter().any(|p| p.message == "input port s.in is not connected"));
    }

    #[test]
    fn live_problems_add_what_only_the_server_found() {
        let d = doc(json!({"name": "d", "kind": "job",
            "stages": [{"id": "r", "type": "read_csv", "options": {"path": "a.csv"}},
                       {"id": "f", "type": "filter", "options": {"predicate": "amount >"}}],
            "edges": [{"from": "r", "to": "f"}]}));
        let parse = ErrorDetail {
            stage: Some("f".into()),
            path: Some("options.predicate".into()),
            message: "predicate \"amount >\": syntax error".into(),
        };
        let gone = ErrorDetail { stage: Some("old".into()), path: None, message: "stale".into() };
        // The server also reports what the browser finds; only the rest is kept as extra.
        let mut report = check_complete(&d);
        report.extend([parse.clone(), gone.clone()]);
        let extra = server_only(report, &d);
        assert_eq!(extra, [parse.clone(), gone]);
        let live = Problems::live(&d, &extra);
        assert_eq!(live.at_path("f", "options.predicate"), [parse.message]);
        assert!(live.for_stage("old").is_empty());
        assert!(live.at_path("r", "options.path").is_empty());
    }

    #[test]
    fn stages_missing_from_the_document_come_last() {
        let details = vec![
            ErrorDetail { stage: Some("zz".into()), path: None, message: "m1".into() },
            ErrorDetail { stage: Some("s".into()), path: None, message: "m2".into() },
            ErrorDetail { stage: None, path: Some("name".into()), message: "m3".into() },
        ];
        let d = doc(json!({"name": "d", "kind": "job", "stages": [{"id": "s", "type": "sort"}]}));
        let problems = Problems::group(&d, details);
        let order: Vec<Option<&str>> = problems.groups.iter().map(|g| g.stage.as_deref()).collect();
        assert_eq!(order, [None, Some("s"), Some("zz")]);
        assert_eq!(edge_index("edges[12].to"), Some(12));
        assert_eq!(edge_index("stages[1]"), None);
    }
}
