//! The designer in real Chromium, one journey per test:
//! - a job built on an empty canvas: `read_csv → filter → aggregate → write_csv` dragged from
//!   the palette and connected port to port, options filled in the property panel while a
//!   validation marker comes and goes, undo and redo, an edge previewed, then saved, exposed
//!   and run with live row counts on the edges, and the run's page with its log;
//! - versions: the list, an older one opened read-only, what changed between two;
//! - a second session saving first: the 412 dialog, both ways out of it, nothing lost;
//! - export to a downloaded file, import of a good file and refusal of two bad ones;
//! - a `read_db` stage offering the database connections by name;
//! - a 300-stage dataflow: its render time and the frame time while a stage is dragged,
//!   printed for the benchmark note (a benchmark, not a test, guards speed).
//!
//! Screenshots of every step go to `<target>/e2e-screenshots/designer*/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use e2e::browser::Browser;
use e2e::designer::*;
use e2e::node::Node;
use model::{Dataflow, DataflowDocument, DataflowVersion, Page, VersionInfo};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

/// One scenario at a time: several Chromiums and nodes side by side on a small machine would
/// slow every step and blur the printed figures.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_designed_from_an_empty_canvas_and_run_in_the_browser() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer").await?;
    let _: Value = setup.api.post("/api/v1/dataflows", &json!({"name": "orders", "kind": "job"})).await?;

    let browser = Browser::start("designer").await?;
    let result = design_and_run(&browser, &setup.node).await;
    finish(browser, result).await?;

    let written = std::fs::read_to_string(setup.node.data_dir().join("out/totals.csv"))?;
    let mut lines: Vec<&str> = written.lines().collect();
    lines[1..].sort_unstable();
    assert_eq!(lines, ["region,total", "north,300", "south,550"]);
    let stored: Dataflow = setup.api.get("/api/v1/dataflows/orders").await?;
    assert_eq!(stage_ids(&stored.document), ["read_csv", "filter", "aggregate", "write_csv"]);
    assert_eq!(stored.document.edges.len(), 3);
    Ok(())
}

async fn design_and_run(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    open(browser, node, "orders", "").await?;
    drop_and_connect(browser).await?;
    configure(browser).await?;
    preview_last_edge(browser).await?;
    save_and_run(browser).await
}

/// Four stages dragged from the palette onto an empty canvas, laid out and connected.
async fn drop_and_connect(browser: &Browser) -> anyhow::Result<()> {
    browser.element(By::Id("canvas-empty")).await?;
    browser.screenshot("01-empty").await?;

    // Each stage lands where it is dropped (as fractions of the canvas).
    for (search, stage_type, at) in [
        ("read csv", "read_csv", (0.15, 0.3)),
        ("filter", "filter", (0.38, 0.7)),
        ("aggregate", "aggregate", (0.62, 0.3)),
        ("write csv", "write_csv", (0.85, 0.7)),
    ] {
        search_palette(browser, search).await?;
        let (x, y) = drop_from_palette(browser, stage_type, at).await?;
        let drawn = browser.element(By::Id(format!("stage-{stage_type}"))).await?.rect().await?;
        let inside =
            (drawn.x..=drawn.x + drawn.width).contains(&x) && (drawn.y..=drawn.y + drawn.height).contains(&y);
        anyhow::ensure!(inside, "{stage_type} dropped at ({x}, {y}), drawn at {drawn:?}");
    }
    wait_gone(browser, By::Id("canvas-empty")).await?;
    browser.screenshot("02-dropped").await?;

    browser.element(By::Id("designer-layout")).await?.click().await?;
    connect(browser, "port-read_csv-out-out", "port-filter-in-in").await?;
    connect(browser, "port-filter-out-out", "port-aggregate-in-in").await?;
    connect(browser, "port-aggregate-out-out", "port-write_csv-in-in").await?;
    browser.element(By::Id("edge-2")).await?;
    browser.element(By::Id("designer-layout")).await?.click().await?;
    browser.screenshot("03-connected").await?;
    Ok(())
}

