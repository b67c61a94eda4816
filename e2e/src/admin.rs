//! Driving the administration pages: signing a user in, following the navigation, pressing
//! buttons the sticky top bar may cover, filling the new-user form, and waiting for the page's
//! answers and texts.

use serde_json::json;
use thirtyfour::prelude::*;

use crate::browser::{Browser, ELEMENT_TIMEOUT};
use crate::node::Node;
use crate::wait;

/// A browser of its own (profile, cookies) signed in as `username` on `node`'s console.
pub async fn signed_in(
    scenario: &str,
    node: &Node,
    username: &str,
    password: &str,
) -> anyhow::Result<Browser> {
    let browser = Browser::start(scenario).await?;
    let result = async {
        browser.driver.goto(format!("{}/", node.base)).await?;
        browser.sign_in(username, password).await?;
        let shown = browser.element(By::Id("current-user")).await?.text().await?;
        anyhow::ensure!(shown == username, "signed in as {shown}, not {username}");
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(browser),
        Err(err) => {
            browser.close(true).await?;
            Err(err)
        }
    }
}

/// Follow the main navigation to `section` (its `data-nav` key).
pub async fn open(browser: &Browser, section: &str) -> anyhow::Result<()> {
    press(browser, By::Css(format!("#main-nav a[data-nav='{section}']"))).await
}

/// Wait until the page has had its answer from `path`: a part it leaves out when refused is
/// then really left out, not still loading.
pub async fn answered(browser: &Browser, path: &str) -> anyhow::Result<()> {
    let script = "return performance.getEntriesByType('resource').some(e => e.name.endsWith(arguments[0]));";
    wait::until(&format!("an answer from {path}"), ELEMENT_TIMEOUT, || async {
        let done = browser.driver.execute(script, vec![json!(path)]).await.ok()?;
        (done.json() == &json!(true)).then_some(())
    })
    .await
}

/// Click the element `by`, centred first: the sticky top bar covers whatever the browser would
/// scroll only just into view.
pub async fn press(browser: &Browser, by: By) -> anyhow::Result<()> {
    let element = browser.element(by).await?;
    element.scroll_into_view().await?;
    element.click().await?;
    Ok(())
}

/// Fill in and send the new-user form, ticking one role.
pub async fn create_user(admin: &Browser, username: &str, password: &str, role: &str) -> anyhow::Result<()> {
    admin.fill(By::Id("new-user-name"), username).await?;
    admin.fill(By::Id("new-user-password"), password).await?;
    let role = admin.element(By::Id(format!("new-user-role-{role}"))).await?;
    if !role.is_selected().await? {
        role.scroll_into_view().await?;
        role.click().await?;
    }
    press(admin, By::Id("new-user-create")).await?;
    Ok(())
}

/// The status column of `username`'s row: "Enabled" or "Disabled".
pub async fn user_status(admin: &Browser, username: &str) -> anyhow::Result<String> {
    let css = format!("#user-list tr[data-user='{username}'] td:nth-child(3)");
    Ok(admin.driver.find(By::Css(css)).await?.text().await?)
}

/// Wait until the element `css` shows every one of `wanted` (lists are redrawn when they
/// reload, so it is looked up afresh each time); returns its text.
pub async fn text_showing(browser: &Browser, css: &str, wanted: &[&str]) -> anyhow::Result<String> {
    wait::until(&format!("{css} to show {wanted:?}"), ELEMENT_TIMEOUT, || async {
        let text = browser.driver.find(By::Css(css)).await.ok()?.text().await.ok()?;
        wanted.iter().all(|w| text.contains(w)).then_some(text)
    })
    .await
}

/// What the sign-in endpoint answers to `username` and `password`.
pub async fn sign_in_status(
    node: &Node,
    username: &str,
    password: &str,
) -> anyhow::Result<reqwest::StatusCode> {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", node.base))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await?;
    Ok(response.status())
}
