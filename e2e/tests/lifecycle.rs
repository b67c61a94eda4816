//! The node process itself: it stops cleanly on SIGTERM and leaves the cluster view marked down;
//! its configuration is checked before anything starts.

use std::process::Command;
use std::time::Duration;

use e2e::node::{self, Node};
use e2e::pg::PgDatabase;
use e2e::wait;

#[tokio::test]
async fn sigterm_stops_the_node_cleanly_and_marks_it_down() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let pg = PgDatabase::create()?;
    let mut first = Node::start(work.path(), "stopping", Some(&pg.url)).await?;
    let second = Node::start(work.path(), "staying", Some(&pg.url)).await?;

    let status = Command::new("kill").args(["-TERM", &first.pid().to_string()]).status()?;
    assert!(status.success());
    let exit = wait::until("the node to exit", Duration::from_secs(30), || {
        let exited = first.try_exit();
        async move { exited }
    })
    .await?;
    assert!(exit.success(), "exit status {exit:?}");

    let api = second.signed_in_client().await?;
    let nodes: model::Page<model::NodeInfo> =
        api.get(format!("{}/api/v1/cluster/nodes", second.base)).send().await?.json().await?;
    let states: Vec<(String, String)> = nodes.items.into_iter().map(|n| (n.name, n.state)).collect();
    assert_eq!(states, vec![("staying".to_string(), "up".to_string()), ("stopping".into(), "down".into())]);
    Ok(())
}

#[test]
fn an_invalid_configuration_is_refused_with_every_problem() -> anyhow::Result<()> {
    let output = Command::new(node::binary()?)
        .args(["serve", "--listen", "nowhere", "--modules", "core,teleport", "--session-ttl", "soon"])
        .env("TRIBUTARY_DATABASE_URL", "mysql://elsewhere")
        .output()?;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in ["listen:", "teleport", "session_ttl:", "database_url:"] {
        assert!(stderr.contains(expected), "{expected} missing from:\n{stderr}");
    }
    Ok(())
}