/// Every option, the aggregate's through its list editor; its marker comes and goes.
async fn configure(browser: &Browser) -> anyhow::Result<()> {
    set_option(browser, "read_csv", "path", "orders.csv").await?;
    set_option(browser, "filter", "predicate", "amount > 100").await?;
    set_option(browser, "write_csv", "path", "out/totals.csv").await?;
    // Group by region (the field lists come from the server's check of the connected input)
    // and sum the amounts: the marker stays until the sum has a name.
    browser.element(By::Id("stage-aggregate")).await?.click().await?;
    choose(browser, "prop-group_by", "region").await?;
    browser.element(By::Id("prop-aggregates-add")).await?.click().await?;
    choose(browser, "prop-aggregates-0-function", "sum").await?;
    choose(browser, "prop-aggregates-0-field", "amount").await?;
    browser.element(By::Id("prop-aggregates-0-as-problem")).await?;
    browser.element(By::Css("#stage-aggregate.has-problems")).await?;
    browser.screenshot("04-marker").await?;
    let result_name = browser.element(By::Id("prop-aggregates-0-as")).await?;
    result_name.send_keys("total").await?;
    result_name.send_keys(Key::Tab).await?;
    wait_gone(browser, By::Css("#stage-aggregate.has-problems")).await?;
    // The browser's checks and then the server's find nothing left to fix.
    browser.element(By::Css("#problems-count.zero")).await?;
    browser.screenshot("05-valid").await?;

    // Undo takes the name back (the marker returns), redo restores it.
    browser.element(By::Id("designer-undo")).await?.click().await?;
    browser.element(By::Css("#stage-aggregate.has-problems")).await?;
    browser.element(By::Id("designer-redo")).await?.click().await?;
    wait_gone(browser, By::Css("#stage-aggregate.has-problems")).await?;
    Ok(())
}

/// The last edge carries the totals per region, before anything is saved.
async fn preview_last_edge(browser: &Browser) -> anyhow::Result<()> {
    let edge = browser.element(By::Id("edge-2")).await?;
    browser.driver.action_chain().click_element(&edge).perform().await?;
    wait_text(browser, By::Id("preview-count"), "2 rows shown").await?;
    // The schema heads the columns (a name and a type each, shown in capitals), then the rows.
    let grid = browser.element(By::Id("preview-grid")).await?;
    let types = grid.find_all(By::Css("thead .field-type")).await?.len();
    anyhow::ensure!(types == 2, "{types} field types in the preview's heading");
    let text = grid.text().await?.to_lowercase();
    for cell in ["region", "total", "north", "300", "south", "550"] {
        anyhow::ensure!(text.contains(cell), "no {cell:?} in the preview: {text}");
    }
    browser.screenshot("06-preview").await?;
    Ok(())
}

