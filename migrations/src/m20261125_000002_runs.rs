//! Runs as a queue in the database, and their log lines.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("runs")
                    .col(string("id").primary_key())
                    .col(string("dataflow_id"))
                    .col(string("dataflow"))
                    .col(integer("version"))
                    .col(string("status"))
                    .col(string("trigger"))
                    .col(string_null("schedule_id"))
                    .col(timestamp_with_time_zone_null("fire_time"))
                    .col(text("parameters"))
                    .col(string_null("node"))
                    .col(integer("attempt"))
                    .col(integer("max_attempts"))
                    .col(string_null("idempotency_key").unique_key())
                    .col(string("required_modules"))
                    .col(boolean("cancel_requested"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(text_null("metrics"))
                    .col(text_null("error"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("run_logs")
                    .col(big_pk_auto("id"))
                    .col(string("run_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("level"))
                    .col(text("message"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("run_logs", "run_id")
                            .to("runs", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes = [
            ("idx_runs_queue", "runs", vec!["status", "created_at"]),
            ("idx_runs_dataflow", "runs", vec!["dataflow", "created_at"]),
            ("idx_runs_created", "runs", vec!["created_at"]),
            ("idx_run_logs_run", "run_logs", vec!["run_id"]),
        ];
        for (name, table, columns) in indexes {
            let mut index = Index::create().name(name).table(table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("run_logs").to_owned()).await?;
        manager.drop_table(Table::drop().table("runs").to_owned()).await
    }
}
