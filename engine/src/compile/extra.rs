//! Stages beyond relational algebra: embedded subflows and the `quality` module's
//! `standardize` (as SQL expressions, so it stays inside the plan).

use std::collections::BTreeMap;

use datafusion::prelude::{DataFrame, Expr, ident};
use serde_json::Value;

use super::{StageContext, StageInputs, SubflowSource, compile_in};
use crate::error::{EngineError, EngineResult};

/// Compile the embedded dataflow with this stage's inputs fed to its `input` stages (by stage
/// id); its `output` stages become this stage's output ports.
pub(crate) async fn subflow(
    sc: &StageContext<'_>,
    inputs: StageInputs,
    subflows: &dyn SubflowSource,
    params: &BTreeMap<String, Value>,
) -> EngineResult<BTreeMap<String, DataFrame>> {
    let name = sc.options.str("dataflow")?;
    let version = sc.options.opt_i64("version")?.map(|v| v as i32);
    let document = subflows.load(name, version).await.map_err(|e| e.in_stage(sc.id()))?;
    if document.kind != model::DataflowKind::Subflow {
        return Err(EngineError::option(
            sc.id(),
            "dataflow",
            format!("{name:?} is a {}, not a subflow", document.kind.as_str()),
        ));
    }
    let mut given = BTreeMap::new();
    for (port, mut frames) in inputs {
        if !document.stages.iter().any(|s| s.id == port && s.stage_type == "input") {
            return Err(EngineError::user(sc.id(), format!("subflow {name:?} has no input {port:?}")));
        }
        if let Some(frame) = frames.pop() {
            given.insert(port, frame);
        }
    }
    let parameters: BTreeMap<String, Value> = params
        .iter()
        .filter(|(k, _)| document.parameters.iter().any(|p| &p.name == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let prefix = format!("{}/", sc.id());
    let purpose = sc.purpose;
    let inner =
        Box::pin(compile_in(sc.engine, sc.ctx, &document, &parameters, given, subflows, purpose, &prefix))
            .await?;
    if let Some(problem) = inner.problems.into_iter().next() {
        let place = problem.stage.clone().unwrap_or_default();
        return Err(EngineError::user(
            sc.id(),
            format!("in subflow {name:?}, stage {place:?}: {}", problem.message),
        ));
    }
    if !inner.sinks.is_empty() {
        return Err(EngineError::user(
            sc.id(),
            format!("subflow {name:?} writes files; a subflow returns records through output stages"),
        ));
    }
    Ok(inner.outputs)
}

/// Per-field clean-up, as SQL expressions so it stays inside the plan.
pub(crate) fn standardize(sc: &StageContext<'_>, df: DataFrame) -> EngineResult<DataFrame> {
    let rules = sc.options.list("fields")?;
    if rules.is_empty() {
        return Err(EngineError::option(sc.id(), "fields", "add at least one field to clean"));
    }
    let mut replacements: BTreeMap<String, Expr> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let field = rule.str("field")?;
        if df.schema().field_with_unqualified_name(field).is_err() {
            return Err(EngineError::option(
                sc.id(),
                &format!("fields[{i}].field"),
                format!("no field {field:?}"),
            ));
        }
        let mut sql = format!("CAST(\"{}\" AS VARCHAR)", field.replace('"', "\"\""));
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        if let Some(pattern) = rule.opt_str("pattern")? {
            regex::Regex::new(pattern).map_err(|e| {
                EngineError::option(
                    sc.id(),
                    &format!("fields[{i}].pattern"),
                    format!("not a valid regular expression: {e}"),
                )
            })?;
            sql = format!(
                "regexp_replace({sql}, {}, {}, 'g')",
                quote(pattern),
                quote(rule.str_or("replacement", "")?)
            );
        }
        if rule.bool_or("strip_punctuation", false)? {
            sql = format!("regexp_replace({sql}, '[[:punct:]]', '', 'g')");
        }
        if rule.bool_or("collapse_whitespace", true)? {
            sql = format!("regexp_replace({sql}, '\\s+', ' ', 'g')");
        }
        if rule.bool_or("trim", true)? {
            sql = format!("btrim({sql})");
        }
        sql = match rule.str_or("case", "keep")? {
            "keep" => sql,
            "upper" => format!("upper({sql})"),
            "lower" => format!("lower({sql})"),
            "title" => format!("initcap({sql})"),
            other => {
                return Err(EngineError::option(
                    sc.id(),
                    &format!("fields[{i}].case"),
                    format!("unknown case {other:?}"),
                ));
            }
        };
        let expr = df.parse_sql_expr(&sql).map_err(|e| EngineError::from_datafusion(Some(sc.id()), e))?;
        replacements.insert(field.to_owned(), expr);
    }
    let projection: Vec<Expr> = df
        .schema()
        .fields()
        .iter()
        .map(|f| match replacements.remove(f.name()) {
            Some(expr) => expr.alias(f.name()),
            None => ident(f.name()),
        })
        .collect();
    df.select(projection).map_err(|e| EngineError::from_datafusion(Some(sc.id()), e))
}
