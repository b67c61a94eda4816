//! Connections: databases and directories stages use by name, their passwords encrypted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("connections")
                    .col(string("id").primary_key())
                    .col(string("name").unique_key())
                    .col(string("kind"))
                    .col(text("description"))
                    .col(string_null("host"))
                    .col(integer_null("port"))
                    .col(string_null("database"))
                    .col(string_null("username"))
                    // Nonce and AES-256-GCM ciphertext, base64; never the password.
                    .col(text_null("password_encrypted"))
                    .col(string_null("path"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("connections").to_owned()).await
    }
}
