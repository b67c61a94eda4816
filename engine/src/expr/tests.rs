use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Array};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::DataFrame;

use super::*;
use crate::Fault;

/// The stack of an engine worker thread (tokio's default), where the node compiles and runs.
const ENGINE_STACK: usize = 2 * 1024 * 1024;

fn input() -> DataFrame {
    let id: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 3]));
    let batch = RecordBatch::try_from_iter([("id", id)]).expect("batch");
    crate::Engine::new(std::env::temp_dir()).session().read_batch(batch).expect("data frame")
}

fn bound(sql: &str) -> usize {
    nesting_bound(&Tokenizer::new(&GenericDialect {}, sql).tokenize().expect("tokens"))
}

fn on_engine_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(ENGINE_STACK).spawn(work).expect("thread");
    thread.join().expect("no panic or overflow")
}

#[test]
fn a_long_chain_of_operators_is_refused_instead_of_overflowing_the_stack() {
    // Found by fuzzing (fuzz/corpus/expression/deep-plus-chain): DataFusion's parser overflowed
    // the thread's stack on this 3 KB predicate, which aborted the whole node.
    let sql = format!("id{}", "+id".repeat(1000));
    let err = on_engine_stack(move || parse(&input(), "big", "predicate", &sql).expect_err("refused"));
    assert_eq!(err.fault, Fault::User);
    assert_eq!((err.stage.as_deref(), err.path.as_deref()), (Some("big"), Some("options.predicate")));
    assert!(err.message.contains("predicate nests too deeply"), "{}", err.message);
}

/// Plans and runs `sql` as a filter on an engine thread; the rows it keeps.
fn filter_rows(sql: String) -> usize {
    on_engine_stack(move || {
        let df = input();
        let predicate = parse(&df, "big", "predicate", &sql).expect("accepted");
        let filtered = df.filter(predicate).expect("filter plan");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let batches = runtime.block_on(filtered.collect()).expect("runs");
        batches.iter().map(RecordBatch::num_rows).sum()
    })
}

#[test]
fn the_deepest_allowed_expressions_plan_and_run_on_an_engine_thread() {
    // `id` is also a keyword, so it counts as a level too.
    let sum = format!("id{} > 0", " + 1".repeat(MAX_EXPRESSION_DEPTH - 2));
    assert_eq!(bound(&sum), MAX_EXPRESSION_DEPTH);
    assert_eq!(filter_rows(sum), 3);
    let conditions = vec!["id > 0"; MAX_EXPRESSION_DEPTH / 3].join(" AND ");
    assert!(bound(&conditions) <= MAX_EXPRESSION_DEPTH);
    assert_eq!(filter_rows(conditions), 3);
    let indexed = format!("make_array(id){} > 0", "[1]".repeat(MAX_EXPRESSION_DEPTH - 2));
    assert!(bound(&indexed) <= MAX_EXPRESSION_DEPTH, "{}", bound(&indexed));
}

#[test]
fn chains_of_any_operator_count_but_siblings_do_not() {
    assert_eq!(bound("amount"), 0);
    assert_eq!(bound("amount + 1 * 2"), 2);
    // A call counts its name (a keyword here) and its brackets.
    assert_eq!(bound("upper(city) || 'x'"), 3);
    assert_eq!(bound(&format!("amount{}", "::int".repeat(10))), 20);
    assert_eq!(bound(&format!("amount{}", "[1]".repeat(10))), 10);
    assert_eq!(bound(&format!("f({})", vec!["amount + 1"; 500].join(", "))), 2);
    let branches: Vec<String> = (0..500).map(|i| format!("WHEN amount = {i} THEN 'v{i}'")).collect();
    assert_eq!(bound(&format!("CASE {} ELSE 'other' END", branches.join(" "))), 2);
}

#[test]
fn a_broken_long_field_path_is_refused_at_once() {
    // Found by fuzzing (fuzz/corpus/expression/long-broken-path): the parser's backtracking took
    // more than 30 s on a 90-byte predicate; each further `.f` doubles the time.
    let sql = format!("{}.", ["f"; 40].join("."));
    let started = std::time::Instant::now();
    let err = parse(&input(), "p", "predicate", &sql).expect_err("refused");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(err.path.as_deref(), Some("options.predicate"));
    assert!(err.message.contains("field path of more than 8 dots"), "{}", err.message);
    let indexed = format!("{}.", ["f[1]"; 12].join("."));
    assert!(parse(&input(), "p", "predicate", &indexed).is_err());
    // Also found by fuzzing (fuzz/corpus/expression/keyword-broken-path): keywords as path parts.
    let keywords = format!("{}.", ["a.EXISTS"; 12].join("."));
    assert!(parse(&input(), "p", "predicate", &keywords).expect_err("refused").message.contains("dots"));
    // And placeholders (fuzz/corpus/expression/placeholder-broken-path): more than 20 s.
    let placeholders = format!("{}.&.&f", ["f.$f.ct"; 12].join("."));
    let started = std::time::Instant::now();
    assert!(parse(&input(), "p", "predicate", &placeholders).expect_err("refused").message.contains("dots"));
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
}

#[test]
fn short_field_paths_and_decimals_stay_allowed() {
    let tokens = |sql: &str| Tokenizer::new(&GenericDialect {}, sql).tokenize().expect("tokens");
    assert_eq!(longest_path(&tokens("a.b.c + 1.5 + x.y")), 2);
    assert_eq!(longest_path(&tokens("s['k'].a[1].b")), 2);
    assert_eq!(longest_path(&tokens(&vec!["t.a"; 50].join(" + "))), 1);
    assert_eq!(longest_path(&tokens(&vec!["t.a"; 50].join(" AND "))), 1);
    assert_eq!(longest_path(&tokens("t.name.end")), 2);
    // A short path reaches the parser, which judges it (here: no such field).
    let err = parse(&input(), "p", "predicate", "record.address.city = 'x'").expect_err("no field");
    assert!(!err.message.contains("dots"), "{}", err.message);
}

#[test]
fn literals_do_not_count_so_long_lists_stay_allowed() {
    let values: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let sql = format!("id IN ({}) OR id = 7", values.join(", "));
    assert_eq!(filter_rows(sql), 3);
}
