//! Scheduling from the console: create a schedule with the cron editor, see its next fire
//! times while typing, save it, and watch it fire in its fire log; then pause it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use e2e::browser::Browser;
use e2e::node::{ADMIN_PASSWORD, Node};
use serde_json::json;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_made_in_the_console_previews_and_fires() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-schedules", None).await?;
    std::fs::write(node.data_dir().join("orders.csv"), "id,amount\n1,50\n")?;
    let api = node.signed_in_client().await?;
    let job = json!({"name": "copy", "kind": "job", "stages": [
        {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}},
        {"id": "out", "type": "write_csv", "options": {"path": "out/copy.csv"}}],
        "edges": [{"from": "read", "to": "out"}]});
    assert!(
        api.post(format!("{}/api/v1/dataflows", node.base)).json(&job).send().await?.status().is_success()
    );
    api.post(format!("{}/api/v1/dataflows/copy/versions/1/expose", node.base)).send().await?;

    let browser = Browser::start("schedules").await?;
    let result = steps(&browser, &node).await;
    browser.close(result.is_err()).await?;
    result?;
    assert!(node.data_dir().join("out/copy.csv").exists(), "the scheduled run wrote its output");
    Ok(())
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/schedules", node.base)).await?;
    browser.element(By::Id("username")).await?.send_keys("admin").await?;
    browser.element(By::Id("password")).await?.send_keys(ADMIN_PASSWORD).await?;
    browser.element(By::Id("login-submit")).await?.click().await?;
    browser.element(By::Css("#main-nav a[data-nav='schedules']")).await?.click().await?;
    browser.element(By::Id("schedule-new")).await?.click().await?;

    browser.element(By::Id("schedule-name")).await?.send_keys("every-two-seconds").await?;
    browser.element(By::Css("#schedule-dataflow option[value='copy']")).await?.click().await?;
    browser.element(By::Id("schedule-kind-cron")).await?.click().await?;
    let cron = browser.element(By::Id("schedule-cron")).await?;
    cron.clear().await?;
    cron.send_keys("*/2 * * * * *").await?;
    // The next fire times follow the expression as it is typed: two seconds apart.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let items = browser.driver.find_all(By::Css("#schedule-preview li[data-utc]")).await?;
        let mut times = Vec::new();
        for item in items.iter().take(2) {
            let utc = item.attr("data-utc").await?.unwrap_or_default();
            times.extend(utc.parse::<chrono::DateTime<chrono::Utc>>().ok());
        }
        if let [first, second] = times[..]
            && (second - first).num_seconds() == 2
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the preview never showed fire times two seconds apart: {times:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("01-editor-preview").await?;

    browser.element(By::Id("schedule-save")).await?.click().await?;
    browser.element(By::Id("schedule-title")).await?;
    // The fire log shows a fired run once the schedule has fired.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if browser.driver.find(By::Css("#schedule-fires [data-outcome='fired'] a")).await.is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "the schedule never fired");
        browser.element(By::Id("schedule-fires-refresh")).await?.click().await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    browser.screenshot("02-fired").await?;
    // Back at the top of the page, where the pause button is.
    browser.driver.execute("window.scrollTo(0, 0);", vec![]).await?;
    // The page updates in place while it reloads the schedule: its heading never leaves the
    // document (the page is not swapped for a loading note and built again).
    let watch = "const title = document.getElementById('schedule-title'); window.titleLeft = false;
        new MutationObserver(() => { if (!title.isConnected) window.titleLeft = true; })
            .observe(document.body, { childList: true, subtree: true });";
    browser.driver.execute(watch, vec![]).await?;
    browser.element(By::Id("schedule-toggle")).await?.click().await?;
    let state = browser.element(By::Id("schedule-state")).await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !state.text().await?.to_lowercase().contains("paused") {
        assert!(Instant::now() < deadline, "the schedule did not pause");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let left = browser.driver.execute("return window.titleLeft;", vec![]).await?;
    assert_eq!(left.json(), &json!(false), "the page was rebuilt while the schedule reloaded");
    Ok(())
}
