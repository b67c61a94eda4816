//! What changed between the `before` and `after` of an audit entry: keys added, removed or
//! changed, at any depth, each named by its path (`stages[2].options.path`). Plain Rust with no
//! DOM, so it is tested on the host.

use serde_json::Value;

/// How one key differs.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonChange {
    Added { path: String, value: Value },
    Removed { path: String, value: Value },
    Changed { path: String, old: Value, new: Value },
}

impl JsonChange {
    pub fn path(&self) -> &str {
        match self {
            Self::Added { path, .. } | Self::Removed { path, .. } | Self::Changed { path, .. } => path,
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

fn walk(path: &str, old: &Value, new: &Value, changes: &mut Vec<JsonChange>) {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            // Both maps iterate in key order, so the changes come out sorted by path.
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let inner = join(path, key);
                match (old.get(key), new.get(key)) {
                    (Some(a), Some(b)) => walk(&inner, a, b, changes),
                    (Some(a), None) => changes.push(JsonChange::Removed { path: inner, value: a.clone() }),
                    (None, Some(b)) => changes.push(JsonChange::Added { path: inner, value: b.clone() }),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            for i in 0..old.len().max(new.len()) {
                let inner = format!("{path}[{i}]");
                match (old.get(i), new.get(i)) {
                    (Some(a), Some(b)) => walk(&inner, a, b, changes),
                    (Some(a), None) => changes.push(JsonChange::Removed { path: inner, value: a.clone() }),
                    (None, Some(b)) => changes.push(JsonChange::Added { path: inner, value: b.clone() }),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => {
            changes.push(JsonChange::Changed { path: path.to_owned(), old: a.clone(), new: b.clone() })
        }
        _ => {}
    }
}

/// Every difference from `before` to `after`; a side that is absent counts as an empty object,
/// so a creation lists its keys as added and a deletion as removed.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<JsonChange> {
    let empty = Value::Object(serde_json::Map::new());
    let mut changes = Vec::new();
    walk("", before.unwrap_or(&empty), after.unwrap_or(&empty), &mut changes);
    changes
}

/// A value on one line for the diff table: strings without quotes, the rest as JSON.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_added_removed_and_changed_at_any_depth() {
        let before =
            json!({"name": "orders", "enabled": true, "options": {"path": "a.csv", "mode": "append"}});
        let after =
            json!({"name": "orders", "options": {"path": "b.csv", "header": true}, "cron": "0 * * * * *"});
        let changes = diff(Some(&before), Some(&after));
        assert_eq!(
            changes,
            vec![
                JsonChange::Added { path: "cron".into(), value: json!("0 * * * * *") },
                JsonChange::Removed { path: "enabled".into(), value: json!(true) },
                JsonChange::Added { path: "options.header".into(), value: json!(true) },
                JsonChange::Removed { path: "options.mode".into(), value: json!("append") },
                JsonChange::Changed { path: "options.path".into(), old: json!("a.csv"), new: json!("b.csv") },
            ]
        );
    }

    #[test]
    fn arrays_compare_by_position() {
        let changes = diff(Some(&json!({"roles": ["viewer"]})), Some(&json!({"roles": ["admin", "viewer"]})));
        let paths: Vec<&str> = changes.iter().map(JsonChange::path).collect();
        assert_eq!(paths, vec!["roles[0]", "roles[1]"]);
    }

    #[test]
    fn a_missing_side_lists_every_key() {
        let token = json!({"id": "t1", "name": "ci"});
        let created = diff(None, Some(&token));
        assert!(created.iter().all(|c| matches!(c, JsonChange::Added { .. })));
        assert_eq!(created.len(), 2);
        let deleted = diff(Some(&token), None);
        assert!(deleted.iter().all(|c| matches!(c, JsonChange::Removed { .. })));
        assert!(diff(None, None).is_empty());
        assert!(diff(Some(&token), Some(&token)).is_empty());
    }

    #[test]
    fn different_kinds_of_value_are_one_change() {
        let changes = diff(Some(&json!({"a": {"b": 1}})), Some(&json!({"a": 2})));
        assert_eq!(
            changes,
            vec![JsonChange::Changed { path: "a".into(), old: json!({"b": 1}), new: json!(2) }]
        );
        assert_eq!(show(&json!("text")), "text");
        assert_eq!(show(&json!({"b": 1})), r#"{"b":1}"#);
    }
}
