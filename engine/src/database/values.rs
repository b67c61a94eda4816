//! Values between the databases and arrow: the arrow type of each result column ([`Kind`]),
//! one value as a driver decodes it ([`Cell`]), and the builders that gather a batch, converting
//! where the database is loose about types (SQLite keeps dates and numbers as text).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::DataFusionError;
use rust_decimal::prelude::ToPrimitive;
use sqlx::{Row, TypeInfo, ValueRef};

/// The arrow type a result column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
    Float,
    Text,
    Date,
    Timestamp,
}

impl Kind {
    pub(crate) fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::Float => DataType::Float64,
            Kind::Text => DataType::Utf8,
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        }
    }

    /// The column type names of the three databases (as sqlx names them). Decimals become
    /// floating point; time zones are converted to UTC.
    pub(crate) fn of(type_name: &str) -> Option<Kind> {
        let name = type_name.to_ascii_uppercase();
        let name = name.trim_end_matches(" UNSIGNED");
        Some(match name {
            "BOOL" | "BOOLEAN" => Kind::Bool,
            "INT2" | "INT4" | "INT8" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "INTEGER"
            | "BIGINT" | "YEAR" => Kind::Int,
            "FLOAT4" | "FLOAT8" | "FLOAT" | "DOUBLE" | "REAL" | "NUMERIC" | "DECIMAL" => Kind::Float,
            "TEXT" | "VARCHAR" | "BPCHAR" | "CHAR" | "NAME" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT"
            | "ENUM" | "SET" | "TIME" | "NULL" => Kind::Text,
            "DATE" => Kind::Date,
            "TIMESTAMP" | "TIMESTAMPTZ" | "DATETIME" => Kind::Timestamp,
            _ => return None,
        })
    }
}

/// One value as it came from the database, before it goes into its column's builder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

pub(crate) type CellResult = Result<Cell, sqlx::Error>;

pub(crate) fn pg_cell(row: &sqlx::postgres::PgRow, i: usize) -> CellResult {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = row.try_get_raw(i)?.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "BOOL" => Cell::Bool(row.try_get(i)?),
        "INT2" => Cell::Int(row.try_get::<i16, _>(i)?.into()),
        "INT4" => Cell::Int(row.try_get::<i32, _>(i)?.into()),
        "INT8" => Cell::Int(row.try_get(i)?),
        "FLOAT4" => Cell::Float(row.try_get::<f32, _>(i)?.into()),
        "FLOAT8" => Cell::Float(row.try_get(i)?),
        "NUMERIC" => Cell::Float(row.try_get::<rust_decimal::Decimal, _>(i)?.to_f64().unwrap_or(f64::NAN)),
        "DATE" => Cell::Date(row.try_get(i)?),
        "TIMESTAMP" => Cell::Timestamp(row.try_get(i)?),
        "TIMESTAMPTZ" => Cell::Timestamp(row.try_get::<DateTime<Utc>, _>(i)?.naive_utc()),
        _ => Cell::Text(row.try_get(i)?),
    })
}

pub(crate) fn mysql_cell(row: &sqlx::mysql::MySqlRow, i: usize) -> CellResult {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "BOOLEAN" => Cell::Bool(row.try_get(i)?),
        name if name.ends_with("INT UNSIGNED") || name == "YEAR" => {
            let value: u64 = row.try_get(i)?;
            Cell::Int(i64::try_from(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))?)
        }
        "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => Cell::Int(row.try_get(i)?),
        "FLOAT" => Cell::Float(row.try_get::<f32, _>(i)?.into()),
        "DOUBLE" => Cell::Float(row.try_get(i)?),
        "DECIMAL" => Cell::Float(row.try_get::<rust_decimal::Decimal, _>(i)?.to_f64().unwrap_or(f64::NAN)),
        "DATE" => Cell::Date(row.try_get(i)?),
        "DATETIME" => Cell::Timestamp(row.try_get(i)?),
        "TIMESTAMP" => Cell::Timestamp(row.try_get::<DateTime<Utc>, _>(i)?.naive_utc()),
        _ => Cell::Text(row.try_get(i)?),
    })
}

/// SQLite values carry their own storage class; columns convert them to their kind.
pub(crate) fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, i: usize) -> CellResult {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    Ok(match type_name.as_str() {
        "INTEGER" | "BOOLEAN" => Cell::Int(row.try_get(i)?),
        "REAL" | "NUMERIC" => Cell::Float(row.try_get(i)?),
        _ => Cell::Text(row.try_get_unchecked(i)?),
    })
}

/// Arrow builders for the columns of the batch being gathered.
enum Builder {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
}

pub(crate) struct Columns {
    builders: Vec<Builder>,
    pub(crate) rows: usize,
}

pub(crate) const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|t| t.naive_utc()))
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
}

impl Columns {
    pub(crate) fn new(kinds: &[Kind]) -> Self {
        let builders = kinds
            .iter()
            .map(|kind| match kind {
                Kind::Bool => Builder::Bool(BooleanBuilder::new()),
                Kind::Int => Builder::Int(Int64Builder::new()),
                Kind::Float => Builder::Float(Float64Builder::new()),
                Kind::Text => Builder::Text(StringBuilder::new()),
                Kind::Date => Builder::Date(Date32Builder::new()),
                Kind::Timestamp => Builder::Timestamp(TimestampMicrosecondBuilder::new()),
            })
            .collect();
        Self { builders, rows: 0 }
    }

