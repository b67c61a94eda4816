//! Connections through the API: validation, passwords encrypted and never shown, tests that
//! really connect, and jobs that read from and write to PostgreSQL, MariaDB and SQLite.

use model::{Connection, ConnectionTest, Page, Run, RunStatus};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection as _};

use crate::app::{PgDatabase, TestApp, cookie_client, error_body};
use crate::runs::wait_for_end;

crate::both!(
    passwords_are_encrypted_write_only_and_never_audited,
    bad_connections_are_refused_field_by_field
);

const PASSWORD: &str = "pw-Secret-4711";

async fn send(app: &TestApp, method: Method, path: &str, body: Value) -> reqwest::Response {
    app.request(method, &format!("/api/v1{path}")).json(&body).send().await.unwrap()
}

async fn stored_ciphertext(app: &TestApp, name: &str) -> Option<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = entities::connections::Entity::find()
        .filter(entities::connections::Column::Name.eq(name))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    row.password_encrypted
}

async fn passwords_are_encrypted_write_only_and_never_audited(app: TestApp) {
    app.login_admin().await;
    let body = json!({"name": "warehouse", "kind": "postgres", "host": "127.0.0.1", "database": "dw",
        "username": "etl", "password": PASSWORD, "description": "reporting"});
    let created = send(&app, Method::POST, "/connections", body.clone()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let text = created.text().await.unwrap();
    assert!(!text.contains(PASSWORD), "{text}");
    let connection: Connection = serde_json::from_str(&text).unwrap();
    assert_eq!((connection.port, connection.password_set), (Some(5432), true));

    let stored = stored_ciphertext(&app, "warehouse").await.unwrap();
    assert!(stored.starts_with("v1:") && !stored.contains(PASSWORD), "{stored}");

    let listed = app.request(Method::GET, "/api/v1/connections").send().await.unwrap().text().await.unwrap();
    assert!(listed.contains("\"password_set\":true") && !listed.contains(PASSWORD), "{listed}");
    let read: Connection = app.get_json("/api/v1/connections/warehouse").await;
    assert_eq!(read, connection);

    // Omitted: kept as it was. Null: cleared. Given: replaced.
    let mut kept = body.clone();
    kept.as_object_mut().unwrap().remove("password");
    kept["port"] = json!(6543);
    let updated: Connection =
        send(&app, Method::PUT, "/connections/warehouse", kept).await.json().await.unwrap();
    assert_eq!((updated.port, updated.password_set), (Some(6543), true));
    assert_eq!(stored_ciphertext(&app, "warehouse").await.as_deref(), Some(stored.as_str()));
    let mut cleared = body.clone();
    cleared["password"] = Value::Null;
    let updated: Connection =
        send(&app, Method::PUT, "/connections/warehouse", cleared).await.json().await.unwrap();
    assert!(!updated.password_set);
    assert_eq!(stored_ciphertext(&app, "warehouse").await, None);
    let replaced = send(&app, Method::PUT, "/connections/warehouse", body).await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert_ne!(stored_ciphertext(&app, "warehouse").await.as_deref(), Some(stored.as_str()), "a fresh nonce");

    let audit =
        app.request(Method::GET, "/api/v1/audit?limit=500").send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("connections:create") && audit.contains("connections:update"), "{audit}");
    assert!(!audit.contains(PASSWORD) && !audit.contains(&stored), "the audit log holds no secret");

    let deleted = app.request(Method::DELETE, "/api/v1/connections/warehouse").send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.request(Method::GET, "/api/v1/connections/warehouse").send().await.unwrap();
    error_body(gone, StatusCode::NOT_FOUND, "connection_not_found").await;
}

