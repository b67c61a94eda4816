//! Typed values of the try-it console: the fields a service's input stage declares, the text a
//! person types into a cell or a parameter as the JSON value the API expects, and JSON values
//! back as text for cells and the response grid.

use std::collections::BTreeMap;

use model::{DataflowDocument, Parameter, ParameterType};
use serde_json::{Map, Number, Value};

use crate::wall_clock::is_calendar_date;

/// The stage type whose `options.fields` declare a service's input.
const INPUT_STAGE: &str = "input";

/// The field types of the catalog's `input` stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Timestamp,
}

impl FieldType {
    /// An unknown type is edited as text: the server says what it expected if that is wrong.
    pub fn parse(name: &str) -> Self {
        match name {
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "date" => Self::Date,
            "timestamp" => Self::Timestamp,
            _ => Self::String,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::Timestamp => "timestamp",
        }
    }

    /// What an empty input shows, as an example of the expected form.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::String => "",
            Self::Integer => "42",
            Self::Number => "3.14",
            Self::Boolean => "true",
            Self::Date => "2025-06-01",
            Self::Timestamp => "2025-06-01T14:30:00",
        }
    }

    /// The `inputmode` that brings up the right on-screen keyboard.
    pub fn input_mode(self) -> &'static str {
        match self {
            Self::Integer => "numeric",
            Self::Number => "decimal",
            _ => "text",
        }
    }
}

/// One field of the service's input records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputField {
    pub name: String,
    pub field_type: FieldType,
}

/// The fields the document's input stage declares, in order; none when there is no input stage
/// or it declares no (well-formed) fields.
pub fn input_fields(document: &DataflowDocument) -> Vec<InputField> {
    let Some(stage) = document.stages.iter().find(|stage| stage.stage_type == INPUT_STAGE) else {
        return Vec::new();
    };
    let Some(Value::Array(fields)) = stage.options.get("fields") else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|field| {
            let name = field.get("name")?.as_str()?;
            let field_type =
                field.get("type").and_then(Value::as_str).map_or(FieldType::String, FieldType::parse);
            Some(InputField { name: name.to_owned(), field_type })
        })
        .collect()
}

/// A cell's text as the value of a field of `field_type`. Every input field may be null, and an
/// empty cell is null: there is no other way to write "no value" in a text box.
pub fn parse_cell(field_type: FieldType, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    match field_type {
        // Text is sent as typed: spaces at the ends may be what the service is tried with.
        FieldType::String => Ok(Value::String(text.to_owned())),
        FieldType::Integer => {
            trimmed.parse::<i64>().map(Value::from).map_err(|_| format!("“{trimmed}” is not a whole number"))
        }
        FieldType::Number => parse_number(trimmed),
        FieldType::Boolean => parse_boolean(trimmed),
        FieldType::Date if is_calendar_date(trimmed) => Ok(Value::String(trimmed.to_owned())),
        FieldType::Date => Err(format!("“{trimmed}” is not a date (YYYY-MM-DD)")),
        FieldType::Timestamp if is_timestamp(trimmed) => Ok(Value::String(trimmed.to_owned())),
        FieldType::Timestamp => Err(format!("“{trimmed}” is not a date and time (YYYY-MM-DDTHH:MM:SS)")),
    }
}

/// A parameter's text as its value, or `None` when it is empty and the dataflow's default applies.
pub fn parse_parameter(parameter_type: ParameterType, text: &str) -> Result<Option<Value>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let field_type = match parameter_type {
        ParameterType::String => FieldType::String,
        ParameterType::Integer => FieldType::Integer,
        ParameterType::Number => FieldType::Number,
        ParameterType::Boolean => FieldType::Boolean,
    };
    parse_cell(field_type, text).map(Some)
}

