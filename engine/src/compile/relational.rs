//! Single-input stages: filter, transform, select, route, aggregate, sort, distinct, limit,
//! unique_id, split, validate.

use std::collections::BTreeMap;

use datafusion::functions::string::expr_fn::{concat_ws, uuid};
use datafusion::functions_aggregate::expr_fn::{
    array_agg, avg, count, count_distinct, first_value, last_value, max, min, sum,
};
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{ExprFunctionExt, SortExpr};
use datafusion::prelude::{DataFrame, Expr, ident, lit, when};

use super::StageContext;
use crate::error::{EngineError, EngineResult};
use crate::expr;

/// Helper columns added and removed within one stage.
const ROW: &str = "__tributary_row";
const RANK: &str = "__tributary_rank";

type Ports = BTreeMap<String, DataFrame>;

fn df_err<'s>(sc: &'s StageContext<'_>) -> impl Fn(datafusion::error::DataFusionError) -> EngineError + 's {
    move |e| EngineError::from_datafusion(Some(sc.id()), e)
}

fn check_field(sc: &StageContext<'_>, df: &DataFrame, option: &str, field: &str) -> EngineResult<Expr> {
    if df.schema().field_with_unqualified_name(field).is_err() {
        let known: Vec<String> = df.schema().fields().iter().map(|f| f.name().clone()).collect();
        return Err(EngineError::option(
            sc.id(),
            option,
            format!("no field {field:?} (fields: {})", known.join(", ")),
        ));
    }
    Ok(ident(field))
}

fn columns(df: &DataFrame) -> Vec<Expr> {
    df.schema().fields().iter().map(|f| ident(f.name())).collect()
}

pub(crate) fn filter(sc: &StageContext<'_>, input: DataFrame) -> EngineResult<Ports> {
    let predicate = expr::parse(&input, sc.id(), "predicate", sc.options.str("predicate")?)?;
    let out = input.clone().filter(predicate.clone()).map_err(df_err(sc))?;
    let rejected = input.filter(predicate.is_not_true()).map_err(df_err(sc))?;
    Ok(Ports::from([("out".into(), out), ("rejected".into(), rejected)]))
}

pub(crate) fn transform(sc: &StageContext<'_>, mut df: DataFrame) -> EngineResult<DataFrame> {
    let fields = sc.options.list("fields")?;
    if fields.is_empty() {
        return Err(EngineError::option(sc.id(), "fields", "add at least one field"));
    }
    for (i, field) in fields.iter().enumerate() {
        let name = field.str("name")?;
        let value = expr::parse(&df, sc.id(), &format!("fields[{i}].expression"), field.str("expression")?)?;
        df = df.with_column(name, value).map_err(df_err(sc))?;
    }
    Ok(df)
}

pub(crate) fn select(sc: &StageContext<'_>, mut df: DataFrame) -> EngineResult<DataFrame> {
    let keep = sc.options.fields("fields")?;
    if !keep.is_empty() {
        let exprs =
            keep.iter().map(|f| check_field(sc, &df, "fields", f)).collect::<EngineResult<Vec<_>>>()?;
        df = df.select(exprs).map_err(df_err(sc))?;
    }
    for (old, new) in sc.options.map("rename")? {
        check_field(sc, &df, "rename", &old)?;
        df = df.with_column_renamed(old.as_str(), &new).map_err(df_err(sc))?;
    }
    Ok(df)
}

/// Each record goes to the first route whose predicate holds; the rest to `default`.
pub(crate) fn route(sc: &StageContext<'_>, input: DataFrame) -> EngineResult<Ports> {
    let routes = sc.options.list("routes")?;
    let mut ports = Ports::new();
    let mut earlier_failed: Option<Expr> = None;
    for (i, route) in routes.iter().enumerate() {
        let port = route.str("port")?;
        if port == "default" || ports.contains_key(port) {
            return Err(EngineError::option(
                sc.id(),
                &format!("routes[{i}].port"),
                format!("port {port:?} is used twice"),
            ));
        }
        let predicate =
            expr::parse(&input, sc.id(), &format!("routes[{i}].predicate"), route.str("predicate")?)?;
        let here = match &earlier_failed {
            Some(before) => before.clone().and(predicate.clone().is_true()),
            None => predicate.clone().is_true(),
        };
        ports.insert(port.to_owned(), input.clone().filter(here).map_err(df_err(sc))?);
        let missed = predicate.is_not_true();
        earlier_failed = Some(match earlier_failed {
            Some(before) => before.and(missed),
            None => missed,
        });
    }
    let default = match earlier_failed {
        Some(missed_all) => input.filter(missed_all).map_err(df_err(sc))?,
        None => input,
    };
    ports.insert("default".into(), default);
    Ok(ports)
}

