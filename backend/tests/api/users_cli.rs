//! `tributary users …` and `tributary tokens …` against a running node, through the REST API
//! with `--server` and `--token`, as an administrator would script them.

use model::CreatedToken;
use reqwest::StatusCode;
use serde_json::json;

use crate::app::{TestApp, error_body};

async fn tributary(app: &TestApp, token: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .args(["--server", &app.base, "--token", token])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the tributary binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    child.wait_with_output().await.unwrap()
}

fn out(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_manages_users_and_tokens() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    let admin: CreatedToken = app.post_json("/api/v1/tokens", &json!({"name": "cli"})).await;
    let t = admin.token.as_str();

    let created = tributary(
        &app,
        t,
        &["users", "create", "olga", "--role", "operator", "--password-stdin"],
        Some("olga-password-1\n"),
    )
    .await;
    assert!(created.status.success(), "{}", out(&created));
    assert!(out(&created).contains("created user olga with role(s) operator"));
    assert_eq!(app.login_as("olga", "olga-password-1").await.status(), StatusCode::OK);
    app.login_admin().await;

    let generated = tributary(&app, t, &["users", "create", "gus", "--role", "viewer"], None).await;
    let text = out(&generated);
    let password =
        text.lines().find_map(|l| l.strip_prefix("password (shown only this once): ")).unwrap().to_owned();
    assert_eq!(app.login_as("gus", &password).await.status(), StatusCode::OK);
    app.login_admin().await;

    let listed = out(&tributary(&app, t, &["users", "list"], None).await);
    assert!(listed.contains("olga") && listed.contains("operator") && listed.contains("gus"), "{listed}");

    let disabled = tributary(&app, t, &["users", "disable", "olga"], None).await;
    assert!(disabled.status.success() && out(&disabled).contains("olga is disabled"), "{}", out(&disabled));
    error_body(
        app.login_as("olga", "olga-password-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let enabled = tributary(&app, t, &["users", "enable", "olga"], None).await;
    assert!(out(&enabled).contains("olga is enabled"));
    let reset = tributary(
        &app,
        t,
        &["users", "reset-password", "olga", "--password-stdin"],
        Some("olga-password-2\n"),
    )
    .await;
    assert!(reset.status.success(), "{}", out(&reset));
    assert_eq!(app.login_as("olga", "olga-password-2").await.status(), StatusCode::OK);
    app.login_admin().await;

    // Refusals carry the server's code, message and details; the exit status says so.
    let bad = tributary(
        &app,
        t,
        &["users", "create", "Bad Name", "--role", "wizard", "--password-stdin"],
        Some("short\n"),
    )
    .await;
    assert!(!bad.status.success());
    let text = out(&bad);
    assert!(
        text.contains("invalid_request") && text.contains("roles[0]") && text.contains("username"),
        "{text}"
    );
    let missing = tributary(&app, t, &["users", "disable", "nobody"], None).await;
    assert!(!missing.status.success() && out(&missing).contains("user_not_found"));

    let made =
        out(&tributary(&app, t, &["tokens", "create", "nightly-export", "--expires-in-days", "30"], None)
            .await);
    let secret =
        made.lines().find_map(|l| l.strip_prefix("secret (shown only this once): ")).unwrap().to_owned();
    let id = made
        .lines()
        .find_map(|l| l.strip_prefix("created token "))
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let listed = out(&tributary(&app, t, &["tokens", "list"], None).await);
    assert!(
        listed.contains("nightly-export") && listed.contains(&id) && !listed.contains(&secret),
        "{listed}"
    );
    assert!(tributary(&app, &secret, &["users", "list"], None).await.status.success());
    let revoked = tributary(&app, t, &["tokens", "revoke", &id], None).await;
    assert!(revoked.status.success(), "{}", out(&revoked));
    let refused = tributary(&app, &secret, &["users", "list"], None).await;
    assert!(!refused.status.success() && out(&refused).contains("unauthenticated"));
}
