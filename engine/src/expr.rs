//! User expressions (`predicate`, `expression`, …) are SQL *expressions* parsed against the
//! stage's input: no statements, subqueries, aggregates or window functions.

use datafusion::common::tree_node::TreeNode;
use datafusion::logical_expr::Expr;
use datafusion::prelude::DataFrame;

use crate::error::{EngineError, EngineResult};

pub fn parse(input: &DataFrame, stage: &str, option: &str, sql: &str) -> EngineResult<Expr> {
    if sql.trim().is_empty() {
        return Err(EngineError::option(stage, option, format!("{option} is empty")));
    }
    let expr = input.parse_sql_expr(sql).map_err(|e| {
        let mut err = EngineError::from_datafusion(Some(stage), e);
        err.path = Some(format!("options.{option}"));
        err.message = format!("{option} {sql:?}: {}", err.message);
        err
    })?;
    let forbidden = expr
        .exists(|e| {
            Ok(matches!(
                e,
                Expr::ScalarSubquery(_)
                    | Expr::InSubquery(_)
                    | Expr::Exists(_)
                    | Expr::AggregateFunction(_)
                    | Expr::WindowFunction(_)
            ))
        })
        .unwrap_or(true);
    if forbidden {
        return Err(EngineError::option(
            stage,
            option,
            format!(
                "{option} {sql:?} must be a plain expression over the record's fields (no subqueries, aggregates or window functions)"
            ),
        ));
    }
    Ok(expr)
}
