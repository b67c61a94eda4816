#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

//! The console journey of a new user, in real Chromium against a real node: sign in (after a
//! wrong password), see the navigation, create a dataflow, find it in the list, open it, delete
//! it, sign out. Once on PostgreSQL, once on the standard SQLite install. On the way it checks
//! what the browser downloaded: the designer's code and the other sections' only when they open,
//! the code up to an open designer within budget, and that a designer whose code cannot be
//! fetched says so.

use e2e::browser::Browser;
use e2e::designer::finish;
use e2e::node::{ADMIN_PASSWORD, Node};
use e2e::pg::PgDatabase;
use thirtyfour::prelude::*;

/// The most compressed bytes of code (wasm and JavaScript) the console may download up to an open
/// designer.
const CONSOLE_CODE_BUDGET: u64 = 600 * 1024;

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

/// A tab left open while the node is replaced, or a dropped connection, can fail to fetch the
/// designer's module: the page says so and the rest of the console keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_designer_whose_code_cannot_be_fetched_says_so() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-split-fails", None).await?;
    let browser = Browser::start("designer-unreachable").await?;
    let result = designer_unreachable(&browser, &node).await;
    finish(browser, result).await
}

async fn designer_unreachable(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    let cdp = browser.driver.cdp();
    cdp.send_raw("Network.enable", serde_json::json!({})).await?;
    cdp.send_raw("Network.setBlockedURLs", serde_json::json!({"urls": ["*split_designer.wasm"]})).await?;
    browser.driver.goto(format!("{}/", node.base)).await?;
    browser.sign_in("admin", ADMIN_PASSWORD).await?;
    browser.element(By::Id("new-dataflow-name")).await?.send_keys("blocked").await?;
    browser.element(By::Id("new-dataflow-create")).await?.click().await?;
    browser.element(By::Id("dataflow-design")).await?.click().await?;
    let error = browser.element(By::Id("page-load-error")).await?;
    assert!(error.text().await?.contains("Reload the page"), "{}", error.text().await?);
    browser.screenshot("01-designer-unreachable").await?;
    // The rest of the console still answers.
    browser.element(By::Css("#main-nav a[data-nav='runs']")).await?.click().await?;
    browser.element(By::Id("runs-empty")).await?;
    Ok(())
}

async fn journey(node: &Node, scenario: &str) -> anyhow::Result<()> {
    let browser = Browser::start(scenario).await?;
    let result = steps(&browser, node).await;
    finish(browser, result).await
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/", node.base)).await?;

    browser.sign_in("admin", "not-the-password").await?;
    let error = browser.element(By::Id("login-error")).await?;
    assert!(error.text().await?.to_lowercase().contains("wrong"), "login error says what went wrong");
    browser.screenshot("01-wrong-password").await?;

    browser.sign_in("admin", ADMIN_PASSWORD).await?;
    // The navigation fills in once the console knows the user's permissions.
    for section in SECTIONS {
        browser.element(By::Css(format!("#main-nav a[data-nav='{section}']"))).await?;
    }
    assert_eq!(browser.element(By::Id("current-user")).await?.text().await?, "admin");
    browser.screenshot("02-signed-in").await?;

    browser.element(By::Id("new-dataflow-name")).await?.send_keys("orders-e2e").await?;
    browser.element(By::Id("new-dataflow-description")).await?.send_keys("made in the browser").await?;
    browser.element(By::Id("new-dataflow-create")).await?.click().await?;
    let heading = browser.element(By::Id("dataflow-name")).await?;
    assert_eq!(heading.text().await?, "orders-e2e");
    browser.screenshot("03-created").await?;
    check_downloads(browser).await?;

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

/// Compressed bytes of each wasm and JavaScript file the page has downloaded so far, by name.
async fn code_downloads(browser: &Browser) -> anyhow::Result<Vec<(String, u64)>> {
    let script = "return performance.getEntriesByType('resource')
        .filter(e => /\\.(wasm|js)$/.test(new URL(e.name).pathname))
        .map(e => [new URL(e.name).pathname.split('/').pop(), e.encodedBodySize]);";
    Ok(serde_json::from_value(browser.driver.execute(script, vec![]).await?.json().clone())?)
}

/// Up to the dataflow's page the console has fetched none of the on-demand modules; opening the
/// designer fetches its module, and all the code downloaded up to then is within budget.
async fn check_downloads(browser: &Browser) -> anyhow::Result<()> {
    let before = code_downloads(browser).await?;
    let names: Vec<&str> = before.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"frontend_bg.wasm"), "downloaded: {names:?}");
    for module in ["split_designer.wasm", "split_sections.wasm"] {
        assert!(!names.contains(&module), "{module} came before its pages were opened: {names:?}");
    }
    let opening: u64 = before.iter().map(|(_, bytes)| bytes).sum();
    println!("console code downloaded before the designer opens: {opening} B ({before:?})");

    browser.element(By::Id("dataflow-design")).await?.click().await?;
    browser.element(By::Id("palette-search")).await?;
    let after = code_downloads(browser).await?;
    let designer = after.iter().find(|(name, _)| name == "split_designer.wasm");
    assert!(
        designer.is_some_and(|(_, bytes)| *bytes > 0),
        "the designer's module was not fetched: {after:?}"
    );
    let total: u64 = after.iter().map(|(_, bytes)| bytes).sum();
    println!("console code downloaded once the designer is open: {total} B ({after:?})");
    assert!(total <= CONSOLE_CODE_BUDGET, "the console downloaded {total} B of code: {after:?}");
    browser.screenshot("03b-designer-loaded").await?;
    browser.driver.back().await?;
    browser.element(By::Id("dataflow-name")).await?;
    Ok(())
}
