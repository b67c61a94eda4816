//! Schedules and the fire times they produced; runs that wait before a retry, and runs that
//! belong to a process run.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("schedules")
                    .col(string("id").primary_key())
                    .col(string("name").unique_key())
                    .col(string("dataflow"))
                    .col(string("trigger_kind"))
                    .col(string_null("cron"))
                    .col(string("time_zone"))
                    .col(timestamp_with_time_zone_null("fire_at"))
                    .col(string_null("directory"))
                    .col(string_null("pattern"))
                    .col(text("parameters"))
                    .col(boolean("enabled"))
                    .col(timestamp_with_time_zone_null("starts_at"))
                    .col(timestamp_with_time_zone_null("ends_at"))
                    .col(string("misfire"))
                    .col(string("overlap"))
                    .col(timestamp_with_time_zone_null("next_fire"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("schedule_fires")
                    .col(big_pk_auto("id"))
                    .col(string("schedule_id"))
                    // The fire time (RFC 3339, UTC) or `file:<path>`: unique per schedule, so
                    // racing schedulers fire it once.
                    .col(string("fire_key"))
                    .col(timestamp_with_time_zone("fire_time"))
                    .col(string("outcome"))
                    .col(text_null("reason"))
                    .col(string_null("run_id"))
                    .col(string("node"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("schedule_fires", "schedule_id")
                            .to("schedules", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedule_fires_key")
                    .table("schedule_fires")
                    .col("schedule_id")
                    .col("fire_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds columns one at a time.
        for column in [timestamp_with_time_zone_null("not_before"), string_null("parent_run_id")] {
            manager.alter_table(Table::alter().table("runs").add_column(column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create().name("idx_runs_parent").table("runs").col("parent_run_id").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_runs_parent").table("runs").to_owned()).await?;
        for column in ["parent_run_id", "not_before"] {
            manager.alter_table(Table::alter().table("runs").drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table("schedule_fires").to_owned()).await?;
        manager.drop_table(Table::drop().table("schedules").to_owned()).await
    }
}
