//! The cluster when its shape changes: nodes join, drain and restart without a failed request,
//! dataflows needing a module run or are answered where it is, lists read from a replica, and
//! the cluster rides out a PostgreSQL restart.
//!
//! Each scenario prints what it measured (`cargo test … -- --nocapture` shows it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use e2e::api::Api;
use e2e::cluster::Cluster;
use e2e::dataflows::{self, PEOPLE};
use e2e::haproxy::Haproxy;
use e2e::pg::PgDatabase;
use e2e::pg_cluster::PgCluster;
use e2e::scenario::{ROWS, Scenario, gross_at, price_load, submit_sorts};
use e2e::wait;
use model::{Page, RunStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Send a service call to `base` by hand, stopping halfway through its body: the request is
/// in flight until [`finish_call`].
async fn start_call(base: &str, token: &str) -> (tokio::net::TcpStream, Vec<u8>) {
    let body = br#"{"rows": [{"sku": "in-flight", "net": 10}]}"#;
    let head = format!(
        "POST /api/v1/services/price HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        base.trim_start_matches("http://"),
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    stream.flush().await.unwrap();
    (stream, body[10..].to_vec())
}

/// Send the rest of the body and read the whole answer.
async fn finish_call(mut stream: tokio::net::TcpStream, rest: Vec<u8>) -> String {
    stream.write_all(&rest).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_join_drain_and_restart_under_load_without_a_failed_request() {
    let mut s = Scenario::start(3, &["--drain-delay", "2s"]).await;
    dataflows::write_orders(s.cluster.data_dir(), "orders.csv", 20_000).unwrap();
    let api = Api::sign_in(&s.lb.base()).await.unwrap();
    api.create_exposed(&dataflows::sorting_job("sorted")).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    let token = api.create_token().await.unwrap();
    let load = price_load(&s.lb.base(), &token, 4, Duration::from_millis(5));
    load.wait_successes(50, Duration::from_secs(10)).await.unwrap();
    let failed_since = |before: (u64, u64)| load.counts().1 - before.1;

    let before = load.counts();
    a_node_joins(&mut s, &api).await;
    let failed_joining = failed_since(before);
    let before = load.counts();
    n1_drains(&mut s, &token).await;
    let failed_draining = failed_since(before);
    s.cluster.restart(0).await.unwrap();
    s.lb.wait_server("n1", true, Duration::from_secs(10)).await.unwrap();

    let (before, rolling) = (load.counts(), Instant::now());
    for i in 0..3 {
        s.cluster.sigterm(i).await.unwrap();
        s.cluster.restart(i).await.unwrap();
        s.lb.wait_server(s.cluster.name(i), true, Duration::from_secs(10)).await.unwrap();
    }
    let failed_rolling = failed_since(before);
    println!("rolling restart of n1, n2, n3 in {:?}", rolling.elapsed());
    let report = load.stop().await;
    println!(
        "services through HAProxy: {}; failed while n4 joined {failed_joining}, while n1 drained \
         {failed_draining}, during the rolling restart {failed_rolling}",
        report.summary()
    );
    assert_eq!(failed_draining, 0, "no failed request while n1 drained: {:?}", report.failures);
    assert_eq!(failed_rolling, 0, "no failed request during the rolling restart: {:?}", report.failures);
    assert_eq!(report.failed, 0, "{:?}", report.failures);
}

/// A fourth node joins: it registers, HAProxy (reloaded) sends it traffic, it claims runs.
async fn a_node_joins(s: &mut Scenario, api: &Api) {
    let joining = Instant::now();
    let new = s.cluster.add_node(&["--drain-delay", "2s"]).await.unwrap();
    let name = s.cluster.name(new).to_owned();
    s.lb.reload(&s.cluster.servers()).await.unwrap();
    // Its first heartbeat may land just after it reports ready.
    wait::until("the new node to register", Duration::from_secs(10), || async {
        let nodes = api.nodes().await.ok()?;
        nodes.iter().any(|n| n.name == name && n.state == "up").then_some(())
    })
    .await
    .unwrap();
    let registered = joining.elapsed();
    s.lb.wait_server(&name, true, Duration::from_secs(10)).await.unwrap();
    // Batches of short runs, one slot each on every node, until the new node has taken one.
    let mut batch = 0;
    let claimed = wait::until("the new node to claim a run", Duration::from_secs(25), || {
        batch += 1;
        let (prefix, name) = (format!("b{batch}-"), name.as_str());
        async move {
            let mut ended = vec![];
            for run in submit_sorts(api, &prefix, 8).await {
                ended.push(api.wait_final(&run.id, Duration::from_secs(30)).await.ok()?);
            }
            ended.into_iter().find(|r| r.node.as_deref() == Some(name))
        }
    })
    .await
    .unwrap();
    assert_eq!(claimed.status, RunStatus::Succeeded, "{:?}", claimed.error);
    let requests = s.lb.server(&name).unwrap().requests;
    println!(
        "{name} joined: registered after {registered:?}, ran run {} ({batch} batch(es)), got {requests} requests, in {:?}",
        claimed.id,
        joining.elapsed()
    );
    assert!(requests > 0, "HAProxy sends the new node traffic");
}

/// SIGTERM n1: `/readyz` turns 503, HAProxy takes it out and sends it nothing more, a request
/// in flight completes after the listener closed, and the node exits cleanly.
async fn n1_drains(s: &mut Scenario, token: &str) {
    let (in_flight, rest) = start_call(&s.cluster.base(0), token).await;
    let drain = Instant::now();
    s.cluster.send_sigterm(0).unwrap();
    wait::until("n1 to report not ready", Duration::from_secs(2), || async {
        (s.cluster.readyz(0).await == Some(503)).then_some(())
    })
    .await
    .unwrap();
    let not_ready = drain.elapsed();
    s.lb.wait_server("n1", false, Duration::from_secs(3)).await.unwrap();
    let out_of_rotation = drain.elapsed();
    let sent_to_n1 = s.lb.server("n1").unwrap().requests;
    wait::until("n1 to close its listener", Duration::from_secs(10), || async {
        tokio::net::TcpStream::connect(s.cluster.address(0)).await.is_err().then_some(())
    })
    .await
    .unwrap();
    let answer = finish_call(in_flight, rest).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "the request in flight completes: {answer}");
    assert!(answer.contains("\"gross\":20"), "{answer}");
    assert_eq!(s.lb.server("n1").unwrap().requests, sent_to_n1, "no traffic once HAProxy took n1 out");
    let exit = s.cluster.wait_exit(0).await.unwrap();
    assert!(exit.success(), "{exit:?}");
    println!(
        "drain of n1: /readyz 503 after {not_ready:?}, out of HAProxy after {out_of_rotation:?}, exited after {:?}",
        drain.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_needing_a_module_goes_to_the_node_that_has_it() {
    let db = PgDatabase::create().unwrap();
    let mut cluster = Cluster::start_each(&db.url, &[&[], &[], &["--modules", "quality"]]).await.unwrap();
    std::fs::write(cluster.data_dir().join("people.csv"), PEOPLE).unwrap();
    let api = Api::sign_in(&cluster.base(0)).await.unwrap();
    wait::until("n3 to advertise the quality module", Duration::from_secs(10), || async {
        let nodes = api.nodes().await.ok()?;
        nodes.iter().any(|n| n.name == "n3" && n.modules.contains(&"quality".to_string())).then_some(())
    })
    .await
    .unwrap();
    api.create_exposed(&dataflows::dedupe_job()).await.unwrap();
    api.create_exposed(&dataflows::dedupe_service()).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();

    let mut runs = vec![];
    for _ in 0..3 {
        runs.push(api.submit_run("dedupe", json!({})).await.unwrap());
    }
    for run in runs {
        let run = api.wait_final(&run.id, Duration::from_secs(20)).await.unwrap();
        assert_eq!((run.status, run.node.as_deref()), (RunStatus::Succeeded, Some("n3")), "{:?}", run.error);
    }

    // Called on n1, which lacks the module: answered by n3.
    let people = json!([{"id": 1, "name": "John Smith"}, {"id": 2, "name": "Jon Smith"}, {"id": 3, "name": "Mary Jones"}]);
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let answer = api
        .client
        .post(api.url("/api/v1/services/dedupe-call"))
        .header("x-request-id", &request_id)
        .json(&json!({"rows": people}))
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    let groups: Vec<&Value> = body["rows"].as_array().unwrap().iter().map(|r| &r["match_group"]).collect();
    assert_eq!(groups.len(), 3, "{body}");
    assert_eq!(groups[0], groups[1], "John and Jon match: {body}");
    assert_ne!(groups[0], groups[2], "{body}");
    assert!(cluster.log(2).contains(&request_id), "n3 answered the call");
    assert_eq!(gross_at(&api, &cluster.base(0)).await, Some(20.0));

    // Without n3: the call says why, core services still answer, jobs wait for it.
    cluster.sigterm(2).await.unwrap();
    let answer = api.call_service("dedupe-call", people.clone()).await.unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    println!("with n3 stopped, n1 answers {status}: {body}");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let code = body["error"]["code"].as_str().unwrap_or_default();
    assert!(["not_ready", "service_failed"].contains(&code), "{body}");
    assert!(body["error"]["message"].as_str().unwrap_or_default().contains("quality"), "{body}");
    assert_eq!(gross_at(&api, &cluster.base(0)).await, Some(20.0), "core services still answer");
    let waiting = api.submit_run("dedupe", json!({})).await.unwrap();
    cluster.restart(2).await.unwrap();
    let run = api.wait_final(&waiting.id, Duration::from_secs(20)).await.unwrap();
    assert_eq!((run.status, run.node.as_deref()), (RunStatus::Succeeded, Some("n3")), "only n3 claims it");
}

const LISTS: &[&str] =
    &["/api/v1/dataflows", "/api/v1/runs", "/api/v1/schedules", "/api/v1/audit", "/api/v1/cluster/nodes"];

/// The status of every list endpoint on `base`.
async fn list_statuses(api: &Api, base: &str) -> Vec<(&'static str, StatusCode)> {
    let mut statuses = vec![];
    for path in LISTS {
        let status = api.client.get(format!("{base}{path}")).send().await.map(|r| r.status());
        statuses.push((*path, status.unwrap_or(StatusCode::BAD_GATEWAY)));
    }
    statuses
}

async fn dataflow_names(api: &Api, base: &str) -> Option<Vec<String>> {
    let page: Page<model::DataflowSummary> = api.at(base).get("/api/v1/dataflows?limit=100").await.ok()?;
    Some(page.items.into_iter().map(|d| d.name).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_read_from_a_replica_and_fall_back_to_the_primary() {
    let primary = PgCluster::start_new().unwrap();
    let replica = primary.standby().unwrap();
    let cluster =
        Cluster::start(&primary.url(), 2, &["--database-replica-url", &replica.url()]).await.unwrap();
    let api = Api::sign_in(&cluster.base(0)).await.unwrap();
    for i in 0..2 {
        let statuses = list_statuses(&api, &cluster.base(i)).await;
        assert!(statuses.iter().all(|(_, s)| *s == StatusCode::OK), "{statuses:?}");
    }
    let streaming = primary.psql("postgres", "SELECT count(*) FROM pg_stat_replication").unwrap();
    assert_eq!(streaming, "1", "the standby streams from the primary");

    for k in 0..3 {
        let _: Value =
            api.post("/api/v1/dataflows", &dataflows::sorting_job(&format!("job-{k}"))).await.unwrap();
    }
    let written = Instant::now();
    let base = cluster.base(1);
    wait::until("the replica to catch up", Duration::from_secs(10), || async {
        let names = dataflow_names(&api, &base).await?;
        (names.iter().filter(|n| n.starts_with("job-")).count() == 3).then_some(())
    })
    .await
    .unwrap();
    let lag = written.elapsed();
    let on_replica = replica.psql("tributary", "SELECT count(*) FROM dataflows").unwrap();
    println!(
        "lists on n2 showed 3 new dataflows {lag:?} after they were written; the replica holds {on_replica}"
    );
    assert_eq!(on_replica, "3");

    // With replay paused the replica lags: lists do not show a new dataflow, reads of it do;
    // once replay resumes the lists catch up.
    replica.psql("postgres", "SELECT pg_wal_replay_pause()").unwrap();
    let _: Value = api.post("/api/v1/dataflows", &dataflows::sorting_job("late")).await.unwrap();
    let late: Value = api.get("/api/v1/dataflows/late").await.unwrap();
    assert_eq!(late["name"], "late", "reads of one dataflow go to the primary");
    for i in 0..2 {
        let names = dataflow_names(&api, &cluster.base(i)).await.unwrap();
        assert!(
            !names.contains(&"late".to_string()),
            "{} lists from the lagging replica: {names:?}",
            cluster.name(i)
        );
    }
    replica.psql("postgres", "SELECT pg_wal_replay_resume()").unwrap();
    let resumed = Instant::now();
    wait::until("the lists to catch up", Duration::from_secs(10), || async {
        dataflow_names(&api, &base).await.filter(|names| names.contains(&"late".to_string()))
    })
    .await
    .unwrap();
    println!("after replay resumed, the lists showed the new dataflow in {:?}", resumed.elapsed());

    replica.stop().unwrap();
    let stopped = Instant::now();
    let mut failures = vec![];
    for round in 0..3 {
        for i in 0..2 {
            for (path, status) in list_statuses(&api, &cluster.base(i)).await {
                if status != StatusCode::OK {
                    failures.push(format!("round {round}, {} {path}: {status}", cluster.name(i)));
                }
            }
        }
    }
    println!("with the replica stopped, 30 list calls took {:?}; failures: {failures:?}", stopped.elapsed());
    assert!(failures.is_empty(), "lists degrade to the primary: {failures:?}");
    let _: Value = api.post("/api/v1/dataflows", &dataflows::price_service(2)).await.unwrap();
    let names = dataflow_names(&api, &cluster.base(1)).await.unwrap_or_default();
    assert!(names.contains(&"price".to_string()), "a new dataflow is listed from the primary: {names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_ride_out_a_postgresql_restart_and_finish_their_runs() {
    let pg = PgCluster::start_new().unwrap();
    let cluster = Cluster::start(&pg.url(), 3, &["--run-lease", "3s"]).await.unwrap();
    let lb = Haproxy::start(&cluster.servers()).await.unwrap();
    dataflows::write_orders(cluster.data_dir(), "orders.csv", ROWS).unwrap();
    let api = Api::sign_in(&lb.base()).await.unwrap();
    api.create_exposed(&dataflows::sorting_job("sorted")).await.unwrap();
    api.create_exposed(&dataflows::price_service(2)).await.unwrap();
    let load = price_load(&lb.base(), &api.create_token().await.unwrap(), 4, Duration::from_millis(5));
    load.wait_successes(50, Duration::from_secs(10)).await.unwrap();
    let accepted = submit_sorts(&api, "p", 8).await;
    wait::until("a run to start", Duration::from_secs(20), || async {
        let runs = api.runs_of("sorted").await.ok()?;
        runs.iter().any(|r| r.status == RunStatus::Running).then_some(())
    })
    .await
    .unwrap();

    // `block_in_place`: pg_ctl waits, the load and the nodes' clients keep going meanwhile.
    tokio::task::block_in_place(|| pg.stop()).unwrap();
    let stopped = Instant::now();
    let before_outage = load.counts();
    let unready = cluster.wait_readyz_all(503, Duration::from_secs(15)).await.unwrap();
    tokio::task::block_in_place(|| pg.start()).unwrap();
    let restarted = Instant::now();
    let ready = cluster.wait_readyz_all(200, Duration::from_secs(30)).await.unwrap();
    for i in 0..3 {
        lb.wait_server(cluster.name(i), true, Duration::from_secs(10)).await.unwrap();
    }
    let back_in_haproxy = restarted.elapsed();
    let after_outage = load.counts();
    let mut finished = vec![];
    for run in &accepted {
        finished.push(api.wait_final(&run.id, Duration::from_secs(60)).await.unwrap());
    }
    let all_done = restarted.elapsed();
    load.wait_successes(50, Duration::from_secs(10)).await.unwrap();
    let report = load.stop().await;
    println!("PostgreSQL stopped: /readyz 503 after {unready:?} (outage {:?} long)", restarted - stopped);
    let attempts: Vec<i32> = finished.iter().map(|r| r.attempt).collect();
    println!(
        "PostgreSQL started: ready again after {ready:?}; the 8 runs (attempts {attempts:?}) ended {all_done:?} after the start"
    );
    println!(
        "services through HAProxy: {}; from the stop until HAProxy had every node back ({back_in_haproxy:?} \
         after the start) {} ok, {} failed, e.g. {:?}",
        report.summary(),
        after_outage.0 - before_outage.0,
        after_outage.1 - before_outage.1,
        report.failures.first()
    );
    for run in &finished {
        assert_eq!(run.status, RunStatus::Succeeded, "{} (attempt {}): {:?}", run.id, run.attempt, run.error);
    }
    let outputs = dataflows::output_files(cluster.data_dir()).unwrap();
    assert_eq!(outputs, (0..8).map(|k| format!("p{k}.csv")).collect::<Vec<_>>(), "each output once");
    for k in 0..8 {
        dataflows::check_sorted_output(cluster.data_dir(), &format!("p{k}"), ROWS).unwrap();
    }
    assert!(unready.values().all(|d| *d <= Duration::from_secs(10)), "{unready:?}");
}
