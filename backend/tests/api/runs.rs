//! Jobs run through the API: submit, watch, metrics, logs, output, idempotency, failures.

use std::time::{Duration, Instant};

use model::{Page, Run, RunLogLine, RunStatus};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::app::{TestApp, error_body, job};

crate::both!(
    a_job_runs_to_completion_with_metrics_and_logs,
    idempotency_keys_return_the_same_run,
    failures_name_the_stage_and_what_to_fix,
    runs_need_an_exposed_job,
    submits_that_arrive_together_are_answered_each_on_its_own,
    staged_files_of_runs_that_will_not_start_again_are_swept
);

const ORDERS: &str = "id,amount\n1,50\n2,150\n3,300\n";

async fn expose_job(app: &TestApp, name: &str) {
    std::fs::write(app.data_dir.path().join("orders.csv"), ORDERS).unwrap();
    assert_eq!(app.create_dataflow(&job(name)).await.status(), StatusCode::CREATED);
    let exposed = app
        .request(Method::POST, &format!("/api/v1/dataflows/{name}/versions/1/expose"))
        .send()
        .await
        .unwrap();
    assert_eq!(exposed.status(), StatusCode::OK);
}

pub async fn wait_for_end(app: &TestApp, id: &str) -> Run {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let run: Run = app.get_json(&format!("/api/v1/runs/{id}")).await;
        if run.status.is_final() {
            return run;
        }
        assert!(Instant::now() < deadline, "run {id} still {:?}", run.status);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn submit(app: &TestApp, name: &str, body: serde_json::Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app.request(Method::POST, &format!("/api/v1/dataflows/{name}/runs")).json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

async fn a_job_runs_to_completion_with_metrics_and_logs(app: TestApp) {
    app.login_admin().await;
    expose_job(&app, "big-orders").await;
    let response = submit(&app, "big-orders", json!({}), None).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    // The node had a free slot: the run is its own from the start, without queueing.
    let started: Run = response.json().await.unwrap();
    assert_eq!((started.status, started.version, started.attempt), (RunStatus::Running, 1, 1));
    assert_eq!(started.node.as_deref(), Some(app.state.node_name.as_ref()));

    let run = wait_for_end(&app, &started.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_eq!(run.node.as_deref(), Some(app.state.node_name.as_ref()));
    assert!(run.started_at.is_some() && run.finished_at.is_some());
    let written = std::fs::read_to_string(app.data_dir.path().join("out/big.csv")).unwrap();
    assert_eq!(written, "id,amount\n2,150\n3,300\n");
    let filter = run.metrics.iter().find(|m| m.stage == "big").unwrap();
    assert_eq!((filter.rows_in, filter.rows_out["out"]), (3, 2));
    let sink = run.metrics.iter().find(|m| m.stage == "out").unwrap();
    assert_eq!(sink.rows_out["written"], 2);

    let logs: Page<RunLogLine> = app.get_json(&format!("/api/v1/runs/{}/logs", run.id)).await;
    let text: Vec<&str> = logs.items.iter().map(|l| l.message.as_str()).collect();
    assert!(text.iter().any(|l| l.starts_with("started on node")), "{text:?}");
    assert!(text.iter().any(|l| l.contains("wrote 2 record(s)")), "{text:?}");

    let listed: Page<Run> = app.get_json("/api/v1/runs?dataflow=big-orders&status=succeeded").await;
    assert_eq!(listed.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![run.id.as_str()]);
    let none: Page<Run> = app.get_json("/api/v1/runs?status=failed").await;
    assert!(none.items.is_empty());
    let finished =
        app.request(Method::POST, &format!("/api/v1/runs/{}/cancel", run.id)).send().await.unwrap();
    error_body(finished, StatusCode::CONFLICT, "run_finished").await;
}

async fn idempotency_keys_return_the_same_run(app: TestApp) {
    app.login_admin().await;
    expose_job(&app, "once").await;
    let first: Run = submit(&app, "once", json!({}), Some("nightly-2026-11-25")).await.json().await.unwrap();
    let again = submit(&app, "once", json!({}), Some("nightly-2026-11-25")).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Run>().await.unwrap().id, first.id);
    let other: Run = submit(&app, "once", json!({}), Some("nightly-2026-11-26")).await.json().await.unwrap();
    assert_ne!(other.id, first.id);
    wait_for_end(&app, &first.id).await;
    wait_for_end(&app, &other.id).await;
    let all: Page<Run> = app.get_json("/api/v1/runs?dataflow=once").await;
    assert_eq!(all.items.len(), 2);
}

async fn failures_name_the_stage_and_what_to_fix(app: TestApp) {
    app.login_admin().await;
    let mut document = job("broken");
    document.stages[0].options.insert("path".into(), json!("${input}"));
    document.parameters = vec![model::Parameter {
        name: "input".into(),
        param_type: Default::default(),
        default: Some(json!("nope.csv")),
        description: String::new(),
    }];
    assert_eq!(app.create_dataflow(&document).await.status(), StatusCode::CREATED);
    app.request(Method::POST, "/api/v1/dataflows/broken/versions/1/expose").send().await.unwrap();

    let run: Run = submit(&app, "broken", json!({}), None).await.json().await.unwrap();
    let run = wait_for_end(&app, &run.id).await;
    assert_eq!(run.status, RunStatus::Failed);
    let error = run.error.unwrap();
    // A missing input is an external condition: the file may still arrive, so a retry can help.
    assert_eq!(
        (error.stage.as_deref(), error.path.as_deref(), error.fault.as_str(), error.retryable),
        (Some("read"), Some("options.path"), "external", true)
    );
    assert!(error.message.contains("nope.csv"), "{}", error.message);

    let unknown = submit(&app, "broken", json!({"parameters": {"inptu": "x.csv"}}), None).await;
    let body = error_body(unknown, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(body.error.message.contains("inptu"));
    let escape = submit(&app, "broken", json!({"parameters": {"input": "../../etc/passwd"}}), None).await;
    let run: Run = escape.json().await.unwrap();
    let run = wait_for_end(&app, &run.id).await;
    assert!(run.error.unwrap().message.contains("inside the data directory"));
}

async fn runs_need_an_exposed_job(app: TestApp) {
    app.login_admin().await;
    app.create_dataflow(&job("draft")).await;
    error_body(submit(&app, "draft", json!({}), None).await, StatusCode::CONFLICT, "not_exposed").await;
    error_body(submit(&app, "ghost", json!({}), None).await, StatusCode::NOT_FOUND, "dataflow_not_found")
        .await;
    let bad = app
        .request(Method::POST, "/api/v1/dataflows/draft/runs")
        .header("content-type", "application/json")
        .body("{\"parameters\": ")
        .send()
        .await
        .unwrap();
    error_body(bad, StatusCode::BAD_REQUEST, "invalid_json").await;
    error_body(
        app.request(Method::GET, "/api/v1/runs/nope").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "run_not_found",
    )
    .await;
}

/// Submits that arrive at once are written together; each still gets its own answer, a bad one
/// fails alone, and every run started is in the audit log.
async fn submits_that_arrive_together_are_answered_each_on_its_own(app: TestApp) {
    app.login_admin().await;
    expose_job(&app, "together").await;
    app.create_dataflow(&job("draft")).await;
    let asks = [
        ("together", json!({}), StatusCode::ACCEPTED),
        ("ghost", json!({}), StatusCode::NOT_FOUND),
        ("together", json!({"parameters": {"unknown": 1}}), StatusCode::BAD_REQUEST),
        ("draft", json!({}), StatusCode::CONFLICT),
    ];
    let submits = (0..24).map(|i| {
        let (name, body, _) = &asks[i % asks.len()];
        submit(&app, name, body.clone(), None)
    });
    let answers = futures::future::join_all(submits).await;
    let mut started = Vec::new();
    for (i, answer) in answers.into_iter().enumerate() {
        let (name, _, status) = &asks[i % asks.len()];
        assert_eq!(answer.status(), *status, "submit {i} of {name}");
        if *status == StatusCode::ACCEPTED {
            started.push(answer.json::<Run>().await.unwrap().id);
        }
    }
    assert_eq!(started.len(), 6);
    for id in &started {
        assert_eq!(wait_for_end(&app, id).await.status, RunStatus::Succeeded);
    }
    let listed: Page<Run> = app.get_json("/api/v1/runs?dataflow=together").await;
    let mut listed: Vec<String> = listed.items.into_iter().map(|r| r.id).collect();
    listed.sort();
    started.sort();
    assert_eq!(listed, started);
    let audit: Page<model::AuditEvent> = app.get_json("/api/v1/audit?action=runs:start").await;
    let mut audited: Vec<String> = audit
        .items
        .iter()
        .filter_map(|e| e.resource.as_deref()?.strip_prefix("run:").map(str::to_owned))
        .collect();
    audited.sort();
    assert_eq!(audited, started);
}

/// Orders large enough that a run over them is still going a second later.
fn write_many_orders(app: &TestApp) {
    use std::io::Write;
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(app.data_dir.path().join("orders.csv")).unwrap());
    writeln!(file, "id,amount").unwrap();
    for i in 0..3_000_000u32 {
        writeln!(file, "{i},{}", i % 1000).unwrap();
    }
    file.flush().unwrap();
}

fn left_in_out(app: &TestApp) -> Vec<std::ffi::OsString> {
    let out = app.data_dir.path().join("out");
    std::fs::read_dir(&out).map(|d| d.flatten().map(|e| e.file_name()).collect()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_time_limit_is_stopped_and_fails() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    write_many_orders(&app);
    let mut document = job("bounded");
    document.stages[1].options.insert("predicate".into(), json!("amount >= 0"));
    document.run_policy =
        model::RunPolicy { timeout_seconds: Some(1), max_attempts: 3, ..Default::default() };
    app.create_dataflow(&document).await;
    app.request(Method::POST, "/api/v1/dataflows/bounded/versions/1/expose").send().await.unwrap();
    let run: Run = submit(&app, "bounded", json!({}), None).await.json().await.unwrap();
    let ended = wait_for_end(&app, &run.id).await;
    assert_eq!((ended.status, ended.attempt), (RunStatus::Failed, 1), "a timeout is not retried");
    let error = ended.error.unwrap();
    assert!(error.message.contains("time limit of 1 s"), "{}", error.message);
    assert!(left_in_out(&app).is_empty(), "left behind: {:?}", left_in_out(&app));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_running_job_stops_it_and_leaves_no_output() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    write_many_orders(&app);
    let mut document = job("slow");
    document.stages[1].options.insert("predicate".into(), json!("amount >= 0"));
    app.create_dataflow(&document).await;
    app.request(Method::POST, "/api/v1/dataflows/slow/versions/1/expose").send().await.unwrap();
    let run: Run = submit(&app, "slow", json!({}), None).await.json().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let current: Run = app.get_json(&format!("/api/v1/runs/{}", run.id)).await;
        if current.status == RunStatus::Running {
            break;
        }
        assert!(Instant::now() < deadline && current.status == RunStatus::Queued, "{:?}", current.status);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cancel = app.request(Method::POST, &format!("/api/v1/runs/{}/cancel", run.id)).send().await.unwrap();
    assert_eq!(cancel.status(), StatusCode::OK);
    let ended = wait_for_end(&app, &run.id).await;
    assert_eq!(ended.status, RunStatus::Cancelled);
    assert!(left_in_out(&app).is_empty(), "left behind: {:?}", left_in_out(&app));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_slot_taken_a_run_waits_in_the_queue_until_one_frees() {
    let app = TestApp::sqlite_with(|config| config.run_slots = Some(1)).await;
    app.login_admin().await;
    write_many_orders(&app);
    let mut document = job("slow");
    document.stages[1].options.insert("predicate".into(), json!("amount >= 0"));
    app.create_dataflow(&document).await;
    app.request(Method::POST, "/api/v1/dataflows/slow/versions/1/expose").send().await.unwrap();
    std::fs::write(app.data_dir.path().join("few.csv"), ORDERS).unwrap();
    let mut quick = job("quick");
    quick.stages[0].options.insert("path".into(), json!("few.csv"));
    quick.stages[2].options.insert("path".into(), json!("out/quick.csv"));
    app.create_dataflow(&quick).await;
    app.request(Method::POST, "/api/v1/dataflows/quick/versions/1/expose").send().await.unwrap();

    let first: Run = submit(&app, "slow", json!({}), None).await.json().await.unwrap();
    assert_eq!(first.status, RunStatus::Running);
    let second: Run = submit(&app, "quick", json!({}), None).await.json().await.unwrap();
    assert_eq!(second.status, RunStatus::Queued, "the only slot is busy");

    app.request(Method::POST, &format!("/api/v1/runs/{}/cancel", first.id)).send().await.unwrap();
    assert_eq!(wait_for_end(&app, &first.id).await.status, RunStatus::Cancelled);
    let second = wait_for_end(&app, &second.id).await;
    assert_eq!(second.status, RunStatus::Succeeded, "{:?}", second.error);
    assert!(second.started_at.is_some_and(|started| started >= second.created_at));
}

async fn staged_files_of_runs_that_will_not_start_again_are_swept(app: TestApp) {
    use backend::runner::reclaim::{staging_dir, sweep_staging};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    app.login_admin().await;
    expose_job(&app, "staged").await;
    let mut ids = vec![];
    for _ in 0..2 {
        let run: Run = submit(&app, "staged", json!({}), None).await.json().await.unwrap();
        ids.push(wait_for_end(&app, &run.id).await.id);
    }
    // The second run is queued again (its next attempt waits a day): it clears its own files.
    entities::runs::Entity::update_many()
        .col_expr(entities::runs::Column::Status, Expr::value(RunStatus::Queued.as_str()))
        .col_expr(
            entities::runs::Column::NotBefore,
            Expr::value(chrono::Utc::now() + chrono::TimeDelta::days(1)),
        )
        .filter(entities::runs::Column::Id.eq(&ids[1]))
        .exec(&app.state.db)
        .await
        .unwrap();
    let staging = staging_dir(&app.state);
    std::fs::create_dir_all(&staging).unwrap();
    let ended = format!("{}.out.csv.a1.partial", ids[0]);
    let queued = format!("{}.out.csv.b2.partial", ids[1]);
    let unknown = "r-unknown.out.csv.c3.partial".to_owned();
    for name in [&ended, &queued, &unknown] {
        std::fs::write(staging.join(name), "id\n1\n").unwrap();
    }
    let left = || {
        let mut names: Vec<String> = std::fs::read_dir(&staging)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // Files younger than the given age stay whoever staged them.
    assert_eq!(sweep_staging(&app.state, Duration::from_secs(3600)).await.unwrap(), 0);
    assert_eq!(left().len(), 3);
    assert_eq!(sweep_staging(&app.state, Duration::ZERO).await.unwrap(), 2);
    assert_eq!(left(), vec![queued]);
}
