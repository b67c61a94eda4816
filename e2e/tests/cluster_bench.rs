//! Cluster benchmarks: three nodes behind HAProxy on a throwaway PostgreSQL. They measure
//! rather than assert, take minutes, and are `#[ignore]`d: run on demand, never in CI. Each
//! prints a results table and writes it to `<target>/cluster-bench/<name>.md`.
//!
//! - `p3_three_nodes`: P3 of `bench/bench.py` on a cluster: `P3_RUNS` (default 2,000) one-row
//!   runs submitted through HAProxy by 8 clients; runs completed per second, submit → start
//!   p50/p99, runs per node.
//! - `p5_failover`: `kill -9` of a node holding runs (`--run-lease 3s`) under service load, then
//!   a rolling restart of every node under load: takeover time, failed requests, durations.
//! - `soak`: `SOAK_SECONDS` (default 600) of mixed load (service calls at a fixed rate, tune with
//!   `SOAK_CLIENTS` / `SOAK_PAUSE_MS`; a job run every second); per 30 s window the requests,
//!   errors and p99; each node's resident memory at start and end.
//!
//! Measure a release build (the tests otherwise start the dev-profile `tributary` next to the
//! test executable, see `e2e::node::binary`):
//!
//! ```text
//! cargo build --release -p backend --bin tributary
//! TRIBUTARY_BIN=$CARGO_TARGET_DIR/release/tributary P3_RUNS=2000 \
//!   cargo test -p e2e --test cluster_bench -- --ignored --nocapture p3_three_nodes
//! TRIBUTARY_BIN=$CARGO_TARGET_DIR/release/tributary \
//!   cargo test -p e2e --test cluster_bench -- --ignored --nocapture p5_failover
//! TRIBUTARY_BIN=$CARGO_TARGET_DIR/release/tributary SOAK_SECONDS=600 \
//!   cargo test -p e2e --test cluster_bench -- --ignored --nocapture soak
//! ```
//!
//! (`$CARGO_TARGET_DIR` defaults to `target`; add `--release` to `cargo test` for a faster load
//! generator.) Run one benchmark at a time: they compete for the same cores.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use e2e::api::Api;
use e2e::cluster::Cluster;
use e2e::dataflows;
use e2e::haproxy::{self, Haproxy};
use e2e::load::LoadReport;
use e2e::pg_cluster::PgCluster;
use e2e::scenario::price_load;
use model::{Page, Run, RunStatus};
use serde_json::{Value, json};

/// Nodes behind a balancer on a PostgreSQL of their own. Fields drop in order: balancer,
/// nodes, then the database server.
struct Bench {
    lb: Haproxy,
    cluster: Cluster,
    _pg: PgCluster,
}

impl Bench {
    async fn start(nodes: usize, args: &[&str]) -> Self {
        let pg = PgCluster::start_new().unwrap();
        let cluster = Cluster::start(&pg.url(), nodes, args).await.unwrap();
        let lb = Haproxy::start(&cluster.servers()).await.unwrap();
        Self { lb, cluster, _pg: pg }
    }
}

/// A results table: printed, and written to `<target>/cluster-bench/<name>.md`.
struct Table {
    title: String,
    rows: Vec<(String, String)>,
}

impl Table {
    fn new(title: &str) -> Self {
        Self { title: title.to_owned(), rows: vec![] }
    }

    fn row(&mut self, what: impl Into<String>, value: impl Into<String>) {
        self.rows.push((what.into(), value.into()));
    }

    fn markdown(&self) -> String {
        let mut out = format!("### {}\n\n| measure | value |\n|---|---|\n", self.title);
        for (what, value) in &self.rows {
            out.push_str(&format!("| {what} | {value} |\n"));
        }
        out
    }

    fn finish(&self, name: &str) {
        let text = self.markdown();
        println!("\n{text}");
        // Tests run from <target>/<profile>/deps/.
        let exe = std::env::current_exe().unwrap();
        if let Some(target) = exe.ancestors().nth(3) {
            let dir = target.join("cluster-bench");
            let path: PathBuf = dir.join(format!("{name}.md"));
            if std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &text)).is_ok() {
                println!("(written to {})", path.display());
            }
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// The value at quantile `q` (0–1) of sorted `values`.
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values[(((values.len() - 1) as f64) * q).round() as usize]
}