async fn bad_connections_are_refused_field_by_field(app: TestApp) {
    app.login_admin().await;
    let bad =
        send(&app, Method::POST, "/connections", json!({"name": "x", "kind": "postgres", "port": 70000}))
            .await;
    let body = error_body(bad, StatusCode::BAD_REQUEST, "invalid_request").await;
    let fields: Vec<&str> = body.error.details.iter().filter_map(|d| d.path.as_deref()).collect();
    assert_eq!(fields, ["host", "database", "username", "port"]);

    let kind = send(&app, Method::POST, "/connections", json!({"name": "x", "kind": "oracle"})).await;
    let body = error_body(kind, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(body.error.details[0].path.as_deref(), Some("kind"));

    for path in ["../outside.db", "/etc/passwd"] {
        let escape =
            send(&app, Method::POST, "/connections", json!({"name": "x", "kind": "sqlite", "path": path}))
                .await;
        let body = error_body(escape, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert_eq!(body.error.details[0].path.as_deref(), Some("path"), "{path}");
    }
    let mixed = json!({"name": "files", "kind": "directory", "path": "in", "host": "h", "password": "p"});
    let body = error_body(
        send(&app, Method::POST, "/connections", mixed).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let fields: Vec<&str> = body.error.details.iter().filter_map(|d| d.path.as_deref()).collect();
    assert_eq!(fields, ["host", "password"]);
    let unknown_field = send(
        &app,
        Method::POST,
        "/connections",
        json!({"name": "x", "kind": "sqlite", "path": "a.db", "secret": 1}),
    )
    .await;
    error_body(unknown_field, StatusCode::BAD_REQUEST, "invalid_request").await;

    let good = json!({"name": "files", "kind": "directory", "path": "in"});
    assert_eq!(send(&app, Method::POST, "/connections", good.clone()).await.status(), StatusCode::CREATED);
    let again = send(&app, Method::POST, "/connections", good.clone()).await;
    let body = error_body(again, StatusCode::CONFLICT, "already_exists").await;
    assert_eq!(body.error.details[0].path.as_deref(), Some("name"));
    let mut renamed = good.clone();
    renamed["name"] = json!("other");
    error_body(
        send(&app, Method::PUT, "/connections/files", renamed).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    error_body(
        send(&app, Method::PUT, "/connections/nope", good).await,
        StatusCode::NOT_FOUND,
        "connection_not_found",
    )
    .await;
    let listed: Page<Connection> = app.get_json("/api/v1/connections").await;
    assert_eq!(listed.items.len(), 1, "nothing half-written");

    // A designer sees connections but does not change them; a viewer does not see them.
    for (user, role) in [("desi", "designer"), ("vic", "viewer")] {
        let user_body = json!({"username": user, "password": "password-1234", "roles": [role]});
        assert_eq!(send(&app, Method::POST, "/users", user_body).await.status(), StatusCode::CREATED);
    }
    let desi = cookie_client();
    let login = json!({"username": "desi", "password": "password-1234"});
    desi.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(desi.get(app.url("/api/v1/connections")).send().await.unwrap().status(), StatusCode::OK);
    let create = desi
        .post(app.url("/api/v1/connections"))
        .json(&json!({"name": "d", "kind": "directory", "path": "in"}));
    error_body(create.send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let vic = cookie_client();
    vic.post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "vic", "password": "password-1234"}))
        .send()
        .await
        .unwrap();
    error_body(
        vic.get(app.url("/api/v1/connections")).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

/// A MariaDB database on the local server for one test, dropped after it.
struct MariaDb {
    name: String,
}

const MARIADB: &str = "mysql://root@127.0.0.1:3306";

impl MariaDb {
    async fn create() -> Self {
        let name = format!("tributary_test_{}", uuid::Uuid::new_v4().simple());
        run_sql(&format!("{MARIADB}/"), &format!("CREATE DATABASE {name}")).await;
        Self { name }
    }

    fn url(&self) -> String {
        format!("{MARIADB}/{}", self.name)
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {}", self.name);
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(run_sql(&format!("{MARIADB}/"), &sql));
        })
        .join();
    }
}

/// Run `sql` (one or more statements) on the database at `url`.
async fn run_sql(url: &str, sql: &str) {
    let sql = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sql.execute(&mut conn).await.unwrap();
    } else if url.starts_with("mysql") {
        let mut conn = sqlx::MySqlConnection::connect(url).await.unwrap();
        sql.execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc")).await.unwrap();
        sql.execute(&mut conn).await.unwrap();
    }
}

/// `(id, name, amount)` of every row of `table`, by id.
async fn rows(url: &str, table: &str) -> Vec<(i64, Option<String>, f64)> {
    let sql = format!("SELECT id, name, amount FROM {table} ORDER BY id");
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap()
    } else if url.starts_with("mysql") {
        let mut conn = sqlx::MySqlConnection::connect(url).await.unwrap();
        sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap()
    }
}

/// How many rows `table` has.
async fn count(url: &str, table: &str) -> i64 {
    let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    } else if url.starts_with("mysql") {
        let mut conn = sqlx::MySqlConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    }
}

