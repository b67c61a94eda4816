//! Login attempt limits: failed sign-ins counted per user name and client address, and per
//! client address over all names, in sliding one-minute windows kept in this node's memory.
//! Only failures count, so a script that signs in often is never held back.
//!
//! Each node limits on its own: behind a balancer that spreads requests, a guesser gets at most
//! the limit times the number of nodes. That is still far too slow for guessing an Argon2id-
//! hashed password, and it costs no database write per attempt.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window both limits count in.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Failed attempts per user name from one address within [`WINDOW`].
pub const MAX_FAILURES_PER_USER: usize = 5;
/// Failed attempts from one address within [`WINDOW`], whatever user names they try.
pub const MAX_FAILURES_PER_IP: usize = 20;
/// Past this many tracked keys, windows that have ended are dropped on the next attempt.
const PRUNE_ABOVE: usize = 10_000;

/// Recent attempts per key, oldest first.
#[derive(Default)]
struct Windows(HashMap<String, VecDeque<Instant>>);

impl Windows {
    fn recent(&mut self, key: &str, now: Instant) -> Option<&mut VecDeque<Instant>> {
        let times = self.0.get_mut(key)?;
        while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            times.pop_front();
        }
        Some(times)
    }

    /// How long until the key is under `max` again, if it is at it now.
    fn wait(&mut self, key: &str, max: usize, now: Instant) -> Option<Duration> {
        let times = self.recent(key, now)?;
        if times.len() < max {
            return None;
        }
        let oldest = times.front().copied()?;
        Some(WINDOW.saturating_sub(now.duration_since(oldest)))
    }

    fn add(&mut self, key: &str, now: Instant) {
        if self.0.len() > PRUNE_ABOVE {
            self.0.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        self.0.entry(key.to_owned()).or_default().push_back(now);
    }
}

#[derive(Default)]
struct Counters {
    by_user: Windows,
    by_ip: Windows,
}

/// The login limits of one node; shared through `AppState`.
#[derive(Default)]
pub struct LoginLimiter(Mutex<Counters>);

fn user_key(username: &str, ip: &str) -> String {
    format!("{}\u{0}{ip}", username.to_lowercase())
}

impl LoginLimiter {
    /// Whether an attempt from `ip` for `username` may go ahead. `Err(wait)` when it must be
    /// refused, with the time until it may (at least one second, for `Retry-After`).
    pub fn attempt(&self, username: &str, ip: &str) -> Result<(), Duration> {
        self.attempt_at(username, ip, Instant::now())
    }

    fn attempt_at(&self, username: &str, ip: &str, now: Instant) -> Result<(), Duration> {
        let mut counters = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let wait = counters
            .by_ip
            .wait(ip, MAX_FAILURES_PER_IP, now)
            .into_iter()
            .chain(counters.by_user.wait(&user_key(username, ip), MAX_FAILURES_PER_USER, now))
            .max();
        match wait {
            Some(wait) => Err(wait.max(Duration::from_secs(1))),
            None => Ok(()),
        }
    }

    /// A failed sign-in of `username` from `ip`.
    pub fn failed(&self, username: &str, ip: &str) {
        self.failed_at(username, ip, Instant::now());
    }

    fn failed_at(&self, username: &str, ip: &str, now: Instant) {
        let mut counters = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counters.by_user.add(&user_key(username, ip), now);
        counters.by_ip.add(ip, now);
    }

    /// A successful sign-in forgets the user's failures from that address.
    pub fn succeeded(&self, username: &str, ip: &str) {
        let mut counters = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counters.by_user.0.remove(&user_key(username, ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_per_user_are_limited_and_expire() {
        let limiter = LoginLimiter::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES_PER_USER {
            assert!(limiter.attempt_at("ann", "10.0.0.1", start).is_ok());
            limiter.failed_at("ann", "10.0.0.1", start);
        }
        let wait = limiter.attempt_at("ann", "10.0.0.1", start).unwrap_err();
        assert_eq!(wait, WINDOW);
        // Another user from the same address, and the same user elsewhere, are not held back.
        assert!(limiter.attempt_at("bob", "10.0.0.1", start).is_ok());
        assert!(limiter.attempt_at("ann", "10.0.0.2", start).is_ok());
        assert!(limiter.attempt_at("ANN", "10.0.0.1", start).is_err(), "names are case-blind");
        assert!(limiter.attempt_at("ann", "10.0.0.1", start + WINDOW).is_ok());
    }

    #[test]
    fn success_forgets_failures() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES_PER_USER {
            limiter.failed("ann", "ip");
        }
        assert!(limiter.attempt("ann", "ip").is_err());
        limiter.succeeded("ann", "ip");
        assert!(limiter.attempt("ann", "ip").is_ok());
    }

    #[test]
    fn one_address_has_a_ceiling_over_all_names() {
        let limiter = LoginLimiter::default();
        let now = Instant::now();
        for i in 0..MAX_FAILURES_PER_IP {
            assert!(limiter.attempt_at(&format!("user{i}"), "ip", now).is_ok());
            limiter.failed_at(&format!("user{i}"), "ip", now);
        }
        assert!(limiter.attempt_at("someone-else", "ip", now).is_err());
        assert!(limiter.attempt_at("someone-else", "other-ip", now).is_ok());
    }
}
