//! Schedules over HTTP: checks, previews across daylight saving, firing exactly once per fire
//! time (also with two schedulers on one database), misfire and overlap policies, file
//! triggers, pause and "run now".

use std::time::{Duration, Instant};

use chrono::{DurationRound, TimeDelta, Timelike, Utc};
use model::{Page, Run, RunStatus, RunTrigger, Schedule, ScheduleFire, SchedulePreview};
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::app::{TestApp, error_body, json as body_json};
use crate::runs::wait_for_end;

crate::both!(
    schedules_list_every_problem_and_preview_in_their_zone,
    a_schedule_fires_once_per_fire_time,
    missed_fire_times_follow_the_misfire_policy,
    a_fire_time_during_a_run_is_skipped_and_recorded,
    each_new_file_fires_one_run,
    pause_resume_and_run_now
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_on_postgres_fire_each_time_once() {
    two_schedulers_fire_each_time_once(TestApp::postgres().await).await
}

/// A job that copies `${input}` (default `orders.csv`) to `out/copy.csv`.
async fn expose_copy_job(app: &TestApp, name: &str) {
    std::fs::write(app.data_dir.path().join("orders.csv"), "id,amount\n1,50\n2,150\n").unwrap();
    let doc = json!({"name": name, "kind": "job",
        "parameters": [{"name": "input", "default": "orders.csv"}],
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "${input}"}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/copy.csv"}}],
        "edges": [{"from": "read", "to": "out"}]});
    let created = app.request(Method::POST, "/api/v1/dataflows").json(&doc).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let path = format!("/api/v1/dataflows/{name}/versions/1/expose");
    assert_eq!(app.request(Method::POST, &path).send().await.unwrap().status(), StatusCode::OK);
}

