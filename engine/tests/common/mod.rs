//! Running documents against files in a temporary data directory.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use engine::{Compiled, Engine, EngineError, NoSubflows, Purpose, RunMetrics};
use model::DataflowDocument;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

pub struct Data {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
}

impl Data {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::new(dir.path()).with_partitions(2);
        Self { dir, engine }
    }

    pub fn write(&self, name: &str, content: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.dir.path().join(name).exists()
    }

    /// Files in the data dir, to check nothing half-written is left.
    pub fn files(&self, dir: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join(dir)) else { return vec![] };
        let mut names: Vec<String> =
            entries.map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        names.sort();
        names
    }

    pub async fn compile(&self, doc: &Value, params: &[(&str, Value)]) -> Result<Compiled, Vec<EngineError>> {
        let doc: DataflowDocument = serde_json::from_value(doc.clone()).expect("document");
        let params: BTreeMap<String, Value> =
            params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let compiled =
            engine::compile(&self.engine, &doc, &params, Default::default(), &NoSubflows, Purpose::Run)
                .await
                .map_err(|e| vec![e])?;
        if compiled.problems.is_empty() { Ok(compiled) } else { Err(compiled.problems) }
    }

    pub async fn run(&self, doc: &Value) -> Result<RunMetrics, Vec<EngineError>> {
        self.run_with(doc, &[]).await
    }

    pub async fn run_with(
        &self,
        doc: &Value,
        params: &[(&str, Value)],
    ) -> Result<RunMetrics, Vec<EngineError>> {
        let compiled = self.compile(doc, params).await?;
        engine::execute(&compiled, &CancellationToken::new()).await.map_err(|e| vec![e])
    }
}

/// A job document from stages and edges given as `(from, to)`.
pub fn job(stages: Value, edges: &[(&str, &str)]) -> Value {
    let edges: Vec<Value> = edges.iter().map(|(f, t)| serde_json::json!({"from": f, "to": t})).collect();
    serde_json::json!({"name": "test", "kind": "job", "stages": stages, "edges": edges})
}

pub fn rows_out(metrics: &RunMetrics, stage: &str, port: &str) -> u64 {
    metrics
        .stages
        .iter()
        .find(|s| s.stage == stage)
        .and_then(|s| s.rows_out.get(port).copied())
        .unwrap_or(u64::MAX)
}

pub fn rows_in(metrics: &RunMetrics, stage: &str) -> u64 {
    metrics.stages.iter().find(|s| s.stage == stage).map(|s| s.rows_in).unwrap_or(u64::MAX)
}

pub fn assert_file(data: &Data, name: &str, expected: &str) {
    assert_eq!(data.read(name), expected, "content of {name}");
    let _ = Path::new(name);
}
