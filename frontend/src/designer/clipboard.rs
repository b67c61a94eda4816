//! Copy and paste of stages as JSON text: the selected stages with the edges among them, pasted
//! back under fresh ids with the edges remapped and the boxes shifted so the copy shows.

use std::collections::{BTreeMap, BTreeSet};

use model::{DataflowDocument, Edge, EdgeEnd, Stage};
use serde::{Deserialize, Serialize};

use super::connect::check_connect;
use super::error::EditError;
use super::ids::fresh_stage_id;

/// How far a pasted copy is shifted right and down from the original.
pub const PASTE_OFFSET: f64 = 24.0;

/// Marks clipboard text as ours, so that pasting some other JSON is refused clearly.
const FORMAT: &str = "tributary-stages/1";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Clip {
    format: String,
    stages: Vec<Stage>,
    #[serde(default)]
    edges: Vec<Edge>,
}

/// The stages of `doc` named in `ids` (in document order) and the edges whose two ends are
/// among them, as clipboard text.
pub fn copy(doc: &DataflowDocument, ids: &BTreeSet<String>) -> Result<String, EditError> {
    let stages: Vec<Stage> = doc.stages.iter().filter(|s| ids.contains(&s.id)).cloned().collect();
    if stages.is_empty() {
        return Err(EditError::NothingSelected);
    }
    let inside = |end: &str| ids.contains(EdgeEnd::parse(end).stage);
    let edges = doc.edges.iter().filter(|e| inside(&e.from) && inside(&e.to)).cloned().collect();
    let clip = Clip { format: FORMAT.to_owned(), stages, edges };
    // Serializing plain data cannot fail; the error is mapped rather than unwrapped all the same.
    serde_json::to_string_pretty(&clip).map_err(|e| EditError::InvalidClipboard(e.to_string()))
}

/// Adds the stages in clipboard `text` to `doc` under fresh ids (an id still free is kept),
/// shifted by [`PASTE_OFFSET`], with the edges among them remapped; an edge the document's
/// rules refuse (see [`check_connect`]) is left out. A whole exported dataflow document pastes
/// too. Returns the new ids in order; invalid text is an error and changes nothing.
pub fn paste(doc: &mut DataflowDocument, text: &str) -> Result<Vec<String>, EditError> {
    let (stages, edges) = parse(text)?;
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut new_ids = Vec::with_capacity(stages.len());
    for mut stage in stages {
        let id = fresh_stage_id(&stage.id, |c| doc.stages.iter().any(|s| s.id == c));
        renamed.entry(stage.id.clone()).or_insert_with(|| id.clone());
        stage.id = id.clone();
        stage.position.x += PASTE_OFFSET;
        stage.position.y += PASTE_OFFSET;
        doc.stages.push(stage);
        new_ids.push(id);
    }
    for edge in edges {
        let (from, to) = (EdgeEnd::parse(&edge.from), EdgeEnd::parse(&edge.to));
        let (Some(from_id), Some(to_id)) = (renamed.get(from.stage), renamed.get(to.stage)) else { continue };
        let from = EdgeEnd { stage: from_id, port: from.port };
        let to = EdgeEnd { stage: to_id, port: to.port };
        if let Ok(edge) = check_connect(doc, from, to) {
            doc.edges.push(edge);
        }
    }
    Ok(new_ids)
}

