//! Per-object access overrides: grant or deny one user or one role permissions on one
//! dataflow or connection, whatever their roles say.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("object_access")
                    .col(string("object_kind"))
                    .col(string("object_name"))
                    .col(string("subject_kind"))
                    .col(string("subject_name"))
                    .col(string("effect"))
                    .col(text("permissions"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col("object_kind")
                            .col("object_name")
                            .col("subject_kind")
                            .col("subject_name")
                            .col("effect"),
                    )
                    .to_owned(),
            )
            .await?;
        // Deleting a user or role removes their overrides: looked up by subject.
        manager
            .create_index(
                Index::create()
                    .name("idx_object_access_subject")
                    .table("object_access")
                    .col("subject_kind")
                    .col("subject_name")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("object_access").to_owned()).await
    }
}