/// The parameters to send: those with text, typed; every problem at once, naming the parameter.
pub fn request_parameters(
    declared: &[Parameter],
    texts: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Value>, Vec<String>> {
    let mut values = BTreeMap::new();
    let mut problems = Vec::new();
    for parameter in declared {
        let text = texts.get(&parameter.name).map_or("", String::as_str);
        match parse_parameter(parameter.param_type, text) {
            Ok(Some(value)) => {
                values.insert(parameter.name.clone(), value);
            }
            Ok(None) => {}
            Err(problem) => problems.push(format!("Parameter {}: {problem}.", parameter.name)),
        }
    }
    if problems.is_empty() { Ok(values) } else { Err(problems) }
}

/// A value as cell text, the inverse of [`parse_cell`] for the values it makes; `None` for lists
/// and objects, which a cell cannot hold.
pub fn cell_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(text) => Some(text.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A response value as the grid shows it: text as is, lists and objects as compact JSON.
pub fn display_value(value: &Value) -> String {
    cell_text(value).unwrap_or_else(|| value.to_string())
}

/// The response grid's columns: the input fields the rows carry, in declared order (services
/// mostly pass them through), then every other field, by name.
pub fn grid_columns(rows: &[Map<String, Value>], fields: &[InputField]) -> Vec<String> {
    let mut columns: Vec<String> = fields
        .iter()
        .filter(|field| rows.iter().any(|row| row.contains_key(&field.name)))
        .map(|field| field.name.clone())
        .collect();
    let mut others: Vec<&String> =
        rows.iter().flat_map(Map::keys).filter(|key| !columns.contains(key)).collect();
    others.sort();
    others.dedup();
    columns.extend(others.into_iter().cloned());
    columns
}

/// A field or parameter name as part of an element id: HTML ids hold no spaces, and keeping to
/// letters, digits, `-` and `_` keeps them easy to write in CSS selectors too.
pub fn id_part(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

fn parse_number(text: &str) -> Result<Value, String> {
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| format!("“{text}” is not a number"))
}

fn parse_boolean(text: &str) -> Result<Value, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(format!("“{text}” is not true or false")),
    }
}

