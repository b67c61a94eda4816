//! Remote servers: a service call for a dataflow whose stages need a module this node does not
//! carry is forwarded, as it came (method, path, query, credentials, body), to a live node
//! that carries it; the caller gets that node's answer. With no such node up, the call fails
//! with 503 and says which module is missing. A forwarded call is never forwarded again.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use model::ErrorCode;

use crate::error::AppError;
use crate::service::services;
use crate::state::AppState;

/// Marks a forwarded request, naming the node that forwarded it.
pub const FORWARDED_BY: HeaderName = HeaderName::from_static("x-tributary-forwarded-by");

/// Headers that belong to one connection and are not passed on.
const HOP_BY_HOP: &[&str] = &["host", "connection", "content-length", "transfer-encoding", "keep-alive"];

/// The service named in `/api/v1/services/{name}` or `/rest/{name}/results.json`.
fn service_name(path: &str) -> Option<&str> {
    path.strip_prefix("/api/v1/services/")
        .or_else(|| path.strip_prefix("/rest/").and_then(|rest| rest.strip_suffix("/results.json")))
        .filter(|name| !name.is_empty() && !name.contains('/'))
}

pub async fn forward_if_needed(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(name) = service_name(request.uri().path()).map(str::to_owned) else {
        return next.run(request).await;
    };
    let missing = match services::exposed(&state, &name).await {
        Ok(service) => service.missing_modules.clone(),
        // Not found, not exposed: the handler answers that.
        Err(_) => vec![],
    };
    if missing.is_empty() {
        return next.run(request).await;
    }
    if request.headers().contains_key(&FORWARDED_BY) {
        return no_node(&name, &missing).into_response();
    }
    match forward(&state, request, &missing).await {
        Ok(Some(response)) => response,
        Ok(None) => no_node(&name, &missing).into_response(),
        Err(err) => err.into_response(),
    }
}

fn no_node(name: &str, missing: &[String]) -> AppError {
    AppError::new(
        ErrorCode::NotReady,
        format!(
            "service {name:?} needs module(s) {} and no running node carries them; start a node with --modules {}",
            missing.join(", "),
            missing.join(",")
        ),
    )
}

/// Try each live node carrying `modules` until one answers; `None` when none does.
async fn forward(
    state: &AppState,
    request: Request,
    modules: &[String],
) -> Result<Option<Response>, AppError> {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, state.config.max_body_bytes).await.map_err(|_| {
        AppError::new(ErrorCode::PayloadTooLarge, "the request body is larger than this server accepts")
    })?;
    let path_and_query = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let client =
        reqwest::Client::builder().timeout(Duration::from_secs(30)).build().map_err(AppError::internal)?;
    for address in candidates(state, modules).await? {
        let mut outgoing = client.request(parts.method.clone(), format!("http://{address}{path_and_query}"));
        for (name, value) in &parts.headers {
            if !HOP_BY_HOP.contains(&name.as_str()) {
                outgoing = outgoing.header(name, value);
            }
        }
        let outgoing = outgoing.header(FORWARDED_BY, state.node_name.as_ref()).body(body.clone());
        match outgoing.send().await {
            Ok(answer) => return Ok(Some(relay(answer).await?)),
            Err(err) => {
                tracing::warn!(node = %address, error = %err, "forwarding a service call failed; trying another node")
            }
        }
    }
    Ok(None)
}

async fn relay(answer: reqwest::Response) -> Result<Response, AppError> {
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let content_type = answer.headers().get(reqwest::header::CONTENT_TYPE).cloned();
    let bytes = answer.bytes().await.map_err(AppError::internal)?;
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    if let Some(value) = content_type.and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok()) {
        response.headers_mut().insert(axum::http::header::CONTENT_TYPE, value);
    }
    Ok(response)
}

/// Addresses of the other nodes that are up and carry every one of `modules`.
async fn candidates(state: &AppState, modules: &[String]) -> Result<Vec<String>, AppError> {
    let nodes = crate::cluster::list_nodes(&state.db).await?;
    let mut addresses: Vec<String> = nodes
        .into_iter()
        .filter(|n| n.state == "up" && n.name != *state.node_name)
        .filter(|n| modules.iter().all(|m| n.modules.contains(m)))
        .map(|n| n.address)
        .collect();
    // Spread the calls over the nodes that can take them.
    let offset =
        usize::try_from(chrono::Utc::now().timestamp_subsec_nanos()).unwrap_or(0) % addresses.len().max(1);
    addresses.rotate_left(offset);
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::service_name;

    #[test]
    fn service_paths_name_their_service() {
        assert_eq!(service_name("/api/v1/services/price"), Some("price"));
        assert_eq!(service_name("/rest/price/results.json"), Some("price"));
        assert_eq!(service_name("/api/v1/services/"), None);
        assert_eq!(service_name("/api/v1/dataflows/price"), None);
        assert_eq!(service_name("/rest/a/b/results.json"), None);
    }
}
