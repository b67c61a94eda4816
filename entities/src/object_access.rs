//! `object_access`: one grant or deny of permissions on one dataflow or connection, for one
//! user or one role.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "object_access")]
pub struct Model {
    /// `dataflow` or `connection`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub object_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub object_name: String,
    /// `user` or `role`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject_name: String,
    /// `grant` or `deny`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub effect: String,
    /// JSON array of `resource:action` strings; empty on a deny means every permission.
    #[sea_orm(column_type = "Text")]
    pub permissions: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
