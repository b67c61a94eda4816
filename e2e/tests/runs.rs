//! Running a job from the console: the Run button on the dataflow page, the run page with its
//! status, metrics per stage and logs, rerun, the history with its filters; and trying a
//! service from the services page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use e2e::browser::Browser;
use e2e::node::{ADMIN_PASSWORD, Node};
use serde_json::json;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_runs_from_the_console_and_its_run_is_shown() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-runs", None).await?;
    std::fs::write(node.data_dir().join("orders.csv"), "id,amount\n1,50\n2,150\n3,300\n")?;
    let api = node.signed_in_client().await?;
    let job = json!({"name": "big-orders", "kind": "job", "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
        {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}},
        {"id": "out", "type": "write_csv", "options": {"path": "out/big.csv"}}],
        "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "out"}]});
    assert!(
        api.post(format!("{}/api/v1/dataflows", node.base)).json(&job).send().await?.status().is_success()
    );
    api.post(format!("{}/api/v1/dataflows/big-orders/versions/1/expose", node.base)).send().await?;
    let service = json!({"name": "price", "kind": "service", "stages": [
        {"id": "in", "type": "input", "options": {"fields": [{"name": "sku", "type": "string"}, {"name": "net", "type": "number"}]}},
        {"id": "t", "type": "transform", "options": {"fields": [{"name": "gross", "expression": "net * 1.25"}]}},
        {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "t"}, {"from": "t", "to": "out"}]});
    assert!(
        api.post(format!("{}/api/v1/dataflows", node.base))
            .json(&service)
            .send()
            .await?
            .status()
            .is_success()
    );
    api.post(format!("{}/api/v1/dataflows/price/versions/1/expose", node.base)).send().await?;

    let browser = Browser::start("runs").await?;
    let result = steps(&browser, &node).await;
    browser.close(result.is_err()).await?;
    result?;
    assert_eq!(std::fs::read_to_string(node.data_dir().join("out/big.csv"))?, "id,amount\n2,150\n3,300\n");
    Ok(())
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/dataflows/big-orders", node.base)).await?;
    browser.element(By::Id("username")).await?.send_keys("admin").await?;
    browser.element(By::Id("password")).await?.send_keys(ADMIN_PASSWORD).await?;
    browser.element(By::Id("login-submit")).await?.click().await?;
    // Back on the dataflows list after signing in; open the job.
    browser.element(By::Css("#dataflow-list tr[data-name='big-orders'] a")).await?.click().await?;
    browser.element(By::Id("run-dataflow")).await?.click().await?;

    browser.element(By::Css("#run-status[data-status='succeeded']")).await?;
    let metrics = browser.element(By::Id("run-metrics")).await?;
    let filter_row = metrics.find(By::Css("tr[data-stage='big']")).await?;
    let text = filter_row.text().await?;
    assert!(text.contains('3') && text.contains("out: 2"), "filter metrics: {text}");
    let logs = browser.element(By::Id("run-logs")).await?.text().await?;
    assert!(logs.contains("wrote 2 record(s)"), "{logs}");
    browser.screenshot("01-run-detail").await?;

    // Rerun: the same job and parameters, a new run page. The page re-renders while it
    // follows the run, so a button found a moment ago may have been replaced: click afresh.
    let first_url = browser.driver.current_url().await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while browser.element(By::Id("rerun")).await?.click().await.is_err() {
        assert!(Instant::now() < deadline, "the rerun button never took a click");
    }
    while browser.driver.current_url().await? == first_url {
        assert!(Instant::now() < deadline, "rerun never opened the new run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.element(By::Css("#run-status[data-status='succeeded']")).await?;

    browser.element(By::Css("#main-nav a[data-nav='runs']")).await?.click().await?;
    let row = browser.element(By::Css("#run-list tr[data-run]")).await?;
    assert!(row.text().await?.contains("big-orders"));
    browser.element(By::Css("#run-list [data-status='succeeded']")).await?;
    assert_eq!(browser.driver.find_all(By::Css("#run-list tr[data-run]")).await?.len(), 2);
    // Both runs were started from the console; none from the API.
    browser.element(By::Css("#run-trigger-filter option[value='api']")).await?.click().await?;
    browser.element(By::Id("runs-empty")).await?;
    browser.element(By::Css("#run-trigger-filter option[value='manual']")).await?.click().await?;
    browser.element(By::Css("#run-list tr[data-run]")).await?;
    assert_eq!(browser.driver.find_all(By::Css("#run-list tr[data-run]")).await?.len(), 2);
    browser.screenshot("02-run-history").await?;

    browser.element(By::Css("#main-nav a[data-nav='services']")).await?.click().await?;
    browser.element(By::Css("#service-list [data-service='price'] a.try-service")).await?.click().await?;
    browser.element(By::Id("service-cell-0-sku")).await?.send_keys("a-1").await?;
    browser.element(By::Id("service-cell-0-net")).await?.send_keys("40").await?;
    browser.element(By::Id("service-send")).await?.click().await?;
    browser.element(By::Css("#service-response-status[data-status='200']")).await?;
    let answer = browser.element(By::Id("service-response")).await?.text().await?;
    assert!(answer.contains("a-1") && answer.contains("50"), "response grid: {answer}");
    assert!(browser.element(By::Id("service-response-latency")).await?.text().await?.contains("ms"));
    browser.screenshot("03-service-try-it").await?;
    Ok(())
}
