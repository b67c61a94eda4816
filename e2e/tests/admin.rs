#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

//! The administration pages in real Chromium against a real node, each checked the way the
//! person affected notices it, in a browser session of their own: users (create, a duplicate
//! name refused, disable, reset the password, sign in), roles (built-in ones read-only, a custom
//! role whose navigation offers the audit log and which opens nothing else), connections (a
//! directory and PostgreSQL, tested from the page, the password never shown again, a wrong port
//! failing with a message) and a per-dataflow deny that takes the dataflow out of a user's list.

use e2e::admin::{answered, create_user, open, press, sign_in_status, signed_in, text_showing, user_status};
use e2e::api::Api;
use e2e::browser::{Browser, ELEMENT_TIMEOUT};
use e2e::node::{ADMIN_PASSWORD, Node};
use e2e::pg::PgDatabase;
use e2e::wait;
use model::{DataflowDocument, DataflowKind};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const BUILTIN_ROLES: [&str; 5] = ["admin", "designer", "operator", "viewer", "integration"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_disables_and_resets_a_user() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-admin-users", None).await?;
    let admin = signed_in("admin-users", &node, "admin", ADMIN_PASSWORD).await?;
    let dana = match Browser::start("admin-users-dana").await {
        Ok(dana) => dana,
        Err(err) => {
            admin.close(true).await?;
            return Err(err);
        }
    };
    let result = user_steps(&admin, &dana, &node).await;
    dana.close(result.is_err()).await?;
    admin.close(result.is_err()).await?;
    result
}

async fn user_steps(admin: &Browser, dana: &Browser, node: &Node) -> anyhow::Result<()> {
    open(admin, "users").await?;
    text_showing(admin, "#user-list tr[data-user='admin']", &["admin", "Enabled"]).await?;
    create_user(admin, "dana", "dana-first-password", "operator").await?;
    let row = text_showing(admin, "#user-list tr[data-user='dana']", &["operator"]).await?;
    assert_eq!(user_status(admin, "dana").await?, "Enabled", "{row}");
    admin.screenshot("01-user-created").await?;

    // The form says why it refuses: a short password before sending, a taken name after.
    create_user(admin, "dana", "short", "viewer").await?;
    let problem = admin.element(By::Id("new-user-problem")).await?.text().await?;
    assert!(problem.contains("at least 10 characters"), "{problem}");
    create_user(admin, "dana", "another-password", "viewer").await?;
    let alert = admin.element(By::Id("new-user-error")).await?;
    let error = alert.text().await?;
    assert!(error.contains("already") && error.contains("dana"), "duplicate name error: {error}");
    alert.scroll_into_view().await?;
    admin.screenshot("02-duplicate-name").await?;

    press(admin, By::Css("button[data-toggle-enabled='dana']")).await?;
    wait::until("dana to be shown disabled", ELEMENT_TIMEOUT, || async {
        (user_status(admin, "dana").await.ok()? == "Disabled").then_some(())
    })
    .await?;
    let toggle = admin.element(By::Css("button[data-toggle-enabled='dana']")).await?;
    assert_eq!(toggle.text().await?, "Enable");
    press(admin, By::Css("button[data-reset-password='dana']")).await?;
    admin.element(By::Id("user-password-input")).await?.send_keys("dana-second-password").await?;
    press(admin, By::Id("user-password-save")).await?;
    text_showing(admin, "#user-password [role='status']", &["Password set"]).await?;
    admin.screenshot("03-disabled-password-reset").await?;

    // A disabled user cannot sign in, even with the right password.
    dana.driver.goto(format!("{}/", node.base)).await?;
    dana.sign_in("dana", "dana-second-password").await?;
    let refused = dana.element(By::Id("login-error")).await?.text().await?;
    assert!(refused.contains("Wrong user name or password"), "{refused}");
    dana.screenshot("01-disabled-refused").await?;

    press(admin, By::Id("user-password-cancel")).await?;
    press(admin, By::Css("button[data-toggle-enabled='dana']")).await?;
    wait::until("dana to be shown enabled", ELEMENT_TIMEOUT, || async {
        (user_status(admin, "dana").await.ok()? == "Enabled").then_some(())
    })
    .await?;

    // Enabled again: the old password is gone, the new one works.
    assert_eq!(sign_in_status(node, "dana", "dana-first-password").await?, reqwest::StatusCode::UNAUTHORIZED);
    dana.sign_in("dana", "dana-second-password").await?;
    assert_eq!(dana.element(By::Id("current-user")).await?.text().await?, "dana");
    dana.screenshot("02-signed-in-with-new-password").await?;

    // Disabling ends her session at once: her next page takes her to the sign-in form.
    press(admin, By::Css("button[data-toggle-enabled='dana']")).await?;
    wait::until("dana to be shown disabled", ELEMENT_TIMEOUT, || async {
        (user_status(admin, "dana").await.ok()? == "Disabled").then_some(())
    })
    .await?;
    open(dana, "runs").await?;
    dana.element(By::Id("login-submit")).await?;
    dana.screenshot("03-session-ended").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_role_opens_the_audit_log_and_nothing_else() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-admin-roles", None).await?;
    let admin = signed_in("admin-roles", &node, "admin", ADMIN_PASSWORD).await?;
    let result = role_steps(&admin, &node).await;
    admin.close(result.is_err()).await?;
    result
}

