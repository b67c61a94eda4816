//! `match` and `parse_address`: stages whose work is Rust code over whole columns rather than
//! SQL. They gather their input (when only checking, none of it), compute, and hand the records
//! back to the plan with the new fields appended.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array, Int64Array, StringArray};
use datafusion::arrow::compute::{cast, concat_batches};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::DataFrame;

use super::{Purpose, StageContext};
use crate::error::{EngineError, EngineResult};
use crate::quality::{Comparison, Similarity, match_records};
use crate::{address, expr};

const KEY: &str = "__tributary_block";

fn df_err<'s>(sc: &'s StageContext<'_>) -> impl Fn(datafusion::error::DataFusionError) -> EngineError + 's {
    move |e| EngineError::from_datafusion(Some(sc.id()), e)
}

/// Every record of `df` as one batch (no records when only checking).
async fn gather(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<RecordBatch> {
    let df = if sc.purpose == Purpose::Check { df.limit(0, Some(0)).map_err(df_err(sc))? } else { df };
    let schema: Arc<Schema> = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await.map_err(df_err(sc))?;
    concat_batches(&schema, &batches)
        .map_err(|e| EngineError::engine(format!("joining batches failed: {e}")).in_stage(sc.id()))
}

fn text_column(
    sc: &StageContext<'_>,
    batch: &RecordBatch,
    option: &str,
    name: &str,
) -> EngineResult<StringArray> {
    let index = batch
        .schema()
        .index_of(name)
        .map_err(|_| EngineError::option(sc.id(), option, format!("no field {name:?}")))?;
    let as_text = cast(batch.column(index), &DataType::Utf8)
        .map_err(|e| EngineError::option(sc.id(), option, e.to_string()))?;
    as_text
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| EngineError::engine("text column has an unexpected type").in_stage(sc.id()))
}

/// Append `columns` to `batch` (without the helper key column) and return it as a frame.
fn extend(
    sc: &StageContext<'_>,
    batch: &RecordBatch,
    columns: Vec<(String, ArrayRef)>,
) -> EngineResult<DataFrame> {
    let mut fields: Vec<Field> = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        if field.name() != KEY {
            fields.push(field.as_ref().clone());
            arrays.push(array.clone());
        }
    }
    for (name, array) in columns {
        if fields.iter().any(|f| f.name() == &name) {
            return Err(EngineError::user(
                sc.id(),
                format!("the input already has a field {name:?}; rename it or set a prefix"),
            ));
        }
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    let out = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| EngineError::engine(format!("building records failed: {e}")).in_stage(sc.id()))?;
    sc.ctx.read_batch(out).map_err(df_err(sc))
}

pub(crate) async fn fuzzy_match(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let key = expr::parse(&df, sc.id(), "blocking_key", sc.options.str("blocking_key")?)?;
    let threshold = sc.options.f64_or("threshold", 0.9)?;
    if !(0.0..=1.0).contains(&threshold) {
        return Err(EngineError::option(sc.id(), "threshold", "threshold must be between 0 and 1"));
    }
    let fields = sc.options.list("fields")?;
    if fields.is_empty() {
        return Err(EngineError::option(sc.id(), "fields", "add at least one field to compare"));
    }
    let batch = gather(sc, df.with_column(KEY, key).map_err(df_err(sc))?).await?;
    let keys = text_column(sc, &batch, "blocking_key", KEY)?;
    let keys: Vec<Option<String>> = keys.iter().map(|k| k.map(str::to_owned)).collect();
    let mut columns = Vec::new();
    let mut specs = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let option = format!("fields[{i}]");
        columns.push(text_column(sc, &batch, &format!("{option}.field"), field.str("field")?)?);
        let similarity = Similarity::parse(field.str_or("similarity", "jaro_winkler")?).ok_or_else(|| {
            EngineError::option(sc.id(), &format!("{option}.similarity"), "use jaro_winkler or levenshtein")
        })?;
        specs.push((similarity, field.f64_or("weight", 1.0)?));
    }
    let comparisons: Vec<Comparison<'_>> = columns
        .iter()
        .zip(specs)
        .map(|(column, (similarity, weight))| Comparison {
            values: column.iter().collect(),
            similarity,
            weight,
        })
        .collect();
    let (groups, scores) = match_records(&keys, &comparisons, threshold);
    extend(
        sc,
        &batch,
        vec![
            ("match_group".into(), Arc::new(Int64Array::from(groups)) as ArrayRef),
            ("match_score".into(), Arc::new(Float64Array::from(scores)) as ArrayRef),
        ],
    )
}

pub(crate) async fn parse_address(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let field = sc.options.str("field")?.to_owned();
    let prefix = sc.options.str_or("prefix", "")?.to_owned();
    let batch = gather(sc, df).await?;
    let lines = text_column(sc, &batch, "field", &field)?;
    let parsed: Vec<address::Address> =
        lines.iter().map(|line| line.map(address::parse).unwrap_or_default()).collect();
    let part = |get: fn(&address::Address) -> &Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(parsed.iter().map(|a| get(a).clone()).collect::<Vec<_>>()))
    };
    let columns = vec![
        (format!("{prefix}number"), part(|a| &a.number)),
        (format!("{prefix}street"), part(|a| &a.street)),
        (format!("{prefix}unit"), part(|a| &a.unit)),
        (format!("{prefix}city"), part(|a| &a.city)),
        (format!("{prefix}region"), part(|a| &a.region)),
        (format!("{prefix}postcode"), part(|a| &a.postcode)),
        (format!("{prefix}country"), part(|a| &a.country)),
        (
            format!("{prefix}confidence"),
            Arc::new(Float64Array::from(parsed.iter().map(|a| a.confidence).collect::<Vec<_>>())) as ArrayRef,
        ),
    ];
    extend(sc, &batch, columns)
}
