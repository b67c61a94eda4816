//! The designer in real Chromium: build a job with the mouse (palette, auto-layout, connect by
//! dragging port to port), fill its options in the property panel, watch validation clear,
//! undo and redo, save with a comment, expose and run it with live row counts on the edges;
//! and how long a 300-stage dataflow takes to render (printed for the benchmark note).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use e2e::browser::Browser;
use e2e::node::{ADMIN_PASSWORD, Node};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_designed_saved_and_run_in_the_browser() -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let node = Node::start(work.path(), "e2e-designer", None).await?;
    std::fs::write(node.data_dir().join("orders.csv"), "id,amount\n1,50\n2,150\n3,300\n")?;
    let api = node.signed_in_client().await?;
    let empty = json!({"name": "orders", "kind": "job"});
    assert!(
        api.post(format!("{}/api/v1/dataflows", node.base)).json(&empty).send().await?.status().is_success()
    );
    let big = big_dataflow(300);
    assert!(
        api.post(format!("{}/api/v1/dataflows", node.base)).json(&big).send().await?.status().is_success()
    );

    let browser = Browser::start("designer").await?;
    let result = steps(&browser, &node).await;
    if result.is_err() {
        let _ = browser.screenshot("failure").await;
    }
    browser.quit().await?;
    result?;
    assert_eq!(std::fs::read_to_string(node.data_dir().join("out/big.csv"))?, "id,amount\n2,150\n3,300\n");
    let stored: model::Dataflow =
        api.get(format!("{}/api/v1/dataflows/orders", node.base)).send().await?.json().await?;
    assert_eq!((stored.document.stages.len(), stored.document.edges.len()), (3, 2));
    Ok(())
}

/// A chain of `count` stages: a source, transforms, a sink.
fn big_dataflow(count: usize) -> Value {
    let mut stages = vec![json!({"id": "s0", "type": "read_csv", "options": {"path": "orders.csv"}})];
    for i in 1..count - 1 {
        stages.push(json!({"id": format!("s{i}"), "type": "transform",
            "options": {"fields": [{"name": format!("f{i}"), "expression": "amount + 1"}]}}));
    }
    stages.push(
        json!({"id": format!("s{}", count - 1), "type": "write_csv", "options": {"path": "out/chain.csv"}}),
    );
    let edges: Vec<Value> =
        (1..count).map(|i| json!({"from": format!("s{}", i - 1), "to": format!("s{i}")})).collect();
    json!({"name": "chain", "kind": "job", "stages": stages, "edges": edges})
}

async fn sign_in(browser: &Browser) -> anyhow::Result<()> {
    browser.element(By::Id("username")).await?.send_keys("admin").await?;
    browser.element(By::Id("password")).await?.send_keys(ADMIN_PASSWORD).await?;
    browser.element(By::Id("login-submit")).await?.click().await?;
    browser.element(By::Id("main-nav")).await?;
    Ok(())
}

/// Find a stage type in the palette by typing, then add it with a click.
async fn add_stage(browser: &Browser, search: &str, stage_type: &str) -> anyhow::Result<()> {
    let field = browser.element(By::Id("palette-search")).await?;
    field.send_keys(Key::Control + "a").await?;
    field.send_keys(Key::Backspace).await?;
    field.send_keys(search).await?;
    browser.element(By::Id(format!("palette-item-{stage_type}"))).await?.click().await?;
    Ok(())
}

async fn set_option(browser: &Browser, stage: &str, option: &str, value: &str) -> anyhow::Result<()> {
    browser.element(By::Id(format!("stage-{stage}"))).await?.click().await?;
    let field = browser.element(By::Id(format!("prop-{option}"))).await?;
    field.clear().await?;
    field.send_keys(value).await?;
    field.send_keys(Key::Tab).await?;
    Ok(())
}

async fn connect(browser: &Browser, from: &str, to: &str) -> anyhow::Result<()> {
    let from = browser.element(By::Id(from)).await?;
    let to = browser.element(By::Id(to)).await?;
    browser.driver.action_chain().drag_and_drop_element(&from, &to).perform().await?;
    Ok(())
}

async fn wait_text(browser: &Browser, id: &str, want: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = browser.element(By::Id(id)).await?.text().await?;
        if text.contains(want) {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "#{id} says {text:?}, not {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn steps(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    browser.driver.goto(format!("{}/dataflows/orders/design", node.base)).await?;
    sign_in(browser).await?;
    browser.driver.goto(format!("{}/dataflows/orders/design", node.base)).await?;
    browser.element(By::Id("designer-canvas")).await?;

    for (search, stage_type) in [("read csv", "read_csv"), ("filter", "filter"), ("write csv", "write_csv")] {
        add_stage(browser, search, stage_type).await?;
    }
    for stage in ["read_csv", "filter", "write_csv"] {
        browser.element(By::Id(format!("stage-{stage}"))).await?;
    }
    browser.element(By::Id("designer-layout")).await?.click().await?;
    connect(browser, "port-read_csv-out-out", "port-filter-in-in").await?;
    connect(browser, "port-filter-out-out", "port-write_csv-in-in").await?;
    browser.element(By::Id("edge-1")).await?;
    browser.element(By::Id("designer-layout")).await?.click().await?;
    browser.screenshot("01-connected").await?;

    set_option(browser, "read_csv", "path", "orders.csv").await?;
    set_option(browser, "filter", "predicate", "amount > 100").await?;
    set_option(browser, "write_csv", "path", "out/big.csv").await?;
    // The browser's checks and then the server's find nothing left to fix.
    wait_text(browser, "problems-count", "0").await?;
    browser.screenshot("02-valid").await?;

    // Undo takes the last option back (a problem again), redo restores it.
    browser.element(By::Id("designer-undo")).await?.click().await?;
    browser.element(By::Css("#stage-write_csv.has-problems")).await?;
    browser.element(By::Id("designer-redo")).await?.click().await?;
    assert!(browser.gone(By::Css("#stage-write_csv.has-problems")).await?);

    browser.element(By::Id("save-comment")).await?.send_keys("first design").await?;
    browser.element(By::Id("designer-save")).await?.click().await?;
    wait_text(browser, "designer-version", "v2 saved").await?;
    let dirty = browser.driver.find_all(By::Id("designer-dirty")).await?;
    for marker in dirty {
        assert!(!marker.is_displayed().await?, "saved, yet unsaved changes are still shown");
    }

    browser.element(By::Id("tab-run")).await?.click().await?;
    browser.element(By::Id("run-expose")).await?.click().await?;
    browser.element(By::Id("designer-run")).await?.click().await?;
    browser.element(By::Css("#run-status[data-status='succeeded']")).await?;
    wait_text(browser, "edge-count-0", "3").await?;
    wait_text(browser, "edge-count-1", "2").await?;
    browser.screenshot("03-ran").await?;

    // Rendering a large dataflow: measured for the note, not asserted (a benchmark's job).
    browser.driver.goto(format!("{}/dataflows/chain/design?perf=1", node.base)).await?;
    browser.element(By::Id("stage-s299")).await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let render_ms = loop {
        let value = browser.driver.execute("return window.__designerRenderMs ?? null;", vec![]).await?;
        if let Some(ms) = value.json().as_f64() {
            break ms;
        }
        anyhow::ensure!(Instant::now() < deadline, "no render time recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!("designer: 300 stages rendered in {render_ms:.0} ms");
    browser.screenshot("04-300-stages").await?;
    Ok(())
}
