//! A throwaway database on the local PostgreSQL server (trust auth, user `postgres`).

use std::process::Command;

fn psql(sql: &str) -> anyhow::Result<()> {
    let host = std::env::var("TRIBUTARY_TEST_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into());
    let output = Command::new("psql")
        .args(["-h", &host, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()?;
    if !output.status.success() {
        anyhow::bail!("psql {sql:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}

pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> anyhow::Result<Self> {
        let name = format!("tributary_e2e_{}", uuid::Uuid::new_v4().simple());
        psql(&format!("CREATE DATABASE {name}"))?;
        let host = std::env::var("TRIBUTARY_TEST_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into());
        Ok(Self { url: format!("postgres://postgres@{host}:5432/{name}"), name })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = psql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}
