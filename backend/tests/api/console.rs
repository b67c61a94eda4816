//! The console is served by the node itself: index for every console route, assets with the
//! right types, compressed when the browser accepts it.

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
    let html = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/assets/boot.js"));
    let wasm = app
        .client
        .get(app.url("/assets/frontend_bg.wasm"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["vary"], "accept-encoding");
    let etag = wasm.headers()["etag"].clone();
    let gzipped = wasm.bytes().await.unwrap();
    assert_eq!(gzipped[..2], [0x1f, 0x8b], "not gzip");
    // A client that does not accept gzip gets the module itself.
    let plain = app.client.get(app.url("/assets/frontend_bg.wasm")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    assert_eq!(plain[..4], *b"\0asm");
    assert!(gzipped.len() * 2 < plain.len(), "{} gzipped vs {} plain", gzipped.len(), plain.len());
    let again = app
        .client
        .get(app.url("/assets/frontend_bg.wasm"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let js = app.client.get(app.url("/assets/frontend.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
    let missing = app.client.get(app.url("/assets/nope.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