async fn create(app: &TestApp, spec: Value) -> Schedule {
    let response = app.request(Method::POST, "/api/v1/schedules").json(&spec).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn fires(app: &TestApp, id: &str) -> Vec<ScheduleFire> {
    let page: Page<ScheduleFire> = app.get_json(&format!("/api/v1/schedules/{id}/fires?limit=500")).await;
    page.items
}

/// Wait until the schedule's fire log satisfies `done`, then return it.
async fn wait_for_fires(
    app: &TestApp,
    id: &str,
    done: impl Fn(&[ScheduleFire]) -> bool,
) -> Vec<ScheduleFire> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = fires(app, id).await;
        if done(&log) {
            return log;
        }
        assert!(Instant::now() < deadline, "fire log never got there: {log:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn runs_of(app: &TestApp, dataflow: &str) -> Vec<Run> {
    let page: Page<Run> = app.get_json(&format!("/api/v1/runs?dataflow={dataflow}&limit=200")).await;
    page.items
}

async fn schedules_list_every_problem_and_preview_in_their_zone(app: TestApp) {
    app.login_admin().await;
    expose_copy_job(&app, "copy").await;
    let bad = json!({"name": "bad", "dataflow": "copy", "cron": "0 61 * * * *", "timezone": "Mars/Olympus",
        "start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00Z"});
    let response = app.request(Method::POST, "/api/v1/schedules").json(&bad).send().await.unwrap();
    let body = error_body(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let paths: Vec<_> = body.error.details.iter().filter_map(|d| d.path.as_deref()).collect();
    assert_eq!(paths, ["timezone", "cron", "end_at"], "{:?}", body.error.details);
    let unknown = json!({"name": "x", "dataflow": "copy", "cron": "* * * * *", "colour": "red"});
    let response = app.request(Method::POST, "/api/v1/schedules").json(&unknown).send().await.unwrap();
    error_body(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let two = json!({"name": "x", "dataflow": "copy", "cron": "* * * * *", "at": "2030-01-01T00:00:00Z"});
    let response = app.request(Method::POST, "/api/v1/schedules").json(&two).send().await.unwrap();
    error_body(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let escape = json!({"name": "x", "dataflow": "copy", "file": {"directory": "../etc", "pattern": "*"}});
    let response = app.request(Method::POST, "/api/v1/schedules").json(&escape).send().await.unwrap();
    error_body(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let missing = json!({"name": "x", "dataflow": "nothing", "cron": "* * * * *"});
    let response = app.request(Method::POST, "/api/v1/schedules").json(&missing).send().await.unwrap();
    error_body(response, StatusCode::NOT_FOUND, "dataflow_not_found").await;
    let list: Page<Schedule> = app.get_json("/api/v1/schedules").await;
    assert!(list.items.is_empty(), "nothing half-created");

    // Daily at 02:30 in Berlin across the 2030 spring change (31 March, 02:00 → 03:00).
    let spec = json!({"name": "nightly", "dataflow": "copy", "cron": "0 30 2 * * *",
        "timezone": "Europe/Berlin", "start_at": "2030-03-30T00:00:00Z", "enabled": false});
    let schedule = create(&app, spec).await;
    let preview: SchedulePreview =
        app.get_json(&format!("/api/v1/schedules/{}/preview?count=3", schedule.id)).await;
    let local: Vec<&str> = preview.fire_times.iter().map(|t| t.local.as_str()).collect();
    assert_eq!(
        local,
        ["2030-03-30T02:30:00+01:00", "2030-03-31T03:00:00+02:00", "2030-04-01T02:30:00+02:00"]
    );
    assert_eq!(preview.fire_times[1].utc, "2030-03-31T01:00:00.000Z");
    // An unsaved spec previews too, for the editor.
    let unsaved = json!({"name": "n", "dataflow": "copy", "cron": "0 0 9 * * MON", "timezone": "America/New_York",
        "start_at": "2030-11-01T00:00:00Z"});
    let preview: SchedulePreview = app.post_json("/api/v1/schedules/preview?count=2", &unsaved).await;
    let local: Vec<&str> = preview.fire_times.iter().map(|t| t.local.as_str()).collect();
    assert_eq!(local, ["2030-11-04T09:00:00-05:00", "2030-11-11T09:00:00-05:00"]);
}

async fn a_schedule_fires_once_per_fire_time(app: TestApp) {
    app.login_admin().await;
    expose_copy_job(&app, "copy").await;
    let schedule = create(
        &app,
        json!({"name": "every-second", "dataflow": "copy", "cron": "* * * * * *", "overlap": "allow"}),
    )
    .await;
    let log =
        wait_for_fires(&app, &schedule.id, |f| f.iter().filter(|f| f.outcome == "fired").count() >= 3).await;
    app.request(Method::POST, &format!("/api/v1/schedules/{}/pause", schedule.id)).send().await.unwrap();
    let runs = runs_of(&app, "copy").await;
    for fire in log.iter().filter(|f| f.outcome == "fired") {
        let matching: Vec<_> =
            runs.iter().filter(|r| r.fire_time.as_deref() == Some(fire.fire_time.as_str())).collect();
        assert_eq!(matching.len(), 1, "one run for {}", fire.fire_time);
        assert_eq!(fire.run_id.as_deref(), Some(matching[0].id.as_str()));
        assert_eq!(
            (matching[0].trigger, matching[0].schedule_id.as_deref()),
            (RunTrigger::Schedule, Some(schedule.id.as_str()))
        );
    }
    let ended = wait_for_end(&app, log[0].run_id.as_deref().unwrap()).await;
    assert_eq!(ended.status, RunStatus::Succeeded, "{:?}", ended.error);
}

async fn two_schedulers_fire_each_time_once(app: TestApp) {
    app.login_admin().await;
    let _second = app.second_node().await;
    expose_copy_job(&app, "copy").await;
    let schedule = create(
        &app,
        json!({"name": "every-second", "dataflow": "copy", "cron": "* * * * * *", "overlap": "allow"}),
    )
    .await;
    let log =
        wait_for_fires(&app, &schedule.id, |f| f.iter().filter(|f| f.outcome == "fired").count() >= 5).await;
    app.request(Method::POST, &format!("/api/v1/schedules/{}/pause", schedule.id)).send().await.unwrap();
    let mut times: Vec<&str> = log.iter().map(|f| f.fire_time.as_str()).collect();
    times.dedup();
    assert_eq!(times.len(), log.len(), "one row per fire time: {log:?}");
    let runs = runs_of(&app, "copy").await;
    let mut run_times: Vec<String> = runs.iter().filter_map(|r| r.fire_time.clone()).collect();
    run_times.sort();
    let before = run_times.len();
    run_times.dedup();
    assert_eq!(run_times.len(), before, "two runs for one fire time");
}

async fn missed_fire_times_follow_the_misfire_policy(app: TestApp) {
    app.login_admin().await;
    expose_copy_job(&app, "copy").await;
    // An hourly schedule at the minute half an hour away from now: its last fire time was about
    // half an hour ago and its next one is about half an hour ahead, so no fire time falls due
    // while the test runs.
    let now = Utc::now();
    let minute = (now.minute() + 30) % 60;
    let mut last = now.duration_trunc(TimeDelta::hours(1)).unwrap() + TimeDelta::minutes(minute.into());
    if last > now {
        last -= TimeDelta::hours(1);
    }
    let schedule = create(
        &app,
        json!({"name": "hourly", "dataflow": "copy", "cron": format!("0 {minute} * * * *"),
               "misfire": "last", "enabled": false}),
    )
    .await;
    // As if every node had been down for over four hours: five fire times are missed and exactly
    // one of them runs.
    let first = last - TimeDelta::hours(4);
    entities::schedules::Entity::update_many()
        .col_expr(entities::schedules::Column::NextFire, Expr::value(first))
        .col_expr(entities::schedules::Column::Enabled, Expr::value(true))
        .filter(entities::schedules::Column::Id.eq(&schedule.id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let log = wait_for_fires(&app, &schedule.id, |f| f.len() >= 5).await;
    let fired: Vec<_> = log.iter().filter(|f| f.outcome == "fired").collect();
    let skipped: Vec<_> = log.iter().filter(|f| f.outcome == "skipped").collect();
    assert_eq!((fired.len(), skipped.len()), (1, 4), "{log:?}");
    assert!(skipped.iter().all(|f| f.fire_time < fired[0].fire_time), "the latest fire time runs");
    assert!(skipped.iter().all(|f| f.reason.as_deref().is_some_and(|r| r.contains("misfire policy last"))));
    let after: Schedule = app.get_json(&format!("/api/v1/schedules/{}", schedule.id)).await;
    let next: chrono::DateTime<Utc> = after.next_fire_time.unwrap_or_default().parse().unwrap();
    assert!(next > Utc::now(), "the next fire time is ahead: {next}");
}

async fn a_fire_time_during_a_run_is_skipped_and_recorded(app: TestApp) {
    app.login_admin().await;
    // A job that needs the `quality` module stays queued on a node without it: the schedule's
    // previous run never ends.
    let doc = json!({"name": "dedupe", "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
            {"id": "m", "type": "match", "options": {"blocking_key": "id", "fields": [{"field": "id"}]}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/m.csv"}}],
        "edges": [{"from": "read", "to": "m"}, {"from": "m", "to": "out"}]});
    std::fs::write(app.data_dir.path().join("orders.csv"), "id\n1\n").unwrap();
    assert_eq!(
        app.create_dataflow(&serde_json::from_value(doc).unwrap()).await.status(),
        StatusCode::CREATED
    );
    let exposed =
        app.request(Method::POST, "/api/v1/dataflows/dedupe/versions/1/expose").send().await.unwrap();
    assert_eq!(exposed.status(), StatusCode::OK, "{}", body_json(exposed).await);
    let schedule =
        create(&app, json!({"name": "s", "dataflow": "dedupe", "cron": "* * * * * *", "overlap": "skip"}))
            .await;
    let log = wait_for_fires(&app, &schedule.id, |f| f.iter().any(|f| f.outcome == "skipped")).await;
    app.request(Method::POST, &format!("/api/v1/schedules/{}/pause", schedule.id)).send().await.unwrap();
    let skipped = log.iter().find(|f| f.outcome == "skipped").unwrap();
    let first_run = log.iter().rev().find(|f| f.outcome == "fired").and_then(|f| f.run_id.clone()).unwrap();
    assert!(skipped.run_id.is_none());
    let reason = skipped.reason.clone().unwrap_or_default();
    assert!(reason.contains(&first_run) && reason.contains("overlap policy skip"), "{reason}");
    let page: Page<ScheduleFire> =
        app.get_json(&format!("/api/v1/schedules/{}/fires?outcome=skipped", schedule.id)).await;
    assert!(page.items.iter().all(|f| f.outcome == "skipped") && !page.items.is_empty());
}

async fn each_new_file_fires_one_run(app: TestApp) {
    app.login_admin().await;
    let doc = json!({"name": "ingest", "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "${trigger_file}"}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/${trigger_file}"}}],
        "edges": [{"from": "read", "to": "out"}]});
    assert_eq!(
        app.create_dataflow(&serde_json::from_value(doc).unwrap()).await.status(),
        StatusCode::CREATED
    );
    app.request(Method::POST, "/api/v1/dataflows/ingest/versions/1/expose").send().await.unwrap();
    let inbox = app.data_dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let schedule = create(
        &app,
        json!({"name": "inbox", "dataflow": "ingest", "file": {"directory": "inbox", "pattern": "*.csv"},
            "overlap": "allow"}),
    )
    .await;
    assert_eq!(schedule.next_fire_time, None);
    drop_file(&inbox.join("a.csv"), "id\n1\n2\n");
    drop_file(&inbox.join("ignored.txt"), "not a match");
    let log = wait_for_fires(&app, &schedule.id, |f| !f.is_empty()).await;
    assert_eq!(log[0].file.as_deref(), Some("inbox/a.csv"));
    let run = wait_for_end(&app, log[0].run_id.as_deref().unwrap()).await;
    assert_eq!((run.status, run.trigger), (RunStatus::Succeeded, RunTrigger::File), "{:?}", run.error);
    assert_eq!(run.parameters["trigger_file"], json!("inbox/a.csv"));
    assert_eq!(std::fs::read_to_string(app.data_dir.path().join("out/inbox/a.csv")).unwrap(), "id\n1\n2\n");
    drop_file(&inbox.join("b.csv"), "id\n3\n");
    let log = wait_for_fires(&app, &schedule.id, |f| f.len() >= 2).await;
    let mut files: Vec<_> = log.iter().filter_map(|f| f.file.clone()).collect();
    files.sort();
    assert_eq!(files, ["inbox/a.csv", "inbox/b.csv"], "a.csv fired once; the .txt never");
}

/// A file that has settled (written a few seconds ago), so the trigger takes it at once.
fn drop_file(path: &std::path::Path, content: &str) {
    std::fs::write(path, content).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - Duration::from_secs(5)).unwrap();
}

async fn pause_resume_and_run_now(app: TestApp) {
    app.login_admin().await;
    expose_copy_job(&app, "copy").await;
    let schedule = create(&app, json!({"name": "yearly", "dataflow": "copy", "cron": "0 0 0 1 1 *"})).await;
    assert!(schedule.next_fire_time.is_some());
    let paused: Schedule =
        app.post_json(&format!("/api/v1/schedules/{}/pause", schedule.id), &json!({})).await;
    assert_eq!((paused.spec.enabled, paused.next_fire_time), (false, None));
    let resumed: Schedule =
        app.post_json(&format!("/api/v1/schedules/{}/resume", schedule.id), &json!({})).await;
    assert!(resumed.spec.enabled && resumed.next_fire_time.is_some());
    let response = app
        .request(Method::POST, &format!("/api/v1/schedules/{}/trigger", schedule.id))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let run: Run = response.json().await.unwrap();
    assert_eq!((run.trigger, run.schedule_id.as_deref()), (RunTrigger::Manual, Some(schedule.id.as_str())));
    assert_eq!(wait_for_end(&app, &run.id).await.status, RunStatus::Succeeded);
    let gone =
        app.request(Method::DELETE, &format!("/api/v1/schedules/{}", schedule.id)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let missing =
        app.request(Method::GET, &format!("/api/v1/schedules/{}", schedule.id)).send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, "schedule_not_found").await;
}
