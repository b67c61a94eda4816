//! The job executor CLI against a running node: `tributary run … --wait`, `runs list`,
//! `schedules list`, with an API token, as an integration would use them.

use std::process::Output;

use model::CreatedToken;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::app::TestApp;

async fn tributary(app: &TestApp, token: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .env("TRIBUTARY_URL", &app.base)
        .env("TRIBUTARY_TOKEN", token)
        .output()
        .await
        .expect("the tributary binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_runs_jobs_waits_and_lists() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    std::fs::write(app.data_dir.path().join("orders.csv"), "id,amount\n1,50\n2,150\n").unwrap();
    for (name, input) in [("copy", "${input}"), ("broken", "missing.csv")] {
        let doc = json!({"name": name, "kind": "job", "parameters": [{"name": "input", "default": "orders.csv"}],
            "stages": [
                {"id": "read", "type": "read_csv", "options": {"path": input}},
                {"id": "out", "type": "write_csv", "options": {"path": format!("out/{name}.csv")}}],
            "edges": [{"from": "read", "to": "out"}]});
        assert_eq!(
            app.request(Method::POST, "/api/v1/dataflows").json(&doc).send().await.unwrap().status(),
            StatusCode::CREATED
        );
        app.request(Method::POST, &format!("/api/v1/dataflows/{name}/versions/1/expose"))
            .send()
            .await
            .unwrap();
    }
    let created: CreatedToken = app.post_json("/api/v1/tokens", &json!({"name": "cli"})).await;

    let ok = tributary(&app, &created.token, &["run", "copy", "--param", "input=orders.csv", "--wait"]).await;
    assert!(ok.status.success(), "{}{}", text(&ok.stdout), text(&ok.stderr));
    let out = text(&ok.stdout);
    assert!(
        out.contains("submitted") && out.contains("succeeded") && out.contains("2 record(s) written"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(app.data_dir.path().join("out/copy.csv")).unwrap(),
        "id,amount\n1,50\n2,150\n"
    );

    let failed = tributary(&app, &created.token, &["run", "broken", "--wait"]).await;
    assert_eq!(failed.status.code(), Some(1));
    let err = text(&failed.stderr);
    assert!(err.contains("failed") && err.contains("stage read") && err.contains("missing.csv"), "{err}");

    let unknown = tributary(&app, &created.token, &["run", "nothing"]).await;
    assert!(text(&unknown.stderr).contains("dataflow_not_found"), "{}", text(&unknown.stderr));
    let anonymous = tributary(&app, "trb_wrong", &["runs", "list"]).await;
    assert!(!anonymous.status.success() && text(&anonymous.stderr).contains("unauthenticated"));

    let list = tributary(&app, &created.token, &["runs", "list", "--dataflow", "copy"]).await;
    let listed = text(&list.stdout);
    assert!(list.status.success() && listed.contains("copy") && listed.contains("succeeded"), "{listed}");

    let schedule =
        json!({"name": "nightly", "dataflow": "copy", "cron": "0 0 2 * * *", "timezone": "Europe/Paris"});
    app.request(Method::POST, "/api/v1/schedules").json(&schedule).send().await.unwrap();
    let schedules = tributary(&app, &created.token, &["schedules", "list"]).await;
    let listed = text(&schedules.stdout);
    assert!(listed.contains("nightly") && listed.contains("0 0 2 * * * Europe/Paris"), "{listed}");
}