async fn role_steps(admin: &Browser, node: &Node) -> anyhow::Result<()> {
    open(admin, "roles").await?;
    for role in BUILTIN_ROLES {
        let row = admin.element(By::Css(format!("#role-list tr[data-role='{role}'][data-builtin]"))).await?;
        assert!(row.text().await?.contains("built-in"), "{role} is marked built-in");
        let actions = row.find_all(By::Css("button[data-edit-role], button[data-delete-role]")).await?;
        assert!(actions.is_empty(), "built-in role {role} offers edit or delete");
    }
    admin.screenshot("01-builtin-roles").await?;

    press(admin, By::Id("role-new")).await?;
    admin.element(By::Id("role-form-name")).await?.send_keys("auditor").await?;
    admin
        .element(By::Id("role-form-description"))
        .await?
        .send_keys("Reads dataflows and the audit log")
        .await?;
    press(admin, By::Id("role-permission-dataflows-view")).await?;
    press(admin, By::Id("role-permission-audit-view")).await?;
    admin.screenshot("02-new-role-form").await?;
    press(admin, By::Id("role-form-save")).await?;
    assert!(admin.gone(By::Id("role-form")).await?, "the form closes once saved");
    let row =
        text_showing(admin, "#role-list tr[data-role='auditor']", &["audit:view", "dataflows:view"]).await?;
    assert!(!row.contains("built-in"), "{row}");
    admin.element(By::Css("button[data-edit-role='auditor']")).await?;
    admin.element(By::Css("button[data-delete-role='auditor']")).await?;
    admin.screenshot("03-custom-role").await?;

    // Ines starts as a viewer; the role editor swaps that for the new role.
    open(admin, "users").await?;
    create_user(admin, "ines", "ines-password-1", "viewer").await?;
    text_showing(admin, "#user-list tr[data-user='ines']", &["viewer"]).await?;
    press(admin, By::Css("button[data-edit-roles='ines']")).await?;
    press(admin, By::Id("user-edit-role-viewer")).await?;
    press(admin, By::Id("user-edit-role-auditor")).await?;
    press(admin, By::Id("user-edit-save")).await?;
    assert!(admin.gone(By::Id("user-edit")).await?, "the role editor closes once saved");
    let row = text_showing(admin, "#user-list tr[data-user='ines']", &["auditor"]).await?;
    assert!(!row.contains("viewer"), "{row}");
    admin.screenshot("04-role-assigned").await?;

    let ines = signed_in("admin-roles-ines", node, "ines", "ines-password-1").await?;
    let seen = auditor_steps(&ines, node).await;
    ines.close(seen.is_err()).await?;
    seen
}

