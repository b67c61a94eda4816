//! The first schema: identity (users, roles, sessions, API tokens), dataflows with their
//! immutable versions, the audit log and cluster membership.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade(
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("users")
                .col(string("id").primary_key())
                .col(string_uniq("username"))
                .col(string("password_hash"))
                .col(boolean("enabled"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
            Table::create()
                .table("roles")
                .col(string("name").primary_key())
                .col(string("description"))
                .col(text("permissions"))
                .col(boolean("builtin"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            Table::create()
                .table("user_roles")
                .col(string("user_id"))
                .col(string("role_name"))
                .primary_key(Index::create().col("user_id").col("role_name"))
                .foreign_key(&mut cascade(("user_roles", "user_id"), ("users", "id")))
                .foreign_key(&mut cascade(("user_roles", "role_name"), ("roles", "name")))
                .to_owned(),
            Table::create()
                .table("sessions")
                .col(string("token_hash").primary_key())
                .col(string("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string("node"))
                .foreign_key(&mut cascade(("sessions", "user_id"), ("users", "id")))
                .to_owned(),
            Table::create()
                .table("api_tokens")
                .col(string("id").primary_key())
                .col(string("user_id"))
                .col(string("name"))
                .col(string_uniq("token_hash"))
                .col(string("prefix"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .foreign_key(&mut cascade(("api_tokens", "user_id"), ("users", "id")))
                .to_owned(),
            Table::create()
                .table("dataflows")
                .col(string("id").primary_key())
                .col(string_uniq("name"))
                .col(string("kind"))
                .col(string("description"))
                .col(integer("current_version"))
                .col(integer_null("exposed_version"))
                .col(string("created_by"))
                .col(string("updated_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
            Table::create()
                .table("dataflow_versions")
                .col(string("dataflow_id"))
                .col(integer("version"))
                .col(text("document"))
                .col(string("comment"))
                .col(string("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("dataflow_id").col("version"))
                .foreign_key(&mut cascade(("dataflow_versions", "dataflow_id"), ("dataflows", "id")))
                .to_owned(),
            Table::create()
                .table("audit_events")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(string("actor"))
                .col(string("node"))
                .col(string_null("ip"))
                .col(string("action"))
                .col(string_null("resource"))
                .col(string("outcome"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(string_null("request_id"))
                .to_owned(),
            Table::create()
                .table("nodes")
                .col(string("name").primary_key())
                .col(string("address"))
                .col(string("version"))
                .col(string("modules"))
                .col(string("state"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("heartbeat_at"))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let indexes = [
            ("idx_sessions_user", "sessions", "user_id"),
            ("idx_api_tokens_user", "api_tokens", "user_id"),
            ("idx_audit_events_at", "audit_events", "at"),
            ("idx_dataflows_updated", "dataflows", "updated_at"),
        ];
        for (name, table, column) in indexes {
            manager.create_index(Index::create().name(name).table(table).col(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            "nodes",
            "audit_events",
            "dataflow_versions",
            "dataflows",
            "api_tokens",
            "sessions",
            "user_roles",
            "roles",
            "users",
        ];
        for table in tables {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
