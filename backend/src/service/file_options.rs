//! File options checked when a dataflow is saved: every option the catalog types as a path
//! must stay inside this node's data directory (no `..`, no absolute path elsewhere, no
//! symbolic link leading out). The engine checks again when it runs, on the node that runs.

use std::path::Path;

use model::catalog::{OptionSpec, OptionType};
use model::{DataflowDocument, ErrorCode, ErrorDetail};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// A `${param}` is filled in at run time, where the engine checks the result.
fn is_parameter(text: &str) -> bool {
    text.starts_with("${") && text.ends_with('}')
}

fn check_object(
    data_dir: &Path,
    stage: &str,
    prefix: &str,
    specs: &[OptionSpec],
    values: &serde_json::Map<String, Value>,
    problems: &mut Vec<ErrorDetail>,
) {
    for spec in specs {
        let Some(value) = values.get(&spec.name) else { continue };
        let path = format!("{prefix}{}", spec.name);
        match spec.option_type {
            OptionType::Path => {
                let Some(text) = value.as_str().filter(|t| !t.trim().is_empty() && !is_parameter(t)) else {
                    continue;
                };
                if let Err(err) = engine::paths::resolve(data_dir, stage, text) {
                    let message = format!("{}: {}", spec.name, err.message);
                    problems.push(ErrorDetail { stage: Some(stage.to_owned()), path: Some(path), message });
                }
            }
            OptionType::List => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    if let Some(item) = item.as_object() {
                        check_object(data_dir, stage, &format!("{path}[{i}]."), &spec.items, item, problems);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Refuse the document when a file option of any stage leaves `data_dir`, naming each one.
pub fn check(data_dir: &Path, document: &DataflowDocument) -> AppResult<()> {
    let mut problems = Vec::new();
    for stage in &document.stages {
        if let Some(spec) = model::catalog::stage_spec(&stage.stage_type) {
            check_object(data_dir, &stage.id, "options.", &spec.options, &stage.options, &mut problems);
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = problems
        .iter()
        .map(|p| format!("{}.{}", p.stage.as_deref().unwrap_or(""), p.path.as_deref().unwrap_or("")))
        .collect();
    Err(AppError::new(
        ErrorCode::InvalidRequest,
        format!("file paths must stay inside the data directory: {}", named.join(", ")),
    )
    .with_details(problems))
}
