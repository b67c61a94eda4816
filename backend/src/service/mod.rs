//! The rules behind the endpoints: validation, transactions, audit. Functions take any SeaORM
//! `ConnectionTrait` where they can, so they run on the pool or inside a caller's transaction.

pub mod access;
pub mod api_tokens;
pub mod audit;
pub mod call_stats;
pub mod connections;
pub mod dataflows;
pub mod file_options;
pub mod roles;
pub mod runs;
pub mod schedules;
pub mod services;
pub mod sessions;
pub mod submits;
pub mod users;

/// Timestamps on the wire: RFC 3339, UTC, milliseconds.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
