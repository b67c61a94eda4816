//! `tributary export` and `tributary import`: every dataflow, schedule, connection (without
//! secrets) and custom role as a directory of JSON files, and back onto a node — idempotently,
//! in dependency order — through the REST API with `--server` and `--token`.
//!
//! # Layout
//! - [`format`]: the files, the format version and its upgrades, reading and checking an export.
//! - [`export`]: reading a node into a directory.
//! - [`import`]: making a node hold what a directory holds.
//! - [`order`]: subflows before jobs before process flows.

use std::path::PathBuf;

use clap::Args;

use super::Remote;

pub mod export;
pub mod format;
pub mod import;
pub mod order;

pub use export::export;
pub use import::import;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write; created if missing, refused if not empty unless --force.
    pub dir: PathBuf,
    /// Write into a non-empty directory, replacing an earlier export there (other files stay).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub remote: Remote,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A directory written by `tributary export`.
    pub dir: PathBuf,
    #[command(flatten)]
    pub remote: Remote,
}
