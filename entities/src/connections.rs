//! `connections`: databases and directories that stages use by name. The password is stored
//! only encrypted (AES-256-GCM under the node's secret key).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub name: String,
    /// `postgres`, `mysql`, `sqlite` or `directory`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub database: Option<String>,
    pub username: Option<String>,
    /// `v1:` + base64 of nonce and ciphertext; never the password itself.
    #[sea_orm(column_type = "Text", nullable)]
    pub password_encrypted: Option<String>,
    /// For `sqlite` (a file) and `directory`: under the data directory.
    pub path: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
