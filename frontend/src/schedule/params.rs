//! A schedule's parameters as rows of name and value text: numbers, `true`/`false`, `null` and
//! JSON are sent as such, anything else as text, and values read back into the same text.

use std::collections::BTreeMap;

use serde_json::Value;

/// One row of the parameter editor; `id` keys it on screen and is never reused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRow {
    pub id: usize,
    pub name: String,
    pub value: String,
}

/// The parameter rows with the id the next row gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamRows {
    rows: Vec<ParamRow>,
    next_id: usize,
}

impl ParamRows {
    pub fn from_parameters(parameters: &BTreeMap<String, Value>) -> Self {
        let mut rows = Self::default();
        for (name, value) in parameters {
            let id = rows.add();
            rows.set(id, Some(name.clone()), Some(text_of_value(value)));
        }
        rows
    }

    pub fn rows(&self) -> &[ParamRow] {
        &self.rows
    }

    /// Adds an empty row and returns its id.
    pub fn add(&mut self) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        self.rows.push(ParamRow { id, name: String::new(), value: String::new() });
        id
    }

    pub fn remove(&mut self, id: usize) {
        self.rows.retain(|row| row.id != id);
    }

    /// Replaces the name, the value or both of row `id`.
    pub fn set(&mut self, id: usize, name: Option<String>, value: Option<String>) {
        if let Some(row) = self.rows.iter_mut().find(|row| row.id == id) {
            if let Some(name) = name {
                row.name = name;
            }
            if let Some(value) = value {
                row.value = value;
            }
        }
    }

    /// The parameters to send; every problem (a value without a name, a name twice) at once.
    /// Rows left entirely empty are ignored.
    pub fn to_parameters(&self) -> Result<BTreeMap<String, Value>, Vec<String>> {
        let mut parameters = BTreeMap::new();
        let mut problems = Vec::new();
        for row in &self.rows {
            let name = row.name.trim();
            match (name.is_empty(), row.value.trim().is_empty()) {
                (true, true) => {}
                (true, false) => {
                    problems.push(format!("the value “{}” has no parameter name", row.value.trim()))
                }
                (false, _) if parameters.contains_key(name) => {
                    problems.push(format!("parameter {name} is given twice"));
                }
                (false, _) => {
                    parameters.insert(name.to_owned(), value_of_text(&row.value));
                }
            }
        }
        if problems.is_empty() { Ok(parameters) } else { Err(problems) }
    }
}

/// `42` is a number, `true` a boolean, `"42"` the text 42, `[1, 2]` an array, `orders.csv` text.
pub fn value_of_text(text: &str) -> Value {
    let trimmed = text.trim();
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value) if !trimmed.is_empty() => value,
        _ => Value::String(text.to_owned()),
    }
}

/// The inverse of [`value_of_text`]: text that would read as something else is quoted.
pub fn text_of_value(value: &Value) -> String {
    match value {
        Value::String(text) if matches!(value_of_text(text), Value::String(ref same) if same == text) => {
            text.clone()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_becomes_the_value_it_looks_like() {
        assert_eq!(value_of_text("42"), json!(42));
        assert_eq!(value_of_text(" true "), json!(true));
        assert_eq!(value_of_text("\"42\""), json!("42"));
        assert_eq!(value_of_text("[1, 2]"), json!([1, 2]));
        assert_eq!(value_of_text("incoming/orders.csv"), json!("incoming/orders.csv"));
        assert_eq!(value_of_text(""), json!(""));
    }

    #[test]
    fn values_read_back_as_the_text_that_makes_them() {
        for value in [
            json!(42),
            json!(1.5),
            json!(false),
            json!(null),
            json!("42"),
            json!("eu-west"),
            json!(" x "),
            json!({"a": [1]}),
        ] {
            assert_eq!(value_of_text(&text_of_value(&value)), value, "{value}");
        }
        assert_eq!(text_of_value(&json!("eu-west")), "eu-west");
        assert_eq!(text_of_value(&json!("true")), "\"true\"");
    }

    #[test]
    fn rows_become_parameters_and_back() {
        let parameters =
            BTreeMap::from([("region".to_owned(), json!("eu")), ("limit".to_owned(), json!(10))]);
        let mut rows = ParamRows::from_parameters(&parameters);
        assert_eq!(rows.to_parameters(), Ok(parameters));
        let blank = rows.add();
        assert_eq!(rows.rows().len(), 3);
        assert!(rows.to_parameters().is_ok(), "an empty row is ignored");
        rows.remove(blank);
        let added = rows.add();
        assert_eq!(added, 3, "ids are never reused");
    }

    #[test]
    fn every_row_problem_is_listed() {
        let mut rows = ParamRows::default();
        for (name, value) in [("a", "1"), ("", "orphan"), ("a", "2")] {
            let id = rows.add();
            rows.set(id, Some(name.into()), Some(value.into()));
        }
        let problems = rows.to_parameters().unwrap_err();
        assert_eq!(problems, ["the value “orphan” has no parameter name", "parameter a is given twice"]);
    }
}
