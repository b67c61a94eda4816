//! Option and parameter values as the property forms edit them: the text a box shows, what typed
//! text means for a number, a parameter or a list of fields, and edits inside list and map
//! options. A `${name}` parameter reference may stand for any scalar.

use serde_json::{Map, Number, Value};

use model::ParameterType;

/// Whether `text` is a `${name}` parameter reference.
pub fn is_parameter(text: &str) -> bool {
    let text = text.trim();
    text.len() > 3 && text.starts_with("${") && text.ends_with('}')
}

/// The text a box shows for `value`: strings as they are, nothing as empty, the rest as JSON.
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// What the text of a number box means: `Ok(None)` when empty (the option is removed),
/// a number, a `${parameter}`, or why it is neither.
pub fn parse_number(text: &str, integer: bool) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if is_parameter(text) {
        return Ok(Some(Value::String(text.to_owned())));
    }
    if integer {
        return text
            .parse::<i64>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| format!("{text:?} is not a whole number (or a ${{parameter}})"));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(|n| {
            // `5` stays an integer in the document rather than becoming `5.0`.
            let whole = text.parse::<i64>().ok().map(Value::from);
            Some(whole.unwrap_or(Value::Number(n)))
        })
        .ok_or_else(|| format!("{text:?} is not a number (or a ${{parameter}})"))
}

/// A run parameter typed into its box: `Ok(None)` when empty (its default applies).
pub fn parse_parameter(text: &str, param_type: ParameterType) -> Result<Option<Value>, String> {
    match param_type {
        ParameterType::String => Ok((!text.is_empty()).then(|| Value::String(text.to_owned()))),
        ParameterType::Integer => parse_number(text, true),
        ParameterType::Number => parse_number(text, false),
        ParameterType::Boolean => match text.trim() {
            "" => Ok(None),
            "true" => Ok(Some(Value::Bool(true))),
            "false" => Ok(Some(Value::Bool(false))),
            other => Err(format!("{other:?} is not true or false")),
        },
    }
}

/// The names in a `fields` option (a list of strings); anything else reads as none.
pub fn field_names(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A `fields` option from names: `None` (removed) when empty.
pub fn fields_value(names: &[String]) -> Option<Value> {
    (!names.is_empty()).then(|| Value::Array(names.iter().cloned().map(Value::String).collect()))
}

/// Comma-separated names, for a fields box without a known schema.
pub fn parse_field_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The items of a `list` option (objects); other values read as no items.
pub fn list_items(value: Option<&Value>) -> Vec<Map<String, Value>> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|item| item.as_object().cloned().unwrap_or_default()).collect())
        .unwrap_or_default()
}

fn list_value(items: Vec<Map<String, Value>>) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.into_iter().map(Value::Object).collect()))
}

/// The list with field `name` of item `index` set (or removed for `None`).
pub fn set_item_field(
    value: Option<&Value>,
    index: usize,
    name: &str,
    field: Option<Value>,
) -> Option<Value> {
    let mut items = list_items(value);
    if let Some(item) = items.get_mut(index) {
        match field {
            Some(field) => item.insert(name.to_owned(), field),
            None => item.remove(name),
        };
    }
    list_value(items)
}

/// The list with an empty item appended.
pub fn add_item(value: Option<&Value>) -> Option<Value> {
    let mut items = list_items(value);
    items.push(Map::new());
    list_value(items)
}

/// The list without item `index`; `None` once it is empty.
pub fn remove_item(value: Option<&Value>, index: usize) -> Option<Value> {
    let mut items = list_items(value);
    if index < items.len() {
        items.remove(index);
    }
    list_value(items)
}

/// The list with item `index` moved one place up (towards the start).
pub fn move_item_up(value: Option<&Value>, index: usize) -> Option<Value> {
    let mut items = list_items(value);
    if index > 0 && index < items.len() {
        items.swap(index - 1, index);
    }
    list_value(items)
}

/// One key/value row of a map editor. Rows are kept apart from the option while typing, so a
/// key being typed does not jump (the document's objects keep keys sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRow {
    pub id: usize,
    pub key: String,
    pub value: String,
}

/// The rows of a map option, ids from 0.
pub fn map_rows(value: Option<&Value>) -> Vec<MapRow> {
    value
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .enumerate()
                .map(|(id, (key, value))| MapRow { id, key: key.clone(), value: value_text(Some(value)) })
                .collect()
        })
        .unwrap_or_default()
}

