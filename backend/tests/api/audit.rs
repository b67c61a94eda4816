//! The audit log: sign-ins, sign-outs, tokens and changes are recorded; `GET /audit` filters by
//! actor, action prefix, resource, outcome and time, and pages; service calls are summed up per
//! minute instead of one row each.

use model::{AuditEvent, CreatedToken, Page};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::app::{ADMIN_PASSWORD, TestApp, error_body};

crate::both!(audit_log_records_and_filters, service_calls_are_summed_up_per_minute, denials_are_audited);

async fn audit(app: &TestApp, query: &str) -> Vec<AuditEvent> {
    let page: Page<AuditEvent> = app.get_json(&format!("/api/v1/audit?{query}")).await;
    page.items
}

async fn audit_log_records_and_filters(app: TestApp) {
    let started = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    assert_eq!(app.login_as("admin", "not it").await.status(), StatusCode::UNAUTHORIZED);
    app.login_admin().await;
    let created: CreatedToken = app.post_json("/api/v1/tokens", &json!({"name": "ci"})).await;
    let token = format!("token:{}", created.token_info.id);
    let revoke = app.request(Method::DELETE, &format!("/api/v1/tokens/{}", created.token_info.id));
    assert_eq!(revoke.send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(app.create_dataflow(&crate::app::job("orders")).await.status(), StatusCode::CREATED);
    assert_eq!(
        app.request(Method::POST, "/api/v1/auth/logout").send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    app.login_admin().await;

    let logins = audit(&app, "action=auth:login").await;
    let outcomes: Vec<&str> = logins.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, vec!["ok", "ok", "failed"], "newest first");
    assert!(logins.iter().all(|e| e.actor == "admin" && e.ip.is_some() && !e.node.is_empty()));
    let auth: Vec<String> = audit(&app, "action=auth:").await.into_iter().map(|e| e.action).collect();
    assert_eq!(auth, vec!["auth:login", "auth:logout", "auth:login", "auth:login"]);
    let failed = audit(&app, "outcome=failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].resource.as_deref(), Some("user:admin"));

    let tokens = audit(&app, &format!("resource={token}")).await;
    let actions: Vec<&str> = tokens.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["tokens:revoke", "tokens:create"]);
    assert_eq!(tokens[1].after.as_ref().and_then(|a| a["name"].as_str()), Some("ci"));

    let dataflow = audit(&app, "actor=admin&resource=dataflow:orders").await;
    assert_eq!(dataflow.len(), 1);
    let after = dataflow[0].after.clone().unwrap_or_default();
    assert!(after.to_string().contains("orders"), "{after}");
    assert!(audit(&app, "actor=nobody").await.is_empty());

    // Time windows: everything so far is after `started` and before now.
    let since = started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let everything = audit(&app, &format!("since={since}&limit=500")).await;
    assert!(everything.len() >= 7, "{}", everything.len());
    let until = since.clone();
    assert!(audit(&app, &format!("until={until}")).await.is_empty());

    // Pages: two at a time, each row once, newest first.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("/api/v1/audit?limit=2&action=auth:&cursor={c}"),
            None => "/api/v1/audit?limit=2&action=auth:".to_owned(),
        };
        let page: Page<AuditEvent> = app.get_json(&query).await;
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|e| e.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));

    for (query, word) in [("colour=red", "colour"), ("since=yesterday", "since"), ("cursor=abc", "cursor")] {
        let response = app.request(Method::GET, &format!("/api/v1/audit?{query}")).send().await.unwrap();
        let body = error_body(response, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert!(body.error.message.contains(word), "{query}: {}", body.error.message);
    }
    // A password never reaches the log, right or wrong.
    let text = serde_json::to_string(&everything).unwrap();
    assert!(!text.contains(ADMIN_PASSWORD) && !text.contains("not it"));
}

fn price_service() -> model::DataflowDocument {
    serde_json::from_value(json!({"name": "price", "kind": "service",
        "stages": [
            {"id": "in", "type": "input", "options": {"fields": [{"name": "net", "type": "number"}]}},
            {"id": "out", "type": "output"}],
        "edges": [{"from": "in", "to": "out"}]}))
    .unwrap()
}

async fn service_calls_are_summed_up_per_minute(app: TestApp) {
    app.login_admin().await;
    assert_eq!(app.create_dataflow(&price_service()).await.status(), StatusCode::CREATED);
    let expose = app.request(Method::POST, "/api/v1/dataflows/price/versions/1/expose");
    assert!(expose.send().await.unwrap().status().is_success());
    for net in [1, 2, 3] {
        let response = app
            .request(Method::POST, "/api/v1/services/price")
            .json(&json!({"rows": [{"net": net}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let classic = app.request(Method::GET, "/rest/price/results.json?Data.net=4").send().await.unwrap();
    assert_eq!(classic.status(), StatusCode::OK);
    let wrong = app.request(Method::POST, "/api/v1/services/price").json(&json!({"rows": [{"net": "x"}]}));
    assert_eq!(wrong.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert!(audit(&app, "action=services:").await.is_empty(), "no row per call");

    // The node writes each minute once it is over; at shutdown (here: now) the current one too.
    backend::service::call_stats::flush(&app.state, true).await;
    let rows = audit(&app, "action=services:calls&resource=service:price").await;
    assert_eq!(rows.len(), 1, "one row for the minute");
    let row = &rows[0];
    assert_eq!((row.actor.as_str(), row.outcome.as_str()), ("system", "errors"));
    assert_eq!(row.node, app.state.node_name.as_ref());
    let summary = row.after.clone().unwrap_or_default();
    assert_eq!(summary["calls"], 5, "{summary}");
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["callers"], json!(["admin"]));
    let (p50, p99) = (summary["p50_ms"].as_f64().unwrap(), summary["p99_ms"].as_f64().unwrap());
    assert!(p50 >= 0.0 && p99 >= p50, "{summary}");
    backend::service::call_stats::flush(&app.state, true).await;
    assert_eq!(audit(&app, "action=services:calls").await.len(), 1, "nothing written twice");
}

async fn denials_are_audited(app: TestApp) {
    backend::service::users::create_user(&app.state.db, "vera", "viewer-password", &["viewer"])
        .await
        .unwrap();
    app.login_admin().await;
    assert_eq!(app.create_dataflow(&crate::app::empty("shared")).await.status(), StatusCode::CREATED);
    let viewer = crate::app::cookie_client();
    let login = viewer
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "vera", "password": "viewer-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let delete = viewer.delete(app.url("/api/v1/dataflows/shared")).send().await.unwrap();
    error_body(delete, StatusCode::FORBIDDEN, "forbidden").await;
    let denied = audit(&app, "actor=vera&outcome=denied").await;
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert!(denied[0].resource.as_deref().is_some_and(|r| r.contains("shared")), "{denied:?}");
}
