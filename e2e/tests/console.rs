#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

//! The console journey of a new user, in real Chromium against a real node: sign in (after a
//! wrong password), see the navigation, create a dataflow, find it in the list, open it, delete
//! it, sign out. Once on PostgreSQL, once on the standard SQLite install.

use e2e::browser::Browser;
use e2e::node::{ADMIN_PASSWORD, Node};
use e2e::pg::PgDatabase;
use thirtyfour::prelude::*;

const SECTIONS: [&str; 7] = ["dataflows", "runs", "schedules", "services", "connections", "admin", "cluster"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_journey_on_postgres() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let pg = PgDatabase::create()?;
    let node = Node::start(work.path(), "e2e-pg", Some(&pg.url)).await?;
    journey(&node, "postgres").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_journey_on_sqlite() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-sqlite", None).await?;
    journey(&node, "sqlite").await
}

async fn journey(node: &Node, scenario: &str) -> anyhow::Result<()> {
    let browser = Browser::start(scenario).await?;
    let result = steps(&browser, node).await;
    if result.is_err() {
        let _ = browser.screenshot("failure").await;
    }
    browser.quit().await?;
    result
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/", node.base)).await?;

    browser.sign_in("admin", "not-the-password").await?;
    let error = browser.element(By::Id("login-error")).await?;
    assert!(error.text().await?.to_lowercase().contains("wrong"), "login error says what went wrong");
    browser.screenshot("01-wrong-password").await?;

    browser.sign_in("admin", ADMIN_PASSWORD).await?;
    let nav = browser.element(By::Id("main-nav")).await?;
    for section in SECTIONS {
        nav.find(By::Css(format!("a[data-nav='{section}']"))).await?;
    }
    assert_eq!(browser.element(By::Id("current-user")).await?.text().await?, "admin");
    browser.screenshot("02-signed-in").await?;

    browser.element(By::Id("new-dataflow-name")).await?.send_keys("orders-e2e").await?;
    browser.element(By::Id("new-dataflow-description")).await?.send_keys("made in the browser").await?;
    browser.element(By::Id("new-dataflow-create")).await?.click().await?;
    let heading = browser.element(By::Id("dataflow-name")).await?;
    assert_eq!(heading.text().await?, "orders-e2e");
    browser.screenshot("03-created").await?;

    // The REST API sees what the console made.
    let api = e2e::api::cookie_client(std::time::Duration::from_secs(30))?;
    let login = api
        .post(format!("{}/api/v1/auth/login", node.base))
        .json(&serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await?;
    assert!(login.status().is_success());
    let stored: model::Dataflow =
        api.get(format!("{}/api/v1/dataflows/orders-e2e", node.base)).send().await?.json().await?;
    assert_eq!(stored.summary.description, "made in the browser");
    assert_eq!(stored.summary.created_by, "admin");

    browser.element(By::Css("#main-nav a[data-nav='dataflows']")).await?.click().await?;
    let row = browser.element(By::Css("#dataflow-list tr[data-name='orders-e2e']")).await?;
    browser.screenshot("04-listed").await?;
    row.find(By::Css("a")).await?.click().await?;
    browser.element(By::Id("delete-dataflow")).await?.click().await?;
    browser.element(By::Id("confirm-delete")).await?.click().await?;
    // Back on the list, which is now empty.
    browser.element(By::Id("dataflow-empty")).await?;
    assert!(browser.gone(By::Css("tr[data-name='orders-e2e']")).await?, "deleted dataflow still listed");
    let gone = api.get(format!("{}/api/v1/dataflows/orders-e2e", node.base)).send().await?;
    assert_eq!(gone.status(), reqwest::StatusCode::NOT_FOUND);
    browser.screenshot("05-deleted").await?;

    browser.element(By::Id("sign-out")).await?.click().await?;
    browser.element(By::Id("username")).await?;
    browser.driver.goto(format!("{}/dataflows", node.base)).await?;
    browser.element(By::Id("login-submit")).await?;
    browser.screenshot("06-signed-out").await?;
    Ok(())
}
