//! Who is calling and what they may do: password hashing, random secrets, permissions and roles,
//! the [`Principal`] every handler extracts, and per-object access overrides ([`access`]).

pub mod access;
pub mod cache;
pub mod cipher;
pub mod csrf;
pub mod password;
pub mod permission;
pub mod principal;
pub mod rate_limit;
pub mod secret;

pub use permission::Permission;
pub use principal::Principal;

/// Name of the browser session cookie.
pub const SESSION_COOKIE: &str = "tributary_session";
