//! Request and response shapes of the REST API (`/api/v1`) beyond auth.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{DataflowDocument, DataflowKind, ErrorDetail};

/// Every list endpoint: `{"items": [...], "next_cursor": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One row of `GET /dataflows`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DataflowSummary {
    pub name: String,
    pub kind: DataflowKind,
    pub description: String,
    /// The newest version.
    pub version: i32,
    /// The version services and schedules use, if any.
    pub exposed_version: Option<i32>,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `GET /dataflows/{name}`: the newest version's document with its metadata. The `ETag` header
/// carries the same value as `etag`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dataflow {
    #[serde(flatten)]
    pub summary: DataflowSummary,
    pub etag: String,
    pub document: DataflowDocument,
}

/// One saved version (immutable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VersionInfo {
    pub version: i32,
    pub created_at: String,
    pub created_by: String,
    pub comment: String,
    pub exposed: bool,
}

/// `GET /dataflows/{name}/versions/{n}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DataflowVersion {
    #[serde(flatten)]
    pub info: VersionInfo,
    pub document: DataflowDocument,
}

/// `POST /dataflows/validate`: every problem at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValidationReport {
    pub valid: bool,
    pub problems: Vec<ErrorDetail>,
    /// The fields on every port that could be computed, by `stage.port`.
    #[serde(default)]
    pub schemas: std::collections::BTreeMap<String, Vec<crate::FieldSchema>>,
}

/// `GET /cluster/nodes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NodeInfo {
    pub name: String,
    pub address: String,
    pub version: String,
    pub modules: Vec<String>,
    pub started_at: String,
    pub heartbeat_at: String,
    /// `up`, `draining` or `down` (no heartbeat for a while).
    pub state: String,
    /// Runs this node is executing now.
    #[serde(default)]
    pub runs_in_progress: u64,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<HealthCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HealthCheck {
    pub name: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
