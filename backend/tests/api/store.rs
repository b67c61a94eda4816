//! The configuration store: concurrent starts migrate once, readiness, cluster membership.

use backend::AppState;
use backend::config::{Config, ConfigArgs};
use model::{Health, NodeInfo, Page};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::app::{PgDatabase, TestApp};

crate::both!(health_and_readiness, nodes_list_themselves);

async fn health_and_readiness(app: TestApp) {
    let health: Health = app.get_json("/healthz").await;
    assert_eq!(health.status, "ok");
    let ready: Health = app.get_json("/readyz").await;
    assert_eq!(ready.status, "ready");
    assert!(ready.checks.iter().all(|c| c.ok), "{:?}", ready.checks);
}

async fn nodes_list_themselves(app: TestApp) {
    app.login_admin().await;
    let name = app.state.node_name.to_string();
    // The first heartbeat is written as soon as the node serves; wait for it with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let node = loop {
        let nodes: Page<NodeInfo> = app.get_json("/api/v1/cluster/nodes").await;
        if let Some(node) = nodes.items.into_iter().find(|n| n.name == name) {
            break node;
        }
        assert!(std::time::Instant::now() < deadline, "node never registered");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(node.state, "up");
    assert_eq!(node.modules, vec!["core"]);
    assert_eq!(node.address, app.base.trim_start_matches("http://"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_starting_together_migrate_once_and_create_one_admin() {
    let pg = PgDatabase::create().await;
    let dir = tempfile::tempdir().unwrap();
    let starts = (0..4).map(|i| {
        let args = ConfigArgs {
            database_url: Some(pg.url.clone()),
            data_dir: Some(dir.path().to_owned()),
            secret_key: Some("k".repeat(32)),
            node_name: Some(format!("racer-{i}")),
            ..ConfigArgs::default()
        };
        async move { AppState::start(Config::load(args).unwrap()).await }
    });
    let states = futures::future::join_all(starts).await;
    for state in &states {
        assert!(state.is_ok(), "{:?}", state.as_ref().err());
    }
    let db = &states[0].as_ref().unwrap().db;
    assert_eq!(entities::users::Entity::find().count(db).await.unwrap(), 1);
    assert_eq!(entities::roles::Entity::find().count(db).await.unwrap(), 5);
}

#[tokio::test]
async fn a_restarted_standard_install_finds_its_data_and_keeps_its_admin() {
    let app = TestApp::sqlite().await;
    app.login_admin().await;
    assert_eq!(app.create_dataflow(&crate::app::empty("kept")).await.status(), StatusCode::CREATED);
    let second = app.second_node().await;
    let response = app.client.get(format!("{second}/api/v1/dataflows/kept")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.data_dir.path().join("tributary.db").exists());
    let login = app
        .client
        .post(format!("{second}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": crate::app::ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(entities::users::Entity::find().count(&app.state.db).await.unwrap(), 1);
}
