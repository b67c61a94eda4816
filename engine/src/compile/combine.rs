//! Stages with several inputs: union (aligned by field name), join, lookup.

use std::collections::{BTreeMap, HashSet};

use datafusion::common::{Column, JoinType};
use datafusion::prelude::{DataFrame, Expr};

use super::{StageContext, StageInputs};
use crate::error::{EngineError, EngineResult};

fn df_err<'s>(sc: &'s StageContext<'_>) -> impl Fn(datafusion::error::DataFusionError) -> EngineError + 's {
    move |e| EngineError::from_datafusion(Some(sc.id()), e)
}

fn names(df: &DataFrame) -> Vec<String> {
    df.schema().fields().iter().map(|f| f.name().clone()).collect()
}

fn qualified(side: &str, name: &str) -> Expr {
    Expr::Column(Column::new(Some(side), name))
}

fn require(sc: &StageContext<'_>, df: &DataFrame, option: &str, field: &str, port: &str) -> EngineResult<()> {
    if df.schema().field_with_unqualified_name(field).is_ok() {
        return Ok(());
    }
    Err(EngineError::option(
        sc.id(),
        option,
        format!("{port} has no field {field:?} (fields: {})", names(df).join(", ")),
    ))
}

pub(crate) fn union(sc: &StageContext<'_>, mut inputs: StageInputs) -> EngineResult<DataFrame> {
    let mut frames = inputs.remove("in").unwrap_or_default().into_iter();
    let first = frames.next().ok_or_else(|| EngineError::user(sc.id(), "union needs at least one input"))?;
    frames.try_fold(first, |acc, next| acc.union_by_name(next)).map_err(df_err(sc))
}

/// Key pairs `(left option value, right option value)` of `keys`.
fn key_pairs(
    sc: &StageContext<'_>,
    left_name: &str,
    right_name: &str,
) -> EngineResult<Vec<(String, String)>> {
    let keys = sc.options.list("keys")?;
    if keys.is_empty() {
        return Err(EngineError::option(sc.id(), "keys", "add at least one pair of key fields"));
    }
    keys.iter().map(|k| Ok((k.str(left_name)?.to_owned(), k.str(right_name)?.to_owned()))).collect()
}

fn join_type(sc: &StageContext<'_>) -> EngineResult<JoinType> {
    Ok(match sc.options.str_or("type", "inner")? {
        "inner" => JoinType::Inner,
        "left" => JoinType::Left,
        "right" => JoinType::Right,
        "full" => JoinType::Full,
        other => return Err(EngineError::option(sc.id(), "type", format!("unknown join type {other:?}"))),
    })
}

pub(crate) fn join(
    sc: &StageContext<'_>,
    left: DataFrame,
    right: DataFrame,
) -> EngineResult<BTreeMap<String, DataFrame>> {
    let pairs = key_pairs(sc, "left", "right")?;
    for (i, (l, r)) in pairs.iter().enumerate() {
        require(sc, &left, &format!("keys[{i}].left"), l, "left")?;
        require(sc, &right, &format!("keys[{i}].right"), r, "right")?;
    }
    let (left_names, right_names) = (names(&left), names(&right));
    let left = left.alias("left").map_err(df_err(sc))?;
    let right = right.alias("right").map_err(df_err(sc))?;
    let left_keys: Vec<&str> = pairs.iter().map(|(l, _)| l.as_str()).collect();
    let right_keys: Vec<&str> = pairs.iter().map(|(_, r)| r.as_str()).collect();
    let taken: HashSet<&String> = left_names.iter().collect();
    // Right fields whose name the left side already uses get the suffix `_right`.
    let mut projection: Vec<Expr> = left_names.iter().map(|n| qualified("left", n).alias(n)).collect();
    projection.extend(right_names.iter().map(|n| {
        let name = if taken.contains(n) { format!("{n}_right") } else { n.clone() };
        qualified("right", n).alias(name)
    }));
    let joined = left
        .clone()
        .join(right.clone(), join_type(sc)?, &left_keys, &right_keys, None)
        .and_then(|d| d.select(projection))
        .map_err(df_err(sc))?;
    let unmatched_left = left
        .clone()
        .join(right.clone(), JoinType::LeftAnti, &left_keys, &right_keys, None)
        .and_then(|d| d.select(left_names.iter().map(|n| qualified("left", n).alias(n)).collect::<Vec<_>>()))
        .map_err(df_err(sc))?;
    let unmatched_right = left
        .join(right, JoinType::RightAnti, &left_keys, &right_keys, None)
        .and_then(|d| {
            d.select(right_names.iter().map(|n| qualified("right", n).alias(n)).collect::<Vec<_>>())
        })
        .map_err(df_err(sc))?;
    Ok(BTreeMap::from([
        ("out".into(), joined),
        ("unmatched_left".into(), unmatched_left),
        ("unmatched_right".into(), unmatched_right),
    ]))
}

/// Left join of a reference table on key fields: input records keep their fields and gain the
/// chosen fields of the matching table record (nulls when none matches).
pub(crate) fn lookup(sc: &StageContext<'_>, input: DataFrame, table: DataFrame) -> EngineResult<DataFrame> {
    let pairs = key_pairs(sc, "in", "table")?;
    for (i, (l, r)) in pairs.iter().enumerate() {
        require(sc, &input, &format!("keys[{i}].in"), l, "in")?;
        require(sc, &table, &format!("keys[{i}].table"), r, "table")?;
    }
    let table_keys: HashSet<&str> = pairs.iter().map(|(_, r)| r.as_str()).collect();
    let added = match sc.options.fields("fields")? {
        chosen if chosen.is_empty() => {
            names(&table).into_iter().filter(|n| !table_keys.contains(n.as_str())).collect()
        }
        chosen => {
            for field in &chosen {
                require(sc, &table, "fields", field, "table")?;
            }
            chosen
        }
    };
    let input_names = names(&input);
    let taken: HashSet<&String> = input_names.iter().collect();
    let mut projection: Vec<Expr> = input_names.iter().map(|n| qualified("in", n).alias(n)).collect();
    projection.extend(added.iter().map(|n| {
        let name = if taken.contains(n) { format!("{n}_table") } else { n.clone() };
        qualified("table", n).alias(name)
    }));
    let left_keys: Vec<&str> = pairs.iter().map(|(l, _)| l.as_str()).collect();
    let right_keys: Vec<&str> = pairs.iter().map(|(_, r)| r.as_str()).collect();
    input
        .alias("in")
        .and_then(|i| Ok((i, table.alias("table")?)))
        .and_then(|(i, t)| i.join(t, JoinType::Left, &left_keys, &right_keys, None))
        .and_then(|d| d.select(projection))
        .map_err(df_err(sc))
}
