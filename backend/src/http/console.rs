//! The browser console, embedded at build time: files under `/assets/`, and `index.html` for
//! `/` and every other path that is not API, so console routes survive a reload.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));

struct Asset {
    bytes: &'static [u8],
    content_type: HeaderValue,
    etag: HeaderValue,
}

static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    CONSOLE_ASSETS
        .iter()
        .map(|(path, bytes)| {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let content_type = if mime.type_() == "text" || mime.subtype() == "javascript" {
                format!("{mime}; charset=utf-8")
            } else {
                mime.to_string()
            };
            let etag = format!("\"{}\"", &hex::encode(Sha256::digest(bytes))[..16]);
            let asset = Asset {
                bytes,
                content_type: HeaderValue::from_str(&content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            };
            (*path, asset)
        })
        .collect()
});

/// Revalidated on every load (cheap with the ETag), so a new release is picked up at once.
fn serve(path: &str, headers: &HeaderMap) -> Response {
    let Some(asset) = ASSETS.get(path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let cache = (CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if headers.get(IF_NONE_MATCH) == Some(&asset.etag) {
        return (StatusCode::NOT_MODIFIED, [(ETAG, asset.etag.clone()), cache]).into_response();
    }
    ([(CONTENT_TYPE, asset.content_type.clone()), (ETAG, asset.etag.clone()), cache], asset.bytes)
        .into_response()
}

pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    if path == "index.html" {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    serve(&path, &headers)
}

pub async fn index(headers: HeaderMap) -> Response {
    serve("index.html", &headers)
}
