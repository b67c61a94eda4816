//! `schedules`: when to run an exposed job or process flow — by cron expression, once, or
//! when files appear.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub name: String,
    pub dataflow: String,
    /// `cron`, `once` or `file`.
    pub trigger_kind: String,
    pub cron: Option<String>,
    /// IANA name, e.g. `Europe/Paris`.
    pub time_zone: String,
    /// For `once`.
    pub fire_at: Option<DateTimeUtc>,
    /// For `file`: a directory under the data directory, and a glob for file names.
    pub directory: Option<String>,
    pub pattern: Option<String>,
    /// JSON object of parameter values.
    #[sea_orm(column_type = "Text")]
    pub parameters: String,
    pub enabled: bool,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    /// `skip`, `last` or `all`.
    pub misfire: String,
    /// `allow`, `skip` or `queue`.
    pub overlap: String,
    /// The next fire time the scheduler waits for (cron and once).
    pub next_fire: Option<DateTimeUtc>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
