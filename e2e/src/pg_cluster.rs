//! A throwaway PostgreSQL server of our own (initdb + pg_ctl on a free port) that fault tests
//! may stop, `kill -9` and start again, and a hot standby of it. The machine's own server on
//! port 5432 is never touched.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use anyhow::Context;

use crate::wait;

/// The database the nodes use inside the cluster.
const DATABASE: &str = "tributary";

pub struct PgCluster {
    /// Owned by the server's user (mode 700): the data directory, the socket and the log.
    root: tempfile::TempDir,
    pub port: u16,
    bin: PathBuf,
    /// Extra server settings (`-c name=value`), e.g. `hot_standby=on` on a standby.
    settings: Vec<String>,
}

impl PgCluster {
    /// `initdb` a new cluster, start it and create the `tributary` database.
    pub fn start_new() -> anyhow::Result<Self> {
        let cluster = Self::prepare(vec![])?;
        let data = cluster.data_dir();
        let initdb = cluster.bin.join("initdb");
        let data_arg = data.to_string_lossy().into_owned();
        let initdb_arg = initdb.to_string_lossy().into_owned();
        run_as_server_user(&[&initdb_arg, "-D", &data_arg, "-A", "trust", "-U", "postgres", "--no-sync"])?;
        cluster.start()?;
        cluster.psql("postgres", &format!("CREATE DATABASE {DATABASE}"))?;
        Ok(cluster)
    }

    /// A hot standby of this cluster on another port: `pg_basebackup -R` (so it follows this
    /// server by streaming replication), started with `hot_standby=on` to answer reads.
    pub fn standby(&self) -> anyhow::Result<Self> {
        let standby = Self::prepare(vec!["hot_standby=on".into()])?;
        let basebackup = self.bin.join("pg_basebackup").to_string_lossy().into_owned();
        let data = standby.data_dir().to_string_lossy().into_owned();
        let port = self.port.to_string();
        run_as_server_user(&[
            &basebackup,
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-D",
            &data,
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ])?;
        standby.start()?;
        Ok(standby)
    }

    /// A directory for a new cluster, owned by the server's user, and a free port.
    fn prepare(settings: Vec<String>) -> anyhow::Result<Self> {
        let root = tempfile::Builder::new().prefix("tributary-pg-").tempdir()?;
        if is_root() {
            let status = Command::new("chown").args(["postgres:postgres"]).arg(root.path()).status()?;
            anyhow::ensure!(status.success(), "chown postgres {} failed", root.path().display());
        }
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o700))?;
        Ok(Self { root, port: wait::free_port()?, bin: server_binaries()?, settings })
    }

    /// `postgres://` URL of the `tributary` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn log(&self) -> PathBuf {
        self.root.path().join("server.log")
    }

    /// `pg_ctl start`, waiting until it accepts connections. After a `kill -9` the old
    /// backends may take a moment to go; starting is retried until then.
    pub fn start(&self) -> anyhow::Result<()> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.root.path().display()
        );
        for setting in &self.settings {
            options.push_str(&format!(" -c {setting}"));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            match self.pg_ctl(&[
                "-l",
                &self.log().to_string_lossy(),
                "-w",
                "-t",
                "20",
                "-o",
                &options,
                "start",
            ]) {
                Ok(_) => return Ok(()),
                Err(err) if std::time::Instant::now() >= deadline => {
                    let log = std::fs::read_to_string(self.log()).unwrap_or_default();
                    return Err(err.context(format!("PostgreSQL did not start; its log:\n{log}")));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// A clean, fast stop: connections are closed, the server exits.
    pub fn stop(&self) -> anyhow::Result<()> {
        self.pg_ctl(&["-m", "fast", "-w", "-t", "20", "stop"]).map(drop)
    }

    /// `kill -9` the postmaster (its pid is the first line of `postmaster.pid`).
    pub fn kill9(&self) -> anyhow::Result<()> {
        let pid_file = self.data_dir().join("postmaster.pid");
        let text =
            std::fs::read_to_string(&pid_file).with_context(|| format!("reading {}", pid_file.display()))?;
        let pid = text.lines().next().unwrap_or_default().trim().to_owned();
        let status = Command::new("kill").args(["-9", &pid]).status()?;
        anyhow::ensure!(status.success(), "kill -9 {pid} failed");
        Ok(())
    }

    /// Run one SQL statement as `postgres` on `database`; its output, unaligned.
    pub fn psql(&self, database: &str, sql: &str) -> anyhow::Result<String> {
        let output = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", database])
            .args(["-v", "ON_ERROR_STOP=1", "-XAtqc", sql])
            .output()?;
        let output = succeeded(output, &format!("psql {sql:?}"))?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<Output> {
        let pg_ctl = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        let data = self.data_dir().to_string_lossy().into_owned();
        let mut command = vec![pg_ctl.as_str(), "-D", data.as_str()];
        command.extend_from_slice(args);
        run_as_server_user(&command)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Immediate: nothing here needs to survive. The directory goes with `root`.
        if self.pg_ctl(&["-m", "immediate", "-w", "-t", "10", "stop"]).is_err() {
            let _ = self.kill9();
        }
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The server's programs refuse to run as root: as root they run as `postgres` (`runuser`).
fn run_as_server_user(command: &[&str]) -> anyhow::Result<Output> {
    let output = if is_root() {
        Command::new("runuser").args(["-u", "postgres", "--"]).args(command).output()?
    } else {
        Command::new(command[0]).args(&command[1..]).output()?
    };
    succeeded(output, &command.join(" "))
}

fn succeeded(output: Output, what: &str) -> anyhow::Result<Output> {
    anyhow::ensure!(
        output.status.success(),
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(output)
}

/// The newest `/usr/lib/postgresql/<version>/bin` (override: `TRIBUTARY_TEST_PG_BIN`).
fn server_binaries() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("TRIBUTARY_TEST_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .with_context(|| format!("{} is missing: apt-get install postgresql", root.display()))?
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse::<u32>().ok()?, entry.path())))
        .filter(|(_, dir)| dir.join("bin/initdb").exists())
        .max_by_key(|(version, _)| *version);
    newest
        .map(|(_, dir)| dir.join("bin"))
        .ok_or_else(|| anyhow::anyhow!("no initdb under {}", root.display()))
}
