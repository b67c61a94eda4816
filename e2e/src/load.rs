//! A small load generator: N concurrent clients send the same request over and over until
//! stopped, counting answers that succeeded (2xx, body read) and those that did not, and
//! recording latencies.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// Builds one request on the client a worker owns.
pub type MakeRequest = Arc<dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync>;

/// At most this many failures are kept with their reason.
const KEPT_FAILURES: usize = 20;

pub struct Load {
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
    workers: JoinSet<Worker>,
    started: Instant,
}

#[derive(Default)]
struct Worker {
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

/// What a load run saw.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub ok: u64,
    pub failed: u64,
    pub elapsed: Duration,
    /// Latencies of the successful requests, sorted.
    pub latencies: Vec<Duration>,
    /// The first failures: status and body, or the client's error.
    pub failures: Vec<String>,
}

impl Load {
    /// Start `clients` workers, each with its own connection pool, each sending `make`'s
    /// request, then pausing `pause` (zero: none), until [`Load::stop`].
    pub fn start(clients: usize, pause: Duration, make: MakeRequest) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let mut workers = JoinSet::new();
        for _ in 0..clients {
            let (stop, ok, failed, make) = (stop.clone(), ok.clone(), failed.clone(), make.clone());
            workers.spawn(async move {
                let client =
                    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default();
                let mut worker = Worker::default();
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    match send(make(&client)).await {
                        Ok(()) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                            worker.latencies.push(started.elapsed());
                        }
                        Err(reason) => {
                            failed.fetch_add(1, Ordering::Relaxed);
                            if worker.failures.len() < KEPT_FAILURES {
                                worker.failures.push(reason);
                            }
                        }
                    }
                    if !pause.is_zero() {
                        tokio::time::sleep(pause).await;
                    }
                }
                worker
            });
        }
        Self { stop, ok, failed, workers, started: Instant::now() }
    }

    /// Successes and failures so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.ok.load(Ordering::Relaxed), self.failed.load(Ordering::Relaxed))
    }

    /// Wait until at least `n` more requests succeeded than now (the load is flowing), up to
    /// `timeout`.
    pub async fn wait_successes(&self, n: u64, timeout: Duration) -> anyhow::Result<()> {
        let target = self.counts().0 + n;
        crate::wait::until("the load to flow", timeout, || {
            let done = self.counts().0 >= target;
            async move { done.then_some(()) }
        })
        .await
    }

    /// Stop the workers after their current request and gather what they saw.
    pub async fn stop(mut self) -> LoadReport {
        self.stop.store(true, Ordering::Relaxed);
        let mut report = LoadReport::default();
        while let Some(joined) = self.workers.join_next().await {
            let Ok(worker) = joined else { continue };
            report.latencies.extend(worker.latencies);
            report.failures.extend(worker.failures);
        }
        report.elapsed = self.started.elapsed();
        report.latencies.sort_unstable();
        (report.ok, report.failed) = self.counts();
        report
    }
}

async fn send(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request.send().await.map_err(|e| format!("{e:?}"))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| format!("{status}, body: {e:?}"))?;
    if status.is_success() { Ok(()) } else { Err(format!("{status}: {}", String::from_utf8_lossy(&body))) }
}

impl LoadReport {
    pub fn total(&self) -> u64 {
        self.ok + self.failed
    }

    /// Failed requests as a fraction of all.
    pub fn loss(&self) -> f64 {
        if self.total() == 0 { 0.0 } else { self.failed as f64 / self.total() as f64 }
    }

    /// The latency at quantile `q` (0–1) of the successful requests.
    pub fn latency(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[index.min(self.latencies.len() - 1)]
    }

    /// One line for the test's output.
    pub fn summary(&self) -> String {
        format!(
            "{} requests in {:.1?} ({:.0}/s): {} ok, {} failed ({:.3} %); p50 {:.1?}, p99 {:.1?}, max {:.1?}",
            self.total(),
            self.elapsed,
            self.total() as f64 / self.elapsed.as_secs_f64().max(0.001),
            self.ok,
            self.failed,
            self.loss() * 100.0,
            self.latency(0.5),
            self.latency(0.99),
            self.latency(1.0),
        )
    }
}
