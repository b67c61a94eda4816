//! The order an import saves dataflows in: each after the others of the export it embeds or
//! runs, so a node never holds a job whose subflow is not there yet.

use std::collections::{BTreeMap, BTreeSet};

use model::{DataflowDocument, DataflowKind};
use serde_json::Value;

use super::format::DataflowFile;

/// The dataflows a document embeds (`subflow`) or runs (`run_job`), by name.
fn uses(document: &DataflowDocument) -> impl Iterator<Item = &str> {
    document
        .stages
        .iter()
        .filter(|s| matches!(s.stage_type.as_str(), "subflow" | "run_job"))
        .filter_map(|s| s.options.get("dataflow").and_then(Value::as_str))
}

fn kind_rank(kind: DataflowKind) -> u8 {
    match kind {
        DataflowKind::Subflow => 0,
        DataflowKind::Job => 1,
        DataflowKind::Service => 2,
        DataflowKind::Process => 3,
    }
}

/// Dataflows in an order where each comes after the others of the export it uses: subflows
/// before the subflows and jobs that embed them, jobs before the process flows that run them;
/// among those free to go, subflows, jobs, services, process flows, then by name. `Err` names
/// the dataflows that use each other in a cycle.
pub fn dependency_order(dataflows: Vec<DataflowFile>) -> Result<Vec<DataflowFile>, Vec<String>> {
    let names: BTreeSet<String> = dataflows.iter().map(|d| d.name().to_owned()).collect();
    let mut waiting: BTreeMap<String, (DataflowFile, BTreeSet<String>)> = BTreeMap::new();
    for file in dataflows {
        let needs: BTreeSet<String> = uses(&file.document)
            .chain(file.exposed_document.iter().flat_map(uses))
            .filter(|n| names.contains(*n) && *n != file.name())
            .map(str::to_owned)
            .collect();
        waiting.insert(file.name().to_owned(), (file, needs));
    }
    let mut ordered = Vec::with_capacity(waiting.len());
    loop {
        let next = waiting
            .iter()
            .filter(|(_, (_, needs))| needs.is_empty())
            .map(|(name, (file, _))| (kind_rank(file.document.kind), name.clone()))
            .min();
        let Some((_, name)) = next else { break };
        if let Some((file, _)) = waiting.remove(&name) {
            ordered.push(file);
        }
        for (_, needs) in waiting.values_mut() {
            needs.remove(&name);
        }
    }
    if waiting.is_empty() { Ok(ordered) } else { Err(waiting.into_keys().collect()) }
}

#[cfg(test)]
mod tests {
    use model::ObjectAccess;

    use super::*;

    fn dataflow(name: &str, kind: &str, uses: &[&str]) -> DataflowFile {
        let stage = if kind == "process" { "run_job" } else { "subflow" };
        let stages: Vec<Value> = uses
            .iter()
            .enumerate()
            .map(|(i, u)| serde_json::json!({"id": format!("s{i}"), "type": stage, "options": {"dataflow": u}}))
            .collect();
        let document =
            serde_json::from_value(serde_json::json!({"name": name, "kind": kind, "stages": stages}))
                .expect("document");
        DataflowFile {
            version: 1,
            document,
            exposed_version: None,
            exposed_document: None,
            access: ObjectAccess::default(),
        }
    }

    fn order(files: Vec<DataflowFile>) -> Result<Vec<String>, Vec<String>> {
        dependency_order(files).map(|o| o.iter().map(|d| d.name().to_owned()).collect())
    }

    #[test]
    fn subflows_come_before_jobs_before_process_flows() {
        let files = vec![
            dataflow("a-process", "process", &["b-job"]),
            dataflow("b-job", "job", &["z-outer"]),
            dataflow("z-outer", "subflow", &["a-inner"]),
            dataflow("a-inner", "subflow", &[]),
            dataflow("c-job", "job", &["not-exported"]),
        ];
        assert_eq!(
            order(files),
            Ok(vec!["a-inner".into(), "z-outer".into(), "b-job".into(), "c-job".into(), "a-process".into()])
        );
    }

    #[test]
    fn a_cycle_is_named() {
        let files = vec![
            dataflow("x", "subflow", &["y"]),
            dataflow("y", "subflow", &["x"]),
            dataflow("ok", "job", &[]),
        ];
        assert_eq!(order(files), Err(vec!["x".into(), "y".into()]));
    }
}