/// Orders 1–4: two above 100, one without a name.
fn orders_sql(decimal: &str, double: &str) -> String {
    format!(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, name VARCHAR(50), amount {decimal}, placed DATE);
         INSERT INTO orders VALUES (1, 'Ann', 50.5, '2026-01-02'), (2, NULL, 150.25, '2026-01-03'),
           (3, 'Émile', 300, '2026-01-04'), (4, 'Dana', 99.99, NULL);
         CREATE TABLE kept (id BIGINT PRIMARY KEY, name VARCHAR(50), amount {double}, placed DATE);
         INSERT INTO kept VALUES (3, 'already there', 1, NULL);
         CREATE TABLE swapped (id BIGINT PRIMARY KEY, name VARCHAR(50), amount {double}, placed DATE);
         INSERT INTO swapped VALUES (99, 'old', 1, NULL);"
    )
}

/// `read_db (orders) → filter (amount > 100) → write_db (table, mode)`, exposed.
async fn expose_copy(app: &TestApp, name: &str, table: &str, mode: &str) {
    let document = json!({"name": name, "kind": "job", "stages": [
        {"id": "read", "type": "read_db", "options": {"connection": "source", "table": "orders"}},
        {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}},
        {"id": "out", "type": "write_db", "options": {"connection": "source", "table": table, "mode": mode}}
    ], "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "out"}]});
    let created = send(app, Method::POST, "/dataflows", document).await;
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text().await.unwrap());
    let exposed = send(app, Method::POST, &format!("/dataflows/{name}/versions/1/expose"), json!({})).await;
    assert_eq!(exposed.status(), StatusCode::OK, "{}", exposed.text().await.unwrap());
}

async fn run(app: &TestApp, name: &str) -> Run {
    let submitted: Run =
        send(app, Method::POST, &format!("/dataflows/{name}/runs"), json!({})).await.json().await.unwrap();
    wait_for_end(app, &submitted.id).await
}

