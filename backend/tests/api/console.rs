//! The console is served by the node itself: index for every console route, assets of its
//! release with the right types, compressed when the browser accepts it, kept by browsers for good;
//! another release's assets are not found.

use reqwest::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn console_routes_get_the_index_and_assets_their_types() {
    let app = TestApp::sqlite().await;
    for path in ["/", "/dataflows", "/dataflows/orders", "/login"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'"));
        let html = response.text().await.unwrap();
        assert!(html.contains("<title>Tributary</title>"), "{path}: {html}");
    }
    if option_env!("SKIP_FRONTEND_BUILD").is_some() {
        return;
    }
    let index = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let html = index.text().await.unwrap();
    // The page names its release in every asset link: /assets/<release>/boot.js.
    let release = html.split("\"/assets/").nth(1).and_then(|rest| rest.split_once('/')).unwrap().0.to_owned();
    assert_eq!(release.len(), 16, "{html}");
    assert!(html.contains(&format!("\"/assets/{release}/boot.js\"")), "{html}");
    assert!(html.contains(&format!("\"/assets/{release}/style.css\"")), "{html}");
    let assets = |file: &str| app.url(&format!("/assets/{release}/{file}"));
    let wasm =
        app.client.get(assets("frontend_bg.wasm")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["vary"], "accept-encoding");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    let etag = wasm.headers()["etag"].clone();
    let gzipped = wasm.bytes().await.unwrap();
    assert_eq!(gzipped[..2], [0x1f, 0x8b], "not gzip");
    // A client that does not accept gzip gets the module itself.
    let plain = app.client.get(assets("frontend_bg.wasm")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    assert_eq!(plain[..4], *b"\0asm");
    assert!(gzipped.len() * 2 < plain.len(), "{} gzipped vs {} plain", gzipped.len(), plain.len());
    let again =
        app.client.get(assets("frontend_bg.wasm")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let js = app.client.get(assets("frontend.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
    // The modules loaded on demand (the designer, the other sections) and the script that
    // fetches them.
    let loader = app.client.get(assets("__wasm_split.js")).send().await.unwrap();
    assert_eq!(loader.headers()["content-type"], "text/javascript; charset=utf-8");
    let loader = loader.text().await.unwrap();
    for module in ["split_designer.wasm", "split_sections.wasm"] {
        assert!(loader.contains(module), "{module} missing from the loader");
        let served = app.client.get(assets(module)).send().await.unwrap();
        assert_eq!(served.headers()["content-type"], "application/wasm");
        assert_eq!(served.bytes().await.unwrap()[..4], *b"\0asm");
    }
    // Unknown files, the files of another release (a page loaded before the node was updated)
    // and files without a release are not found.
    for path in [
        format!("/assets/{release}/nope.js"),
        format!("/assets/{release}/index.html"),
        "/assets/0123456789abcdef/split_designer.wasm".to_owned(),
        "/assets/frontend.js".to_owned(),
    ] {
        let missing = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
