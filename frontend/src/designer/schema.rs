//! Which records flow where, in the server's terms: the `stage.port` key under which validation
//! (`schemas`) and preview (`ports`) report the records leaving a port, the key feeding a
//! stage's input, and so the fields a field picker may offer.

use std::collections::BTreeMap;

use model::{DataflowDocument, Edge, FieldSchema};

use super::connect::{resolve_edge, stage_types};

/// The server's key for the records on `edge`: its source stage and resolved output port
/// (`"read.out"` for an edge written from `"read"`). `None` for an end on a stage the
/// document does not have or a bare end on a subflow.
pub fn source_key(doc: &DataflowDocument, edge: &Edge) -> Option<String> {
    let types = stage_types(doc);
    let ((stage, port), _) = resolve_edge(&types, edge);
    if !types.contains_key(stage.as_str()) {
        return None;
    }
    Some(format!("{stage}.{}", port?))
}

/// The key of the records arriving at input `port` of stage `stage`: the source of the (first)
/// edge into it; `None` while it is not connected.
pub fn input_key(doc: &DataflowDocument, stage: &str, port: &str) -> Option<String> {
    let types = stage_types(doc);
    doc.edges.iter().find_map(|edge| {
        let (_, (to_stage, to_port)) = resolve_edge(&types, edge);
        (to_stage == stage && to_port.as_deref() == Some(port)).then(|| source_key(doc, edge)).flatten()
    })
}

/// The fields arriving at input `port` of `stage`, when the server could compute them.
pub fn input_fields<'a>(
    schemas: &'a BTreeMap<String, Vec<FieldSchema>>,
    doc: &DataflowDocument,
    stage: &str,
    port: &str,
) -> Option<&'a [FieldSchema]> {
    schemas.get(&input_key(doc, stage, port)?).map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> DataflowDocument {
        serde_json::from_value(json!({
            "name": "d", "kind": "job",
            "stages": [
                {"id": "a", "type": "read_csv"}, {"id": "b", "type": "read_csv"},
                {"id": "f", "type": "filter"}, {"id": "j", "type": "join"}
            ],
            "edges": [
                {"from": "a", "to": "f"}, {"from": "f.rejected", "to": "j.right"},
                {"from": "b", "to": "j"}, {"from": "ghost", "to": "f"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn edges_are_keyed_by_their_resolved_source_port() {
        let doc = doc();
        let keys: Vec<Option<String>> = doc.edges.iter().map(|e| source_key(&doc, e)).collect();
        assert_eq!(keys, [Some("a.out".into()), Some("f.rejected".into()), Some("b.out".into()), None]);
    }

    #[test]
    fn inputs_find_the_edge_feeding_them() {
        let doc = doc();
        assert_eq!(input_key(&doc, "f", "in").as_deref(), Some("a.out"));
        assert_eq!(input_key(&doc, "j", "left").as_deref(), Some("b.out"));
        assert_eq!(input_key(&doc, "j", "right").as_deref(), Some("f.rejected"));
        assert_eq!(input_key(&doc, "a", "in"), None);
    }

    #[test]
    fn field_pickers_read_the_schema_of_the_feeding_port() {
        let doc = doc();
        let field = |name: &str| FieldSchema { name: name.into(), field_type: "Utf8".into(), nullable: true };
        let schemas = BTreeMap::from([("b.out".to_owned(), vec![field("id"), field("name")])]);
        let names: Vec<&str> =
            input_fields(&schemas, &doc, "j", "left").unwrap().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["id", "name"]);
        assert!(input_fields(&schemas, &doc, "j", "right").is_none());
    }
}
