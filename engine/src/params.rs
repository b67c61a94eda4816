//! `${name}` in option values: replaced by the run's (or call's, or schedule's) parameter, else
//! by the parameter's declared default.

use std::collections::BTreeMap;

use model::DataflowDocument;
use serde_json::Value;

use crate::error::{EngineError, EngineResult};

/// The effective parameter values: declared defaults overridden by `given`. Unknown names in
/// `given` are refused so a typo does not pass silently.
/// Parameters every job may receive without declaring them: a file trigger passes the file it
/// fired for as `trigger_file`.
pub const BUILT_IN: &[&str] = &["trigger_file"];

pub fn resolve(
    doc: &DataflowDocument,
    given: &BTreeMap<String, Value>,
) -> EngineResult<BTreeMap<String, Value>> {
    let mut values = BTreeMap::new();
    for param in &doc.parameters {
        if let Some(default) = &param.default {
            values.insert(param.name.clone(), default.clone());
        }
    }
    for (name, value) in given {
        if !doc.parameters.iter().any(|p| &p.name == name) && !BUILT_IN.contains(&name.as_str()) {
            let declared: Vec<&str> = doc.parameters.iter().map(|p| p.name.as_str()).collect();
            return Err(EngineError {
                path: Some(format!("parameters.{name}")),
                stage: None,
                ..EngineError::user(
                    "",
                    format!("unknown parameter {name:?} (declared: {})", declared.join(", ")),
                )
            });
        }
        values.insert(name.clone(), value.clone());
    }
    Ok(values)
}

/// Replace every `${name}` in the strings of `value`. A string that is exactly `${name}` takes
/// the parameter's value with its type; inside longer text the value is written as text.
pub fn substitute(stage: &str, value: &Value, params: &BTreeMap<String, Value>) -> EngineResult<Value> {
    Ok(match value {
        Value::String(text) => substitute_text(stage, text, params)?,
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| substitute(stage, v, params)).collect::<EngineResult<_>>()?)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(stage, v, params)?)))
                .collect::<EngineResult<_>>()?,
        ),
        other => other.clone(),
    })
}

fn substitute_text(stage: &str, text: &str, params: &BTreeMap<String, Value>) -> EngineResult<Value> {
    if !text.contains("${") {
        return Ok(Value::String(text.to_owned()));
    }
    let lookup = |name: &str| {
        params.get(name).ok_or_else(|| {
            EngineError::user(stage, format!("parameter {name:?} has no value and no default"))
        })
    };
    if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|n| !n.contains('}'))
    {
        return lookup(name).cloned();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end =
            after.find('}').ok_or_else(|| EngineError::user(stage, format!("unclosed ${{ in {text:?}")))?;
        match lookup(&after[..end])? {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

/// A database query with every `${name}` replaced by the database's placeholder (`placeholder(n)`,
/// n from 1) and the parameters' values in placeholder order, to be bound: a parameter is always
/// a value, never SQL, whatever text it holds. A `${name}` inside a quoted literal is refused —
/// it would be bound as a value anyway, so it is written without quotes.
pub fn bind_query(
    stage: &str,
    text: &str,
    params: &BTreeMap<String, Value>,
    placeholder: impl Fn(usize) -> String,
) -> EngineResult<(String, Vec<Value>)> {
    let refuse = |message: String| Err(EngineError::option(stage, "query", message));
    let mut sql = String::with_capacity(text.len());
    let mut values = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let before = &rest[..start];
        sql.push_str(before);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { return refuse(format!("unclosed ${{ in {text:?}")) };
        let name = &after[..end];
        if sql.matches('\'').count() % 2 == 1 {
            return refuse(format!(
                "write ${{{name}}} without quotes around it: parameters are passed to the database as values"
            ));
        }
        let Some(value) = params.get(name) else {
            return Err(EngineError::user(stage, format!("parameter {name:?} has no value and no default")));
        };
        values.push(value.clone());
        sql.push_str(&placeholder(values.len()));
        rest = &after[end + 1..];
    }
    sql.push_str(rest);
    Ok((sql, values))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn params() -> BTreeMap<String, Value> {
        BTreeMap::from([("input".into(), json!("orders.csv")), ("limit".into(), json!(10))])
    }

    #[test]
    fn whole_values_keep_their_type_and_text_is_spliced() {
        let options = json!({"path": "in/${input}", "count": "${limit}", "keys": ["${input}"], "n": 3});
        let out = substitute("s", &options, &params()).unwrap();
        assert_eq!(out, json!({"path": "in/orders.csv", "count": 10, "keys": ["orders.csv"], "n": 3}));
    }

    #[test]
    fn missing_parameters_name_the_stage() {
        let err = substitute("read", &json!("${nope}"), &params()).unwrap_err();
        assert_eq!(err.stage.as_deref(), Some("read"));
        assert!(err.message.contains("nope"));
        assert!(substitute("read", &json!("a ${input"), &params()).is_err());
    }

    #[test]
    fn given_values_override_defaults_and_unknown_names_are_refused() {
        let doc: DataflowDocument = serde_json::from_value(json!({
            "name": "d", "kind": "job", "parameters": [{"name": "input", "default": "a.csv"}]
        }))
        .unwrap();
        let resolved = resolve(&doc, &BTreeMap::from([("input".into(), json!("b.csv"))])).unwrap();
        assert_eq!(resolved["input"], json!("b.csv"));
        assert!(resolve(&doc, &BTreeMap::from([("inptu".into(), json!("b.csv"))])).is_err());
    }

    #[test]
    fn query_parameters_become_placeholders_with_their_values() {
        let (sql, values) = bind_query(
            "read",
            "SELECT * FROM t WHERE f = ${input} AND n < ${limit} OR g = ${input}",
            &params(),
            |n| format!("${n}"),
        )
        .unwrap();
        assert_eq!(sql, "SELECT * FROM t WHERE f = $1 AND n < $2 OR g = $3");
        assert_eq!(values, vec![json!("orders.csv"), json!(10), json!("orders.csv")]);
        let quoted = bind_query("read", "SELECT * FROM t WHERE f = '${input}'", &params(), |_| "?".into());
        assert!(quoted.unwrap_err().message.contains("without quotes"));
        let escaped = bind_query("read", "SELECT 'it''s' AS a WHERE f = ${input}", &params(), |_| "?".into());
        assert_eq!(escaped.unwrap().0, "SELECT 'it''s' AS a WHERE f = ?");
        assert!(bind_query("read", "SELECT ${nope}", &params(), |_| "?".into()).is_err());
    }
}