fn parse(text: &str) -> Result<(Vec<Stage>, Vec<Edge>), EditError> {
    let (stages, edges) = match serde_json::from_str::<Clip>(text) {
        Ok(clip) if clip.format == FORMAT => (clip.stages, clip.edges),
        Ok(clip) => return Err(EditError::InvalidClipboard(format!("unknown format {:?}", clip.format))),
        Err(clip_error) => match serde_json::from_str::<DataflowDocument>(text) {
            Ok(document) => (document.stages, document.edges),
            Err(_) => return Err(EditError::InvalidClipboard(clip_error.to_string())),
        },
    };
    if stages.is_empty() {
        return Err(EditError::InvalidClipboard("it has no stages".into()));
    }
    Ok((stages, edges))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataflowKind, Position};
    use serde_json::json;

    fn stage(id: &str, stage_type: &str, x: f64) -> Stage {
        Stage {
            id: id.into(),
            stage_type: stage_type.into(),
            options: Default::default(),
            position: Position { x, y: 10.0 },
        }
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge { from: from.into(), to: to.into() }
    }

    /// read → f → s, f.rejected → w.
    fn doc() -> DataflowDocument {
        let mut f = stage("f", "filter", 200.0);
        f.options.insert("predicate".into(), json!("a > 1"));
        DataflowDocument {
            stages: vec![
                stage("read", "read_csv", 0.0),
                f,
                stage("s", "sort", 400.0),
                stage("w", "write_csv", 400.0),
            ],
            edges: vec![edge("read", "f"), edge("f", "s"), edge("f.rejected", "w")],
            ..DataflowDocument::empty("d", DataflowKind::Job)
        }
    }

    fn ids(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn copy_takes_the_edges_among_the_selected_stages_only() {
        let text = copy(&doc(), &ids(&["f", "s", "w"])).unwrap();
        let clip: Clip = serde_json::from_str(&text).unwrap();
        let copied: Vec<&str> = clip.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(copied, ["f", "s", "w"]);
        assert_eq!(clip.edges, [edge("f", "s"), edge("f.rejected", "w")]);
        assert_eq!(copy(&doc(), &ids(&[])), Err(EditError::NothingSelected));
    }

    #[test]
    fn paste_gives_fresh_ids_remaps_edges_and_offsets() {
        let mut d = doc();
        let text = copy(&d, &ids(&["f", "s", "w"])).unwrap();
        let pasted = paste(&mut d, &text).unwrap();
        assert_eq!(pasted, ["f_2", "s_2", "w_2"]);
        assert_eq!(d.stages.len(), 7);
        assert_eq!(d.stages[4].position, Position { x: 224.0, y: 34.0 });
        assert_eq!(d.stages[4].options["predicate"], json!("a > 1"));
        assert_eq!(&d.edges[3..], [edge("f_2", "s_2"), edge("f_2.rejected", "w_2")]);
        // Pasting again counts on.
        assert_eq!(paste(&mut d, &text).unwrap(), ["f_3", "s_3", "w_3"]);
    }

    #[test]
    fn free_ids_are_kept_when_pasting_elsewhere() {
        let text = copy(&doc(), &ids(&["read", "f"])).unwrap();
        let mut other = DataflowDocument::empty("other", DataflowKind::Job);
        assert_eq!(paste(&mut other, &text).unwrap(), ["read", "f"]);
        assert_eq!(other.edges, [edge("read", "f")]);
    }

    #[test]
    fn invalid_text_is_an_error_and_changes_nothing() {
        let mut d = doc();
        for text in ["", "not json", "{}", "[1, 2]", r#"{"format": "other", "stages": []}"#] {
            assert!(matches!(paste(&mut d, text), Err(EditError::InvalidClipboard(_))), "{text:?}");
        }
        let empty = format!(r#"{{"format": "{FORMAT}", "stages": []}}"#);
        assert!(paste(&mut d, &empty).is_err());
        assert_eq!(d, doc());
    }

    #[test]
    fn a_whole_document_pastes_and_refused_edges_are_dropped() {
        let text = json!({
            "name": "x", "kind": "job",
            "stages": [{"id": "a", "type": "read_csv"}, {"id": "b", "type": "sort"}, {"id": "c", "type": "read_csv"}],
            "edges": [{"from": "a", "to": "b"}, {"from": "c", "to": "b"}, {"from": "a", "to": "ghost"}]
        })
        .to_string();
        let mut d = doc();
        assert_eq!(paste(&mut d, &text).unwrap(), ["a", "b", "c"]);
        // b's input takes one edge: the second is left out, as is the one to a missing stage.
        assert_eq!(&d.edges[3..], [edge("a", "b")]);
    }
}
