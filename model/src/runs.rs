//! Runs, service calls and previews on the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// A run's place in its life: `queued → running → succeeded | failed | cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl RunStatus {
    pub const ALL: [RunStatus; 5] =
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// The allowed moves of a run's life, in one place.
    pub fn can_become(self, next: RunStatus) -> bool {
        use RunStatus::*;
        matches!(
            (self, next),
            (Queued, Running | Cancelled) | (Running, Succeeded | Failed | Cancelled | Queued)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    Manual,
    Api,
    Schedule,
    File,
    Process,
}

impl RunTrigger {
    pub const ALL: [RunTrigger; 5] = [Self::Manual, Self::Api, Self::Schedule, Self::File, Self::Process];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Api => "api",
            Self::Schedule => "schedule",
            Self::File => "file",
            Self::Process => "process",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// `POST /dataflows/{name}/runs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRun {
    #[serde(default)]
    pub parameters: BTreeMap<String, Value>,
    /// `manual` from the console, `api` (default) from integrations.
    #[serde(default)]
    pub trigger: Option<RunTrigger>,
}

/// Rows in and out of one stage during a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StageMetrics {
    pub stage: String,
    pub rows_in: u64,
    /// Rows per output port; sinks report what they wrote under `written`.
    pub rows_out: BTreeMap<String, u64>,
    pub elapsed_ms: u64,
}

/// Why a run failed: which stage, what to fix, whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RunError {
    pub message: String,
    pub stage: Option<String>,
    pub path: Option<String>,
    /// `user` (fix the dataflow or its input), `external` (a file system or database), `engine`.
    pub fault: String,
    pub retryable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Run {
    pub id: String,
    pub dataflow: String,
    pub version: i32,
    pub status: RunStatus,
    pub trigger: RunTrigger,
    pub schedule_id: Option<String>,
    pub fire_time: Option<String>,
    pub parameters: BTreeMap<String, Value>,
    pub node: Option<String>,
    pub attempt: i32,
    /// Attempts the dataflow's run policy allows (retries of retryable failures).
    #[serde(default)]
    pub max_attempts: i32,
    /// The process run this run is a step of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_run_id: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub metrics: Vec<StageMetrics>,
    pub error: Option<RunError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RunLogLine {
    pub at: String,
    /// `info`, `warn` or `error`.
    pub level: String,
    pub message: String,
}

/// `POST /services/{name}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequest {
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServiceResponse {
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
}

/// A field on a port: what the designer offers in field pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldSchema {
    pub name: String,
    /// Arrow type name, e.g. `Int64`, `Utf8`, `Float64`.
    #[serde(rename = "type")]
    pub field_type: String,
    pub nullable: bool,
}

/// `POST /dataflows/preview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub document: crate::DataflowDocument,
    /// Source records to read, and rows to return per port (default 50, at most 1000).
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PortPreview {
    pub schema: Vec<FieldSchema>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PreviewResponse {
    /// By `stage.port`.
    pub ports: BTreeMap<String, PortPreview>,
    pub problems: Vec<crate::ErrorDetail>,
}
