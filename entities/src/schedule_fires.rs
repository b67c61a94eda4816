//! `schedule_fires`: every fire time of a schedule, fired or skipped (with the reason); one
//! row per `(schedule_id, fire_key)`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedule_fires")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub schedule_id: String,
    /// The fire time (RFC 3339, UTC) or `file:<path>`.
    pub fire_key: String,
    pub fire_time: DateTimeUtc,
    /// `fired`, `skipped` or `waiting` (overlap policy `queue`).
    pub outcome: String,
    pub reason: Option<String>,
    pub run_id: Option<String>,
    pub node: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
