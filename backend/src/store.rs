//! The configuration store: connecting to SQLite or PostgreSQL and applying migrations once,
//! even when several nodes start together.

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

/// Any constant works as long as every node uses the same one.
const MIGRATION_LOCK_KEY: i64 = 0x7472_6962_7574;

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, Duration::from_secs(5)).await
}

/// A read replica: quick to give up, since the primary can answer instead.
pub async fn connect_replica(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, Duration::from_secs(1)).await
}

async fn connect_with(url: &str, timeout: Duration) -> anyhow::Result<DatabaseConnection> {
    let sqlite_dir = sqlite_file(url).and_then(|path| std::path::Path::new(path).parent());
    if let Some(dir) = sqlite_dir.filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if url.starts_with("sqlite:") { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(timeout)
        .acquire_timeout(timeout)
        .sqlx_logging(false)
        // WAL with NORMAL sync: a commit survives the process dying; only an OS crash may lose
        // the last few, the trade SQLite recommends for WAL.
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await.context("cannot connect to the configuration database")
}

fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (path != ":memory:" && !path.is_empty()).then_some(path)
}

/// Apply pending migrations. On PostgreSQL an advisory lock, held on one connection for the
/// whole run, makes concurrent starters wait for the first instead of racing it.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await.context("migrating the database failed");
    }
    let pool = db.get_postgres_connection_pool();
    let mut lock_conn = pool.acquire().await.context("cannot reach PostgreSQL")?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK_KEY)
        .execute(&mut *lock_conn)
        .await
        .context("cannot take the migration lock")?;
    let result = Migrator::up(db, None).await.context("migrating the database failed");
    let unlock = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK_KEY)
        .execute(&mut *lock_conn)
        .await;
    if let Err(err) = unlock {
        // Closing the connection releases the lock anyway.
        tracing::warn!(error = %err, "releasing the migration lock failed");
        lock_conn.detach();
    }
    result
}

/// Readiness: the database answers and no migration is pending.
/// How long readiness waits for the database: less than a balancer's check timeout, so a
/// database that is down shows as 503, not as a check that timed out.
const READY_TIMEOUT: Duration = Duration::from_secs(1);

pub async fn check_ready(db: &DatabaseConnection) -> Result<(), String> {
    match tokio::time::timeout(READY_TIMEOUT, db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(format!("database unreachable: {e}")),
        Err(_) => return Err(format!("database did not answer within {} s", READY_TIMEOUT.as_secs())),
    }
    let pending = Migrator::get_pending_migrations_read_only(db)
        .await
        .map_err(|e| format!("migration status unknown: {e}"))?;
    if pending.is_empty() { Ok(()) } else { Err(format!("{} migration(s) pending", pending.len())) }
}

/// Begin a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`), so concurrent writers wait their turn instead of failing when a read
/// transaction tries to upgrade; PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(sqlite_file("sqlite://./data/tributary.db?mode=rwc"), Some("./data/tributary.db"));
        assert_eq!(sqlite_file("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
