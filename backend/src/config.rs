//! Configuration: built-in defaults, then an optional TOML file, then `TRIBUTARY_*` variables,
//! then flags (clap reads the last two). Every problem is listed at once at start-up.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use serde::Deserialize;

/// Modules a node can carry; `core` is always present.
pub const KNOWN_MODULES: &[&str] = &["core", "quality", "address"];
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_MAX_BODY: &str = "10MiB";
const DEFAULT_SESSION_TTL: &str = "12h";

/// A value that must not reach logs: `Debug` prints a mask.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Flags of `serve` and `migrate`; each also reads `TRIBUTARY_<NAME>`.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// TOML file with any of the settings below (snake_case keys).
    #[arg(long, env = "TRIBUTARY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TRIBUTARY_LISTEN")]
    pub listen: Option<String>,
    /// Directory for job files and, on a standard install, the SQLite database [default: ./data].
    #[arg(long, env = "TRIBUTARY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `postgres://…` for a cluster; default SQLite `<data-dir>/tributary.db`.
    #[arg(long, env = "TRIBUTARY_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Read replica for reads that tolerate lag (lists, history).
    #[arg(long, env = "TRIBUTARY_DATABASE_REPLICA_URL")]
    pub database_replica_url: Option<String>,
    /// This node's name in the cluster [default: host name + port].
    #[arg(long, env = "TRIBUTARY_NODE_NAME")]
    pub node_name: Option<String>,
    /// Comma-separated modules this node carries (`core` is always present).
    #[arg(long, env = "TRIBUTARY_MODULES", value_delimiter = ',')]
    pub modules: Option<Vec<String>>,
    /// Key that encrypts connection secrets; generated on a standard install, required in a cluster.
    #[arg(long, env = "TRIBUTARY_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Password of the first `admin`, read only while the database has no users.
    #[arg(long, env = "TRIBUTARY_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Largest request body accepted, e.g. `10MiB` [default: 10MiB].
    #[arg(long, env = "TRIBUTARY_MAX_BODY_SIZE")]
    pub max_body_size: Option<String>,
    /// How long a browser session lasts, e.g. `12h` [default: 12h].
    #[arg(long, env = "TRIBUTARY_SESSION_TTL")]
    pub session_ttl: Option<String>,
    /// On SIGTERM, how long to report not-ready before closing the listener [default: 0s].
    #[arg(long, env = "TRIBUTARY_DRAIN_DELAY")]
    pub drain_delay: Option<String>,
    /// `text` or `json` [default: text].
    #[arg(long, env = "TRIBUTARY_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// How long a node may go without renewing a run before another node takes it over [default: 30s].
    #[arg(long, env = "TRIBUTARY_RUN_LEASE")]
    pub run_lease: Option<String>,
    /// How many runs a node executes at once [default: 16 × the number of cores, at least 32, at most 256].
    #[arg(long, env = "TRIBUTARY_RUN_SLOTS")]
    pub run_slots: Option<usize>,
    /// How long finished runs and their logs are kept, e.g. `30d` [default: 30d].
    #[arg(long, env = "TRIBUTARY_RUN_RETENTION")]
    pub run_retention: Option<String>,
    /// The most missed fire times a schedule with misfire policy `all` catches up [default: 100].
    #[arg(long, env = "TRIBUTARY_SCHEDULE_MAX_CATCHUP")]
    pub schedule_max_catchup: Option<u32>,
}

/// The same settings as they appear in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    database_replica_url: Option<String>,
    node_name: Option<String>,
    modules: Option<Vec<String>>,
    secret_key: Option<String>,
    admin_password: Option<String>,
    max_body_size: Option<String>,
    session_ttl: Option<String>,
    drain_delay: Option<String>,
    log_format: Option<String>,
    run_lease: Option<String>,
    run_retention: Option<String>,
    schedule_max_catchup: Option<u32>,
    run_slots: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The validated configuration a node runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub database_replica_url: Option<Secret>,
    pub node_name: String,
    pub modules: Vec<String>,
    pub secret_key: Option<Secret>,
    pub admin_password: Option<Secret>,
    pub max_body_bytes: usize,
    pub session_ttl: Duration,
    pub drain_delay: Duration,
    pub log_format: LogFormat,
    pub run_lease: Duration,
    pub run_retention: Duration,
    pub schedule_max_catchup: u32,
    pub run_slots: usize,
}

