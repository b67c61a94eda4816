#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

//! API tokens and the audit log in real Chromium against a real node: create a token (its secret
//! shown once, with a copy button), use it, revoke it after a confirmation; then find the sign-in
//! that failed and the token's creation in the audit log and open its changes.

use e2e::browser::Browser;
use e2e::node::{ADMIN_PASSWORD, Node};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_audit_log_in_the_console() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-security", None).await?;
    let browser = Browser::start("security").await?;
    let result = steps(&browser, &node).await;
    browser.close(result.is_err()).await?;
    result
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/", node.base)).await?;
    browser.sign_in("admin", "not-the-password").await?;
    browser.element(By::Id("login-error")).await?;
    browser.sign_in("admin", ADMIN_PASSWORD).await?;

    // Tokens: create one; the secret is shown once and works as a bearer token.
    browser.element(By::Css("#main-nav a[data-nav='tokens']")).await?.click().await?;
    browser.element(By::Id("token-empty")).await?;
    browser.element(By::Id("new-token-name")).await?.send_keys("nightly export").await?;
    browser.element(By::Id("new-token-days")).await?.send_keys("30").await?;
    browser.element(By::Id("new-token-create")).await?.click().await?;
    let secret = browser.element(By::Id("new-token-secret")).await?.text().await?;
    assert!(secret.starts_with("trb_"), "{secret}");
    browser.element(By::Id("new-token-copy")).await?.click().await?;
    browser.element(By::Id("new-token-copied")).await?;
    let row = browser.element(By::Css("#token-list tr[data-token]")).await?;
    assert!(row.text().await?.contains("nightly export"));
    browser.screenshot("01-token-created").await?;
    let bearer = reqwest::Client::new();
    let me = || bearer.get(format!("{}/api/v1/auth/me", node.base)).bearer_auth(&secret).send();
    assert_eq!(me().await?.status(), reqwest::StatusCode::OK);

    // Revoking asks first; cancelling keeps the token.
    row.find(By::Css("button[data-revoke]")).await?.click().await?;
    let confirm = browser.element(By::Id("token-confirm")).await?;
    assert!(confirm.text().await?.contains("nightly export"));
    browser.screenshot("02-revoke-confirm").await?;
    browser.element(By::Id("token-confirm-cancel")).await?.click().await?;
    assert!(browser.gone(By::Id("token-confirm")).await?);
    browser.element(By::Css("#token-list button[data-revoke]")).await?.click().await?;
    browser.element(By::Id("token-confirm-revoke")).await?.click().await?;
    browser.element(By::Id("token-empty")).await?;
    assert_eq!(me().await?.status(), reqwest::StatusCode::UNAUTHORIZED);

    // The audit log: the failed sign-in, and the token's creation with its changes.
    browser.element(By::Css("#main-nav a[data-nav='audit']")).await?.click().await?;
    browser.element(By::Css("#audit-list tr[data-audit-id]")).await?;
    browser.element(By::Css("#audit-outcome option[value='failed']")).await?.click().await?;
    browser.element(By::Id("audit-apply")).await?.click().await?;
    wait_rows(browser, |texts| texts.len() == 1 && texts[0].contains("auth:login")).await?;
    browser.screenshot("03-failed-sign-in").await?;

    browser.element(By::Id("audit-clear")).await?.click().await?;
    browser.element(By::Id("audit-action")).await?.send_keys("tokens:").await?;
    browser.element(By::Id("audit-apply")).await?.click().await?;
    wait_rows(browser, |texts| {
        texts.len() == 2 && texts[0].contains("tokens:revoke") && texts[1].contains("tokens:create")
    })
    .await?;
    let rows = browser.driver.find_all(By::Css("#audit-list tr[data-audit-id]")).await?;
    let created = rows[1].attr("data-audit-id").await?.unwrap_or_default();
    rows[1].find(By::Css("button[data-expand]")).await?.click().await?;
    let diff = browser.element(By::Id(format!("audit-diff-{created}"))).await?;
    let name = diff.find(By::Css("tr[data-change='added']")).await?;
    assert!(diff.text().await?.contains("nightly export"), "{}", diff.text().await?);
    assert!(name.text().await?.contains("added"));
    assert!(!diff.text().await?.contains(&secret), "the secret is not in the log");
    browser.screenshot("04-token-diff").await?;
    Ok(())
}

/// Wait until the audit table's rows (their text, top to bottom) satisfy `check`.
async fn wait_rows(browser: &Browser, check: impl Fn(&[String]) -> bool) -> anyhow::Result<()> {
    e2e::wait::until("the audit rows", std::time::Duration::from_secs(10), || async {
        let rows = browser.driver.find_all(By::Css("#audit-list tr[data-audit-id]")).await.ok()?;
        let mut texts = Vec::new();
        for row in rows {
            texts.push(row.text().await.ok()?);
        }
        check(&texts).then_some(())
    })
    .await
}
