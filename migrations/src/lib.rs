//! Schema migrations of the configuration store, one per file, valid on SQLite and PostgreSQL.
//! They name tables and columns as strings and never import `entities`, so an old migration
//! keeps its meaning when an entity changes.
//!
//! # Layout
//! - `m20261125_000001_initial`: users, roles, sessions, tokens, dataflows and versions, audit, nodes.
//! - `m20261125_000002_runs`: the run queue and run logs.
//! - `m20261126_000003_schedules`: schedules, their fire times, retry waits, process children.
//! - `m20261126_000004_access`: per-object access overrides (grant / deny).
//! - `m20261126_000005_connections`: connections (databases, directories), passwords encrypted.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_initial;
mod m20261125_000002_runs;
mod m20261126_000003_schedules;
mod m20261126_000004_access;
mod m20261126_000005_connections;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial::Migration),
            Box::new(m20261125_000002_runs::Migration),
            Box::new(m20261126_000003_schedules::Migration),
            Box::new(m20261126_000004_access::Migration),
            Box::new(m20261126_000005_connections::Migration),
        ]
    }
}