impl Config {
    /// Layer file, environment and flags over the defaults; list every problem found.
    pub fn load(args: ConfigArgs) -> Result<Self, Vec<String>> {
        let file = match &args.config {
            Some(path) => read_file(path).map_err(|e| vec![e])?,
            None => FileConfig::default(),
        };
        let mut errors = Vec::new();
        let listen_text = args.listen.or(file.listen).unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen_text.parse().unwrap_or_else(|_| {
            errors.push(format!("listen: {listen_text:?} is not an address like 127.0.0.1:8080"));
            SocketAddr::from(([127, 0, 0, 1], 8080))
        });
        let data_dir = args.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = args.database_url.or(file.database_url).unwrap_or_else(|| sqlite_url(&data_dir));
        check_database_url("database_url", &database_url, &mut errors);
        let database_replica_url = args.database_replica_url.or(file.database_replica_url);
        if let Some(url) = &database_replica_url {
            check_database_url("database_replica_url", url, &mut errors);
        }
        let modules = normalize_modules(args.modules.or(file.modules).unwrap_or_default(), &mut errors);
        let secret_key = args.secret_key.or(file.secret_key);
        if let Some(key) = &secret_key {
            if key.len() < 32 {
                errors.push("secret_key: must be at least 32 characters".into());
            }
        } else if is_postgres(&database_url) {
            errors.push(
                "secret_key: required when the database is PostgreSQL (every node must share it)".into(),
            );
        }
        let max_body_text =
            args.max_body_size.or(file.max_body_size).unwrap_or_else(|| DEFAULT_MAX_BODY.into());
        let max_body_bytes = parse_size(&max_body_text).unwrap_or_else(|e| {
            errors.push(format!("max_body_size: {e}"));
            0
        });
        let session_ttl =
            duration("session_ttl", args.session_ttl.or(file.session_ttl), DEFAULT_SESSION_TTL, &mut errors);
        let drain_delay = duration("drain_delay", args.drain_delay.or(file.drain_delay), "0s", &mut errors);
        let run_lease = duration("run_lease", args.run_lease.or(file.run_lease), "30s", &mut errors);
        if run_lease < Duration::from_secs(2) {
            errors.push("run_lease: must be at least 2s (runs renew their lease every 0.5 s)".into());
        }
        let run_retention =
            duration("run_retention", args.run_retention.or(file.run_retention), "30d", &mut errors);
        if run_retention < Duration::from_secs(60) {
            errors.push("run_retention: must be at least 1m".into());
        }
        // A run's plan works on the engine's threads (one per core) whatever the slots, so slots
        // bound how many runs are in progress, not the CPU they take: short runs spend most of
        // their time waiting for the database.
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
        let default_slots = (cores * 16).min(256);
        let run_slots = args.run_slots.or(file.run_slots).unwrap_or(default_slots);
        if !(1..=256).contains(&run_slots) {
            errors.push("run_slots: must be 1 to 256".into());
        }
        let schedule_max_catchup = args.schedule_max_catchup.or(file.schedule_max_catchup).unwrap_or(100);
        if schedule_max_catchup > 10_000 {
            errors.push("schedule_max_catchup: must be at most 10000".into());
        }
        let log_format = match args.log_format.or(file.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                errors.push(format!("log_format: {other:?} is neither \"text\" nor \"json\""));
                LogFormat::Text
            }
        };
        let node_name =
            args.node_name.or(file.node_name).unwrap_or_else(|| format!("{}-{}", host_name(), listen.port()));
        if node_name.trim().is_empty() {
            errors.push("node_name: must not be empty".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            listen,
            data_dir,
            database_url: Secret::new(database_url),
            database_replica_url: database_replica_url.map(Secret::new),
            node_name,
            modules,
            secret_key: secret_key.map(Secret::new),
            admin_password: args.admin_password.or(file.admin_password).map(Secret::new),
            max_body_bytes,
            session_ttl,
            drain_delay,
            log_format,
            run_lease,
            run_retention,
            schedule_max_catchup,
            run_slots,
        })
    }

    pub fn is_postgres(&self) -> bool {
        is_postgres(self.database_url.expose())
    }
}

fn read_file(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("config file {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
}

fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("tributary.db").display())
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn check_database_url(name: &str, url: &str, errors: &mut Vec<String>) {
    if !is_postgres(url) && !url.starts_with("sqlite:") {
        errors.push(format!("{name}: must start with postgres://, postgresql:// or sqlite:"));
    }
}

fn normalize_modules(requested: Vec<String>, errors: &mut Vec<String>) -> Vec<String> {
    let mut modules = vec!["core".to_string()];
    for module in requested.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
        if !KNOWN_MODULES.contains(&module) {
            errors.push(format!("modules: unknown module {module:?} (known: {})", KNOWN_MODULES.join(", ")));
        } else if !modules.iter().any(|m| m == module) {
            modules.push(module.to_string());
        }
    }
    modules
}

fn duration(name: &str, value: Option<String>, default: &str, errors: &mut Vec<String>) -> Duration {
    let text = value.unwrap_or_else(|| default.into());
    humantime::parse_duration(&text).unwrap_or_else(|e| {
        errors.push(format!("{name}: {text:?} is not a duration like \"30s\" or \"12h\" ({e})"));
        Duration::ZERO
    })
}

/// `10MiB`, `512KiB`, `1MB`, `2048` (bytes).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: usize = number.parse().map_err(|_| format!("{text:?} is not a size like \"10MiB\""))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gib" | "g" => 1 << 30,
        other => return Err(format!("unknown unit {other:?} in {text:?}")),
    };
    number.checked_mul(factor).filter(|n| *n > 0).ok_or_else(|| format!("{text:?} is out of range"))
}

pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

#[cfg(test)]
mod tests;
