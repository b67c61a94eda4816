//! The command line: `serve`, `migrate`, `healthcheck`, and the REST clients `run`, `runs`,
//! `schedules`, `users`, `tokens`, `export`, `import`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, ConfigArgs, Secret};
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(name = "tributary", version, about = "Tributary dataflow platform node")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a node: API, console, jobs and services.
    Serve(ConfigArgs),
    /// Apply database migrations and exit.
    Migrate(ConfigArgs),
    /// Exit 0 if the node at --url reports ready (for container and systemd checks).
    Healthcheck(HealthcheckArgs),
    /// Run a job or process flow through the REST API (`--wait` follows it to the end).
    Run(crate::client::RunArgs),
    /// Runs through the REST API.
    #[command(subcommand)]
    Runs(crate::client::RunsCommand),
    /// Schedules through the REST API.
    #[command(subcommand)]
    Schedules(crate::client::SchedulesCommand),
    /// Users through the REST API (needs users:view / users:edit).
    #[command(subcommand)]
    Users(crate::client::accounts::UsersCommand),
    /// Your API tokens through the REST API.
    #[command(subcommand)]
    Tokens(crate::client::accounts::TokensCommand),
    /// Write every dataflow, schedule, connection (without secrets) and custom role to a
    /// directory of JSON files, through the REST API.
    Export(crate::client::transfer::ExportArgs),
    /// Create or update on a node what an export directory holds; importing it again changes
    /// nothing.
    Import(crate::client::transfer::ImportArgs),
}

#[derive(Debug, Args)]
pub struct HealthcheckArgs {
    /// Node address, e.g. http://127.0.0.1:8080.
    #[arg(long, env = "TRIBUTARY_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
}

pub async fn dispatch(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve(args) => match load(args) {
            Ok(config) => serve(config).await,
            Err(code) => return code,
        },
        Command::Migrate(args) => match load(args) {
            Ok(config) => migrate(config).await,
            Err(code) => return code,
        },
        Command::Healthcheck(args) => healthcheck(&args.url),
        Command::Run(args) => crate::client::run(args).await,
        Command::Runs(command) => crate::client::runs(command).await,
        Command::Schedules(command) => crate::client::schedules(command).await,
        Command::Users(command) => crate::client::accounts::users(command).await,
        Command::Tokens(command) => crate::client::accounts::tokens(command).await,
        Command::Export(args) => crate::client::transfer::export(args).await,
        Command::Import(args) => crate::client::transfer::import(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = ?err, "tributary stopped with an error");
            eprintln!("tributary: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(args: ConfigArgs) -> Result<Config, ExitCode> {
    match Config::load(args) {
        Ok(config) => {
            crate::telemetry::init(config.log_format);
            Ok(config)
        }
        Err(errors) => {
            eprintln!("tributary: the configuration is not valid:");
            for error in errors {
                eprintln!("  - {error}");
            }
            Err(ExitCode::from(2))
        }
    }
}

async fn serve(mut config: Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    if config.secret_key.is_none() {
        config.secret_key = Some(standard_secret_key(&config.data_dir)?);
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let drain_delay = config.drain_delay;
    let state = AppState::start(config).await?;
    crate::cluster::register_start(&state.db, &state.node_name).await?;
    let address = listener.local_addr()?;
    tracing::info!("console and API on http://{address}/ — sign in as admin");
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        crate::shutdown::signal().await;
        shutdown.drain_then_stop(drain_delay).await;
    });
    crate::serve(listener, state).await
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let db = crate::store::connect(config.database_url.expose()).await?;
    crate::store::migrate(&db).await?;
    tracing::info!("migrations applied");
    Ok(())
}

/// A standard install keeps its key in the data dir, created on first start.
fn standard_secret_key(data_dir: &Path) -> anyhow::Result<Secret> {
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(Secret::new(existing.trim()));
    }
    let key = crate::auth::secret::random_token(32);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path)?.write_all(key.as_bytes())?;
    tracing::info!(path = %path.display(), "generated the secret key");
    Ok(Secret::new(key))
}

fn healthcheck(url: &str) -> anyhow::Result<()> {
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(stream, "GET /readyz HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) == Some("200") {
        println!("ready");
        Ok(())
    } else {
        anyhow::bail!("not ready: {status}")
    }
}