/// Saved, exposed and run with its counts on the edges; then the run's own page and log.
async fn save_and_run(browser: &Browser) -> anyhow::Result<()> {
    save(browser, "totals per region", 2).await?;
    for marker in browser.driver.find_all(By::Id("designer-dirty")).await? {
        anyhow::ensure!(!marker.is_displayed().await?, "saved, yet unsaved changes are still shown");
    }

    browser.element(By::Id("tab-run")).await?.click().await?;
    browser.element(By::Id("run-expose")).await?.click().await?;
    wait_gone(browser, By::Id("run-expose")).await?;
    browser.element(By::Id("designer-run")).await?.click().await?;
    browser.element(By::Css("#run-status[data-status='succeeded']")).await?;
    for (edge, rows) in [(0, "4"), (1, "3"), (2, "2")] {
        wait_text(browser, By::Id(format!("edge-count-{edge}")), rows).await?;
    }
    browser.screenshot("07-ran").await?;

    browser.element(By::Id("run-link")).await?.click().await?;
    wait_text(browser, By::Id("run-dataflow"), "orders").await?;
    browser.element(By::Css("#run-status[data-status='succeeded']")).await?;
    wait_text(browser, By::Id("run-logs"), "succeeded").await?;
    let logs = browser.element(By::Id("run-logs")).await?;
    let text = logs.text().await?;
    anyhow::ensure!(text.contains("wrote 2 record(s)"), "{text}");
    logs.scroll_into_view().await?;
    browser.screenshot("08-run-page").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_are_listed_opened_read_only_and_compared() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer-versions").await?;
    let _: Value = setup.api.post("/api/v1/dataflows", &totals_job()).await?;

    let browser = Browser::start("designer-versions").await?;
    let result = versions(&browser, &setup.node).await;
    finish(browser, result).await?;

    let listed: Page<VersionInfo> = setup.api.get("/api/v1/dataflows/totals/versions").await?;
    assert_eq!(listed.items.len(), 3);
    Ok(())
}

async fn versions(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    open(browser, node, "totals", "").await?;
    set_option(browser, "big", "predicate", "amount > 200").await?;
    save(browser, "raise the bar", 2).await?;
    set_option(browser, "out", "path", "out/big-totals.csv").await?;
    save(browser, "another file", 3).await?;

    browser.element(By::Id("tab-versions")).await?.click().await?;
    wait_text(browser, By::Css("#versions-list li[data-version='2']"), "raise the bar").await?;
    let listed = browser.driver.find_all(By::Css("#versions-list li[data-version]")).await?;
    let mut numbers = Vec::new();
    for item in listed {
        numbers.push(item.attr("data-version").await?.unwrap_or_default());
    }
    anyhow::ensure!(numbers == ["3", "2", "1"], "versions listed: {numbers:?}");
    browser.screenshot("01-versions").await?;

    // Version 1, read-only: its values show, but nothing can change them.
    browser.element(By::Id("version-open-1")).await?.click().await?;
    wait_text(browser, By::Id("viewing-banner"), "Viewing version 1, read-only.").await?;
    browser.element(By::Css("#designer-canvas.read-only")).await?;
    browser.element(By::Id("tab-properties")).await?.click().await?;
    wait_value(browser, "big", "predicate", "amount > 100").await?;
    for control in ["prop-predicate", "designer-save", "save-comment", "palette-item-filter"] {
        anyhow::ensure!(!browser.element(By::Id(control)).await?.is_enabled().await?, "{control} is enabled");
    }
    browser.element(By::Id("designer-canvas")).await?.send_keys(Key::Delete).await?;
    wait_text(browser, By::Id("designer-status"), "shown read-only").await?;
    browser.element(By::Id("stage-big")).await?;
    browser.screenshot("02-version-1").await?;

    browser.element(By::Id("version-back")).await?.click().await?;
    wait_gone(browser, By::Id("viewing-banner")).await?;
    // The refusal is gone with the old version (an empty status line is not displayed).
    let status = browser.driver.find(By::Id("designer-status")).await?.text().await?;
    anyhow::ensure!(!status.contains("read-only"), "back to editing, the status says {status:?}");
    wait_value(browser, "big", "predicate", "amount > 200").await?;
    let editable = browser.element(By::Id("prop-predicate")).await?.is_enabled().await?;
    anyhow::ensure!(editable, "back to editing, the field is still disabled");
    wait_text(browser, By::Id("designer-version"), "v3 saved").await?;
    compare_versions(browser).await
}

