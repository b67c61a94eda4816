//! The cluster: identical nodes behind HAProxy on one PostgreSQL database. Sessions work on
//! every node, exposed versions reach every node, runs survive the loss of their node, and each
//! schedule fire time runs once. (Joining, draining, modules, replicas and database restarts:
//! `cluster_faults.rs`.)
//!
//! Each scenario prints what it measured (`cargo test … -- --nocapture` shows it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use e2e::api::Api;
use e2e::cluster::Cluster;
use e2e::dataflows;
use e2e::node::ADMIN_PASSWORD;
use e2e::pg::PgDatabase;
use e2e::scenario::{ROWS, Scenario, get_with_cookie, gross_at, price_load, submit_sorts};
use e2e::wait;
use model::{Page, Run, RunStatus, Schedule, ScheduleFire};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_behind_haproxy_share_sessions_and_traffic() {
    let s = Scenario::start(3, &[]).await;
    let login = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", s.lb.base()))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();

    // Each node registers with its first heartbeat, which may land just after it is ready.
    let nodes_url = format!("{}/api/v1/cluster/nodes", s.lb.base());
    let states = wait::until("three nodes up", Duration::from_secs(10), || async {
        let nodes: Page<model::NodeInfo> =
            e2e::api::decode(get_with_cookie(nodes_url.clone(), &cookie).await).await.ok()?;
        let states: Vec<(String, String)> = nodes.items.into_iter().map(|n| (n.name, n.state)).collect();
        (states.len() == 3 && states.iter().all(|(_, state)| state == "up")).then_some(states)
    })
    .await
    .unwrap();
    let names: Vec<&str> = states.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, vec!["n1", "n2", "n3"]);

    let sent = |name: &str| s.lb.server(name).unwrap().requests;
    let before: Vec<u64> = (0..3).map(|i| sent(s.cluster.name(i))).collect();
    for _ in 0..30 {
        let me = get_with_cookie(format!("{}/api/v1/auth/me", s.lb.base()), &cookie).await;
        assert_eq!(me.status(), StatusCode::OK);
    }
    let spread: BTreeMap<&str, u64> =
        (0..3).map(|i| (s.cluster.name(i), sent(s.cluster.name(i)) - before[i])).collect();
    println!("30 requests through HAProxy went to {spread:?}");
    assert!(
        spread.values().all(|&n| n >= 5),
        "requests are spread over every node: {spread:?}; HAProxy: {:?}",
        s.lb.stats().unwrap()
    );

    for i in 0..3 {
        let me = get_with_cookie(format!("{}/api/v1/auth/me", s.cluster.base(i)), &cookie).await;
        assert_eq!(me.status(), StatusCode::OK, "the balancer's session works on {}", s.cluster.name(i));
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["username"], "admin");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_exposed_on_one_node_is_served_by_every_node_within_1_5_s() {
    let db = PgDatabase::create().unwrap();
    let cluster = Cluster::start(&db.url, 3, &[]).await.unwrap();
    let api = Api::sign_in(&cluster.base(0)).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    for i in 0..3 {
        assert_eq!(gross_at(&api, &cluster.base(i)).await, Some(20.0), "version 1 on {}", cluster.name(i));
    }

    api.save_and_expose(&dataflows::price_service(3)).await.unwrap();
    let exposed = Instant::now();
    assert_eq!(gross_at(&api, &cluster.base(0)).await, Some(30.0), "at once on the node that exposed it");
    let mut delays = BTreeMap::new();
    for i in 1..3 {
        let base = cluster.base(i);
        let seen = wait::until("the new version on every node", Duration::from_secs(10), || async {
            (gross_at(&api, &base).await == Some(30.0)).then(|| exposed.elapsed())
        })
        .await
        .unwrap();
        delays.insert(cluster.name(i).to_owned(), seen);
    }
    println!("propagation delay of an exposed version: {delays:?}");
    assert!(delays.values().all(|d| *d <= Duration::from_millis(1500)), "{delays:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_of_a_killed_node_finish_once_elsewhere_and_services_lose_nothing() {
    let mut s = Scenario::start(3, &["--run-lease", "3s"]).await;
    dataflows::write_orders(s.cluster.data_dir(), "orders.csv", ROWS).unwrap();
    let api = Api::sign_in(&s.lb.base()).await.unwrap();
    api.create_exposed(&dataflows::sorting_job("sorted")).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    let load = price_load(&s.lb.base(), &api.create_token().await.unwrap(), 4, Duration::from_millis(5));
    load.wait_successes(50, Duration::from_secs(10)).await.unwrap();

    let submitted = submit_sorts(&api, "r", 6).await;
    let running = wait::until("a run to start", Duration::from_secs(20), || async {
        let runs = api.runs_of("sorted").await.ok()?;
        runs.iter().any(|r| r.status == RunStatus::Running).then_some(runs)
    })
    .await
    .unwrap();
    let victim_name = running.iter().find(|r| r.status == RunStatus::Running).unwrap().node.clone().unwrap();
    let victim = (0..3).find(|&i| s.cluster.name(i) == victim_name).unwrap();
    s.cluster.kill9(victim);
    let killed = Instant::now();
    let seen_on_victim: BTreeSet<String> = running
        .iter()
        .filter(|r| r.status == RunStatus::Running && r.node.as_deref() == Some(&victim_name))
        .map(|r| r.id.clone())
        .collect();

    // Follow every run to its end, noting when each run taken over (attempt 2) is claimed.
    let mut taken_over: BTreeMap<String, Duration> = BTreeMap::new();
    let finished = loop {
        if let Ok(runs) = api.runs_of("sorted").await {
            for run in runs.iter().filter(|r| r.attempt > 1 && r.node.is_some()) {
                taken_over.entry(run.id.clone()).or_insert_with(|| killed.elapsed());
            }
            if runs.iter().all(|r| r.status.is_final()) {
                break runs;
            }
        }
        assert!(killed.elapsed() < Duration::from_secs(40), "the runs did not end within 40 s of the kill");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let all_done = killed.elapsed();
    let report = load.stop().await;
    println!(
        "killed {victim_name} holding {} of 6 runs; taken over after {:?}; all 6 runs ended {all_done:?} after the kill",
        taken_over.len(),
        taken_over.values().collect::<Vec<_>>()
    );
    println!("services through HAProxy during the kill: {}", report.summary());
    let totals = s.lb.server(e2e::haproxy::TOTALS).unwrap();
    println!("HAProxy retried {} request(s), redispatched {}", totals.retries, totals.redispatches);

    assert_eq!(finished.len(), submitted.len(), "no run was duplicated");
    for run in &finished {
        assert_eq!(run.status, RunStatus::Succeeded, "{} on {:?}: {:?}", run.id, run.node, run.error);
        assert_ne!(run.node.as_deref(), Some(victim_name.as_str()));
        let logs = api.get::<Value>(&format!("/api/v1/runs/{}/logs", run.id)).await.unwrap().to_string();
        let requeued = logs.contains("requeued as attempt 2");
        assert_eq!(run.attempt, if requeued { 2 } else { 1 }, "run {}: {logs}", run.id);
        assert!(
            !requeued || logs.contains(&format!("({victim_name})")),
            "only the victim's runs move: {logs}"
        );
        assert!(!seen_on_victim.contains(&run.id) || requeued, "{} ran on {victim_name}: {logs}", run.id);
    }
    assert!(!taken_over.is_empty());
    assert!(all_done <= Duration::from_secs(3 + 10), "lease + 10 s, took {all_done:?}");
    let outputs = dataflows::output_files(s.cluster.data_dir()).unwrap();
    assert_eq!(
        outputs,
        (0..6).map(|k| format!("r{k}.csv")).collect::<Vec<_>>(),
        "each output once, no leftovers"
    );
    for k in 0..6 {
        dataflows::check_sorted_output(s.cluster.data_dir(), &format!("r{k}"), ROWS).unwrap();
    }
    assert!(report.loss() <= 0.001, "{}; first failures: {:?}", report.summary(), report.failures);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_fires_once_per_fire_time_with_three_schedulers() {
    let db = PgDatabase::create().unwrap();
    let cluster = Cluster::start(&db.url, 3, &[]).await.unwrap();
    std::fs::write(cluster.data_dir().join("ticks.csv"), "id\n1\n2\n").unwrap();
    let api = Api::sign_in(&cluster.base(0)).await.unwrap();
    let job = json!({"name": "tick", "kind": "job",
        "stages": [{"id": "read", "type": "read_csv", "options": {"path": "ticks.csv"}},
                   {"id": "out", "type": "write_csv", "options": {"path": "out/tick.csv"}}],
        "edges": [{"from": "read", "to": "out"}]});
    api.create_exposed(&job).await.unwrap();
    let schedule: Schedule = api
        .post(
            "/api/v1/schedules",
            &json!({"name": "every-second", "dataflow": "tick", "cron": "* * * * * *",
            "overlap": "allow", "misfire": "all"}),
        )
        .await
        .unwrap();
    let fires_path = format!("/api/v1/schedules/{}/fires?limit=100", schedule.id);
    wait::until("five fire times", Duration::from_secs(15), || async {
        let fires: Page<ScheduleFire> = api.get(&fires_path).await.ok()?;
        (fires.items.iter().filter(|f| f.outcome == "fired").count() >= 5).then_some(())
    })
    .await
    .unwrap();
    let _: Value = api.post(&format!("/api/v1/schedules/{}/pause", schedule.id), &json!({})).await.unwrap();
    let runs = wait::until("the scheduled runs to end", Duration::from_secs(20), || async {
        let runs = api.runs_of("tick").await.ok()?;
        runs.iter().all(|r| r.status.is_final()).then_some(runs)
    })
    .await
    .unwrap();
    let mut fires: Vec<ScheduleFire> = api.get::<Page<ScheduleFire>>(&fires_path).await.unwrap().items;
    fires.sort_by(|a, b| a.fire_time.cmp(&b.fire_time));

    let by_node = fires.iter().fold(BTreeMap::<&str, usize>::new(), |mut m, f| {
        *m.entry(f.node.as_str()).or_default() += 1;
        m
    });
    println!("{} fire times, {} runs; fired by {by_node:?}", fires.len(), runs.len());
    let time = |text: &str| text.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let times: Vec<_> = fires.iter().map(|f| time(&f.fire_time)).collect();
    assert!(
        times.windows(2).all(|w| w[1] - w[0] == chrono::TimeDelta::seconds(1)),
        "one row per second: {times:?}"
    );
    assert!(fires.iter().all(|f| f.outcome == "fired"), "{fires:?}");
    let mut runs_per_fire: BTreeMap<_, Vec<&Run>> = BTreeMap::new();
    for run in &runs {
        runs_per_fire.entry(time(run.fire_time.as_deref().unwrap_or_default())).or_default().push(run);
    }
    assert_eq!(runs.len(), fires.len(), "one run per fire time");
    for fire in &fires {
        let ran = &runs_per_fire[&time(&fire.fire_time)];
        assert_eq!(ran.len(), 1, "fire time {} ran {} time(s)", fire.fire_time, ran.len());
        assert_eq!(Some(&ran[0].id), fire.run_id.as_ref());
        assert_eq!(ran[0].status, RunStatus::Succeeded, "{:?}", ran[0].error);
    }
}
