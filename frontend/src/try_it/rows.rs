//! The request rows of the try-it console, edited either as a table (one text cell per input
//! field) or as JSON text, and the conversions between the two and into records.

use std::fmt;

use serde_json::{Map, Value};

use super::values::{InputField, cell_text, parse_cell};

/// A table of cell text, one column per input field. Rows have ids that stay the same while rows
/// around them come and go, so the page can key its inputs by them and keep focus while typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowTable {
    fields: Vec<InputField>,
    rows: Vec<TableRow>,
    next_id: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct TableRow {
    id: usize,
    cells: Vec<String>,
}

/// A cell whose text does not fit its field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// 1-based, as the person counts rows on screen.
    pub row: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Row {}, {}: {}.", self.row, self.field, self.message)
    }
}

impl RowTable {
    /// One empty row to start with: a service is mostly tried with one record.
    pub fn new(fields: Vec<InputField>) -> Self {
        let mut table = Self { fields, rows: Vec::new(), next_id: 0 };
        table.add_row();
        table
    }

    /// A table holding `records`, or why they cannot be edited as one: a field the input does
    /// not declare, or a list or object where a cell holds one value.
    pub fn from_records(fields: Vec<InputField>, records: &[Map<String, Value>]) -> Result<Self, String> {
        let mut table = Self { fields, rows: Vec::new(), next_id: 0 };
        for (index, record) in records.iter().enumerate() {
            if let Some(unknown) = record.keys().find(|key| table.column(key).is_none()) {
                return Err(format!(
                    "row {} has a field “{unknown}” that the input does not declare",
                    index + 1
                ));
            }
            let mut cells = Vec::with_capacity(table.fields.len());
            for field in &table.fields {
                let value = record.get(&field.name).unwrap_or(&Value::Null);
                let text = cell_text(value).ok_or_else(|| {
                    format!(
                        "row {}, {} holds a list or an object, which a cell cannot",
                        index + 1,
                        field.name
                    )
                })?;
                cells.push(text);
            }
            table.push(cells);
        }
        Ok(table)
    }

    /// The raw editor's text as a table, for switching from JSON to the table.
    pub fn from_json_text(fields: Vec<InputField>, text: &str) -> Result<Self, String> {
        Self::from_records(fields, &parse_records_json(text)?)
    }

    /// The table as the raw editor's text, for switching from the table to JSON; it must hold
    /// valid cells, as the JSON would otherwise say something else than the table.
    pub fn to_json_text(&self) -> Result<String, Vec<CellProblem>> {
        self.to_records().map(|records| records_json(&records))
    }

    pub fn fields(&self) -> &[InputField] {
        &self.fields
    }

    /// The ids of the rows, top to bottom.
    pub fn row_ids(&self) -> Vec<usize> {
        self.rows.iter().map(|row| row.id).collect()
    }

    pub fn add_row(&mut self) -> usize {
        self.push(vec![String::new(); self.fields.len()])
    }

    pub fn remove_row(&mut self, id: usize) {
        self.rows.retain(|row| row.id != id);
    }

    /// The text of one cell; empty for a row or field that is not there.
    pub fn cell(&self, id: usize, field: &str) -> &str {
        let column = self.column(field);
        self.row(id).and_then(|row| row.cells.get(column?)).map_or("", String::as_str)
    }

    pub fn set_cell(&mut self, id: usize, field: &str, text: String) {
        let Some(column) = self.column(field) else {
            return;
        };
        if let Some(cell) =
            self.rows.iter_mut().find(|row| row.id == id).and_then(|row| row.cells.get_mut(column))
        {
            *cell = text;
        }
    }

    /// The records the table stands for, or every cell that does not fit its type.
    pub fn to_records(&self) -> Result<Vec<Map<String, Value>>, Vec<CellProblem>> {
        let mut records = Vec::with_capacity(self.rows.len());
        let mut problems = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            let mut record = Map::new();
            for (field, text) in self.fields.iter().zip(&row.cells) {
                match parse_cell(field.field_type, text) {
                    Ok(value) => {
                        record.insert(field.name.clone(), value);
                    }
                    Err(message) => {
                        problems.push(CellProblem { row: index + 1, field: field.name.clone(), message });
                    }
                }
            }
            records.push(record);
        }
        if problems.is_empty() { Ok(records) } else { Err(problems) }
    }

    fn push(&mut self, cells: Vec<String>) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        self.rows.push(TableRow { id, cells });
        id
    }

    fn row(&self, id: usize) -> Option<&TableRow> {
        self.rows.iter().find(|row| row.id == id)
    }

    fn column(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|candidate| candidate.name == field)
    }
}

/// Records as the JSON text the raw editor shows: an array, one object per record.
pub fn records_json(records: &[Map<String, Value>]) -> String {
    serde_json::to_string_pretty(records).unwrap_or_else(|_| "[]".to_owned())
}