/// What a user holding only `auditor` (dataflows:view, audit:view) meets in the console: the
/// navigation offers the sections those permissions open and the ones everyone has, and a page
/// reached by its address anyway says which permission it needs.
async fn auditor_steps(ines: &Browser, node: &Node) -> anyhow::Result<()> {
    ines.element(By::Id("dataflow-empty")).await?;
    open(ines, "audit").await?;
    let mut offered = Vec::new();
    for link in ines.driver.find_all(By::Css("#main-nav a[data-nav]")).await? {
        offered.push(link.attr("data-nav").await?.unwrap_or_default());
    }
    assert_eq!(offered, ["dataflows", "services", "admin", "tokens", "audit"]);
    let entries = text_showing(ines, "#audit-list", &["roles:create", "users:update"]).await?;
    assert!(entries.contains("auditor"), "{entries}");
    ines.screenshot("01-audit-log").await?;
    for (section, alert, permission) in [
        ("users", "user-list-error", "users:view"),
        ("roles", "role-list-error", "roles:view"),
        ("connections", "connection-list-error", "connections:view"),
    ] {
        ines.driver.goto(format!("{}/{section}", node.base)).await?;
        let refusal = ines.element(By::Id(alert)).await?.text().await?;
        assert!(refusal.contains(&format!("needs the permission {permission}")), "{section}: {refusal}");
    }
    assert!(ines.driver.find_all(By::Css("#connection-list")).await?.is_empty());
    ines.screenshot("02-connections-refused").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_tested_from_the_console_and_keep_their_password() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let target = PgDatabase::create()?;
    let node = Node::start(work.path(), "e2e-admin-connections", None).await?;
    std::fs::create_dir_all(node.data_dir().join("landing"))?;
    let admin = signed_in("admin-connections", &node, "admin", ADMIN_PASSWORD).await?;
    let result = connection_steps(&admin, &target).await;
    admin.close(result.is_err()).await?;
    result
}

