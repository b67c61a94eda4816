//! The body of `POST /services/{name}` from what the console's editors hold.

use std::collections::BTreeMap;

use model::{Parameter, ServiceRequest};

use super::rows::{RowTable, parse_records_json};
use super::values::request_parameters;

/// Where the rows come from: the table editor or the raw JSON text.
#[derive(Debug, Clone, Copy)]
pub enum RowsInput<'a> {
    Table(&'a RowTable),
    Json(&'a str),
}

/// The request, or every problem at once as sentences (bad cells, JSON that does not parse,
/// parameters of the wrong type), so one Send shows all there is to fix.
pub fn build_request(
    rows: RowsInput<'_>,
    declared: &[Parameter],
    parameter_texts: &BTreeMap<String, String>,
) -> Result<ServiceRequest, Vec<String>> {
    let rows = match rows {
        RowsInput::Table(table) => {
            table.to_records().map_err(|problems| problems.iter().map(ToString::to_string).collect())
        }
        RowsInput::Json(text) => {
            parse_records_json(text).map_err(|problem| vec![crate::format::sentence(&problem)])
        }
    };
    let parameters = request_parameters(declared, parameter_texts);
    match (rows, parameters) {
        (Ok(rows), Ok(parameters)) => Ok(ServiceRequest { rows, parameters }),
        (rows, parameters) => Err(rows.err().into_iter().chain(parameters.err()).flatten().collect()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::try_it::{FieldType, InputField};

    fn declared() -> Vec<Parameter> {
        serde_json::from_value(
            json!([{"name": "currency", "default": "EUR"}, {"name": "max", "type": "number"}]),
        )
        .expect("test parameters")
    }

    fn table() -> RowTable {
        let fields = vec![InputField { name: "qty".into(), field_type: FieldType::Integer }];
        let mut table = RowTable::new(fields);
        table.set_cell(0, "qty", "2".into());
        table
    }

    #[test]
    fn the_body_carries_rows_and_the_parameters_given() {
        let texts = BTreeMap::from([("max".to_owned(), "9.5".to_owned())]);
        let request = build_request(RowsInput::Table(&table()), &declared(), &texts).expect("valid");
        let body = serde_json::to_value(&request).expect("serializes");
        assert_eq!(body, json!({"rows": [{"qty": 2}], "parameters": {"max": 9.5}}));
    }

    #[test]
    fn raw_json_rows_are_sent_as_written() {
        let request =
            build_request(RowsInput::Json(r#"[{"qty": "2", "extra": [1]}]"#), &declared(), &BTreeMap::new())
                .expect("valid");
        let body = serde_json::to_value(&request).expect("serializes");
        assert_eq!(body, json!({"rows": [{"qty": "2", "extra": [1]}], "parameters": {}}));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut bad_table = table();
        bad_table.set_cell(0, "qty", "two".into());
        let texts = BTreeMap::from([("max".to_owned(), "lots".to_owned())]);
        let problems = build_request(RowsInput::Table(&bad_table), &declared(), &texts).expect_err("invalid");
        assert_eq!(
            problems,
            ["Row 1, qty: “two” is not a whole number.", "Parameter max: “lots” is not a number."]
        );
        let problems =
            build_request(RowsInput::Json("{}"), &declared(), &BTreeMap::new()).expect_err("invalid");
        assert!(problems[0].starts_with("The rows must be a JSON array"), "{problems:?}");
    }
}
