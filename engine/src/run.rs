//! Executing a compiled dataflow: every sink in turn, stoppable at any batch, with metrics that
//! can be read while it runs.

use std::collections::BTreeMap;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::compile::Compiled;
use crate::error::EngineResult;
use crate::sink;
use crate::tap::Counter;

pub use model::StageMetrics;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunMetrics {
    pub stages: Vec<StageMetrics>,
}

/// The live counters of a compiled dataflow, detachable from it (the plan may run on another
/// runtime while these are read).
#[derive(Debug, Clone)]
pub struct Progress {
    pub counters: BTreeMap<String, Counter>,
    pub feeds: BTreeMap<String, Vec<String>>,
}

impl Compiled {
    pub fn progress(&self) -> Progress {
        Progress { counters: self.counters.clone(), feeds: self.feeds.clone() }
    }
}

/// What the counters say now. `sink_rows` and `sink_ms` hold what finished sinks reported.
pub fn snapshot(compiled: &Progress, sink_rows: &BTreeMap<String, (u64, u64)>) -> RunMetrics {
    let mut stages: BTreeMap<String, StageMetrics> = BTreeMap::new();
    for (key, counter) in &compiled.counters {
        let Some((stage, port)) = key.rsplit_once('.') else { continue };
        let entry = stages
            .entry(stage.to_owned())
            .or_insert_with(|| StageMetrics { stage: stage.to_owned(), ..Default::default() });
        entry.rows_out.insert(port.to_owned(), counter.rows());
        entry.elapsed_ms = entry.elapsed_ms.max(counter.active().as_millis() as u64);
    }
    for (stage, feeds) in &compiled.feeds {
        let rows_in = feeds.iter().filter_map(|f| compiled.counters.get(f)).map(|c| c.rows()).sum();
        let entry = stages
            .entry(stage.clone())
            .or_insert_with(|| StageMetrics { stage: stage.clone(), ..Default::default() });
        entry.rows_in = rows_in;
    }
    for (stage, (rows, ms)) in sink_rows {
        if let Some(entry) = stages.get_mut(stage) {
            entry.rows_out.insert("written".into(), *rows);
            entry.elapsed_ms = *ms;
        }
    }
    RunMetrics { stages: stages.into_values().collect() }
}

/// Run every sink; stops at the first failure or when `cancel` fires. Returns the final metrics.
pub async fn execute(compiled: &Compiled, cancel: &CancellationToken) -> EngineResult<RunMetrics> {
    execute_staged(compiled, cancel, None).await
}

/// [`execute`], with unfinished files kept in `staging` (see [`sink::write`]).
pub async fn execute_staged(
    compiled: &Compiled,
    cancel: &CancellationToken,
    staging: Option<sink::Staging<'_>>,
) -> EngineResult<RunMetrics> {
    let mut written = BTreeMap::new();
    for sink in &compiled.sinks {
        let started = Instant::now();
        let rows = sink::write(sink, cancel, staging).await?;
        written.insert(sink.stage.clone(), (rows, started.elapsed().as_millis() as u64));
    }
    Ok(snapshot(&compiled.progress(), &written))
}