async fn connection_steps(admin: &Browser, target: &PgDatabase) -> anyhow::Result<()> {
    const PASSWORD: &str = "warehouse-secret-9f3a";
    let host = std::env::var("TRIBUTARY_TEST_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into());
    open(admin, "connections").await?;
    admin.element(By::Id("connection-empty")).await?;

    press(admin, By::Id("connection-new")).await?;
    press(admin, By::Css("#connection-kind option[value='directory']")).await?;
    admin.element(By::Id("connection-name")).await?.send_keys("landing").await?;
    admin.element(By::Id("connection-path")).await?.send_keys("landing").await?;
    press(admin, By::Id("connection-save")).await?;
    text_showing(admin, "#connection-list tr[data-connection='landing']", &["Directory", "landing"]).await?;
    test_connection(admin, "landing", true, &["works", "exists"]).await?;
    admin.screenshot("01-directory-works").await?;

    press(admin, By::Id("connection-new")).await?;
    admin.element(By::Id("connection-name")).await?.send_keys("warehouse").await?;
    admin.element(By::Id("connection-host")).await?.send_keys(&host).await?;
    admin.element(By::Id("connection-port")).await?.send_keys("5432").await?;
    admin.element(By::Id("connection-database")).await?.send_keys(&target.name).await?;
    admin.element(By::Id("connection-username")).await?.send_keys("postgres").await?;
    admin.element(By::Id("connection-password")).await?.send_keys(PASSWORD).await?;
    press(admin, By::Id("connection-save")).await?;
    let row = "#connection-list tr[data-connection='warehouse']";
    text_showing(admin, row, &["PostgreSQL", &format!("{host}:5432/{}", target.name), "postgres"]).await?;
    assert_eq!(admin.element(By::Css(format!("{row} td.password"))).await?.text().await?, "set");
    test_connection(admin, "warehouse", true, &["works", "connected to"]).await?;
    admin.screenshot("02-postgres-works").await?;

    // Editing shows only that a password is set: no field holds it, the page does not show it.
    press(admin, By::Css("button[data-edit='warehouse']")).await?;
    assert_eq!(admin.element(By::Id("connection-password-state")).await?.text().await?, "set");
    admin.element(By::Id("connection-password-replace")).await?;
    assert!(admin.driver.find_all(By::Id("connection-password")).await?.is_empty());
    for input in admin.driver.find_all(By::Css("input")).await? {
        assert_ne!(input.value().await?.as_deref(), Some(PASSWORD), "an input shows the stored password");
    }
    assert!(!admin.driver.source().await?.contains(PASSWORD), "the page holds the stored password");
    admin.screenshot("03-password-not-shown").await?;

    // Pointed at a port nobody listens on, the test fails and says why; the password stays.
    let closed_port = wait::free_port()?.to_string();
    let port = admin.element(By::Id("connection-port")).await?;
    port.clear().await?;
    port.send_keys(&closed_port).await?;
    press(admin, By::Id("connection-save")).await?;
    text_showing(admin, row, &[&format!("{host}:{closed_port}/")]).await?;
    assert_eq!(admin.element(By::Css(format!("{row} td.password"))).await?.text().await?, "set");
    let failed = test_connection(admin, "warehouse", false, &["failed", "cannot connect"]).await?;
    assert!(failed.contains(&closed_port), "the message names where it tried: {failed}");
    admin.screenshot("04-wrong-port-fails").await?;
    Ok(())
}

/// Press "Test" on connection `name` and wait for its outcome; returns the message.
async fn test_connection(admin: &Browser, name: &str, ok: bool, wanted: &[&str]) -> anyhow::Result<String> {
    press(admin, By::Css(format!("#connection-list button[data-test='{name}']"))).await?;
    let outcome = format!("#connection-test-result[data-ok='{ok}']");
    let text = text_showing(admin, &outcome, wanted).await?;
    assert!(text.contains(name), "{text}");
    Ok(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_dataflow_leaves_the_users_list() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-admin-access", None).await?;
    let api = Api::sign_in(&node.base).await?;
    for name in ["orders", "payroll"] {
        let _: Value = api
            .post(
                "/api/v1/dataflows",
                &serde_json::to_value(DataflowDocument::empty(name, DataflowKind::Job))?,
            )
            .await?;
    }
    let user = json!({"username": "olaf", "password": "olaf-password-1", "roles": ["viewer"]});
    let _: Value = api.post("/api/v1/users", &user).await?;

    let olaf = signed_in("admin-access-olaf", &node, "olaf", "olaf-password-1").await?;
    let admin = match signed_in("admin-access", &node, "admin", ADMIN_PASSWORD).await {
        Ok(admin) => admin,
        Err(err) => {
            olaf.close(true).await?;
            return Err(err);
        }
    };
    let result = access_steps(&admin, &olaf, &node).await;
    olaf.close(result.is_err()).await?;
    admin.close(result.is_err()).await?;
    result
}

async fn access_steps(admin: &Browser, olaf: &Browser, node: &Node) -> anyhow::Result<()> {
    olaf.element(By::Css("#dataflow-list tr[data-name='orders']")).await?;
    olaf.element(By::Css("#dataflow-list tr[data-name='payroll']")).await?;
    // A viewer may not read roles, so a dataflow's page shows him no access section.
    press(olaf, By::Css("#dataflow-list tr[data-name='orders'] a")).await?;
    olaf.element(By::Id("dataflow-document")).await?;
    answered(olaf, "/api/v1/dataflows/orders/access").await?;
    assert!(olaf.driver.find_all(By::Id("access")).await?.is_empty(), "olaf sees the access section");
    olaf.screenshot("01-both-listed").await?;

    press(admin, By::Css("#dataflow-list tr[data-name='payroll'] a")).await?;
    admin.element(By::Id("access-empty")).await?;
    // A grant without permissions is caught before it is added.
    admin.element(By::Id("access-subject-name")).await?.send_keys("olaf").await?;
    press(admin, By::Id("access-add")).await?;
    let problem = admin.element(By::Id("access-problem")).await?.text().await?;
    assert!(problem.contains("at least one permission"), "{problem}");
    press(admin, By::Css("#access-subject-kind option[value='user']")).await?;
    press(admin, By::Css("#access-effect option[value='deny']")).await?;
    press(admin, By::Id("access-add")).await?;
    admin.element(By::Css("#access-list li[data-entry='Deny user olaf: everything']")).await?;
    press(admin, By::Id("access-save")).await?;
    admin.element(By::Id("access-saved")).await?;
    admin.screenshot("01-deny-saved").await?;

    // Olaf's list no longer has payroll; opening it directly says access is denied.
    olaf.driver.goto(format!("{}/dataflows", node.base)).await?;
    olaf.element(By::Css("#dataflow-list tr[data-name='orders']")).await?;
    assert!(olaf.driver.find_all(By::Css("#dataflow-list tr[data-name='payroll']")).await?.is_empty());
    olaf.screenshot("02-payroll-hidden").await?;
    olaf.driver.goto(format!("{}/dataflows/payroll", node.base)).await?;
    let refusal = olaf.element(By::Id("dataflow-error")).await?.text().await?;
    assert!(refusal.contains("denied"), "{refusal}");
    olaf.screenshot("03-payroll-denied").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_connection_leaves_the_users_list() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-admin-connection-access", None).await?;
    let api = Api::sign_in(&node.base).await?;
    for name in ["landing", "vault"] {
        std::fs::create_dir_all(work.path().join(name))?;
        let _: Value = api
            .post("/api/v1/connections", &json!({"name": name, "kind": "directory", "path": name}))
            .await?;
    }
    let _: Value =
        api.post("/api/v1/roles", &json!({"name": "reader", "permissions": ["connections:view"]})).await?;
    let user = json!({"username": "cora", "password": "cora-password-1", "roles": ["reader"]});
    let _: Value = api.post("/api/v1/users", &user).await?;

    let cora = signed_in("admin-connection-access-cora", &node, "cora", "cora-password-1").await?;
    let admin = match signed_in("admin-connection-access", &node, "admin", ADMIN_PASSWORD).await {
        Ok(admin) => admin,
        Err(err) => {
            cora.close(true).await?;
            return Err(err);
        }
    };
    let result = connection_access_steps(&admin, &cora, &node).await;
    cora.close(result.is_err()).await?;
    admin.close(result.is_err()).await?;
    result
}

async fn connection_access_steps(admin: &Browser, cora: &Browser, node: &Node) -> anyhow::Result<()> {
    open(cora, "connections").await?;
    cora.element(By::Css("#connection-list tr[data-connection='landing']")).await?;
    cora.element(By::Css("#connection-list tr[data-connection='vault']")).await?;
    cora.screenshot("01-both-listed").await?;

    // The connection's form carries the same access section as a dataflow's page.
    open(admin, "connections").await?;
    press(admin, By::Css("button[data-edit='vault']")).await?;
    admin.element(By::Id("access-empty")).await?;
    let choices = admin.driver.find_all(By::Css("input[data-access-permission]")).await?;
    let mut offered = Vec::new();
    for choice in choices {
        offered.extend(choice.attr("data-access-permission").await?);
    }
    assert_eq!(offered, ["connections:view", "connections:edit"], "a connection's permissions");
    admin.element(By::Id("access-subject-name")).await?.send_keys("cora").await?;
    press(admin, By::Css("#access-subject-kind option[value='user']")).await?;
    press(admin, By::Css("#access-effect option[value='deny']")).await?;
    press(admin, By::Id("access-add")).await?;
    admin.element(By::Css("#access-list li[data-entry='Deny user cora: everything']")).await?;
    press(admin, By::Id("access-save")).await?;
    admin.element(By::Id("access-saved")).await?;
    admin.screenshot("01-deny-saved").await?;

    // Cora's list keeps landing and loses vault.
    cora.driver.goto(format!("{}/connections", node.base)).await?;
    cora.element(By::Css("#connection-list tr[data-connection='landing']")).await?;
    let hidden = cora.driver.find_all(By::Css("#connection-list tr[data-connection='vault']")).await?;
    assert!(hidden.is_empty(), "cora still sees the denied connection");
    cora.screenshot("02-vault-hidden").await?;
    Ok(())
}
