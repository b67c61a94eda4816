//! `dataflow_versions`: every saved document, immutable once written.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dataflow_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub dataflow_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    /// The dataflow document as JSON.
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub comment: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
