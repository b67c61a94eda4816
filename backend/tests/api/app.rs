//! [`TestApp`]: a node on a fresh database, a cookie-keeping client, typed helpers over `model`.

use std::time::Duration;

use backend::AppState;
use backend::config::{Config, ConfigArgs};
use model::{DataflowDocument, DataflowKind, ErrorBody};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;

pub const ADMIN_PASSWORD: &str = "admin-test-password";

fn pg_admin_url() -> String {
    std::env::var("TRIBUTARY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A PostgreSQL database that exists for one test and is dropped after it.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> Self {
        let name = format!("tributary_test_{}", uuid::Uuid::new_v4().simple());
        let admin = pg_admin_url();
        let conn = sea_orm::Database::connect(&admin).await.expect("local PostgreSQL on 127.0.0.1:5432");
        sea_orm::ConnectionTrait::execute_unprepared(&conn, &format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        conn.close().await.ok();
        let base = admin.rsplit_once('/').map(|(base, _)| base.to_owned()).unwrap_or(admin);
        Self { url: format!("{base}/{name}"), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async; a small runtime of its own does the cleanup.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async {
                if let Ok(conn) = sea_orm::Database::connect(pg_admin_url()).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sea_orm::ConnectionTrait::execute_unprepared(&conn, &sql).await;
                }
            });
        })
        .join();
    }
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub state: AppState,
    pub database_url: String,
    pub data_dir: TempDir,
    _pg: Option<PgDatabase>,
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|_| {}).await
    }

    pub async fn postgres() -> Self {
        Self::postgres_with(|_| {}).await
    }

    pub async fn sqlite_with(adjust: impl FnOnce(&mut ConfigArgs)) -> Self {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}?mode=rwc", data_dir.path().join("tributary.db").display());
        Self::start(data_dir, url, None, adjust).await
    }

    pub async fn postgres_with(adjust: impl FnOnce(&mut ConfigArgs)) -> Self {
        let pg = PgDatabase::create().await;
        let url = pg.url.clone();
        Self::start(tempfile::tempdir().expect("tempdir"), url, Some(pg), adjust).await
    }

    async fn start(
        data_dir: TempDir,
        database_url: String,
        pg: Option<PgDatabase>,
        adjust: impl FnOnce(&mut ConfigArgs),
    ) -> Self {
        let state = start_node(&data_dir, &database_url, adjust).await;
        let base = spawn_server(state.clone()).await;
        Self { base, client: cookie_client(), state, database_url, data_dir, _pg: pg }
    }

    /// Another node on the same database, as in a cluster.
    pub async fn second_node(&self) -> String {
        let state = start_node(&self.data_dir, &self.database_url, |_| {}).await;
        spawn_server(state).await
    }

    /// Another node on the same database with settings of its own (e.g. another secret key).
    pub async fn second_node_with(&self, adjust: impl FnOnce(&mut ConfigArgs)) -> String {
        let state = start_node(&self.data_dir, &self.database_url, adjust).await;
        spawn_server(state).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn login_as(&self, username: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login")
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    pub async fn login_admin(&self) {
        let response = self.login_as("admin", ADMIN_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "admin login");
    }

    pub async fn create_dataflow(&self, document: &DataflowDocument) -> Response {
        self.request(Method::POST, "/api/v1/dataflows").json(document).send().await.expect("create request")
    }

    /// POST `body` as JSON and decode the answer (whatever its status).
    pub async fn post_json<T: DeserializeOwned>(&self, path: &str, body: &impl serde::Serialize) -> T {
        let response = self.request(Method::POST, path).json(body).send().await.expect("request");
        response.json().await.expect("json")
    }

    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.request(Method::GET, path).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }
}

/// Name and value of the header the console sends with every request: the node refuses a
/// cookie-authenticated write without it (cross-site request forgery).
pub const CSRF_HEADER: (&str, &str) = ("x-tributary-csrf", "1");

/// Keeps cookies like a browser and sends [`CSRF_HEADER`] like the console.
pub fn cookie_client() -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(CSRF_HEADER.0, reqwest::header::HeaderValue::from_static(CSRF_HEADER.1));
    Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// Keeps cookies but sends no CSRF proof, like a page on another site would.
pub fn bare_cookie_client() -> Client {
    Client::builder().cookie_store(true).timeout(Duration::from_secs(30)).build().expect("client")
}

async fn start_node(
    data_dir: &TempDir,
    database_url: &str,
    adjust: impl FnOnce(&mut ConfigArgs),
) -> AppState {
    let mut args = ConfigArgs {
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(data_dir.path().to_owned()),
        database_url: Some(database_url.to_owned()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        secret_key: Some("k".repeat(32)),
        node_name: Some(format!("test-{}", uuid::Uuid::new_v4().simple())),
        ..ConfigArgs::default()
    };
    adjust(&mut args);
    let config = Config::load(args).expect("test configuration");
    AppState::start(config).await.expect("node starts")
}

async fn spawn_server(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(backend::serve(listener, state));
    base
}

/// Decode an error response and check its shape.
pub async fn error_body(response: Response, status: StatusCode, code: &str) -> ErrorBody {
    assert_eq!(response.status(), status, "status");
    let header_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: ErrorBody = response.json().await.expect("error body");
    assert_eq!(body.error.code, code, "code: {}", body.error.message);
    assert!(!body.error.request_id.is_empty(), "request id in body");
    assert_eq!(header_id.as_deref(), Some(body.error.request_id.as_str()), "request id in header and body");
    body
}

/// `read_csv → filter → write_csv`: complete, so it can be exposed.
pub fn job(name: &str) -> DataflowDocument {
    serde_json::from_value(serde_json::json!({
        "name": name, "kind": "job", "description": "large orders",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
            {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/big.csv"}}
        ],
        "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "out"}]
    }))
    .expect("job document")
}

pub fn empty(name: &str) -> DataflowDocument {
    DataflowDocument::empty(name, DataflowKind::Job)
}

pub async fn json(response: Response) -> Value {
    response.json().await.expect("json body")
}
