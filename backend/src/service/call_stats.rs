//! The service-call summary of the audit log: a service may answer thousands of calls a minute,
//! so calls are not recorded one by one but summed up per service, per node and per minute
//! (calls, errors, p50/p99 latency, callers) and written as one `services:calls` row once the
//! minute is over.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::Serialize;

use super::audit::{self, AuditContext, AuditEntry};
use crate::shutdown::Supervisor;
use crate::state::AppState;

/// How often finished minutes are written.
const FLUSH_INTERVAL: Duration = Duration::from_secs(10);
/// Latencies kept per service and minute; past it, percentiles describe the first calls only.
const MAX_SAMPLES: usize = 100_000;
/// Callers named per row; the rest are only counted.
const MAX_CALLERS: usize = 20;
/// The action of summary rows in the audit log.
pub const ACTION: &str = "services:calls";

/// Calls of one service within one minute.
#[derive(Debug, Clone)]
struct Bucket {
    minute: DateTime<Utc>,
    calls: u64,
    errors: u64,
    latencies_ms: Vec<f64>,
    callers: BTreeSet<String>,
}

impl Bucket {
    fn new(minute: DateTime<Utc>) -> Self {
        Self { minute, calls: 0, errors: 0, latencies_ms: Vec::new(), callers: BTreeSet::new() }
    }
}

/// What one summary row carries as `after`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallSummary {
    /// The minute's start (RFC 3339).
    pub minute: String,
    pub calls: u64,
    pub errors: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub callers: Vec<String>,
}

/// The `q`-quantile (0..=1) of sorted values, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summarize(mut bucket: Bucket) -> CallSummary {
    bucket.latencies_ms.sort_by(f64::total_cmp);
    let round = |ms: f64| (ms * 100.0).round() / 100.0;
    CallSummary {
        minute: super::timestamp(bucket.minute),
        calls: bucket.calls,
        errors: bucket.errors,
        p50_ms: round(quantile(&bucket.latencies_ms, 0.5)),
        p99_ms: round(quantile(&bucket.latencies_ms, 0.99)),
        callers: bucket.callers.into_iter().collect(),
    }
}

fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::minutes(1)).unwrap_or(at)
}

/// This node's calls not yet written, per service.
#[derive(Default)]
pub struct CallStats {
    current: Mutex<HashMap<String, Bucket>>,
    finished: Mutex<Vec<(String, Bucket)>>,
}

impl CallStats {
    /// Count one call of `service` by `caller` that took `elapsed`.
    pub fn record(&self, service: &str, caller: &str, elapsed: Duration, ok: bool) {
        self.record_at(service, caller, elapsed, ok, Utc::now());
    }

    fn record_at(&self, service: &str, caller: &str, elapsed: Duration, ok: bool, at: DateTime<Utc>) {
        let minute = minute_of(at);
        let mut current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = current.entry(service.to_owned()).or_insert_with(|| Bucket::new(minute));
        if bucket.minute != minute {
            let done = std::mem::replace(bucket, Bucket::new(minute));
            self.finished
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((service.to_owned(), done));
        }
        bucket.calls += 1;
        bucket.errors += u64::from(!ok);
        if bucket.latencies_ms.len() < MAX_SAMPLES {
            bucket.latencies_ms.push(elapsed.as_secs_f64() * 1000.0);
        }
        if bucket.callers.len() < MAX_CALLERS {
            bucket.callers.insert(caller.to_owned());
        }
    }

    /// Take the minutes that are over (all of them when `everything`, at shutdown or in tests).
    fn take(&self, everything: bool, now: DateTime<Utc>) -> Vec<(String, CallSummary)> {
        let mut done =
            std::mem::take(&mut *self.finished.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let minute = minute_of(now);
        let mut current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let over: Vec<String> =
            current.iter().filter(|(_, b)| everything || b.minute < minute).map(|(k, _)| k.clone()).collect();
        for service in over {
            if let Some(bucket) = current.remove(&service) {
                done.push((service, bucket));
            }
        }
        done.into_iter().map(|(service, bucket)| (service, summarize(bucket))).collect()
    }
}

/// Write one audit row per service whose minute is over; `everything` writes the current
/// minute too.
pub async fn flush(state: &AppState, everything: bool) {
    let summaries = state.call_stats.take(everything, Utc::now());
    let ctx = AuditContext::system(state, "system");
    for (service, summary) in summaries {
        let outcome = if summary.errors == 0 { "ok" } else { "errors" };
        let entry =
            AuditEntry { outcome, ..AuditEntry::ok(ACTION, format!("service:{service}")) }.after(&summary);
        if let Err(err) = audit::record(&state.db, &ctx, entry).await {
            tracing::warn!(%service, error = %err, "could not write the service-call summary");
        }
    }
}

/// The task that writes each minute's summary shortly after it ends, and the rest at shutdown.
pub fn start(supervisor: &mut Supervisor, state: AppState) {
    supervisor.spawn("service-call-summary", move |cancel| async move {
        let mut tick = tokio::time::interval(FLUSH_INTERVAL);
        loop {
            tokio::select! {
                () = cancel.cancelled() => {
                    flush(&state, true).await;
                    return Ok(());
                }
                _ = tick.tick() => flush(&state, false).await,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn calls_are_summed_per_service_and_minute() {
        let stats = CallStats::default();
        for ms in 1..=100 {
            let ok = ms % 10 != 0;
            stats.record_at("price", "ann", Duration::from_millis(ms), ok, at("2026-01-01T10:00:30Z"));
        }
        stats.record_at("price", "bob", Duration::from_millis(7), true, at("2026-01-01T10:01:05Z"));
        stats.record_at("stock", "ann", Duration::from_millis(3), true, at("2026-01-01T10:01:06Z"));
        let mut written = stats.take(false, at("2026-01-01T10:01:10Z"));
        assert_eq!(written.len(), 1, "only the minute that is over");
        let (service, summary) = written.remove(0);
        assert_eq!(service, "price");
        assert_eq!(summary.minute, "2026-01-01T10:00:00.000Z");
        assert_eq!((summary.calls, summary.errors), (100, 10));
        assert_eq!((summary.p50_ms, summary.p99_ms), (50.0, 99.0));
        assert_eq!(summary.callers, vec!["ann"]);
        let mut rest = stats.take(true, at("2026-01-01T10:01:10Z"));
        rest.sort_by(|a, b| a.0.cmp(&b.0));
        let counts: Vec<(&str, u64)> = rest.iter().map(|(s, c)| (s.as_str(), c.calls)).collect();
        assert_eq!(counts, vec![("price", 1), ("stock", 1)]);
        assert!(stats.take(true, at("2026-01-01T10:05:00Z")).is_empty(), "nothing twice");
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), 0.0);
        assert_eq!(quantile(&[4.0], 0.99), 4.0);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.0);
    }
}