/// The map option the rows make: rows with an empty key are left out (still being typed), a
/// repeated key keeps its last value; `None` (removed) when no row counts.
pub fn rows_value(rows: &[MapRow]) -> Option<Value> {
    let map: Map<String, Value> = rows
        .iter()
        .filter(|row| !row.key.trim().is_empty())
        .map(|row| (row.key.trim().to_owned(), Value::String(row.value.clone())))
        .collect();
    (!map.is_empty()).then_some(Value::Object(map))
}

/// A value in one line, for diffs and grids: strings bare, the rest as compact JSON, cut at
/// `max` characters.
pub fn short_value(value: &Value, max: usize) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_parameters_and_mistakes() {
        assert_eq!(parse_number("", true), Ok(None));
        assert_eq!(parse_number(" 42 ", true), Ok(Some(json!(42))));
        assert_eq!(parse_number("${count}", true), Ok(Some(json!("${count}"))));
        assert!(parse_number("4.5", true).unwrap_err().contains("whole number"));
        assert_eq!(parse_number("4.5", false), Ok(Some(json!(4.5))));
        assert_eq!(parse_number("5", false), Ok(Some(json!(5))));
        assert!(parse_number("five", false).is_err());
        assert!(parse_number("NaN", false).is_err());
        assert!(!is_parameter("${}"));
    }

    #[test]
    fn parameters_follow_their_type() {
        assert_eq!(parse_parameter("", ParameterType::String), Ok(None));
        assert_eq!(parse_parameter(" a ", ParameterType::String), Ok(Some(json!(" a "))));
        assert_eq!(parse_parameter("7", ParameterType::Integer), Ok(Some(json!(7))));
        assert_eq!(parse_parameter("true", ParameterType::Boolean), Ok(Some(json!(true))));
        assert!(parse_parameter("yes", ParameterType::Boolean).is_err());
    }

    #[test]
    fn text_of_values() {
        assert_eq!(value_text(None), "");
        assert_eq!(value_text(Some(&json!("a b"))), "a b");
        assert_eq!(value_text(Some(&json!(3))), "3");
        assert_eq!(value_text(Some(&json!(true))), "true");
        assert_eq!(short_value(&json!({"a": 1}), 20), r#"{"a":1}"#);
        assert_eq!(short_value(&json!("abcdef"), 4), "abc…");
    }

    #[test]
    fn field_lists() {
        assert_eq!(field_names(Some(&json!(["a", 1, "b"]))), ["a", "b"]);
        assert!(field_names(Some(&json!("a"))).is_empty());
        assert_eq!(fields_value(&["x".into()]), Some(json!(["x"])));
        assert_eq!(fields_value(&[]), None);
        assert_eq!(parse_field_list(" a, ,b ,"), ["a", "b"]);
    }

    #[test]
    fn list_items_are_edited_in_place() {
        let list = json!([{"port": "high", "predicate": "a > 1"}, {"port": "low"}]);
        let set = set_item_field(Some(&list), 1, "predicate", Some(json!("a <= 1")));
        assert_eq!(
            set,
            Some(json!([{"port": "high", "predicate": "a > 1"}, {"port": "low", "predicate": "a <= 1"}]))
        );
        let cleared = set_item_field(Some(&list), 0, "predicate", None);
        assert_eq!(cleared, Some(json!([{"port": "high"}, {"port": "low"}])));
        assert_eq!(add_item(None), Some(json!([{}])));
        assert_eq!(
            move_item_up(Some(&list), 1),
            Some(json!([{"port": "low"}, {"port": "high", "predicate": "a > 1"}]))
        );
        assert_eq!(move_item_up(Some(&list), 0), Some(list.clone()));
        assert_eq!(remove_item(Some(&json!([{}])), 0), None);
        assert_eq!(remove_item(Some(&list), 5), Some(list));
    }

    #[test]
    fn map_rows_round_trip_and_skip_blank_keys() {
        let map = json!({"b": "2", "a": "1"});
        let mut rows = map_rows(Some(&map));
        // The object's own order (insertion or sorted, depending on serde_json's features).
        let mut keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(rows_value(&rows), Some(map));
        rows.push(MapRow { id: 9, key: " ".into(), value: "x".into() });
        if let Some(row) = rows.iter_mut().find(|r| r.key == "a") {
            row.key = "z".into();
        }
        assert_eq!(rows_value(&rows), Some(json!({"z": "1", "b": "2"})));
        assert_eq!(rows_value(&[]), None);
    }
}
