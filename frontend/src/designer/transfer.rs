//! Export and import of a dataflow document as a JSON file: the text and file name an export
//! writes, and an import's checks (JSON, then the document's shape, then the model's
//! structural validator) each failing with a message that says where the file is wrong.

use std::fmt;

use model::{DataflowDocument, ErrorDetail, validate_document};

/// The pretty-printed document, as `GET /dataflows/{name}/export` would give it.
pub fn export_json(doc: &DataflowDocument) -> String {
    // Plain data always serializes; an empty file is the fallback should it not.
    serde_json::to_string_pretty(doc).unwrap_or_default()
}

/// `orders.json` for dataflow `orders`.
pub fn file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if safe.is_empty() { "dataflow.json".to_owned() } else { format!("{safe}.json") }
}

/// A file that can be loaded, with what the user should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub document: DataflowDocument,
    /// E.g. that the document was renamed to the dataflow being edited.
    pub notes: Vec<String>,
}

/// Why a file cannot be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Not JSON at all.
    NotJson { line: usize, column: usize, message: String },
    /// JSON, but not a dataflow document (missing `stages`, unknown fields, wrong types).
    NotADocument { line: usize, column: usize, message: String },
    /// A document with structural problems (unknown stage types, dangling edges, cycles…).
    Invalid(Vec<ErrorDetail>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson { line, column, message } => {
                write!(f, "The file is not valid JSON (line {line}, column {column}): {message}.")
            }
            Self::NotADocument { line, column, message } => write!(
                f,
                "The file is JSON but not a dataflow document (line {line}, column {column}): {message}."
            ),
            Self::Invalid(problems) => {
                let count = problems.len();
                let noun = if count == 1 { "problem" } else { "problems" };
                write!(f, "The dataflow in the file has {count} {noun}; nothing was loaded.")
            }
        }
    }
}

/// Reads an imported file for the dataflow named `current_name`. The document keeps that name
/// whatever the file says (the designer saves under the name it was opened with).
pub fn import(text: &str, current_name: &str) -> Result<Imported, ImportError> {
    // A syntax error is told apart from a shape error, which JSON tools cannot catch.
    if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
        return Err(ImportError::NotJson {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        });
    }
    let mut document =
        serde_json::from_str::<DataflowDocument>(text).map_err(|error| ImportError::NotADocument {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        })?;
    let mut notes = Vec::new();
    if document.name != current_name {
        notes.push(format!(
            "The file describes dataflow “{}”; it was loaded as “{current_name}”.",
            document.name
        ));
        document.name = current_name.to_owned();
    }
    let problems = validate_document(&document);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    Ok(Imported { document, notes })
}

/// serde_json ends its messages with " at line L column C", which the error already says.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "name": "other", "kind": "job",
        "stages": [{"id": "read", "type": "read_csv", "options": {"path": "a.csv"}},
                   {"id": "out", "type": "write_csv", "options": {"path": "b.csv"}}],
        "edges": [{"from": "read", "to": "out"}]
    }"#;

    #[test]
    fn a_good_file_loads_under_the_current_name() {
        let imported = import(GOOD, "orders").unwrap();
        assert_eq!(imported.document.name, "orders");
        assert_eq!(imported.document.stages.len(), 2);
        assert_eq!(imported.notes.len(), 1);
        assert!(imported.notes[0].contains("“other”"), "{:?}", imported.notes);
        assert!(import(GOOD, "other").unwrap().notes.is_empty());
    }

    #[test]
    fn broken_json_says_where() {
        let error = import("{\"name\": \"x\",\n  \"kind\": }", "x").unwrap_err();
        assert!(matches!(error, ImportError::NotJson { line: 2, .. }), "{error:?}");
        let text = error.to_string();
        assert!(text.starts_with("The file is not valid JSON (line 2, column 11)"), "{text}");
        assert!(!text.contains(" at line "), "{text}");
    }

    #[test]
    fn json_that_is_not_a_document_is_refused() {
        let error = import(r#"{"name": "x", "kind": "job", "colour": "red"}"#, "x").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("not a dataflow document"), "{text}");
        assert!(text.contains("colour"), "{text}");
        assert!(matches!(import("[1, 2]", "x"), Err(ImportError::NotADocument { .. })));
    }

    #[test]
    fn structural_problems_are_listed() {
        let text = r#"{"name": "x", "kind": "job",
            "stages": [{"id": "a", "type": "teleport"}], "edges": [{"from": "a", "to": "ghost"}]}"#;
        let Err(ImportError::Invalid(problems)) = import(text, "x") else { panic!("accepted") };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            ImportError::Invalid(problems).to_string(),
            "The dataflow in the file has 2 problems; nothing was loaded."
        );
    }

    #[test]
    fn exports_round_trip_and_name_their_file() {
        let document = import(GOOD, "orders").unwrap().document;
        assert_eq!(import(&export_json(&document), "orders").unwrap().document, document);
        assert_eq!(file_name("orders-by-region"), "orders-by-region.json");
        assert_eq!(file_name("a/b"), "a_b.json");
        assert_eq!(file_name(""), "dataflow.json");
    }
}
