//! The dataflows and input files the cluster scenarios share.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

/// `orders.csv` with `rows` records `id,amount`, amounts spread over 0–99 999.
pub fn write_orders(data_dir: &Path, file: &str, rows: u32) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(data_dir.join(file))?);
    writeln!(out, "id,amount")?;
    for i in 0..rows {
        writeln!(out, "{i},{}", amount(i))?;
    }
    out.flush()?;
    Ok(())
}

fn amount(id: u32) -> u64 {
    (u64::from(id) * 7919) % 100_000
}

/// The first record of `orders.csv` sorted by amount (descending) then id.
pub fn largest_order(rows: u32) -> String {
    let best = (0..rows).max_by_key(|&i| (amount(i), std::cmp::Reverse(i))).unwrap_or(0);
    format!("{best},{}", amount(best))
}

/// A job slow enough to be caught running: read `${input}`, sort it all, write
/// `out/${output}.csv`.
pub fn sorting_job(name: &str) -> Value {
    json!({"name": name, "kind": "job",
        "parameters": [{"name": "input", "type": "string", "default": "orders.csv"},
                       {"name": "output", "type": "string", "default": "sorted"}],
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "${input}"}},
            {"id": "sort", "type": "sort",
             "options": {"keys": [{"field": "amount", "descending": true}, {"field": "id"}]}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/${output}.csv"}}],
        "edges": [{"from": "read", "to": "sort"}, {"from": "sort", "to": "out"}]})
}

/// Check that `out/<output>.csv` holds every one of `rows` records once, sorted.
pub fn check_sorted_output(data_dir: &Path, output: &str, rows: u32) -> anyhow::Result<()> {
    let path = data_dir.join(format!("out/{output}.csv"));
    let text = std::fs::read_to_string(&path)?;
    anyhow::ensure!(text.lines().count() == rows as usize + 1, "{}: not every record once", path.display());
    anyhow::ensure!(
        text.lines().nth(1) == Some(largest_order(rows).as_str()),
        "{}: not sorted",
        path.display()
    );
    Ok(())
}

/// The names of the files in `out/`, sorted: finished outputs and anything left behind.
pub fn output_files(data_dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = vec![];
    for entry in std::fs::read_dir(data_dir.join("out"))? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// A service answering each record `{sku, net}` with `gross = net * factor`.
pub fn price_service(factor: u32) -> Value {
    json!({"name": "price", "kind": "service",
        "stages": [
            {"id": "in", "type": "input",
             "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
            {"id": "t", "type": "transform",
             "options": {"fields": [{"name": "gross", "expression": format!("net * {factor}")}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "t"}, {"from": "t", "to": "out"}]})
}

/// Fuzzy duplicates by name (`match`, module `quality`), as a job over `people.csv`.
pub fn dedupe_job() -> Value {
    json!({"name": "dedupe", "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "people.csv"}},
            {"id": "m", "type": "match", "options": match_options()},
            {"id": "out", "type": "write_csv", "options": {"path": "out/dedupe.csv"}}],
        "edges": [{"from": "read", "to": "m"}, {"from": "m", "to": "out"}]})
}

/// The same matching as a service.
pub fn dedupe_service() -> Value {
    json!({"name": "dedupe-call", "kind": "service",
        "stages": [
            {"id": "in", "type": "input",
             "options": {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}},
            {"id": "m", "type": "match", "options": match_options()},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "m"}, {"from": "m", "to": "out"}]})
}

fn match_options() -> Value {
    json!({"blocking_key": "upper(substr(name, 1, 1))", "fields": [{"field": "name"}], "threshold": 0.85})
}

pub const PEOPLE: &str = "id,name\n1,John Smith\n2,Jon Smith\n3,Mary Jones\n4,Marie Jones\n5,Peter Pan\n";
