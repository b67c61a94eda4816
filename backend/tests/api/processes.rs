//! Process flows, retries, cancelling, and the run event stream.

use std::time::{Duration, Instant};

use model::{Page, Run, RunStatus, RunTrigger};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app::{TestApp, json as body_json};
use crate::runs::wait_for_end;

crate::both!(
    a_process_follows_the_failure_edge,
    an_unhandled_failure_fails_the_process,
    retryable_failures_are_retried_by_the_policy,
    cancelling_a_process_cancels_its_steps,
    run_events_stream_until_the_end
);

async fn save_and_expose(app: &TestApp, doc: Value) {
    let name = doc["name"].as_str().unwrap().to_owned();
    let created = app.request(Method::POST, "/api/v1/dataflows").json(&doc).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED, "{}", body_json(created).await);
    let exposed = app
        .request(Method::POST, &format!("/api/v1/dataflows/{name}/versions/1/expose"))
        .send()
        .await
        .unwrap();
    assert_eq!(exposed.status(), StatusCode::OK, "{}", body_json(exposed).await);
}

fn copy_job(name: &str, input: &str) -> Value {
    json!({"name": name, "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": input}},
            {"id": "out", "type": "write_csv", "options": {"path": format!("out/{name}.csv")}}],
        "edges": [{"from": "read", "to": "out"}]})
}

fn process(name: &str, steps: &[(&str, &str)], edges: &[(&str, &str)]) -> Value {
    json!({"name": name, "kind": "process",
        "stages": steps.iter().map(|(id, job)| json!({"id": id, "type": "run_job", "options": {"dataflow": job}})).collect::<Vec<_>>(),
        "edges": edges.iter().map(|(from, to)| json!({"from": from, "to": to})).collect::<Vec<_>>()})
}

async fn start(app: &TestApp, name: &str) -> Run {
    let response = app
        .request(Method::POST, &format!("/api/v1/dataflows/{name}/runs"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED, "{}", body_json(response).await);
    response.json().await.unwrap()
}

async fn children(app: &TestApp, id: &str) -> Vec<Run> {
    let page: Page<Run> = app.get_json(&format!("/api/v1/runs?parent={id}")).await;
    page.items
}

async fn jobs(app: &TestApp) {
    std::fs::write(app.data_dir.path().join("orders.csv"), "id\n1\n").unwrap();
    save_and_expose(app, copy_job("good", "orders.csv")).await;
    save_and_expose(app, copy_job("cleanup", "orders.csv")).await;
    save_and_expose(app, copy_job("bad", "missing.csv")).await;
}

async fn a_process_follows_the_failure_edge(app: TestApp) {
    app.login_admin().await;
    jobs(&app).await;
    save_and_expose(
        &app,
        process(
            "nightly",
            &[("load", "bad"), ("report", "good"), ("tidy", "cleanup")],
            &[("load", "report"), ("load.failure", "tidy")],
        ),
    )
    .await;
    let run = start(&app, "nightly").await;
    let ended = wait_for_end(&app, &run.id).await;
    assert_eq!(ended.status, RunStatus::Succeeded, "the failure was handled: {:?}", ended.error);
    let mut steps: Vec<(String, RunStatus, RunTrigger)> =
        children(&app, &run.id).await.into_iter().map(|r| (r.dataflow, r.status, r.trigger)).collect();
    steps.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        steps,
        [
            ("bad".to_string(), RunStatus::Failed, RunTrigger::Process),
            ("cleanup".to_string(), RunStatus::Succeeded, RunTrigger::Process)
        ]
    );
    assert!(app.data_dir.path().join("out/cleanup.csv").exists());
    assert!(!app.data_dir.path().join("out/good.csv").exists(), "the success edge was not taken");
    let skipped = ended.metrics.iter().find(|m| m.stage == "report").map(|m| m.rows_in);
    assert_eq!(skipped, Some(0), "report never ran");
}