/// What changed from version 1 to version 3: both options, old and new values.
async fn compare_versions(browser: &Browser) -> anyhow::Result<()> {
    browser.element(By::Id("tab-versions")).await?.click().await?;
    choose(browser, "diff-from", "1").await?;
    choose(browser, "diff-to", "3").await?;
    browser.element(By::Id("diff-show")).await?.click().await?;
    wait_text(browser, By::Id("version-diff"), "Stage big: predicate").await?;
    let diff = browser.element(By::Id("version-diff")).await?;
    diff.scroll_into_view().await?;
    let diff = diff.text().await?;
    for said in ["amount > 100", "amount > 200", "Stage out: path", "out/big-totals.csv"] {
        anyhow::ensure!(diff.contains(said), "the diff does not say {said:?}: {diff}");
    }
    browser.screenshot("03-diff").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_save_from_a_second_session_loses_nothing() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer-conflict").await?;
    let _: Value = setup.api.post("/api/v1/dataflows", &totals_job()).await?;

    let mine = Browser::start("designer-conflict-mine").await?;
    let theirs = match Browser::start("designer-conflict-theirs").await {
        Ok(browser) => browser,
        Err(error) => return finish(mine, Err(error)).await,
    };
    let result = conflict(&mine, &theirs, &setup.node).await;
    let result = finish(theirs, result).await;
    finish(mine, result).await?;

    // Every save is a version of its own.
    let mut versions = Vec::new();
    for n in 2..=5 {
        versions
            .push(setup.api.get::<DataflowVersion>(&format!("/api/v1/dataflows/totals/versions/{n}")).await?);
    }
    let [v2, v3, v4, v5] = &versions[..] else { anyhow::bail!("versions 2 to 5 were not all read") };
    let facts =
        |v: &DataflowVersion| (option(&v.document, "big", "predicate"), option(&v.document, "out", "path"));
    assert_eq!(facts(v2), (json!("amount > 200"), json!("out/totals.csv")));
    assert_eq!(facts(v3), (json!("amount > 200"), json!("out/a.csv")));
    assert_eq!(facts(v4), (json!("amount > 250"), json!("out/a.csv")));
    // "Save mine as newer" stored exactly my document, on top of theirs.
    let mut expected = v3.document.clone();
    let out = expected.stages.iter_mut().find(|s| s.id == "out").expect("stage out");
    out.options.insert("path".into(), json!("out/mine.csv"));
    assert_eq!(v5.document, expected);
    Ok(())
}

async fn conflict(mine: &Browser, theirs: &Browser, node: &Node) -> anyhow::Result<()> {
    open(mine, node, "totals", "").await?;
    open(theirs, node, "totals", "").await?;

    // They save first; my save meets the 412 and I take theirs, mine one undo away.
    set_option(theirs, "big", "predicate", "amount > 200").await?;
    save(theirs, "", 2).await?;
    set_option(mine, "out", "path", "out/a.csv").await?;
    mine.element(By::Id("designer-save")).await?.click().await?;
    wait_text(mine, By::Id("conflict-dialog"), "Version 2 was saved by admin").await?;
    mine.screenshot("01-conflict").await?;
    mine.element(By::Id("conflict-reload")).await?.click().await?;
    wait_gone(mine, By::Id("conflict-dialog")).await?;
    wait_text(mine, By::Id("designer-version"), "v2 saved").await?;
    wait_value(mine, "big", "predicate", "amount > 200").await?;
    wait_value(mine, "out", "path", "out/totals.csv").await?;
    mine.element(By::Id("designer-undo")).await?.click().await?;
    wait_value(mine, "out", "path", "out/a.csv").await?;
    mine.element(By::Id("designer-redo")).await?.click().await?;
    wait_value(mine, "out", "path", "out/totals.csv").await?;
    mine.screenshot("02-theirs-reloaded").await?;
    // My change again, on top of theirs.
    set_option(mine, "out", "path", "out/a.csv").await?;
    save(mine, "", 3).await?;

    // They save again; this time I save mine as the newer version.
    theirs.driver.refresh().await?;
    wait_text(theirs, By::Id("designer-version"), "v3 saved").await?;
    set_option(theirs, "big", "predicate", "amount > 250").await?;
    save(theirs, "", 4).await?;
    set_option(mine, "out", "path", "out/mine.csv").await?;
    mine.element(By::Id("designer-save")).await?.click().await?;
    wait_text(mine, By::Id("conflict-dialog"), "Version 4 was saved by admin").await?;
    mine.element(By::Id("conflict-overwrite")).await?.click().await?;
    wait_text(mine, By::Id("designer-version"), "v5 saved").await?;
    wait_gone(mine, By::Id("conflict-dialog")).await?;
    mine.screenshot("03-mine-saved").await?;
    theirs.screenshot("01-theirs").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dataflow_is_exported_and_imported_as_json() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer-transfer").await?;
    let _: Value = setup.api.post("/api/v1/dataflows", &totals_job()).await?;

    let browser = Browser::start("designer-transfer").await?;
    let result = export_and_import(&browser, &setup).await;
    finish(browser, result).await?;

    let stored: Dataflow = setup.api.get("/api/v1/dataflows/totals").await?;
    assert_eq!(stored.summary.version, 2);
    assert_eq!(stored.document.name, "totals");
    assert_eq!(stage_ids(&stored.document), ["source", "sink"]);
    Ok(())
}

