//! The services page's try-it console without the DOM, unit-tested on the host: typed cell and
//! parameter text as JSON values ([`values`]), the row table and raw JSON editors ([`rows`]), and
//! the request body they build ([`request`]).

mod request;
mod rows;
mod values;

pub use request::{RowsInput, build_request};
pub use rows::{RowTable, records_json};
pub use values::{FieldType, InputField, display_value, grid_columns, id_part, input_fields, parse_cell};
