//! Recently authenticated callers, by the digest of the secret they presented. A busy
//! integration would otherwise cost several database reads per request. Entries live two
//! seconds; signing out and revoking a token clear the cache at once on the node that did it,
//! and within two seconds on the others. The per-object access overrides change with users
//! and roles, so the same cache holds them and the same clearing drops them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Principal;
use super::access::Overrides;

const TTL: Duration = Duration::from_secs(2);
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct PrincipalCache {
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
    overrides: Mutex<Option<(Arc<Overrides>, Instant)>>,
}

impl PrincipalCache {
    pub fn get(&self, digest: &str) -> Option<Principal> {
        let entries = self.entries.lock().ok()?;
        entries.get(digest).filter(|(_, at)| at.elapsed() < TTL).map(|(p, _)| p.clone())
    }

    pub fn put(&self, digest: String, principal: Principal) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (_, at)| at.elapsed() < TTL);
            }
            entries.insert(digest, (principal, Instant::now()));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
        if let Ok(mut overrides) = self.overrides.lock() {
            *overrides = None;
        }
    }

    pub fn overrides(&self) -> Option<Arc<Overrides>> {
        let overrides = self.overrides.lock().ok()?;
        overrides.as_ref().filter(|(_, at)| at.elapsed() < TTL).map(|(o, _)| o.clone())
    }

    pub fn put_overrides(&self, overrides: Arc<Overrides>) {
        if let Ok(mut slot) = self.overrides.lock() {
            *slot = Some((overrides, Instant::now()));
        }
    }
}