/// The raw editor's text as records: a JSON array of objects.
pub fn parse_records_json(text: &str) -> Result<Vec<Map<String, Value>>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("the rows are not valid JSON: {error}"))?;
    let Value::Array(items) = value else {
        return Err("the rows must be a JSON array of objects, such as [{\"name\": \"Ada\"}]".into());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::Object(record) => Ok(record),
            _ => Err(format!("row {} is not a JSON object", index + 1)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::try_it::FieldType;

    fn fields() -> Vec<InputField> {
        [("sku", FieldType::String), ("qty", FieldType::Integer), ("rush", FieldType::Boolean)]
            .map(|(name, field_type)| InputField { name: name.into(), field_type })
            .into()
    }

    fn records(value: Value) -> Vec<Map<String, Value>> {
        serde_json::from_value(value).expect("test records")
    }

    #[test]
    fn a_new_table_has_one_empty_row_of_nulls() {
        let table = RowTable::new(fields());
        assert_eq!(table.row_ids(), [0]);
        assert_eq!(table.to_records(), Ok(records(json!([{"sku": null, "qty": null, "rush": null}]))));
    }

    #[test]
    fn typed_cells_become_typed_records() {
        let mut table = RowTable::new(fields());
        table.set_cell(0, "sku", "A-1".into());
        table.set_cell(0, "qty", "3".into());
        let second = table.add_row();
        table.set_cell(second, "rush", "true".into());
        table.set_cell(second, "nope", "ignored".into());
        let expected = json!([
            {"sku": "A-1", "qty": 3, "rush": null},
            {"sku": null, "qty": null, "rush": true}
        ]);
        assert_eq!(table.to_records(), Ok(records(expected)));
        assert_eq!(table.cell(second, "rush"), "true");
        assert_eq!(table.cell(99, "rush"), "");
    }

    #[test]
    fn row_ids_survive_removing_rows_around_them() {
        let mut table = RowTable::new(fields());
        let second = table.add_row();
        let third = table.add_row();
        table.set_cell(third, "sku", "kept".into());
        table.remove_row(second);
        assert_eq!(table.row_ids(), [0, third]);
        assert_eq!(table.cell(third, "sku"), "kept");
        // Ids are not reused, so a removed row's inputs never come back with new text.
        assert_eq!(table.add_row(), 3);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_on_screen() {
        let mut table = RowTable::new(fields());
        let second = table.add_row();
        table.remove_row(0);
        table.set_cell(second, "qty", "many".into());
        table.set_cell(second, "rush", "maybe".into());
        let problems = table.to_records().expect_err("two bad cells");
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["Row 1, qty: “many” is not a whole number.", "Row 1, rush: “maybe” is not true or false."]
        );
    }

    #[test]
    fn records_round_trip_through_the_table() {
        let given = records(json!([{"sku": "A-1", "qty": 3}, {"rush": false}]));
        let table = RowTable::from_records(fields(), &given).expect("fits the table");
        let expected = json!([
            {"sku": "A-1", "qty": 3, "rush": null},
            {"sku": null, "qty": null, "rush": false}
        ]);
        assert_eq!(table.to_records(), Ok(records(expected)));
    }

    #[test]
    fn records_that_do_not_fit_the_table_say_why() {
        let unknown = records(json!([{"sku": "a"}, {"colour": "red"}]));
        assert_eq!(
            RowTable::from_records(fields(), &unknown),
            Err("row 2 has a field “colour” that the input does not declare".into())
        );
        let nested = records(json!([{"sku": ["a", "b"]}]));
        assert!(RowTable::from_records(fields(), &nested).is_err());
    }

    #[test]
    fn the_editors_switch_through_json_text() {
        let mut table = RowTable::new(fields());
        table.set_cell(0, "qty", "7".into());
        let text = table.to_json_text().expect("valid cells");
        let back = RowTable::from_json_text(fields(), &text).expect("fits the table");
        assert_eq!(back.to_records(), table.to_records());
        table.set_cell(0, "qty", "seven".into());
        assert!(table.to_json_text().is_err());
        assert!(RowTable::from_json_text(fields(), "[1]").is_err());
    }

    #[test]
    fn raw_json_must_be_an_array_of_objects() {
        assert_eq!(parse_records_json(r#"[{"sku": "a"}]"#), Ok(records(json!([{"sku": "a"}]))));
        assert_eq!(parse_records_json("[]"), Ok(vec![]));
        assert!(parse_records_json(r#"{"sku": "a"}"#).is_err_and(|e| e.contains("JSON array of objects")));
        assert_eq!(parse_records_json(r#"[{"a": 1}, 2]"#), Err("row 2 is not a JSON object".into()));
        assert!(parse_records_json("[{").is_err_and(|e| e.starts_with("the rows are not valid JSON")));
    }

    #[test]
    fn json_text_reads_back_as_the_same_records() {
        let given = records(json!([{"qty": 3, "sku": "A-1"}]));
        assert_eq!(parse_records_json(&records_json(&given)), Ok(given));
    }
}
