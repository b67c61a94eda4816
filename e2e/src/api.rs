//! A signed-in REST client for a node or the balancer, with the few calls the scenarios use.

use std::time::Duration;

use model::{NodeInfo, Page, Run};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::node::ADMIN_PASSWORD;
use crate::wait;

/// Cookies are not told apart by port: a client signed in through the balancer also sends its
/// session to every node directly ([`Api::at`]).
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
}

impl Api {
    /// Sign in as `admin` at `base` (`http://host:port`).
    pub async fn sign_in(base: &str) -> anyhow::Result<Self> {
        let client = cookie_client(Duration::from_secs(30))?;
        let response = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
            .send()
            .await?;
        anyhow::ensure!(response.status().is_success(), "admin sign-in failed: {}", response.status());
        Ok(Self { base: base.to_owned(), client })
    }

    /// The same session, talking to another address.
    pub fn at(&self, base: &str) -> Self {
        Self { base: base.to_owned(), client: self.client.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET `path` (under the base), expecting success and a JSON body.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        decode(self.client.get(self.url(path)).send().await?).await
    }

    /// POST `body` to `path`, expecting success and a JSON body.
    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &Value) -> anyhow::Result<T> {
        decode(self.client.post(self.url(path)).json(body).send().await?).await
    }

    /// A new API token of this user, for clients without a cookie jar (`Authorization: Bearer`).
    pub async fn create_token(&self) -> anyhow::Result<String> {
        let created: Value =
            self.post("/api/v1/tokens", &json!({"name": uuid::Uuid::new_v4().to_string()})).await?;
        created["token"].as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no token in {created}"))
    }

    /// Save a new dataflow and expose its first version.
    pub async fn create_exposed(&self, document: &Value) -> anyhow::Result<()> {
        let name = document["name"].as_str().unwrap_or_default();
        let _: Value = self.post("/api/v1/dataflows", document).await?;
        let _: Value = self.post(&format!("/api/v1/dataflows/{name}/versions/1/expose"), &json!({})).await?;
        Ok(())
    }

    /// Save `document` as the next version of its dataflow and expose it; returns the version.
    pub async fn save_and_expose(&self, document: &Value) -> anyhow::Result<i64> {
        let name = document["name"].as_str().unwrap_or_default();
        let current = self.client.get(self.url(&format!("/api/v1/dataflows/{name}"))).send().await?;
        let etag = current.headers().get("etag").cloned().ok_or_else(|| anyhow::anyhow!("no ETag"))?;
        let saved = self
            .client
            .put(self.url(&format!("/api/v1/dataflows/{name}")))
            .header("If-Match", etag)
            .json(document);
        let saved: Value = decode(saved.send().await?).await?;
        let version = saved["version"].as_i64().ok_or_else(|| anyhow::anyhow!("no version in {saved}"))?;
        let _: Value =
            self.post(&format!("/api/v1/dataflows/{name}/versions/{version}/expose"), &json!({})).await?;
        Ok(version)
    }

    /// Submit a run of `dataflow`; an idempotency key makes a replayed submission harmless.
    pub async fn submit_run(&self, dataflow: &str, parameters: Value) -> anyhow::Result<Run> {
        let request = self
            .client
            .post(self.url(&format!("/api/v1/dataflows/{dataflow}/runs")))
            .header("Idempotency-Key", uuid::Uuid::new_v4().simple().to_string())
            .json(&json!({"parameters": parameters}));
        decode(request.send().await?).await
    }

    pub async fn run(&self, id: &str) -> anyhow::Result<Run> {
        self.get(&format!("/api/v1/runs/{id}")).await
    }

    /// Wait until run `id` has ended (succeeded, failed or cancelled).
    pub async fn wait_final(&self, id: &str, timeout: Duration) -> anyhow::Result<Run> {
        wait::until(&format!("run {id} to end"), timeout, || async {
            self.run(id).await.ok().filter(|r| r.status.is_final())
        })
        .await
    }

    /// Every run of `dataflow` (up to 200).
    pub async fn runs_of(&self, dataflow: &str) -> anyhow::Result<Vec<Run>> {
        let page: Page<Run> = self.get(&format!("/api/v1/runs?dataflow={dataflow}&limit=200")).await?;
        Ok(page.items)
    }

    pub async fn nodes(&self) -> anyhow::Result<Vec<NodeInfo>> {
        let page: Page<NodeInfo> = self.get("/api/v1/cluster/nodes").await?;
        Ok(page.items)
    }

    /// POST `rows` to service `name`; the raw answer, whatever its status.
    pub async fn call_service(&self, name: &str, rows: Value) -> anyhow::Result<reqwest::Response> {
        let request =
            self.client.post(self.url(&format!("/api/v1/services/{name}"))).json(&json!({"rows": rows}));
        Ok(request.send().await?)
    }
}

/// A client that keeps cookies like a browser and sends the header the console sends with every
/// request (`X-Tributary-CSRF`), without which a node refuses writes signed in by cookie.
pub fn cookie_client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tributary-csrf", reqwest::header::HeaderValue::from_static("1"));
    reqwest::Client::builder().cookie_store(true).default_headers(headers).timeout(timeout).build()
}

/// The JSON body of a successful answer, or an error with the status and body.
pub async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> anyhow::Result<T> {
    let status = response.status();
    let url = response.url().to_string();
    let body = response.text().await?;
    anyhow::ensure!(status.is_success(), "{url}: {status}: {body}");
    serde_json::from_str(&body).map_err(|e| anyhow::anyhow!("{url}: cannot decode {body}: {e}"))
}