pub(crate) fn aggregate(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let group = sc
        .options
        .fields("group_by")?
        .iter()
        .map(|f| check_field(sc, &df, "group_by", f))
        .collect::<EngineResult<Vec<_>>>()?;
    let mut aggregates = Vec::new();
    for (i, spec) in sc.options.list("aggregates")?.iter().enumerate() {
        let function = spec.str("function")?;
        let name = spec.str("as")?;
        let field = match spec.opt_str("field")? {
            Some(f) => Some(check_field(sc, &df, &format!("aggregates[{i}].field"), f)?),
            None => None,
        };
        let need = |f: Option<Expr>| {
            f.ok_or_else(|| {
                EngineError::option(
                    sc.id(),
                    &format!("aggregates[{i}].field"),
                    format!("{function} needs a field"),
                )
            })
        };
        let value = match function {
            "count" => count(field.unwrap_or_else(|| lit(1))),
            "sum" => sum(need(field)?),
            "avg" => avg(need(field)?),
            "min" => min(need(field)?),
            "max" => max(need(field)?),
            "count_distinct" => count_distinct(need(field)?),
            "first" => first_value(need(field)?, vec![]),
            "last" => last_value(need(field)?, vec![]),
            "list" => array_agg(need(field)?),
            other => {
                return Err(EngineError::option(
                    sc.id(),
                    &format!("aggregates[{i}].function"),
                    format!("unknown function {other:?}"),
                ));
            }
        };
        aggregates.push(value.alias(name));
    }
    if aggregates.is_empty() && group.is_empty() {
        return Err(EngineError::option(sc.id(), "aggregates", "add a group_by field or an aggregate"));
    }
    df.aggregate(group, aggregates).map_err(df_err(sc))
}

fn sort_keys(sc: &StageContext<'_>, df: &DataFrame) -> EngineResult<Vec<SortExpr>> {
    sc.options
        .list("keys")?
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let field = check_field(sc, df, &format!("keys[{i}].field"), key.str("field")?)?;
            Ok(field.sort(!key.bool_or("descending", false)?, key.bool_or("nulls_first", false)?))
        })
        .collect()
}

pub(crate) fn sort(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let keys = sort_keys(sc, &df)?;
    if keys.is_empty() {
        return Err(EngineError::option(sc.id(), "keys", "add at least one sort key"));
    }
    df.sort(keys).map_err(df_err(sc))
}

/// Number records in arrival order (the session keeps linear pipelines in input order).
fn with_row_number(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    df.window(vec![row_number().alias(ROW)]).map_err(df_err(sc))
}

/// First occurrence per key to `out`, later ones to `duplicates`, both in input order.
pub(crate) fn distinct(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<Ports> {
    let original = columns(&df);
    let keys = match sc.options.fields("fields")? {
        fields if fields.is_empty() => original.clone(),
        fields => {
            fields.iter().map(|f| check_field(sc, &df, "fields", f)).collect::<EngineResult<Vec<_>>>()?
        }
    };
    let numbered = with_row_number(sc, df)?;
    let rank = row_number()
        .partition_by(keys)
        .order_by(vec![ident(ROW).sort(true, false)])
        .build()
        .map_err(df_err(sc))?
        .alias(RANK);
    let ranked = numbered.window(vec![rank]).map_err(df_err(sc))?;
    let part = |keep: Expr| -> EngineResult<DataFrame> {
        ranked
            .clone()
            .filter(keep)
            .and_then(|d| d.sort(vec![ident(ROW).sort(true, false)]))
            .and_then(|d| d.select(original.clone()))
            .map_err(df_err(sc))
    };
    Ok(Ports::from([
        ("out".into(), part(ident(RANK).eq(lit(1u64)))?),
        ("duplicates".into(), part(ident(RANK).gt(lit(1u64)))?),
    ]))
}

pub(crate) fn limit(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let count = sc
        .options
        .opt_i64("count")?
        .ok_or_else(|| EngineError::option(sc.id(), "count", "count is required"))?;
    let offset = sc.options.opt_i64("offset")?.unwrap_or(0);
    if count < 0 || offset < 0 {
        return Err(EngineError::option(sc.id(), "count", "count and offset must not be negative"));
    }
    df.limit(offset as usize, Some(count as usize)).map_err(df_err(sc))
}

pub(crate) fn unique_id(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let field = sc.options.str_or("field", "id")?;
    match sc.options.str_or("kind", "sequence")? {
        "uuid" => df.with_column(field, uuid()).map_err(df_err(sc)),
        "sequence" => {
            let start = sc.options.opt_i64("start")?.unwrap_or(1);
            let numbered = with_row_number(sc, df)?;
            let value = datafusion::prelude::cast(ident(ROW), datafusion::arrow::datatypes::DataType::Int64)
                + lit(start - 1);
            numbered.with_column(field, value).and_then(|d| d.drop_columns(&[ROW])).map_err(df_err(sc))
        }
        other => Err(EngineError::option(sc.id(), "kind", format!("unknown kind {other:?}"))),
    }
}

pub(crate) fn split(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let field = sc.options.str("field")?;
    check_field(sc, &df, "field", field)?;
    df.unnest_columns(&[field]).map_err(df_err(sc))
}

/// Valid records unchanged; invalid ones with `_errors` naming the rules they break.
pub(crate) fn validate(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<Ports> {
    let rules = sc.options.list("rules")?;
    if rules.is_empty() {
        return Err(EngineError::option(sc.id(), "rules", "add at least one rule"));
    }
    let mut all_hold: Option<Expr> = None;
    let mut broken = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let name = rule.str("name")?;
        let predicate = expr::parse(&df, sc.id(), &format!("rules[{i}].predicate"), rule.str("predicate")?)?;
        broken.push(when(predicate.clone().is_not_true(), lit(name)).end().map_err(df_err(sc))?);
        all_hold = Some(match all_hold {
            Some(before) => before.and(predicate.is_true()),
            None => predicate.is_true(),
        });
    }
    let all_hold = all_hold.unwrap_or_else(|| lit(true));
    let valid = df.clone().filter(all_hold.clone()).map_err(df_err(sc))?;
    let invalid = df
        .filter(all_hold.is_not_true())
        .and_then(|d| d.with_column("_errors", concat_ws(lit(", "), broken)))
        .map_err(df_err(sc))?;
    Ok(Ports::from([("valid".into(), valid), ("invalid".into(), invalid)]))
}