fn timestamp(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The one-row job of P3: read a 1-row CSV, write it.
fn one_row_job(name: &str) -> Value {
    json!({"name": name, "kind": "job",
        "stages": [{"id": "read", "type": "read_csv", "options": {"path": "one.csv"}},
                   {"id": "out", "type": "write_csv", "options": {"path": format!("out/{name}.csv")}}],
        "edges": [{"from": "read", "to": "out"}]})
}

/// Every run of `dataflow`, page after page.
async fn all_runs(api: &Api, dataflow: &str) -> Vec<Run> {
    let (mut runs, mut cursor) = (vec![], None::<String>);
    loop {
        let mut path = format!("/api/v1/runs?dataflow={dataflow}&limit=200");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={}", percent_encode(cursor)));
        }
        let page: Page<Run> = api.get(&path).await.unwrap();
        runs.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return runs,
        }
    }
}

/// `text` with everything but unreserved characters percent-encoded, for a query string.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether any run of `dataflow` is queued or running.
async fn any_unfinished(api: &Api, dataflow: &str) -> anyhow::Result<bool> {
    for status in ["queued", "running"] {
        let page: Page<Run> =
            api.get(&format!("/api/v1/runs?dataflow={dataflow}&status={status}&limit=1")).await?;
        if !page.items.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Wait until no run of `dataflow` is queued or running.
async fn wait_all_final(api: &Api, dataflow: &str, timeout: Duration) {
    e2e::wait::until(&format!("every run of {dataflow} to end"), timeout, || async {
        any_unfinished(api, dataflow).await.ok().filter(|busy| !busy).map(drop)
    })
    .await
    .unwrap();
}

/// How many runs of `runs` ended in each status, e.g. `succeeded 2000`.
fn statuses(runs: &[Run]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for run in runs {
        *counts.entry(format!("{:?}", run.status).to_lowercase()).or_default() += 1;
    }
    counts.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ")
}

/// Runs per node, e.g. `n1 680, n2 660, n3 660`.
fn per_node(runs: &[Run]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for run in runs {
        *counts.entry(run.node.clone().unwrap_or_else(|| "-".into())).or_default() += 1;
    }
    counts.iter().map(|(node, n)| format!("{node} {n}")).collect::<Vec<_>>().join(", ")
}

fn load_rows(table: &mut Table, what: &str, report: &LoadReport) {
    table.row(
        format!("{what}: requests (ok / failed)"),
        format!("{} ({} / {})", report.total(), report.ok, report.failed),
    );
    table.row(
        format!("{what}: rate, p50 / p99"),
        format!(
            "{:.0}/s, {} / {}",
            report.total() as f64 / report.elapsed.as_secs_f64().max(0.001),
            ms(report.latency(0.5)),
            ms(report.latency(0.99))
        ),
    );
}

/// P3 on a cluster: one-row runs submitted through HAProxy by 8 clients with an API token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand"]
async fn p3_three_nodes() {
    const CLIENTS: u64 = 8;
    let runs_wanted = env_number("P3_RUNS", 2000);
    let s = Bench::start(3, &[]).await;
    std::fs::write(s.cluster.data_dir().join("one.csv"), "id,amount\n1,10\n").unwrap();
    let api = Api::sign_in(&s.lb.base()).await.unwrap();
    api.create_exposed(&one_row_job("p3")).await.unwrap();
    let token = api.create_token().await.unwrap();

    println!("P3: submitting {runs_wanted} runs through HAProxy with {CLIENTS} clients");
    let rejected = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut submitters = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let count = runs_wanted / CLIENTS + u64::from(c < runs_wanted % CLIENTS);
        let (url, auth) = (format!("{}/api/v1/dataflows/p3/runs", s.lb.base()), format!("Bearer {token}"));
        let rejected = rejected.clone();
        submitters.spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
            for _ in 0..count {
                let answer = client
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await;
                let accepted = match answer {
                    Ok(response) => {
                        let status = response.status();
                        let _ = response.bytes().await;
                        status.as_u16() == 202
                    }
                    Err(_) => false,
                };
                if !accepted {
                    rejected.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    submitters.join_all().await;
    let submitted = started.elapsed();
    wait_all_final(&api, "p3", Duration::from_secs(120 + runs_wanted / 5)).await;
    let drained = started.elapsed();

    let runs = all_runs(&api, "p3").await;
    let first = runs.iter().map(|r| timestamp(&r.created_at)).min().unwrap();
    let last = runs.iter().filter_map(|r| r.finished_at.as_deref().map(timestamp)).max().unwrap();
    let span = (last - first).to_std().unwrap();
    let mut waits: Vec<f64> = runs
        .iter()
        .filter_map(|r| {
            let started = timestamp(r.started_at.as_deref()?);
            Some((started - timestamp(&r.created_at)).num_microseconds()? as f64 / 1000.0)
        })
        .collect();
    waits.sort_by(f64::total_cmp);

    let mut table =
        Table::new(&format!("P3 on 3 nodes behind HAProxy: {runs_wanted} one-row runs, {CLIENTS} clients"));
    table.row("runs found (by status)", format!("{} ({})", runs.len(), statuses(&runs)));
    table.row("submissions rejected", rejected.load(Ordering::Relaxed).to_string());
    table.row(
        "submitting took",
        format!("{} ({:.0} submissions/s)", secs(submitted), runs_wanted as f64 / submitted.as_secs_f64()),
    );
    table.row("until none queued or running", secs(drained));
    table.row("first created → last finished", secs(span));
    table.row("**runs completed per second**", format!("{:.0}", runs.len() as f64 / span.as_secs_f64()));
    table.row("submit → start p50", format!("{:.1} ms", quantile(&waits, 0.5)));
    table.row("submit → start p99", format!("{:.1} ms", quantile(&waits, 0.99)));
    table.row("submit → start max", format!("{:.1} ms", quantile(&waits, 1.0)));
    table.row("runs per node", per_node(&runs));
    table.finish("p3_three_nodes");
}

/// `kill -9` of a node holding runs under service load, then a rolling restart under load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand"]
async fn p5_failover() {
    let rows = env_number("P5_ROWS", 500_000) as u32;
    let jobs = env_number("P5_RUNS", 9) as usize;
    let mut s = Bench::start(3, &["--run-lease", "3s", "--drain-delay", "2s"]).await;
    dataflows::write_orders(s.cluster.data_dir(), "orders.csv", rows).unwrap();
    let api = Api::sign_in(&s.lb.base()).await.unwrap();
    api.create_exposed(&dataflows::sorting_job("sorted")).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    let token = api.create_token().await.unwrap();
    let load = price_load(&s.lb.base(), &token, 4, Duration::from_millis(5));
    load.wait_successes(50, Duration::from_secs(10)).await.unwrap();

    // Slow-ish runs in flight; kill a node that holds one.
    for k in 0..jobs {
        api.submit_run("sorted", json!({"output": format!("k{k}")})).await.unwrap();
    }
    let running = e2e::wait::until("a run to start", Duration::from_secs(30), || async {
        let runs = api.runs_of("sorted").await.ok()?;
        runs.iter().any(|r| r.status == RunStatus::Running).then_some(runs)
    })
    .await
    .unwrap();
    let victim_name = running.iter().find(|r| r.status == RunStatus::Running).unwrap().node.clone().unwrap();
    let victim = (0..3).find(|&i| s.cluster.name(i) == victim_name).unwrap();
    let before_kill = load.counts();
    s.cluster.kill9(victim);
    let killed = Instant::now();
    let held: BTreeSet<String> = running
        .iter()
        .filter(|r| r.status == RunStatus::Running && r.node.as_deref() == Some(&victim_name))
        .map(|r| r.id.clone())
        .collect();

    // Until every held run runs (or ran) elsewhere, then until every run has ended.
    let mut moved: Option<Duration> = None;
    let mut haproxy_down: Option<Duration> = None;
    let finished = loop {
        if haproxy_down.is_none() && s.lb.server(&victim_name).is_ok_and(|st| st.status.starts_with("DOWN")) {
            haproxy_down = Some(killed.elapsed());
        }
        if let Ok(runs) = api.runs_of("sorted").await {
            let elsewhere = |r: &Run| {
                r.node.as_deref().is_some_and(|n| n != victim_name)
                    && (r.status == RunStatus::Running || r.status.is_final())
            };
            if moved.is_none() && runs.iter().filter(|r| held.contains(&r.id)).all(elsewhere) {
                moved = Some(killed.elapsed());
            }
            if runs.iter().all(|r| r.status.is_final()) {
                break runs;
            }
        }
        assert!(killed.elapsed() < Duration::from_secs(120), "the runs did not end within 120 s of the kill");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let all_done = killed.elapsed();
    let after_kill = load.counts();

    // Bring the victim back, then restart every node in turn under load.
    s.cluster.restart(victim).await.unwrap();
    s.lb.wait_server(&victim_name, true, Duration::from_secs(20)).await.unwrap();
    for k in 0..jobs {
        api.submit_run("sorted", json!({"output": format!("r{k}")})).await.unwrap();
    }
    let (before_rolling, rolling) = (load.counts(), Instant::now());
    for i in 0..3 {
        s.cluster.sigterm(i).await.unwrap();
        s.cluster.restart(i).await.unwrap();
        s.lb.wait_server(s.cluster.name(i), true, Duration::from_secs(20)).await.unwrap();
    }
    let rolling_took = rolling.elapsed();
    let after_rolling = load.counts();
    wait_all_final(&api, "sorted", Duration::from_secs(120)).await;
    let report = load.stop().await;
    let all = all_runs(&api, "sorted").await;
    let totals = s.lb.server(haproxy::TOTALS).unwrap();

    let mut table = Table::new(&format!(
        "P5 failover: 3 nodes, --run-lease 3s, {jobs} sorts of {rows} rows in flight, price service load"
    ));
    table.row("victim", format!("{victim_name}, holding {} running run(s)", held.len()));
    table.row("kill → HAProxy marks it DOWN", haproxy_down.map_or("not seen".into(), secs));
    table.row("**kill → every held run running elsewhere**", moved.map_or("never".into(), secs));
    table.row("**kill → all runs finished**", secs(all_done));
    table.row("runs of the kill phase", format!("{} ({})", finished.len(), statuses(&finished)));
    table.row(
        "**failed requests kill → all finished**",
        format!(
            "{} of {}",
            after_kill.1 - before_kill.1,
            (after_kill.0 + after_kill.1) - (before_kill.0 + before_kill.1)
        ),
    );
    table.row("**rolling restart (sigterm → restart → UP, ×3) took**", secs(rolling_took));
    table.row(
        "**failed requests during the rolling restart**",
        format!(
            "{} of {}",
            after_rolling.1 - before_rolling.1,
            (after_rolling.0 + after_rolling.1) - (before_rolling.0 + before_rolling.1)
        ),
    );
    table.row("all runs (both phases)", format!("{} ({})", all.len(), statuses(&all)));
    table.row("runs with attempt > 1", all.iter().filter(|r| r.attempt > 1).count().to_string());
    load_rows(&mut table, "service load overall", &report);
    table.row("HAProxy retries / redispatches", format!("{} / {}", totals.retries, totals.redispatches));
    if !report.failures.is_empty() {
        println!("first failures: {:?}", &report.failures[..report.failures.len().min(5)]);
    }
    table.finish("p5_failover");
}

/// Resident memory of a process in KiB (`VmRSS` of `/proc/<pid>/status`).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rss_all(cluster: &Cluster) -> Vec<(String, Option<u64>)> {
    (0..cluster.len()).map(|i| (cluster.name(i).to_owned(), cluster.pid(i).and_then(rss_kib))).collect()
}

/// Mixed load at a fixed rate for `SOAK_SECONDS`: windows of 30 s, memory at start and end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand"]
async fn soak() {
    const WINDOW: Duration = Duration::from_secs(30);
    let seconds = env_number("SOAK_SECONDS", 600);
    let clients = env_number("SOAK_CLIENTS", 4) as usize;
    let pause = Duration::from_millis(env_number("SOAK_PAUSE_MS", 20));
    let s = Bench::start(3, &[]).await;
    std::fs::write(s.cluster.data_dir().join("one.csv"), "id,amount\n1,10\n").unwrap();
    let api = Api::sign_in(&s.lb.base()).await.unwrap();
    api.create_exposed(&one_row_job("tick")).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    let token = api.create_token().await.unwrap();
    // Warm up so the first reading is of a node that has served both kinds of work.
    let warm = price_load(&s.lb.base(), &token, clients, pause);
    warm.wait_successes(100, Duration::from_secs(10)).await.unwrap();
    warm.stop().await;
    api.submit_run("tick", json!({})).await.unwrap();
    wait_all_final(&api, "tick", Duration::from_secs(30)).await;
    let rss_start = rss_all(&s.cluster);
    println!("soak: {seconds} s, {clients} service clients pausing {pause:?}, a run every second");
    println!("resident memory at start: {rss_start:?} (KiB)");

    // A run every second, through the balancer.
    let submitter = {
        let api = api.clone();
        tokio::spawn(async move {
            let (mut ok, mut failed) = (0u64, 0u64);
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            let end = Instant::now() + Duration::from_secs(seconds);
            while Instant::now() < end {
                tick.tick().await;
                match api.submit_run("tick", json!({})).await {
                    Ok(_) => ok += 1,
                    Err(_) => failed += 1,
                }
            }
            (ok, failed)
        })
    };

    let started = Instant::now();
    let mut table = Table::new(&format!(
        "Soak: 3 nodes, {seconds} s, {clients} service clients pausing {} ms, a job run per second",
        pause.as_millis()
    ));
    let (mut total, mut errors, mut p99s) = (0u64, 0u64, vec![]);
    let mut window = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        window += 1;
        let left = Duration::from_secs(seconds).saturating_sub(started.elapsed());
        let load = price_load(&s.lb.base(), &token, clients, pause);
        tokio::time::sleep(left.min(WINDOW)).await;
        let report = load.stop().await;
        let line = format!(
            "{} requests ({:.0}/s), {} errors, p99 {}",
            report.total(),
            report.total() as f64 / report.elapsed.as_secs_f64(),
            report.failed,
            ms(report.latency(0.99))
        );
        println!("window {window} (to {}): {line}", secs(started.elapsed()));
        table.row(format!("window {window}"), line);
        total += report.total();
        errors += report.failed;
        p99s.push(report.latency(0.99));
        if !report.failures.is_empty() {
            println!("  first failures: {:?}", &report.failures[..report.failures.len().min(3)]);
        }
    }
    let (submitted, rejected) = submitter.await.unwrap();
    wait_all_final(&api, "tick", Duration::from_secs(120)).await;
    let rss_end = rss_all(&s.cluster);
    let runs = all_runs(&api, "tick").await;

    table.row("service requests (errors)", format!("{total} ({errors})"));
    table.row(
        "window p99 min / max",
        format!(
            "{} / {}",
            ms(p99s.iter().min().copied().unwrap_or_default()),
            ms(p99s.iter().max().copied().unwrap_or_default())
        ),
    );
    table.row("runs submitted (rejected)", format!("{submitted} ({rejected})"));
    table.row("runs (by status)", format!("{} ({})", runs.len(), statuses(&runs)));
    table.row("runs per node", per_node(&runs));
    for ((name, start), (_, end)) in rss_start.iter().zip(&rss_end) {
        let (start, end) = (start.unwrap_or(0), end.unwrap_or(0));
        table.row(
            format!("**{name} resident memory start → end**"),
            format!(
                "{:.1} → {:.1} MiB ({:+.1} MiB, {:+.0} %)",
                start as f64 / 1024.0,
                end as f64 / 1024.0,
                (end as f64 - start as f64) / 1024.0,
                (end as f64 / start.max(1) as f64 - 1.0) * 100.0
            ),
        );
    }
    table.finish("soak");
}
