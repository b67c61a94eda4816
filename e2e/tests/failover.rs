//! Runs survive the loss of their node: a node killed with `kill -9` and started again finishes
//! what it was running; on a shared PostgreSQL another node takes the run over once the lease
//! expires. Output is complete and written once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::Duration;

use e2e::node::Node;
use e2e::pg::PgDatabase;
use e2e::wait;
use model::{Run, RunStatus};
use serde_json::json;

const ROWS: u32 = 2_000_000;

fn write_orders(dir: &std::path::Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join("orders.csv")).unwrap());
    writeln!(file, "id,amount").unwrap();
    for i in 0..ROWS {
        writeln!(file, "{i},{}", (u64::from(i) * 7919) % 100_000).unwrap();
    }
}

/// A job slow enough to still be running when its node is killed: it sorts everything.
async fn submit_sorting_job(node: &Node) -> (reqwest::Client, String) {
    let api = node.signed_in_client().await.unwrap();
    let job = json!({"name": "sorted", "kind": "job", "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
        {"id": "sort", "type": "sort", "options": {"keys": [{"field": "amount", "descending": true}, {"field": "id"}]}},
        {"id": "out", "type": "write_csv", "options": {"path": "out/sorted.csv"}}],
        "edges": [{"from": "read", "to": "sort"}, {"from": "sort", "to": "out"}]});
    let base = &node.base;
    assert!(
        api.post(format!("{base}/api/v1/dataflows")).json(&job).send().await.unwrap().status().is_success()
    );
    api.post(format!("{base}/api/v1/dataflows/sorted/versions/1/expose")).send().await.unwrap();
    let run: Run = api
        .post(format!("{base}/api/v1/dataflows/sorted/runs"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (api, run.id)
}

async fn run_state(api: &reqwest::Client, base: &str, id: &str) -> Option<Run> {
    api.get(format!("{base}/api/v1/runs/{id}")).send().await.ok()?.json().await.ok()
}

async fn wait_running(api: &reqwest::Client, base: &str, id: &str) -> Run {
    wait::until("the run to start", Duration::from_secs(30), || async {
        run_state(api, base, id).await.filter(|r| r.status == RunStatus::Running)
    })
    .await
    .unwrap()
}

async fn wait_final(api: &reqwest::Client, base: &str, id: &str) -> Run {
    wait::until("the run to end", Duration::from_secs(120), || async {
        run_state(api, base, id).await.filter(|r| r.status.is_final())
    })
    .await
    .unwrap()
}

fn assert_complete_output(data_dir: &std::path::Path) {
    let text = std::fs::read_to_string(data_dir.join("out/sorted.csv")).unwrap();
    assert_eq!(text.lines().count(), ROWS as usize + 1, "every record once, plus the header");
    assert_eq!(text.lines().nth(1), Some("82321,99999"), "sorted, largest first");
    let leftovers: Vec<_> =
        std::fs::read_dir(data_dir.join("out")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("sorted.csv")]);
    // The killed attempt's unfinished file was removed when the run was tried again.
    let staged: Vec<_> = std::fs::read_dir(data_dir.join(".tributary/staging"))
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(staged.is_empty(), "{staged:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_finishes_its_runs_when_it_starts_again() {
    let work = tempfile::tempdir().unwrap();
    let mut node = Node::start(work.path(), "solo", None).await.unwrap();
    write_orders(&node.data_dir());
    let (api, id) = submit_sorting_job(&node).await;
    wait_running(&api, &node.base, &id).await;
    let staging = node.data_dir().join(".tributary/staging");
    wait::until("the run to start its output file", Duration::from_secs(60), || async {
        std::fs::read_dir(&staging).ok().and_then(|mut dir| dir.next()).and_then(Result::ok)
    })
    .await
    .unwrap();
    node.kill();

    let node = Node::start(work.path(), "solo", None).await.unwrap();
    let api = node.signed_in_client().await.unwrap();
    let run = wait_final(&api, &node.base, &id).await;
    assert_eq!((run.status, run.attempt), (RunStatus::Succeeded, 2), "{:?}", run.error);
    let logs: serde_json::Value =
        api.get(format!("{}/api/v1/runs/{id}/logs", node.base)).send().await.unwrap().json().await.unwrap();
    assert!(logs.to_string().contains("requeued as attempt 2"), "{logs}");
    assert_complete_output(&node.data_dir());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_node_takes_over_when_the_lease_expires() {
    let work = tempfile::tempdir().unwrap();
    let pg = PgDatabase::create().unwrap();
    // Both nodes share one data directory, as a cluster shares storage.
    let shared = work.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    write_orders(&shared);
    let shared_dir = shared.to_str().unwrap().to_owned();
    let settings = [("TRIBUTARY_RUN_LEASE", "2s"), ("TRIBUTARY_DATA_DIR", shared_dir.as_str())];
    let mut first = Node::start_with(work.path(), "n1", Some(&pg.url), &settings).await.unwrap();
    let (api, id) = submit_sorting_job(&first).await;
    let running = wait_running(&api, &first.base, &id).await;
    let mut second = Node::start_with(work.path(), "n2", Some(&pg.url), &settings).await.unwrap();
    // Kill whichever node holds the run; the other takes it over.
    let (victim, survivor) =
        if running.node.as_deref() == Some("n1") { (&mut first, &second) } else { (&mut second, &first) };
    victim.kill();
    let api = survivor.signed_in_client().await.unwrap();
    let run = wait_final(&api, &survivor.base, &id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_eq!((run.attempt, run.node.as_deref()), (2, Some(survivor.name.as_str())));
    assert_complete_output(&shared);
}
