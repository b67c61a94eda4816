//! Driving the designer in Chromium: signing in to it, dragging from the palette, connecting
//! ports, filling options, saving, importing, reading what the canvas shows, timing frames;
//! and the dataflows and node the designer scenarios start from.

use std::path::Path;
use std::time::{Duration, Instant};

use model::DataflowDocument;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::api::Api;
use crate::browser::Browser;
use crate::node::{ADMIN_PASSWORD, Node};

/// Four orders in two regions; three are over 100.
pub const ORDERS: &str = "id,region,amount\n1,north,50\n2,south,150\n3,north,300\n4,south,400\n";

/// Starts timing every animation frame into `window.__frameGaps`.
pub const WATCH_FRAMES: &str = r"
    window.__frameGaps = [];
    let last = performance.now();
    const tick = (now) => {
        if (!window.__frameGaps) return;
        window.__frameGaps.push(now - last);
        last = now;
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
";

/// Stops timing frames and returns the gaps between them (ms).
pub const FRAME_GAPS: &str = r"
    const gaps = window.__frameGaps ?? [];
    window.__frameGaps = null;
    return gaps;
";

/// A chain of `count` stages (a source, transforms, a sink) in rows of 15.
pub fn big_dataflow(count: usize) -> Value {
    let at = |i: usize| json!({"x": (i % 15) * 200, "y": (i / 15) * 80});
    let mut stages =
        vec![json!({"id": "s0", "type": "read_csv", "options": {"path": "orders.csv"}, "position": at(0)})];
    for i in 1..count - 1 {
        stages.push(json!({"id": format!("s{i}"), "type": "transform", "position": at(i),
            "options": {"fields": [{"name": format!("f{i}"), "expression": "amount + 1"}]}}));
    }
    let last = count - 1;
    stages.push(json!({"id": format!("s{last}"), "type": "write_csv",
        "options": {"path": "out/chain.csv"}, "position": at(last)}));
    let edges: Vec<Value> =
        (1..count).map(|i| json!({"from": format!("s{}", i - 1), "to": format!("s{i}")})).collect();
    json!({"name": "chain", "kind": "job", "stages": stages, "edges": edges})
}

/// `read → big (amount > 100) → totals (per region) → out`, laid out left to right.
pub fn totals_job() -> Value {
    json!({"name": "totals", "kind": "job",
        "stages": [
            {"id": "read", "type": "read_csv", "options": {"path": "orders.csv"}, "position": {"x": 40, "y": 120}},
            {"id": "big", "type": "filter", "options": {"predicate": "amount > 100"}, "position": {"x": 260, "y": 120}},
            {"id": "totals", "type": "aggregate", "position": {"x": 480, "y": 120},
             "options": {"group_by": ["region"], "aggregates": [{"function": "sum", "field": "amount", "as": "total"}]}},
            {"id": "out", "type": "write_csv", "options": {"path": "out/totals.csv"}, "position": {"x": 700, "y": 120}}],
        "edges": [{"from": "read", "to": "big"}, {"from": "big", "to": "totals"}, {"from": "totals", "to": "out"}]})
}

/// A node with `orders.csv` in its data directory, and an admin session on it.
pub struct Setup {
    // Declared first: the node stops before its directory goes.
    pub node: Node,
    pub api: Api,
    _work: tempfile::TempDir,
}

impl Setup {
    pub async fn start(name: &str) -> anyhow::Result<Self> {
        let work = tempfile::tempdir()?;
        let node = Node::start(work.path(), name, None).await?;
        std::fs::write(node.data_dir().join("orders.csv"), ORDERS)?;
        let api = Api::sign_in(&node.base).await?;
        Ok(Self { node, api, _work: work })
    }
}

/// Quits the browser, after a screenshot of the page if `result` is a failure, and hands the
/// result on.
pub async fn finish(browser: Browser, result: anyhow::Result<()>) -> anyhow::Result<()> {
    let quit = browser.close(result.is_err()).await;
    result.and(quit)
}

/// Opens the designer of `dataflow`, signing in on the way.
pub async fn open(browser: &Browser, node: &Node, dataflow: &str, query: &str) -> anyhow::Result<()> {
    let url = format!("{}/dataflows/{dataflow}/design{query}", node.base);
    browser.driver.goto(&url).await?;
    browser.element(By::Id("username")).await?.send_keys("admin").await?;
    browser.element(By::Id("password")).await?.send_keys(ADMIN_PASSWORD).await?;
    browser.element(By::Id("login-submit")).await?.click().await?;
    browser.element(By::Id("main-nav")).await?;
    browser.driver.goto(&url).await?;
    browser.element(By::Id("designer-canvas")).await?;
    Ok(())
}

pub async fn search_palette(browser: &Browser, text: &str) -> anyhow::Result<()> {
    let field = browser.element(By::Id("palette-search")).await?;
    field.send_keys(Key::Control + "a").await?;
    field.send_keys(Key::Backspace).await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Drags palette entry `stage_type` onto the canvas at `at` (fractions of its width and
/// height) and returns the drop point in client pixels. Chromium fires no HTML5 drag events for
/// WebDriver's pointer actions, so the page gets the ones a mouse would cause, sharing one
/// `DataTransfer`: `dragstart` on the entry, `dragenter`, `dragover` and `drop` on what lies
/// under the point, `dragend` on the entry.
pub async fn drop_from_palette(
    browser: &Browser,
    stage_type: &str,
    at: (f64, f64),
) -> anyhow::Result<(f64, f64)> {
    const DRAG: &str = r"
        const [item, canvas, fx, fy] = arguments;
        const box = canvas.getBoundingClientRect();
        const x = box.left + box.width * fx, y = box.top + box.height * fy;
        const target = document.elementFromPoint(x, y);
        if (!target || !canvas.contains(target)) return 'the point is not on the canvas';
        const data = new DataTransfer();
        const from = item.getBoundingClientRect();
        const fire = (element, type, clientX, clientY) => element.dispatchEvent(new DragEvent(type,
            {bubbles: true, cancelable: true, composed: true, dataTransfer: data, clientX, clientY}));
        fire(item, 'dragstart', from.left + 10, from.top + 10);
        fire(target, 'dragenter', x, y);
        const accepted = !fire(target, 'dragover', x, y);
        fire(target, 'drop', x, y);
        fire(item, 'dragend', x, y);
        return accepted ? [x, y] : 'the canvas did not accept the drag';
    ";
    let item = browser.element(By::Id(format!("palette-item-{stage_type}"))).await?;
    let canvas = browser.element(By::Id("designer-canvas")).await?;
    let args = vec![item.to_json()?, canvas.to_json()?, json!(at.0), json!(at.1)];
    let answer = browser.driver.execute(DRAG, args).await?.json().clone();
    match (answer[0].as_f64(), answer[1].as_f64()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => anyhow::bail!("dropping {stage_type}: {answer}"),
    }
}

pub async fn connect(browser: &Browser, from: &str, to: &str) -> anyhow::Result<()> {
    let from = browser.element(By::Id(from)).await?;
    let to = browser.element(By::Id(to)).await?;
    browser.driver.action_chain().drag_and_drop_element(&from, &to).perform().await?;
    Ok(())
}

/// Selects `stage` and types `value` into the field of `option`.
pub async fn set_option(browser: &Browser, stage: &str, option: &str, value: &str) -> anyhow::Result<()> {
    browser.element(By::Id(format!("stage-{stage}"))).await?.click().await?;
    let field = browser.element(By::Id(format!("prop-{option}"))).await?;
    field.clear().await?;
    field.send_keys(value).await?;
    field.send_keys(Key::Tab).await?;
    Ok(())
}

/// Selects `stage` and waits until the field of `option` shows `want`.
pub async fn wait_value(browser: &Browser, stage: &str, option: &str, want: &str) -> anyhow::Result<()> {
    browser.element(By::Id(format!("stage-{stage}"))).await?.click().await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let field = browser.element(By::Id(format!("prop-{option}"))).await?;
        let value = field.prop("value").await?.unwrap_or_default();
        if value == want {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "{stage}'s {option} is {value:?}, not {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses `value` in the drop-down `id`, waiting until it offers it.
pub async fn choose(browser: &Browser, id: &str, value: &str) -> anyhow::Result<()> {
    browser.element(By::Css(format!("select#{id} option[value='{value}']"))).await?.click().await?;
    Ok(())
}

/// Saves with `comment` and waits until version `version` is saved.
pub async fn save(browser: &Browser, comment: &str, version: i32) -> anyhow::Result<()> {
    if !comment.is_empty() {
        browser.element(By::Id("save-comment")).await?.send_keys(comment).await?;
    }
    browser.element(By::Id("designer-save")).await?.click().await?;
    wait_text(browser, By::Id("designer-version"), &format!("v{version} saved")).await
}

/// Gives the import file input `text` as file `name` (written under `dir`).
pub async fn import(browser: &Browser, dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    // The input hides behind its label; file inputs take keys all the same.
    let input = browser.driver.find(By::Id("designer-import")).await?;
    input.send_keys(path.display().to_string()).await?;
    Ok(())
}

/// The ids of the stages drawn on the canvas, sorted.
pub async fn canvas_stages(browser: &Browser) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for stage in browser.driver.find_all(By::Css("#designer-canvas g.stage")).await? {
        ids.push(stage.attr("data-stage").await?.unwrap_or_default());
    }
    ids.sort();
    Ok(ids)
}

/// Waits until nothing matches `by`.
pub async fn wait_gone(browser: &Browser, by: By) -> anyhow::Result<()> {
    anyhow::ensure!(browser.gone(by.clone()).await?, "{by:?} is still there");
    Ok(())
}

pub async fn wait_text(browser: &Browser, by: By, want: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = browser.element(by.clone()).await?.text().await?;
        if text.contains(want) {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "{by:?} says {text:?}, not {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `window[name]` once the page has set it to a number.
pub async fn window_number(browser: &Browser, name: &str) -> anyhow::Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = browser.driver.execute(format!("return window.{name} ?? null;"), vec![]).await?;
        if let Some(number) = value.json().as_f64() {
            return Ok(number);
        }
        anyhow::ensure!(Instant::now() < deadline, "the page never set {name}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where a stage box is drawn: its `translate(x y)`.
pub async fn translation(stage: &WebElement) -> anyhow::Result<(f64, f64)> {
    let transform = stage.attr("transform").await?.unwrap_or_default();
    let numbers: Vec<f64> = transform
        .trim_start_matches("translate(")
        .trim_end_matches(')')
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [x, y] => Ok((x, y)),
        _ => anyhow::bail!("unexpected transform {transform:?}"),
    }
}

pub fn stage_ids(document: &DataflowDocument) -> Vec<&str> {
    document.stages.iter().map(|s| s.id.as_str()).collect()
}

pub fn option(document: &DataflowDocument, stage: &str, name: &str) -> Value {
    let stage = document.stages.iter().find(|s| s.id == stage);
    stage.and_then(|s| s.options.get(name).cloned()).unwrap_or(Value::Null)
}
