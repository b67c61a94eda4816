//! `runs`: one execution of one version of a dataflow; the table is also the work queue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub dataflow_id: String,
    pub dataflow: String,
    pub version: i32,
    pub status: String,
    pub trigger: String,
    pub schedule_id: Option<String>,
    pub fire_time: Option<DateTimeUtc>,
    /// JSON object of parameter values.
    #[sea_orm(column_type = "Text")]
    pub parameters: String,
    pub node: Option<String>,
    pub attempt: i32,
    pub max_attempts: i32,
    /// `<user>:<Idempotency-Key>`; unique.
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
    /// Comma-separated modules (besides `core`) a node needs to run it, sorted.
    pub required_modules: String,
    pub cancel_requested: bool,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub lease_until: Option<DateTimeUtc>,
    /// JSON list of per-stage metrics.
    #[sea_orm(column_type = "Text", nullable)]
    pub metrics: Option<String>,
    /// JSON of the run error.
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    /// A retry waits until then before a node may claim it.
    pub not_before: Option<DateTimeUtc>,
    /// The process run this run is a step of.
    pub parent_run_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
