//! The browser console, embedded at build time: files under `/assets/`, and `index.html` for
//! `/` and every other path that is not API, so console routes survive a reload. Larger files
//! were gzipped at build time and go out that way to every browser that accepts gzip.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// An embedded file: its path under `/assets/`, its bytes, and their gzip encoding when the
/// build made one.
type ConsoleAsset = (&'static str, &'static [u8], Option<&'static [u8]>);

include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));

struct Asset {
    bytes: &'static [u8],
    gzipped: Option<&'static [u8]>,
    content_type: HeaderValue,
    etag: HeaderValue,
}

static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    CONSOLE_ASSETS
        .iter()
        .map(|(path, bytes, gzipped)| {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let content_type = if mime.type_() == "text" || mime.subtype() == "javascript" {
                format!("{mime}; charset=utf-8")
            } else {
                mime.to_string()
            };
            let etag = format!("\"{}\"", &hex::encode(Sha256::digest(bytes))[..16]);
            let asset = Asset {
                bytes,
                gzipped: *gzipped,
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
    let headers_out = [(CONTENT_TYPE, asset.content_type.clone()), (ETAG, asset.etag.clone()), cache];
    let vary = (VARY, HeaderValue::from_static("accept-encoding"));
    match asset.gzipped.filter(|_| accepts_gzip(headers)) {
        Some(gzipped) => {
            let encoding = (CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            (headers_out, [encoding, vary], gzipped).into_response()
        }
        None if asset.gzipped.is_some() => (headers_out, [vary], asset.bytes).into_response(),
        None => (headers_out, asset.bytes).into_response(),
    }
}

/// Whether `Accept-Encoding` lists gzip without refusing it (`gzip;q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        },
    )
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

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::accepts_gzip;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers
            .insert("accept-encoding", HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")));
        headers
    }

    #[test]
    fn gzip_goes_to_those_who_accept_it() {
        assert!(accepts_gzip(&accept("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&accept("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accept("*")));
        assert!(!accepts_gzip(&accept("br")));
        assert!(!accepts_gzip(&accept("gzip;q=0")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
