//! What the cluster scenarios and benchmarks share: nodes behind HAProxy on one database, the
//! load of `price` service calls, and the slow sorting job.

// Only tests call these; a setup that fails is a failed test, which `expect` reports.
#![allow(clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use model::Run;
use serde_json::{Value, json};

use crate::api::Api;
use crate::cluster::Cluster;
use crate::haproxy::Haproxy;
use crate::load::Load;
use crate::pg::PgDatabase;

/// Records in the input of the slow jobs: a few seconds of sorting on a debug build.
pub const ROWS: u32 = 100_000;

/// Nodes behind a balancer. Fields drop in order: balancer, nodes, then their database.
pub struct Scenario {
    pub lb: Haproxy,
    pub cluster: Cluster,
    _db: PgDatabase,
}

impl Scenario {
    pub async fn start(nodes: usize, args: &[&str]) -> Self {
        let db = PgDatabase::create().expect("a database on the local PostgreSQL");
        let cluster = Cluster::start(&db.url, nodes, args).await.expect("the nodes start");
        let lb = Haproxy::start(&cluster.servers()).await.expect("HAProxy starts");
        Self { lb, cluster, _db: db }
    }
}

/// `clients` clients calling the `price` service at `base` with a bearer token, pausing
/// between calls.
pub fn price_load(base: &str, token: &str, clients: usize, pause: Duration) -> Load {
    let (url, auth) = (format!("{base}/api/v1/services/price"), format!("Bearer {token}"));
    Load::start(
        clients,
        pause,
        Arc::new(move |client| {
            client.post(&url).header("authorization", &auth).json(&json!({"rows": [{"sku": "a", "net": 2}]}))
        }),
    )
}

/// The `gross` of `{net: 10}` as `base` answers it now.
pub async fn gross_at(api: &Api, base: &str) -> Option<f64> {
    let answer = api.at(base).call_service("price", json!([{"sku": "a", "net": 10}])).await.ok()?;
    let body: Value = answer.json().await.ok()?;
    body["rows"][0]["gross"].as_f64()
}

/// GET `url` with only a `Cookie` header for credentials.
pub async fn get_with_cookie(url: String, cookie: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).header("cookie", cookie).send().await.expect("request")
}

/// Submit `count` runs of the sorting job, each writing `out/<prefix><k>.csv`.
pub async fn submit_sorts(api: &Api, prefix: &str, count: usize) -> Vec<Run> {
    let mut runs = vec![];
    for k in 0..count {
        runs.push(api.submit_run("sorted", json!({"output": format!("{prefix}{k}")})).await.expect("submit"));
    }
    runs
}
