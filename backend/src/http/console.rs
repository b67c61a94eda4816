//! The browser console, embedded at build time: files under `/assets/<release>/`, and
//! `index.html` for `/` and every other path that is not API, so console routes survive a
//! reload. Larger files were gzipped at build time and go out that way to every browser that
//! accepts gzip.
//!
//! The release is a digest of the files. A page loaded before its node was updated keeps asking
//! for its own release, so it never mixes newer modules into its code: what it has not loaded
//! yet (a module loaded on demand) is not found, and the console asks for a reload. For the same
//! reason the files may be kept by browsers for good; only `index.html` is checked on each load.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Bytes;
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
    bytes: Bytes,
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
                bytes: Bytes::from_static(bytes),
                gzipped: *gzipped,
                content_type: HeaderValue::from_str(&content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            };
            (*path, asset)
        })
        .collect()
});

/// The digest of every file but `index.html`, which names it.
static RELEASE: LazyLock<String> = LazyLock::new(|| {
    let mut etags: Vec<(&str, &HeaderValue)> =
        ASSETS.iter().filter(|(path, _)| **path != "index.html").map(|(path, a)| (*path, &a.etag)).collect();
    etags.sort_unstable_by_key(|(path, _)| *path);
    let mut digest = Sha256::new();
    for (path, etag) in etags {
        digest.update(path.as_bytes());
        digest.update(etag.as_bytes());
    }
    hex::encode(digest.finalize())[..16].to_owned()
});

/// `index.html` with its links pointing into this release.
static INDEX: LazyLock<Option<Asset>> = LazyLock::new(|| {
    let page = ASSETS.get("index.html")?;
    let html =
        String::from_utf8_lossy(&page.bytes).replace("\"/assets/", &format!("\"/assets/{}/", *RELEASE));
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(html.as_bytes()))[..16]);
    Some(Asset {
        bytes: Bytes::from(html),
        gzipped: None,
        content_type: page.content_type.clone(),
        etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
    })
});

/// How long a browser may keep a response without asking again.
#[derive(Clone, Copy)]
enum Keep {
    /// Asked again on every load (cheap with the ETag), so a new release is picked up at once.
    Revalidate,
    /// A file of one release never changes.
    Forever,
}

fn serve(asset: Option<&Asset>, keep: Keep, headers: &HeaderMap) -> Response {
    let Some(asset) = asset else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let cache = (
        CACHE_CONTROL,
        HeaderValue::from_static(match keep {
            Keep::Revalidate => "no-cache",
            Keep::Forever => "public, max-age=31536000, immutable",
        }),
    );
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
        None if asset.gzipped.is_some() => (headers_out, [vary], asset.bytes.clone()).into_response(),
        None => (headers_out, asset.bytes.clone()).into_response(),
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

/// `/assets/<release>/<file>`: a file of this node's release; any other release's is not found.
pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let file = match path.split_once('/') {
        Some((release, file)) if release == RELEASE.as_str() && file != "index.html" => ASSETS.get(file),
        _ => None,
    };
    serve(file, Keep::Forever, &headers)
}

pub async fn index(headers: HeaderMap) -> Response {
    serve(INDEX.as_ref(), Keep::Revalidate, &headers)
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
