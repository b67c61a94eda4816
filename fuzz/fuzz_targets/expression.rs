//! Any text as a stage expression (`predicate`, `expression`, `blocking_key`), the way the
//! engine takes it: parsed against the stage's input, then planned as a filter and as a derived
//! field and optimised (which folds constants). Parsing and planning may fail; nothing may
//! panic or overflow the stack of an engine worker thread.

#![no_main]

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray, TimestampMillisecondArray,
};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::logical_expr::ExprSchemable;
use datafusion::prelude::DataFrame;
use libfuzzer_sys::fuzz_target;

/// Tokio's default, the stack of the node's engine workers that compile dataflows.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// A stage input with a field of each common type, some of them null.
fn input() -> &'static DataFrame {
    static INPUT: OnceLock<DataFrame> = OnceLock::new();
    INPUT.get_or_init(|| {
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("id", Arc::new(Int64Array::from(vec![Some(1), Some(2), None]))),
            ("amount", Arc::new(Float64Array::from(vec![Some(12.5), None, Some(-3.0)]))),
            ("name", Arc::new(StringArray::from(vec![Some("Ada"), Some(""), None]))),
            ("region", Arc::new(StringArray::from(vec!["north", "south", "east"]))),
            ("active", Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)]))),
            ("day", Arc::new(Date32Array::from(vec![Some(19_000), None, Some(0)]))),
            ("at", Arc::new(TimestampMillisecondArray::from(vec![Some(1_700_000_000_000), None, Some(0)]))),
        ];
        let batch = RecordBatch::try_from_iter(columns).expect("a valid batch");
        engine::Engine::new(std::env::temp_dir()).session().read_batch(batch).expect("a data frame")
    })
}

fn check(sql: &str) {
    let df = input();
    let Ok(expr) = engine::expr::parse(df, "stage", "predicate", sql) else { return };
    let _ = expr.to_string();
    let _ = expr.get_type(df.schema());
    if let Ok(filtered) = df.clone().filter(expr.clone()) {
        let _ = filtered.into_optimized_plan().map(|plan| plan.display_indent().to_string());
    }
    if let Ok(derived) = df.clone().with_column("derived", expr) {
        let _ = derived.into_optimized_plan().map(|plan| plan.display_indent().to_string());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else { return };
    let sql = sql.to_owned();
    let worker = std::thread::Builder::new().stack_size(WORKER_STACK).spawn(move || check(&sql));
    // A panic on the worker is a finding: re-raise it where libFuzzer sees it.
    if let Err(panic) = worker.expect("a worker thread").join() {
        std::panic::resume_unwind(panic);
    }
});
