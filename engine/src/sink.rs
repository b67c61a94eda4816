//! Writing a sink's records: to a temporary file beside the target, renamed over it only when
//! every record is written, so a failed or cancelled run never leaves a half-written file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use datafusion::arrow::csv::WriterBuilder as CsvWriterBuilder;
use datafusion::arrow::json::LineDelimitedWriter;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use std::sync::Arc;

use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::sorts::sort_preserving_merge::SortPreservingMergeExec;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties, execute_stream};
use datafusion::prelude::DataFrame;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::compile::Sink;
use crate::error::{EngineError, EngineResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkFormat {
    Csv { delimiter: u8, header: bool },
    Json,
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Overwrite,
    Append,
    ErrorIfExists,
}

enum Writer {
    Csv(datafusion::arrow::csv::Writer<BufWriter<File>>),
    Json(LineDelimitedWriter<BufWriter<File>>),
    Parquet(ArrowWriter<BufWriter<File>>),
}

impl Writer {
    fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        match self {
            Self::Csv(w) => w.write(batch).map_err(|e| e.to_string()),
            Self::Json(w) => w.write(batch).map_err(|e| e.to_string()),
            Self::Parquet(w) => w.write(batch).map_err(|e| e.to_string()),
        }
    }

    fn finish(self) -> Result<(), String> {
        match self {
            Self::Csv(w) => w.into_inner().flush().map_err(|e| e.to_string()),
            Self::Json(mut w) => {
                w.finish().map_err(|e| e.to_string())?;
                w.into_inner().flush().map_err(|e| e.to_string())
            }
            Self::Parquet(w) => w.close().map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// The records of `frame` as one stream, in order: partitions of sorted output are merged by
/// their sort keys, others simply combined. `task` is the context of the frame's session.
pub(crate) async fn ordered_stream(
    frame: &DataFrame,
    task: Arc<TaskContext>,
) -> datafusion::error::Result<SendableRecordBatchStream> {
    let plan = frame.create_physical_plan().await?;
    execute_stream(merged(plan), task)
}

/// `plan` with its partitions combined into one, keeping a sort order where there is one.
pub(crate) fn merged(plan: Arc<dyn ExecutionPlan>) -> Arc<dyn ExecutionPlan> {
    if plan.output_partitioning().partition_count() <= 1 {
        return plan;
    }
    match plan.output_ordering().cloned() {
        Some(ordering) => Arc::new(SortPreservingMergeExec::new(ordering, plan)),
        None => Arc::new(CoalescePartitionsExec::new(plan)),
    }
}

/// Removes the temporary file unless the write completed.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Where a caller keeps unfinished files: in `dir` (on the same file system as the targets),
/// named after their `owner` (e.g. a run), so the owner's leftovers from a killed process can
/// be found and removed when it is tried again. One directory serves every owner: creating and
/// removing a directory per owner costs more than the write of a small file.
#[derive(Debug, Clone, Copy)]
pub struct Staging<'a> {
    pub dir: &'a Path,
    pub owner: &'a str,
}

impl Staging<'_> {
    /// Remove the owner's unfinished files.
    pub fn clear(&self) {
        let prefix = format!("{}.", self.owner);
        let Ok(entries) = std::fs::read_dir(self.dir) else { return };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Where the records go until the file is complete: beside the target, or in `staging`.
fn temp_path(target: &Path, staging: Option<Staging<'_>>) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "output".into());
    let unique = uuid::Uuid::new_v4().simple();
    match staging {
        Some(Staging { dir, owner }) => dir.join(format!("{owner}.{name}.{unique}.partial")),
        None => target.with_file_name(format!(".{name}.{unique}.partial")),
    }
}

/// Write every record of the sink's input; returns the number of records written.
pub async fn write(
    sink: &Sink,
    cancel: &CancellationToken,
    staging: Option<Staging<'_>>,
) -> EngineResult<u64> {
    let stage = sink.stage.as_str();
    if let Some(target) = &sink.database {
        return crate::database::write::write(stage, &sink.input, sink.task.clone(), target, cancel).await;
    }
    let io = |what: &str, e: &dyn std::fmt::Display| {
        EngineError::external(Some(stage), format!("{what} {}: {e}", sink.path.display()))
    };
    let exists = sink.path.exists();
    if exists && sink.mode == WriteMode::ErrorIfExists {
        return Err(EngineError::option(
            stage,
            "mode",
            format!("{} exists and mode is error_if_exists", sink.path.display()),
        ));
    }
    if let Some(parent) = sink.path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io("cannot create the directory of", &e))?;
    }
    if let Some(Staging { dir, .. }) = staging {
        std::fs::create_dir_all(dir).map_err(|e| io("cannot create the staging directory for", &e))?;
    }
    let temp = TempFile(Some(temp_path(&sink.path, staging)));
    let temp_file = temp.0.clone().unwrap_or_default();
    let appending = exists && sink.mode == WriteMode::Append;
    if appending {
        std::fs::copy(&sink.path, &temp_file).map_err(|e| io("cannot copy", &e))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&temp_file)
        .map_err(|e| io("cannot write next to", &e))?;
    let appended_to_nonempty = appending && file.metadata().map(|m| m.len() > 0).unwrap_or(false);
    let out = BufWriter::new(file);
    let mut stream = ordered_stream(&sink.input, sink.task.clone())
        .await
        .map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
    let mut writer = match sink.format {
        SinkFormat::Csv { delimiter, header } => Writer::Csv(
            CsvWriterBuilder::new()
                .with_delimiter(delimiter)
                .with_header(header && !appended_to_nonempty)
                .build(out),
        ),
        SinkFormat::Json => Writer::Json(LineDelimitedWriter::new(out)),
        SinkFormat::Parquet => Writer::Parquet(
            ArrowWriter::try_new(out, stream.schema(), None)
                .map_err(|e| EngineError::external(Some(stage), e.to_string()))?,
        ),
    };
    let mut rows = 0u64;
    loop {
        let next = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(EngineError::cancelled()),
            next = stream.next() => next,
        };
        let Some(batch) = next else { break };
        let batch = batch.map_err(|e| EngineError::from_datafusion(Some(stage), e))?;
        rows += batch.num_rows() as u64;
        writer.write(&batch).map_err(|e| io("cannot write", &e))?;
    }
    writer.finish().map_err(|e| io("cannot finish", &e))?;
    std::fs::rename(&temp_file, &sink.path).map_err(|e| io("cannot move the finished file to", &e))?;
    let mut temp = temp;
    temp.0 = None;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::{Staging, temp_path};

    #[test]
    fn clearing_a_staging_owner_removes_only_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let (mine, theirs) =
            (Staging { dir: dir.path(), owner: "run-1" }, Staging { dir: dir.path(), owner: "run-10" });
        for staging in [mine, mine, theirs] {
            std::fs::write(temp_path(&target, Some(staging)), "partial").unwrap();
        }
        mine.clear();
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left[0].starts_with("run-10.out.csv."), "{left:?}");
    }
}