/// A date, alone or followed by a time of day (`T` or a space, then `HH:MM`, then anything the
/// server accepts: seconds, fractions, `Z` or an offset).
fn is_timestamp(text: &str) -> bool {
    let (Some(date), Some(rest)) = (text.get(..10), text.get(10..)) else {
        return false;
    };
    if !is_calendar_date(date) {
        return false;
    }
    let Some(time) = rest.strip_prefix(['T', ' ']) else {
        return rest.is_empty();
    };
    let digits = |range: std::ops::Range<usize>| {
        time.get(range).is_some_and(|part| part.bytes().all(|b| b.is_ascii_digit()))
    };
    digits(0..2) && time.get(2..3) == Some(":") && digits(3..5)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn cells_become_values_of_their_field_type() {
        assert_eq!(parse_cell(FieldType::String, " Ada "), Ok(json!(" Ada ")));
        assert_eq!(parse_cell(FieldType::Integer, " 42 "), Ok(json!(42)));
        assert_eq!(parse_cell(FieldType::Integer, "-7"), Ok(json!(-7)));
        assert_eq!(parse_cell(FieldType::Number, "2.5"), Ok(json!(2.5)));
        assert_eq!(parse_cell(FieldType::Number, "1e3"), Ok(json!(1000.0)));
        assert_eq!(parse_cell(FieldType::Boolean, "TRUE"), Ok(json!(true)));
        assert_eq!(parse_cell(FieldType::Boolean, "false"), Ok(json!(false)));
        assert_eq!(parse_cell(FieldType::Date, "2024-02-29"), Ok(json!("2024-02-29")));
        assert_eq!(
            parse_cell(FieldType::Timestamp, "2025-06-01T14:30:00Z"),
            Ok(json!("2025-06-01T14:30:00Z"))
        );
        assert_eq!(parse_cell(FieldType::Timestamp, "2025-06-01 14:30"), Ok(json!("2025-06-01 14:30")));
    }

    #[test]
    fn empty_cells_are_null_whatever_the_type() {
        for field_type in [FieldType::String, FieldType::Integer, FieldType::Boolean, FieldType::Date] {
            assert_eq!(parse_cell(field_type, "  "), Ok(Value::Null));
        }
    }

    #[test]
    fn wrong_text_says_what_was_expected() {
        assert_eq!(parse_cell(FieldType::Integer, "4.5"), Err("“4.5” is not a whole number".into()));
        assert_eq!(parse_cell(FieldType::Number, "abc"), Err("“abc” is not a number".into()));
        assert_eq!(parse_cell(FieldType::Number, "NaN"), Err("“NaN” is not a number".into()));
        assert_eq!(parse_cell(FieldType::Boolean, "yes"), Err("“yes” is not true or false".into()));
        assert!(parse_cell(FieldType::Date, "2025-02-30").is_err());
        assert!(parse_cell(FieldType::Timestamp, "2025-06-01T2").is_err());
        assert!(parse_cell(FieldType::Timestamp, "yesterday").is_err());
    }

    #[test]
    fn unknown_types_are_text() {
        assert_eq!(FieldType::parse("decimal"), FieldType::String);
        for name in ["string", "integer", "number", "boolean", "date", "timestamp"] {
            assert_eq!(FieldType::parse(name).as_str(), name);
        }
    }

    #[test]
    fn the_input_stage_declares_the_fields() {
        let document: DataflowDocument = serde_json::from_value(json!({
            "name": "price-check", "kind": "service",
            "stages": [
                {"id": "out", "type": "output", "options": {}},
                {"id": "in", "type": "input", "options": {"fields": [
                    {"name": "sku", "type": "string"},
                    {"name": "qty", "type": "integer"},
                    {"type": "number"}
                ]}}
            ],
            "edges": [{"from": "in", "to": "out"}]
        }))
        .expect("test document");
        let fields = input_fields(&document);
        let expected = [("sku", FieldType::String), ("qty", FieldType::Integer)]
            .map(|(name, field_type)| InputField { name: name.into(), field_type });
        assert_eq!(fields, expected);
    }

    #[test]
    fn parameters_with_text_are_sent_typed() {
        let declared: Vec<Parameter> = serde_json::from_value(json!([
            {"name": "limit", "type": "integer", "default": 10},
            {"name": "region"},
            {"name": "strict", "type": "boolean"}
        ]))
        .expect("test parameters");
        let texts =
            BTreeMap::from([("limit".to_owned(), "5".to_owned()), ("region".to_owned(), "".to_owned())]);
        assert_eq!(request_parameters(&declared, &texts), Ok(BTreeMap::from([("limit".into(), json!(5))])));
        let wrong =
            BTreeMap::from([("limit".to_owned(), "five".to_owned()), ("strict".to_owned(), "y".to_owned())]);
        assert_eq!(
            request_parameters(&declared, &wrong),
            Err(vec![
                "Parameter limit: “five” is not a whole number.".to_owned(),
                "Parameter strict: “y” is not true or false.".to_owned(),
            ])
        );
    }

    #[test]
    fn values_read_back_as_text() {
        assert_eq!(cell_text(&json!(null)).as_deref(), Some(""));
        assert_eq!(cell_text(&json!("Ada")).as_deref(), Some("Ada"));
        assert_eq!(cell_text(&json!(2.5)).as_deref(), Some("2.5"));
        assert_eq!(cell_text(&json!(true)).as_deref(), Some("true"));
        assert_eq!(cell_text(&json!([1])), None);
        assert_eq!(display_value(&json!({"a": 1})), r#"{"a":1}"#);
    }

    #[test]
    fn names_become_safe_id_parts() {
        assert_eq!(id_part("unit price"), "unit_price");
        assert_eq!(id_part("sku-2_b"), "sku-2_b");
        assert_eq!(id_part("prix.€"), "prix__");
    }

    #[test]
    fn grid_columns_put_the_input_fields_first() {
        let rows: Vec<Map<String, Value>> = serde_json::from_value(json!([
            {"total": 3, "sku": "a", "qty": 1},
            {"sku": "b", "qty": 2, "note": "late", "total": 4}
        ]))
        .expect("test rows");
        let fields = [("qty", FieldType::Integer), ("sku", FieldType::String), ("gone", FieldType::String)]
            .map(|(name, field_type)| InputField { name: name.into(), field_type });
        assert_eq!(grid_columns(&rows, &fields), ["qty", "sku", "note", "total"]);
        assert!(grid_columns(&[], &fields).is_empty());
    }
}