async fn export_and_import(browser: &Browser, setup: &Setup) -> anyhow::Result<()> {
    open(browser, &setup.node, "totals", "").await?;
    browser.element(By::Id("designer-export")).await?.click().await?;
    let exported = std::fs::read_to_string(browser.downloaded("totals.json").await?)?;
    let exported: DataflowDocument = serde_json::from_str(&exported)?;
    let stored: Dataflow = setup.api.get("/api/v1/dataflows/totals").await?;
    anyhow::ensure!(exported == stored.document, "the export differs from the saved document: {exported:?}");
    anyhow::ensure!(stage_ids(&exported) == ["read", "big", "totals", "out"], "exported {exported:?}");
    browser.screenshot("01-exported").await?;

    // A good file becomes the working copy, under this dataflow's name.
    let files = tempfile::tempdir()?;
    let copy = json!({"name": "copy", "kind": "job",
        "stages": [
            {"id": "source", "type": "read_csv", "options": {"path": "orders.csv"}, "position": {"x": 40, "y": 80}},
            {"id": "sink", "type": "write_csv", "options": {"path": "out/copy.csv"}, "position": {"x": 300, "y": 80}}],
        "edges": [{"from": "source", "to": "sink"}]});
    import(browser, files.path(), "copy.json", &copy.to_string()).await?;
    browser.element(By::Id("stage-source")).await?;
    wait_gone(browser, By::Id("stage-totals")).await?;
    wait_text(browser, By::Id("designer-status"), "Imported").await?;
    let drawn = canvas_stages(browser).await?;
    anyhow::ensure!(drawn == ["sink", "source"], "the canvas shows {drawn:?}");
    browser.screenshot("02-imported").await?;

    // Bad files are refused with the reason; the canvas stays as it was.
    let mut unknown_type = copy.clone();
    unknown_type["stages"][1]["type"] = json!("teleport");
    for (file, text, reason) in [
        ("broken.json", r#"{"name": "broken", "stages": ["#.to_owned(), "The file is not valid JSON (line 1"),
        ("teleport.json", unknown_type.to_string(), "teleport"),
    ] {
        import(browser, files.path(), file, &text).await?;
        wait_text(browser, By::Id("import-error"), reason).await?;
        let drawn = canvas_stages(browser).await?;
        anyhow::ensure!(drawn == ["sink", "source"], "after {file}, the canvas shows {drawn:?}");
    }
    let refusal = browser.element(By::Id("import-error")).await?.text().await?;
    anyhow::ensure!(refusal.contains("nothing was loaded"), "{refusal}");
    browser.screenshot("03-import-refused").await?;

    save(browser, "imported", 2).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_db_stage_offers_the_database_connections() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer-connections").await?;
    for connection in [
        json!({"name": "warehouse", "kind": "sqlite", "path": "warehouse.sqlite"}),
        json!({"name": "landing", "kind": "directory", "path": "."}),
    ] {
        let _: Value = setup.api.post("/api/v1/connections", &connection).await?;
    }
    let lookup = json!({"name": "lookup", "kind": "job", "stages": [
        {"id": "read", "type": "read_db", "options": {}, "position": {"x": 80, "y": 80}}], "edges": []});
    let _: Value = setup.api.post("/api/v1/dataflows", &lookup).await?;

    let browser = Browser::start("designer-connections").await?;
    let result = pick_connection(&browser, &setup.node).await;
    finish(browser, result).await
}

async fn pick_connection(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    open(browser, node, "lookup", "").await?;
    browser.element(By::Id("stage-read")).await?.click().await?;
    let field = browser.element(By::Id("prop-connection")).await?;
    let list = field.attr("list").await?.unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(20);
    let offered = loop {
        let mut names = Vec::new();
        for option in browser.driver.find_all(By::Css(format!("datalist#{list} option"))).await? {
            names.extend(option.attr("value").await?);
        }
        if !names.is_empty() || Instant::now() > deadline {
            break names;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Databases only: a directory cannot be read with read_db.
    anyhow::ensure!(offered == ["warehouse"], "the field offers {offered:?}");
    set_option(browser, "read", "connection", "warehouse").await?;
    wait_value(browser, "read", "connection", "warehouse").await?;
    browser.screenshot("01-connection-offered").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_stage_dataflow_renders_and_drags_in_the_browser() -> anyhow::Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let setup = Setup::start("e2e-designer-perf").await?;
    let _: Value = setup.api.post("/api/v1/dataflows", &big_dataflow(300)).await?;

    let browser = Browser::start("designer-perf").await?;
    let result = render_and_drag(&browser, &setup.node).await;
    finish(browser, result).await
}

/// Render and drag times are measured for the note, not asserted (a benchmark's job).
async fn render_and_drag(browser: &Browser, node: &Node) -> anyhow::Result<()> {
    open(browser, node, "chain", "?perf=1").await?;
    browser.element(By::Id("stage-s299")).await?;
    let render_ms = window_number(browser, "__designerRenderMs").await?;
    browser.screenshot("01-300-stages").await?;

    // A stage in the middle, dragged by small pointer moves as a hand would, while every frame
    // is timed: a frame the drag held up shows as a long gap.
    let stage = browser.element(By::Id("stage-s157")).await?;
    let before = translation(&stage).await?;
    let handle = stage.find(By::Css(".stage-box")).await?;
    browser.driver.execute(WATCH_FRAMES, vec![]).await?;
    let mut drag = browser
        .driver
        .action_chain_with_delay(None, Some(Duration::from_millis(50)))
        .move_to_element_center(&handle)
        .click_and_hold();
    for _ in 0..20 {
        drag = drag.move_by_offset(4, 2);
    }
    drag.release().perform().await?;
    let gaps = browser.driver.execute(FRAME_GAPS, vec![]).await?.json().clone();
    let gaps: Vec<f64> = gaps.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    let drag_ms = window_number(browser, "__designerDragMs").await?;
    let measured = window_number(browser, "__designerDragFrames").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = translation(&stage).await?;
        if now.0 - before.0 > 100.0 {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the stage went from {before:?} to {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.screenshot("02-dragged").await?;
    let longest = gaps.iter().copied().fold(0.0, f64::max);
    let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
    println!(
        "designer: 300 stages rendered in {render_ms:.0} ms; dragging a stage: \
         {drag_ms:.1} ms from pointer move to the next frame (mean of {measured:.0} moves), \
         {} frames {mean:.1} ms apart on average, the longest gap {longest:.1} ms",
        gaps.len()
    );
    Ok(())
}