/// The whole journey against one database: create, test, copy into a new table, append
/// atomically, replace, refuse to delete while exposed.
async fn round_trip(app: &TestApp, source: Value, url: &str) {
    app.login_admin().await;
    let created = send(app, Method::POST, "/connections", source).await;
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text().await.unwrap());
    let tested: ConnectionTest =
        send(app, Method::POST, "/connections/source/test", json!({})).await.json().await.unwrap();
    assert!(tested.ok, "{}", tested.message);

    expose_copy(app, "copy", "big_orders", "create").await;
    let done = run(app, "copy").await;
    assert_eq!(done.status, RunStatus::Succeeded, "{:?}", done.error);
    let expected = vec![(2, None, 150.25), (3, Some("Émile".to_owned()), 300.0)];
    assert_eq!(rows(url, "big_orders").await, expected);
    let sink = done.metrics.iter().find(|m| m.stage == "out").unwrap();
    assert_eq!(sink.rows_out["written"], 2);
    // Again: the table exists now, and mode create refuses it.
    let again = run(app, "copy").await;
    assert_eq!(again.status, RunStatus::Failed);
    assert!(again.error.as_ref().unwrap().message.contains("cannot create table"), "{:?}", again.error);
    assert_eq!(rows(url, "big_orders").await, expected);

    // Row 2 would go in, row 3 collides: the run fails and row 2 is not left behind.
    expose_copy(app, "append", "kept", "append").await;
    let clash = run(app, "append").await;
    assert_eq!(clash.status, RunStatus::Failed);
    assert_eq!(rows(url, "kept").await, vec![(3, Some("already there".to_owned()), 1.0)]);

    expose_copy(app, "replace", "swapped", "replace").await;
    assert_eq!(run(app, "replace").await.status, RunStatus::Succeeded);
    assert_eq!(rows(url, "swapped").await, expected);

    let in_use = app.request(Method::DELETE, "/api/v1/connections/source").send().await.unwrap();
    let body = error_body(in_use, StatusCode::CONFLICT, "connection_in_use").await;
    assert!(body.error.message.contains("copy"), "{}", body.error.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_copies_rows_within_postgresql() {
    let app = TestApp::sqlite().await;
    let target = PgDatabase::create().await;
    run_sql(&target.url, &orders_sql("NUMERIC(10,2)", "DOUBLE PRECISION")).await;
    let source = json!({"name": "source", "kind": "postgres", "host": "127.0.0.1", "port": 5432,
        "database": target.name, "username": "postgres"});
    round_trip(&app, source, &target.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_copies_rows_within_mariadb() {
    let app = TestApp::postgres().await;
    let target = MariaDb::create().await;
    run_sql(&target.url(), &orders_sql("DECIMAL(10,2)", "DOUBLE")).await;
    let source = json!({"name": "source", "kind": "mysql", "host": "127.0.0.1", "port": 3306,
        "database": target.name, "username": "root", "password": ""});
    round_trip(&app, source, &target.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_copies_rows_within_sqlite() {
    let app = TestApp::sqlite().await;
    std::fs::create_dir_all(app.data_dir.path().join("db")).unwrap();
    let url = format!("sqlite://{}", app.data_dir.path().join("db/shop.sqlite").display());
    run_sql(&url, &orders_sql("NUMERIC", "REAL")).await;
    round_trip(&app, json!({"name": "source", "kind": "sqlite", "path": "db/shop.sqlite"}), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_tests_report_failures_as_outcomes() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    let maria = MariaDb::create().await;
    std::fs::create_dir_all(app.data_dir.path().join("in")).unwrap();
    let cases = [
        (
            json!({"name": "pg-ok", "kind": "postgres", "host": "127.0.0.1", "database": "postgres", "username": "postgres"}),
            true,
            "connected",
        ),
        (
            json!({"name": "pg-port", "kind": "postgres", "host": "127.0.0.1", "port": 1, "database": "postgres", "username": "postgres"}),
            false,
            "cannot connect",
        ),
        (
            json!({"name": "pg-db", "kind": "postgres", "host": "127.0.0.1", "database": "no_such_database_here", "username": "postgres"}),
            false,
            "no_such_database_here",
        ),
        (
            json!({"name": "my-ok", "kind": "mysql", "host": "127.0.0.1", "database": maria.name, "username": "root"}),
            true,
            "connected",
        ),
        (
            json!({"name": "my-pw", "kind": "mysql", "host": "127.0.0.1", "database": maria.name, "username": "root", "password": "wrong"}),
            false,
            "Access denied",
        ),
        (json!({"name": "lite", "kind": "sqlite", "path": "missing.sqlite"}), false, "does not exist"),
        (json!({"name": "dir-ok", "kind": "directory", "path": "in"}), true, "exists"),
        (json!({"name": "dir-missing", "kind": "directory", "path": "out"}), false, "no directory"),
    ];
    for (body, ok, says) in cases {
        let name = body["name"].as_str().unwrap().to_owned();
        assert_eq!(send(&app, Method::POST, "/connections", body).await.status(), StatusCode::CREATED);
        let response = send(&app, Method::POST, &format!("/connections/{name}/test"), json!({})).await;
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        let tested: ConnectionTest = response.json().await.unwrap();
        assert_eq!(tested.ok, ok, "{name}: {}", tested.message);
        assert!(tested.message.contains(says), "{name}: {}", tested.message);
        assert!(tested.latency_ms < 6000, "{name}");
    }
    let unknown = send(&app, Method::POST, "/connections/nope/test", json!({})).await;
    error_body(unknown, StatusCode::NOT_FOUND, "connection_not_found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_another_key_cannot_decrypt_and_says_so() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    let body = json!({"name": "warehouse", "kind": "mysql", "host": "127.0.0.1", "database": "dw",
        "username": "root", "password": PASSWORD});
    assert_eq!(send(&app, Method::POST, "/connections", body).await.status(), StatusCode::CREATED);
    let other = app.second_node_with(|args| args.secret_key = Some("z".repeat(32))).await;
    let client = cookie_client();
    let login = json!({"username": "admin", "password": crate::app::ADMIN_PASSWORD});
    client.post(format!("{other}/api/v1/auth/login")).json(&login).send().await.unwrap();
    let response = client.post(format!("{other}/api/v1/connections/warehouse/test")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let tested: ConnectionTest = response.json().await.unwrap();
    assert!(!tested.ok);
    assert!(tested.message.contains("cannot be decrypted with this node's secret key"), "{}", tested.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_type_query_columns_and_checks_name_missing_connections() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    std::fs::create_dir_all(app.data_dir.path().join("db")).unwrap();
    let url = format!("sqlite://{}", app.data_dir.path().join("db/shop.sqlite").display());
    run_sql(&url, &orders_sql("NUMERIC", "REAL")).await;
    let source = json!({"name": "shop", "kind": "sqlite", "path": "db/shop.sqlite"});
    assert_eq!(send(&app, Method::POST, "/connections", source).await.status(), StatusCode::CREATED);
    let document = |connection: &str| {
        json!({"name": "peek", "kind": "job", "stages": [{"id": "read", "type": "read_db", "options":
            {"connection": connection, "query": "SELECT id, name, amount * 2 AS doubled FROM orders ORDER BY id;"}}],
            "edges": []})
    };
    let preview: Value =
        send(&app, Method::POST, "/dataflows/preview", json!({"document": document("shop"), "limit": 2}))
            .await
            .json()
            .await
            .unwrap();
    let port = &preview["ports"]["read.out"];
    let types: Vec<&str> =
        port["schema"].as_array().unwrap().iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["Int64", "Utf8", "Float64"], "{preview}");
    assert_eq!(
        port["rows"],
        json!([{"id": 1, "name": "Ann", "doubled": 101.0}, {"id": 2, "name": null, "doubled": 300.5}])
    );

    let checked: Value =
        send(&app, Method::POST, "/dataflows/validate", document("nowhere")).await.json().await.unwrap();
    let text = checked.to_string();
    assert!(text.contains("options.connection") && text.contains("nowhere"), "{text}");
}

/// A parameter in a `read_db` query is passed to the database as a value: text that looks like
/// SQL matches nothing and runs nothing, and quoting the parameter is refused with a hint.
async fn parameters_reach_the_database_as_values(app: &TestApp, source: Value, url: &str) {
    app.login_admin().await;
    assert_eq!(send(app, Method::POST, "/connections", source).await.status(), StatusCode::CREATED);
    let preview = |query: &str, who: &str| {
        let document = json!({"name": "lookup", "kind": "job",
            "parameters": [{"name": "who", "type": "string"}, {"name": "min", "type": "number"}],
            "stages": [{"id": "read", "type": "read_db", "options": {"connection": "source", "query": query}}],
            "edges": []});
        let body = json!({"document": document, "parameters": {"who": who, "min": 100}});
        async move { send(app, Method::POST, "/dataflows/preview", body).await.json::<Value>().await.unwrap() }
    };
    let query = "SELECT id, name FROM orders WHERE name = ${who} AND amount > ${min} ORDER BY id";
    let found = preview(query, "Émile").await;
    assert_eq!(found["ports"]["read.out"]["rows"], json!([{"id": 3, "name": "Émile"}]), "{found}");
    for attack in ["x' OR '1'='1", "Ann'; DROP TABLE orders; --", "Ann' --"] {
        let answer = preview(query, attack).await;
        assert_eq!(answer["ports"]["read.out"]["rows"], json!([]), "{attack}: {answer}");
    }
    assert_eq!(count(url, "orders").await, 4, "the table is untouched");
    let quoted = preview("SELECT id FROM orders WHERE name = '${who}'", "Ann").await;
    assert!(quoted["problems"].to_string().contains("without quotes"), "{quoted}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_are_bound_in_postgresql() {
    let app = TestApp::sqlite().await;
    let target = PgDatabase::create().await;
    run_sql(&target.url, &orders_sql("NUMERIC(10,2)", "DOUBLE PRECISION")).await;
    let source = json!({"name": "source", "kind": "postgres", "host": "127.0.0.1", "port": 5432,
        "database": target.name, "username": "postgres"});
    parameters_reach_the_database_as_values(&app, source, &target.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_are_bound_in_mariadb() {
    let app = TestApp::sqlite().await;
    let target = MariaDb::create().await;
    run_sql(&target.url(), &orders_sql("DECIMAL(10,2)", "DOUBLE")).await;
    let source = json!({"name": "source", "kind": "mysql", "host": "127.0.0.1", "port": 3306,
        "database": target.name, "username": "root", "password": ""});
    parameters_reach_the_database_as_values(&app, source, &target.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_are_bound_in_sqlite() {
    let app = TestApp::sqlite().await;
    std::fs::create_dir_all(app.data_dir.path().join("db")).unwrap();
    let url = format!("sqlite://{}", app.data_dir.path().join("db/shop.sqlite").display());
    run_sql(&url, &orders_sql("NUMERIC", "REAL")).await;
    let source = json!({"name": "source", "kind": "sqlite", "path": "db/shop.sqlite"});
    parameters_reach_the_database_as_values(&app, source, &url).await;
}