async fn an_unhandled_failure_fails_the_process(app: TestApp) {
    app.login_admin().await;
    jobs(&app).await;
    save_and_expose(&app, process("strict", &[("first", "good"), ("load", "bad")], &[("first", "load")]))
        .await;
    let run = start(&app, "strict").await;
    let ended = wait_for_end(&app, &run.id).await;
    assert_eq!(ended.status, RunStatus::Failed);
    let error = ended.error.unwrap();
    assert_eq!(error.stage.as_deref(), Some("load"), "{}", error.message);
    assert_eq!(children(&app, &run.id).await.len(), 2, "first ran, then load");
}

async fn retryable_failures_are_retried_by_the_policy(app: TestApp) {
    app.login_admin().await;
    let mut job = copy_job("late", "late.csv");
    job["run_policy"] = json!({"max_attempts": 3, "backoff_seconds": 1});
    save_and_expose(&app, job).await;
    let run = start(&app, "late").await;
    // The first attempt fails (the file is not there yet) and is queued again.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now: Run = app.get_json(&format!("/api/v1/runs/{}", run.id)).await;
        if now.attempt >= 2 {
            assert!(now.error.as_ref().is_some_and(|e| e.retryable), "{:?}", now.error);
            break;
        }
        assert!(!now.status.is_final(), "ended without a retry: {:?}", now.error);
        assert!(Instant::now() < deadline, "no retry");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    std::fs::write(app.data_dir.path().join("late.csv"), "id\n7\n").unwrap();
    let ended = wait_for_end(&app, &run.id).await;
    assert_eq!(ended.status, RunStatus::Succeeded, "{:?}", ended.error);
    assert!((2..=3).contains(&ended.attempt) && ended.max_attempts == 3);
    let logs: Page<model::RunLogLine> = app.get_json(&format!("/api/v1/runs/{}/logs", run.id)).await;
    assert!(
        logs.items.iter().any(|l| l.level == "warn" && l.message.contains("retrying in 1 s")),
        "{:?}",
        logs.items
    );

    // Without a policy a failure is final at once.
    save_and_expose(&app, copy_job("once", "never.csv")).await;
    let once = wait_for_end(&app, &start(&app, "once").await.id).await;
    assert_eq!((once.status, once.attempt), (RunStatus::Failed, 1));
}

async fn cancelling_a_process_cancels_its_steps(app: TestApp) {
    app.login_admin().await;
    // Needs the `quality` module, which this node lacks: the step stays queued.
    std::fs::write(app.data_dir.path().join("orders.csv"), "id\n1\n").unwrap();
    save_and_expose(
        &app,
        json!({"name": "dedupe", "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
            {"id": "m", "type": "match", "options": {"blocking_key": "id", "fields": [{"field": "id"}]}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/m.csv"}}],
        "edges": [{"from": "read", "to": "m"}, {"from": "m", "to": "out"}]}),
    )
    .await;
    save_and_expose(&app, process("waits", &[("d", "dedupe")], &[])).await;
    let run = start(&app, "waits").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let child = loop {
        if let Some(child) = children(&app, &run.id).await.into_iter().next() {
            break child;
        }
        assert!(Instant::now() < deadline, "the step never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cancelled =
        app.request(Method::POST, &format!("/api/v1/runs/{}/cancel", run.id)).send().await.unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(wait_for_end(&app, &run.id).await.status, RunStatus::Cancelled);
    assert_eq!(wait_for_end(&app, &child.id).await.status, RunStatus::Cancelled);
}

async fn run_events_stream_until_the_end(app: TestApp) {
    app.login_admin().await;
    jobs(&app).await;
    let run = start(&app, "good").await;
    let response = app.request(Method::GET, &format!("/api/v1/runs/{}/events", run.id)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    // The stream ends by itself once the run has ended.
    let text = response.text().await.unwrap();
    let runs: Vec<Run> = text
        .split("\n\n")
        .filter(|event| event.starts_with("event: run"))
        .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect();
    assert_eq!(runs.last().map(|r| r.status), Some(RunStatus::Succeeded), "{text}");
    assert!(text.contains("event: log") && text.contains("succeeded"), "{text}");
    let missing = app.request(Method::GET, "/api/v1/runs/nothing/events").send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