    /// Add `cell` to column `i`, converting it to the column's type; the last column of a row
    /// completes it.
    pub(crate) fn push(&mut self, i: usize, cell: Cell, schema: &Schema) -> Result<(), String> {
        let wrong =
            |cell: &Cell| format!("field {:?}: {cell:?} does not fit its type", schema.field(i).name());
        let Some(builder) = self.builders.get_mut(i) else { return Ok(()) };
        match (builder, cell) {
            (Builder::Bool(b), Cell::Null) => b.append_null(),
            (Builder::Int(b), Cell::Null) => b.append_null(),
            (Builder::Float(b), Cell::Null) => b.append_null(),
            (Builder::Text(b), Cell::Null) => b.append_null(),
            (Builder::Date(b), Cell::Null) => b.append_null(),
            (Builder::Timestamp(b), Cell::Null) => b.append_null(),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Builder::Bool(b), Cell::Int(v)) => b.append_value(v != 0),
            (Builder::Int(b), Cell::Int(v)) => b.append_value(v),
            (Builder::Int(b), Cell::Bool(v)) => b.append_value(i64::from(v)),
            (Builder::Int(b), Cell::Text(t)) => {
                b.append_value(t.trim().parse().map_err(|_| wrong(&Cell::Text(t)))?)
            }
            (Builder::Float(b), Cell::Float(v)) => b.append_value(v),
            (Builder::Float(b), Cell::Int(v)) => b.append_value(v as f64),
            (Builder::Float(b), Cell::Text(t)) => {
                b.append_value(t.trim().parse().map_err(|_| wrong(&Cell::Text(t)))?)
            }
            (Builder::Text(b), Cell::Text(t)) => b.append_value(t),
            (Builder::Text(b), cell) => b.append_value(match cell {
                Cell::Bool(v) => v.to_string(),
                Cell::Int(v) => v.to_string(),
                Cell::Float(v) => v.to_string(),
                Cell::Date(v) => v.to_string(),
                Cell::Timestamp(v) => v.to_string(),
                Cell::Null | Cell::Text(_) => String::new(),
            }),
            (Builder::Date(b), Cell::Date(d)) => b.append_value((d - EPOCH).num_days() as i32),
            (Builder::Date(b), Cell::Timestamp(t)) => b.append_value((t.date() - EPOCH).num_days() as i32),
            (Builder::Date(b), Cell::Text(t)) => {
                let date = NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                    .ok()
                    .or_else(|| parse_timestamp(t.trim()).map(|t| t.date()))
                    .ok_or_else(|| wrong(&Cell::Text(t.clone())))?;
                b.append_value((date - EPOCH).num_days() as i32)
            }
            (Builder::Timestamp(b), Cell::Timestamp(t)) => b.append_value(t.and_utc().timestamp_micros()),
            (Builder::Timestamp(b), Cell::Date(d)) => {
                b.append_value(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_micros())
            }
            (Builder::Timestamp(b), Cell::Text(t)) => {
                let at = parse_timestamp(t.trim()).ok_or_else(|| wrong(&Cell::Text(t.clone())))?;
                b.append_value(at.and_utc().timestamp_micros())
            }
            (_, cell) => return Err(wrong(&cell)),
        }
        if i + 1 == self.builders.len() {
            self.rows += 1;
        }
        Ok(())
    }

    pub(crate) fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, DataFusionError> {
        let arrays: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Bool(b) => Arc::new(b.finish()),
                    Builder::Int(b) => Arc::new(b.finish()),
                    Builder::Float(b) => Arc::new(b.finish()),
                    Builder::Text(b) => Arc::new(b.finish()),
                    Builder::Date(b) => Arc::new(b.finish()),
                    Builder::Timestamp(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(schema.clone(), arrays).map_err(DataFusionError::from)
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::datatypes::Field;

    use super::*;

    #[test]
    fn column_types_of_every_database_map_to_arrow() {
        assert_eq!(Kind::of("INT4"), Some(Kind::Int));
        assert_eq!(Kind::of("BIGINT UNSIGNED"), Some(Kind::Int));
        assert_eq!(Kind::of("NUMERIC"), Some(Kind::Float));
        assert_eq!(Kind::of("TIMESTAMPTZ"), Some(Kind::Timestamp));
        assert_eq!(Kind::of("varchar"), Some(Kind::Text));
        assert_eq!(Kind::of("BYTEA"), None);
    }

    #[test]
    fn text_values_convert_to_their_column_type() {
        let schema = Schema::new(vec![
            Field::new("d", DataType::Date32, true),
            Field::new("n", DataType::Int64, true),
        ]);
        let mut columns = Columns::new(&[Kind::Date, Kind::Int]);
        columns.push(0, Cell::Text("2024-02-03".into()), &schema).unwrap();
        columns.push(1, Cell::Text("12".into()), &schema).unwrap();
        assert_eq!(columns.rows, 1);
        assert!(columns.push(1, Cell::Text("twelve".into()), &schema).is_err());
    }
}
