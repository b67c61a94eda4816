//! Option checks against the catalog: unknown options, missing required ones, values of the
//! wrong shape or outside their enum. `${param}` may stand for any scalar value.

use serde_json::Value;

use super::{OptionSpec, OptionType, stage_spec};
use crate::{DataflowDocument, ErrorDetail};

fn is_parameter(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with("${") && s.ends_with('}'))
}

fn shape_problem(spec: &OptionSpec, value: &Value) -> Option<String> {
    let ok = match spec.option_type {
        OptionType::String | OptionType::Expression | OptionType::Path | OptionType::Field => {
            value.is_string()
        }
        OptionType::Enum => match value.as_str() {
            Some(v) if spec.enum_values.iter().any(|e| e == v) || is_parameter(value) => true,
            Some(v) => return Some(format!("{v:?} is not one of {}", spec.enum_values.join(", "))),
            None => false,
        },
        OptionType::Integer => value.is_i64() || value.is_u64() || is_parameter(value),
        OptionType::Number => value.is_number() || is_parameter(value),
        OptionType::Boolean => value.is_boolean() || is_parameter(value),
        OptionType::Fields => value.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        OptionType::Map => value.as_object().is_some_and(|o| o.values().all(Value::is_string)),
        OptionType::List => value.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
    };
    (!ok).then(|| {
        let expected = match spec.option_type {
            OptionType::Integer => "a whole number",
            OptionType::Number => "a number",
            OptionType::Boolean => "true or false",
            OptionType::Fields => "a list of field names",
            OptionType::Map => "an object of strings",
            OptionType::List => "a list of objects",
            _ => "a string",
        };
        format!("must be {expected}")
    })
}

fn check_object(
    stage: &str,
    path: &str,
    specs: &[OptionSpec],
    values: &serde_json::Map<String, Value>,
    problems: &mut Vec<ErrorDetail>,
) {
    let problem = |name: &str, message: String| ErrorDetail {
        stage: Some(stage.to_owned()),
        path: Some(format!("{path}{name}")),
        message,
    };
    // Sorted, so the report does not depend on how the document's object keeps its keys.
    let mut sorted: Vec<(&String, &Value)> = values.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (name, value) in sorted {
        let Some(spec) = specs.iter().find(|s| &s.name == name) else {
            let known: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
            let hint = if known.is_empty() {
                "it takes no options".to_string()
            } else {
                format!("known: {}", known.join(", "))
            };
            problems.push(problem(name, format!("unknown option {name:?} ({hint})")));
            continue;
        };
        if let Some(message) = shape_problem(spec, value) {
            problems.push(problem(name, format!("{name} {message}")));
        } else if spec.option_type == OptionType::List {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                if let Some(item) = item.as_object() {
                    check_object(stage, &format!("{path}{name}[{i}]."), &spec.items, item, problems);
                }
            }
        }
    }
    for spec in specs.iter().filter(|s| s.required && !values.contains_key(&s.name)) {
        problems
            .push(problem(&spec.name, format!("{} is required: {}", spec.name, spec.help.to_lowercase())));
    }
}

/// Problems with the options of every stage of a known type.
pub fn check_options(doc: &DataflowDocument) -> Vec<ErrorDetail> {
    let mut problems = Vec::new();
    for stage in &doc.stages {
        if let Some(spec) = stage_spec(&stage.stage_type) {
            check_object(&stage.id, "options.", &spec.options, &stage.options, &mut problems);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(stages: Value) -> DataflowDocument {
        serde_json::from_value(json!({"name": "d", "kind": "job", "stages": stages})).expect("document")
    }

    #[test]
    fn every_catalog_entry_has_ports_and_help() {
        let catalog = crate::catalog();
        assert_eq!(catalog.len(), super::super::stages::STAGE_TYPES.len());
        for stage in &catalog {
            assert!(!stage.title.is_empty() && !stage.description.is_empty(), "{}", stage.stage_type);
            for option in &stage.options {
                assert!(!option.help.is_empty(), "{}.{}", stage.stage_type, option.name);
            }
        }
        let modules: std::collections::BTreeSet<&str> = catalog.iter().map(|s| s.module.as_str()).collect();
        assert_eq!(modules.into_iter().collect::<Vec<_>>(), vec!["address", "core", "quality"]);
    }

    #[test]
    fn options_are_checked_against_the_catalog() {
        let d = doc(json!([
            {"id": "r", "type": "read_csv", "options": {"path": "a.csv", "has_header": "yes", "colour": 1}},
            {"id": "j", "type": "join", "options": {"type": "outer", "keys": [{"left": "id"}]}},
            {"id": "l", "type": "limit", "options": {"count": "${n}"}},
            {"id": "f", "type": "filter", "options": {}}
        ]));
        let found: Vec<(String, String)> =
            check_options(&d).into_iter().map(|p| (p.path.unwrap_or_default(), p.message)).collect();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "options.colour",
                "options.has_header",
                "options.keys[0].right",
                "options.type",
                "options.predicate"
            ],
            "{found:?}"
        );
        assert!(found[3].1.contains("inner, left, right, full"));
    }
}
