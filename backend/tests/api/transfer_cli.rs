//! `tributary export` and `tributary import` between two nodes, through the REST API with
//! `--server` and `--token`, as an administrator would move a setup to a new cluster.

use std::path::Path;

use model::{
    Connection, CreatedToken, Dataflow, DataflowVersion, ObjectAccess, Page, Role, RunStatus, Schedule,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app::{TestApp, json as body_json};
use crate::runs::wait_for_end;

async fn tributary(app: &TestApp, token: &str, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .args(["--server", &app.base, "--token", token])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("the tributary binary runs")
}

fn out(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

async fn admin_token(app: &TestApp) -> String {
    app.login_admin().await;
    let created: CreatedToken = app.post_json("/api/v1/tokens", &json!({"name": "transfer"})).await;
    created.token
}

async fn send(app: &TestApp, method: Method, path: &str, body: Value, expected: StatusCode) {
    let response = app.request(method, path).json(&body).send().await.unwrap();
    assert_eq!(response.status(), expected, "{path}: {}", body_json(response).await);
}

/// A subflow, a job embedding it (exposed at version 1, edited since), a process flow running
/// the job, a schedule, a custom role with an override on the job, and two connections.
async fn populate(app: &TestApp) {
    use StatusCode as S;
    let roles = json!({"name": "auditor", "description": "reads runs", "permissions": ["runs:view", "dataflows:view"]});
    send(app, Method::POST, "/api/v1/roles", roles, S::CREATED).await;
    let inbox = json!({"name": "inbox", "kind": "directory", "path": "inbox"});
    send(app, Method::POST, "/api/v1/connections", inbox, S::CREATED).await;
    let warehouse = json!({"name": "warehouse", "kind": "postgres", "host": "db.internal", "database": "dw",
        "username": "etl", "password": "warehouse-secret"});
    send(app, Method::POST, "/api/v1/connections", warehouse, S::CREATED).await;
    let subflow = json!({"name": "add-tax", "kind": "subflow",
        "stages": [{"id": "rows", "type": "input", "options": {"fields": [{"name": "amount", "type": "number"}]}},
                   {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "amount * 2"}]}},
                   {"id": "taxed", "type": "output"}],
        "edges": [{"from": "rows", "to": "t"}, {"from": "t", "to": "taxed"}]});
    let job = |description: &str| {
        json!({"name": "taxed-orders", "kind": "job", "description": description,
        "stages": [{"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
                   {"id": "tax", "type": "subflow", "options": {"dataflow": "add-tax"}},
                   {"id": "out", "type": "write_csv", "options": {"path": "out/taxed.csv"}}],
        "edges": [{"from": "read", "to": "tax.rows"}, {"from": "tax.taxed", "to": "out"}]})
    };
    let process = json!({"name": "nightly", "kind": "process",
        "stages": [{"id": "tax", "type": "run_job", "options": {"dataflow": "taxed-orders"}}]});
    for document in [subflow, job("orders with tax"), process] {
        send(app, Method::POST, "/api/v1/dataflows", document, S::CREATED).await;
    }
    for name in ["add-tax", "taxed-orders", "nightly"] {
        send(app, Method::POST, &format!("/api/v1/dataflows/{name}/versions/1/expose"), json!({}), S::OK)
            .await;
    }
    send(app, Method::POST, "/api/v1/dataflows/import", job("orders with tax, draft"), S::OK).await;
    let access = json!({"entries": [{"subject": {"role": "auditor"}, "effect": "grant", "permissions": ["dataflows:execute"]}]});
    send(app, Method::PUT, "/api/v1/dataflows/taxed-orders/access", access, S::OK).await;
    let schedule = json!({"name": "nightly-run", "dataflow": "nightly", "cron": "0 30 2 * * *",
        "timezone": "Europe/Paris", "parameters": {"region": "eu"}});
    send(app, Method::POST, "/api/v1/schedules", schedule, S::CREATED).await;
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn export_populated(source: &TestApp, dir: &Path) {
    let token = admin_token(source).await;
    populate(source).await;
    let exported = tributary(source, &token, &["export", dir.to_str().unwrap()]).await;
    assert!(exported.status.success(), "{}", out(&exported));
}

/// What a user sees of the moved objects, on either node.
async fn snapshot(app: &TestApp) -> Value {
    let mut dataflows = vec![];
    for name in ["add-tax", "taxed-orders", "nightly"] {
        let current: Dataflow = app.get_json(&format!("/api/v1/dataflows/{name}")).await;
        let exposed = current.summary.exposed_version.unwrap();
        let exposed: DataflowVersion =
            app.get_json(&format!("/api/v1/dataflows/{name}/versions/{exposed}")).await;
        let access: ObjectAccess = app.get_json(&format!("/api/v1/dataflows/{name}/access")).await;
        dataflows.push(json!([current.document, exposed.document, access]));
    }
    let roles: Page<Role> = app.get_json("/api/v1/roles").await;
    let connections: Page<Connection> = app.get_json("/api/v1/connections").await;
    let schedules: Page<Schedule> = app.get_json("/api/v1/schedules").await;
    json!({
        "dataflows": dataflows,
        "roles": roles.items.iter().filter(|r| !r.builtin).collect::<Vec<_>>(),
        "connections": connections.items.iter().map(|c| (&c.name, c.kind, &c.host, &c.path)).collect::<Vec<_>>(),
        "schedules": schedules.items.iter().map(|s| &s.spec).collect::<Vec<_>>(),
    })
}

async fn versions(app: &TestApp) -> Vec<(i32, Option<i32>)> {
    let mut numbers = vec![];
    for name in ["add-tax", "taxed-orders", "nightly"] {
        let current: Dataflow = app.get_json(&format!("/api/v1/dataflows/{name}")).await;
        numbers.push((current.summary.version, current.summary.exposed_version));
    }
    numbers
}

/// Export `source`, import into the empty `target` twice: the first creates everything, the
/// job runs there, the second changes nothing.
async fn moves_everything_and_a_second_import_changes_nothing(source: TestApp, target: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    export_populated(&source, dir.path()).await;
    let manifest = read_json(&dir.path().join("manifest.json"));
    assert_eq!(
        (manifest["format"].as_str(), manifest["format_version"].as_u64()),
        (Some("tributary-export"), Some(1))
    );
    assert_eq!(manifest["counts"], json!({"roles": 1, "connections": 2, "dataflows": 3, "schedules": 1}));
    let job = read_json(&dir.path().join("dataflows/taxed-orders.json"));
    assert_eq!((job["version"].as_i64(), job["exposed_version"].as_i64()), (Some(2), Some(1)));
    assert_eq!(job["exposed_document"]["description"], "orders with tax");
    let warehouse = std::fs::read_to_string(dir.path().join("connections/warehouse.json")).unwrap();
    assert!(!warehouse.contains("warehouse-secret") && !warehouse.contains("\"password\":"), "{warehouse}");
    assert_eq!(
        read_json(&dir.path().join("connections/warehouse.json"))["secrets_to_set"],
        json!(["password"])
    );
    assert!(
        dir.path().join("schedules/nightly-run.json").is_file()
            && dir.path().join("roles/auditor.json").is_file()
    );

    let token = admin_token(&target).await;
    let dir_arg = dir.path().to_str().unwrap();
    let first = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&first);
    assert!(first.status.success(), "{text}");
    assert!(text.contains("created 7, updated 0, unchanged 0"), "{text}");
    assert!(text.contains("connection warehouse was imported without its password"), "{text}");
    assert!(!text.contains("connection inbox was imported"), "{text}");
    assert_eq!(snapshot(&target).await, snapshot(&source).await);
    assert_eq!(versions(&target).await, vec![(1, Some(1)), (2, Some(1)), (1, Some(1))]);

    std::fs::write(target.data_dir.path().join("orders.csv"), "id,amount\n1,50\n2,150\n").unwrap();
    let response =
        target.request(Method::POST, "/api/v1/dataflows/nightly/runs").json(&json!({})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let run: model::Run = response.json().await.unwrap();
    assert_eq!(wait_for_end(&target, &run.id).await.status, RunStatus::Succeeded);
    let written = std::fs::read_to_string(target.data_dir.path().join("out/taxed.csv")).unwrap();
    assert_eq!(written, "id,amount,gross\n1,50,100\n2,150,300\n");

    let second = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&second);
    assert!(second.status.success(), "{text}");
    assert!(text.contains("created 0, updated 0, unchanged 7"), "{text}");
    assert_eq!(versions(&target).await, vec![(1, Some(1)), (2, Some(1)), (1, Some(1))]);
    let schedules: Page<Schedule> = target.get_json("/api/v1/schedules").await;
    assert_eq!(schedules.items.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_and_import_between_sqlite_nodes() {
    moves_everything_and_a_second_import_changes_nothing(TestApp::sqlite().await, TestApp::sqlite().await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_from_sqlite_and_import_into_postgres() {
    moves_everything_and_a_second_import_changes_nothing(TestApp::sqlite().await, TestApp::postgres().await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_brings_a_changed_node_back_to_the_export() {
    let (source, target) = (TestApp::sqlite().await, TestApp::sqlite().await);
    let dir = tempfile::tempdir().unwrap();
    export_populated(&source, dir.path()).await;
    let token = admin_token(&target).await;
    let dir_arg = dir.path().to_str().unwrap();
    assert!(tributary(&target, &token, &["import", dir_arg]).await.status.success());
    // Someone edits the job and the role on the new node; importing again puts them back.
    let current: Dataflow = target.get_json("/api/v1/dataflows/taxed-orders").await;
    let mut edited = serde_json::to_value(current.document).unwrap();
    edited["description"] = json!("changed here");
    send(&target, Method::POST, "/api/v1/dataflows/import", edited, StatusCode::OK).await;
    let role = json!({"description": "changed", "permissions": ["runs:view"]});
    send(&target, Method::PUT, "/api/v1/roles/auditor", role, StatusCode::OK).await;
    let again = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&again);
    assert!(again.status.success() && text.contains("created 0, updated 2, unchanged 5"), "{text}");
    assert!(
        text.contains("updated dataflow taxed-orders") && text.contains("updated role auditor"),
        "{text}"
    );
    assert_eq!(snapshot(&target).await, snapshot(&source).await);
    assert_eq!(versions(&target).await[1], (4, Some(1)));

    // Exporting into the same directory needs --force, and a second export reads the same.
    let source_token = admin_token(&source).await;
    let refused = tributary(&source, &source_token, &["export", dir_arg]).await;
    assert!(
        !refused.status.success() && out(&refused).contains("is not empty; pass --force"),
        "{}",
        out(&refused)
    );
    let before = std::fs::read_to_string(dir.path().join("dataflows/taxed-orders.json")).unwrap();
    let forced = tributary(&source, &source_token, &["export", dir_arg, "--force"]).await;
    assert!(forced.status.success(), "{}", out(&forced));
    assert_eq!(std::fs::read_to_string(dir.path().join("dataflows/taxed-orders.json")).unwrap(), before);
}

/// Nothing on the node: the import was refused before it wrote anything.
async fn assert_untouched(target: &TestApp) {
    let dataflows: Page<model::DataflowSummary> = target.get_json("/api/v1/dataflows").await;
    let connections: Page<Connection> = target.get_json("/api/v1/connections").await;
    let roles: Page<Role> = target.get_json("/api/v1/roles").await;
    assert!(dataflows.items.is_empty() && connections.items.is_empty());
    assert!(roles.items.iter().all(|r| r.builtin));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_format_version_is_refused_and_nothing_is_imported() {
    let (source, target) = (TestApp::sqlite().await, TestApp::sqlite().await);
    let dir = tempfile::tempdir().unwrap();
    export_populated(&source, dir.path()).await;
    let path = dir.path().join("manifest.json");
    let mut manifest = read_json(&path);
    manifest["format_version"] = json!(99);
    std::fs::write(&path, manifest.to_string()).unwrap();
    let token = admin_token(&target).await;
    let refused = tributary(&target, &token, &["import", dir.path().to_str().unwrap()]).await;
    let text = out(&refused);
    assert!(!refused.status.success(), "{text}");
    assert!(text.contains("format_version 99 is newer than this tributary"), "{text}");
    assert!(text.contains("reads (up to 1)"), "{text}");
    assert_untouched(&target).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_or_missing_file_is_named_and_nothing_is_imported() {
    let (source, target) = (TestApp::sqlite().await, TestApp::sqlite().await);
    let dir = tempfile::tempdir().unwrap();
    export_populated(&source, dir.path()).await;
    let path = dir.path().join("dataflows/taxed-orders.json");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut file = read_json(&path);
    file["document"]["stages"] = json!("not a list");
    std::fs::write(&path, file.to_string()).unwrap();
    let token = admin_token(&target).await;
    let dir_arg = dir.path().to_str().unwrap();
    let refused = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&refused);
    assert!(!refused.status.success(), "{text}");
    assert!(
        text.contains("dataflows/taxed-orders.json: not understood") && text.contains("nothing was changed"),
        "{text}"
    );
    assert_untouched(&target).await;

    // Not JSON at all names the file too.
    std::fs::write(&path, "{ truncated").unwrap();
    let refused = tributary(&target, &token, &["import", dir_arg]).await;
    assert!(
        !refused.status.success() && out(&refused).contains("dataflows/taxed-orders.json is not valid JSON")
    );
    assert_untouched(&target).await;

    // A file missing from a copy is noticed by the manifest's counts.
    std::fs::write(&path, original).unwrap();
    std::fs::remove_file(dir.path().join("schedules/nightly-run.json")).unwrap();
    let refused = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&refused);
    assert!(!refused.status.success() && text.contains("manifest.json: lists 1 role(s)"), "{text}");
    assert!(text.contains("0 schedule(s); the copy is incomplete"), "{text}");
    assert_untouched(&target).await;
}

/// Users are not exported: an override for a user the new node lacks is left out with a warning
/// naming it (the rest of the object's overrides arrive), and once that user exists there an
/// import brings the override too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_override_for_a_user_the_node_lacks_is_left_out_with_a_warning() {
    let (source, target) = (TestApp::sqlite().await, TestApp::sqlite().await);
    let dir = tempfile::tempdir().unwrap();
    let source_token = admin_token(&source).await;
    populate(&source).await;
    let olaf = json!({"username": "olaf", "password": "olaf-password-1", "roles": ["viewer"]});
    send(&source, Method::POST, "/api/v1/users", olaf.clone(), StatusCode::CREATED).await;
    let access = json!({"entries": [
        {"subject": {"role": "auditor"}, "effect": "grant", "permissions": ["dataflows:execute"]},
        {"subject": {"user": "olaf"}, "effect": "deny", "permissions": ["dataflows:view"]}]});
    send(&source, Method::PUT, "/api/v1/dataflows/taxed-orders/access", access, StatusCode::OK).await;
    let dir_arg = dir.path().to_str().unwrap();
    let exported = tributary(&source, &source_token, &["export", dir_arg]).await;
    assert!(exported.status.success(), "{}", out(&exported));

    let token = admin_token(&target).await;
    let imported = tributary(&target, &token, &["import", dir_arg]).await;
    let text = out(&imported);
    assert!(imported.status.success(), "{text}");
    assert!(
        text.contains(
            "override on dataflow taxed-orders for user olaf was left out: there is no such user here"
        ),
        "{text}"
    );
    let subjects = |access: ObjectAccess| access.entries.into_iter().map(|e| e.subject).collect::<Vec<_>>();
    let there: ObjectAccess = target.get_json("/api/v1/dataflows/taxed-orders/access").await;
    assert_eq!(subjects(there), [model::Subject::Role("auditor".into())]);

    send(&target, Method::POST, "/api/v1/users", olaf, StatusCode::CREATED).await;
    let again = tributary(&target, &token, &["import", dir_arg]).await;
    assert!(again.status.success() && !out(&again).contains("left out"), "{}", out(&again));
    let there: ObjectAccess = target.get_json("/api/v1/dataflows/taxed-orders/access").await;
    let source_access: ObjectAccess = source.get_json("/api/v1/dataflows/taxed-orders/access").await;
    assert_eq!(there, source_access);
}
