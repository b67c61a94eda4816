//! The dataflow document of DESIGN §3 and the structural checks that both the browser and the
//! nodes run on it: names, stage ids, stage types and their ports, edges, cycles, parameters.
//! Checks that need data (schemas, expressions) belong to the engine.

mod ports;
mod validate;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub use ports::{PortSpec, StagePorts, stage_ports};
pub use validate::{check_complete, validate_dataflow_name, validate_document};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataflowDocument {
    pub name: String,
    pub kind: DataflowKind,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// How runs of a job or process flow are retried and bounded.
    #[serde(default, skip_serializing_if = "RunPolicy::is_default")]
    pub run_policy: RunPolicy,
}

/// Retries for failures that a retry can help (the engine says which), and a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RunPolicy {
    /// Attempts in all, the first included: 1 means no retry.
    pub max_attempts: u32,
    /// Wait before the first retry; each further retry waits twice as long.
    pub backoff_seconds: u64,
    /// A run still going after this long is cancelled and fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
}

impl Default for RunPolicy {
    fn default() -> Self {
        Self { max_attempts: 1, backoff_seconds: 10, timeout_seconds: None }
    }
}

impl RunPolicy {
    pub const MAX_ATTEMPTS: u32 = 10;
    pub const MAX_BACKOFF_SECONDS: u64 = 24 * 3600;

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The wait before attempt `next` (2 or later).
    pub fn backoff_before(&self, next: u32) -> u64 {
        let doublings = next.saturating_sub(2).min(20);
        self.backoff_seconds.saturating_mul(1 << doublings).min(Self::MAX_BACKOFF_SECONDS)
    }
}

impl DataflowDocument {
    /// Modules besides `core` a node must carry to run this dataflow, sorted.
    pub fn required_modules(&self) -> Vec<String> {
        let mut modules: Vec<String> = self
            .stages
            .iter()
            .filter_map(|s| stage_ports(&s.stage_type))
            .map(|p| p.module.to_string())
            .filter(|m| m != "core")
            .collect();
        modules.sort();
        modules.dedup();
        modules
    }

    /// A document with no stages: what "new dataflow" starts from.
    pub fn empty(name: impl Into<String>, kind: DataflowKind) -> Self {
        Self {
            name: name.into(),
            kind,
            description: String::new(),
            parameters: vec![],
            stages: vec![],
            edges: vec![],
            run_policy: RunPolicy::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataflowKind {
    Job,
    Service,
    Subflow,
    Process,
}

impl DataflowKind {
    pub const ALL: [DataflowKind; 4] = [Self::Job, Self::Service, Self::Subflow, Self::Process];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Job => "job",
            Self::Service => "service",
            Self::Subflow => "subflow",
            Self::Process => "process",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type", default)]
    pub param_type: ParameterType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParameterType {
    #[default]
    String,
    Integer,
    Number,
    Boolean,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    #[serde(rename = "type")]
    pub stage_type: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub options: Map<String, Value>,
    #[serde(default)]
    pub position: Position,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// `from` and `to` are `"stage"` (its default port) or `"stage.port"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

/// One end of an edge, split into stage id and optional port name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeEnd<'a> {
    pub stage: &'a str,
    pub port: Option<&'a str>,
}

impl<'a> EdgeEnd<'a> {
    pub fn parse(end: &'a str) -> Self {
        match end.split_once('.') {
            Some((stage, port)) => Self { stage, port: Some(port) },
            None => Self { stage: end, port: None },
        }
    }
}
