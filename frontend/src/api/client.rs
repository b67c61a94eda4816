//! The one place requests are sent: JSON in and out under `/api/v1`, the session cookie sent by
//! the browser (same origin), failures decoded into [`ApiError`], a lost session sent to login.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ApiError, ApiResult};
use crate::route::{Route, navigate};

const API_BASE: &str = "/api/v1";
const JSON: &str = "application/json";
/// Sent with every request: the node refuses a write signed in by cookie without it, which a
/// page on another site cannot add (cross-site request forgery).
const CSRF_HEADER: &str = "X-Tributary-CSRF";

fn with_headers(request: RequestBuilder) -> RequestBuilder {
    request.header("Accept", JSON).header(CSRF_HEADER, "1")
}

pub fn get(path: &str) -> RequestBuilder {
    with_headers(Request::get(&format!("{API_BASE}{path}")))
}

pub fn post(path: &str) -> RequestBuilder {
    with_headers(Request::post(&format!("{API_BASE}{path}")))
}

pub fn put(path: &str) -> RequestBuilder {
    with_headers(Request::put(&format!("{API_BASE}{path}")))
}

pub fn patch(path: &str) -> RequestBuilder {
    with_headers(Request::patch(&format!("{API_BASE}{path}")))
}

pub fn delete(path: &str) -> RequestBuilder {
    with_headers(Request::delete(&format!("{API_BASE}{path}")))
}

/// Sends a request without a body and decodes the JSON answer.
pub async fn fetch_json<T: DeserializeOwned>(request: RequestBuilder) -> ApiResult<T> {
    decode(send(request.build()).await?).await
}

/// Sends `body` as JSON and decodes the JSON answer.
pub async fn send_json<B: Serialize, T: DeserializeOwned>(request: RequestBuilder, body: &B) -> ApiResult<T> {
    decode(send(request.json(body)).await?).await
}

/// Like [`send_json`], with the HTTP status of the answer, for pages that show it (a failure
/// carries its status in the [`ApiError`]).
pub async fn send_json_with_status<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> ApiResult<(u16, T)> {
    let response = send(request.json(body)).await?;
    let status = response.status();
    Ok((status, decode(response).await?))
}

/// Sends a request whose answer has no body worth reading (`204 No Content`).
pub async fn fetch_nothing(request: RequestBuilder) -> ApiResult<()> {
    send(request.build()).await.map(drop)
}

/// Sends `body` as JSON to an endpoint that answers `204 No Content`.
pub async fn send_nothing<B: Serialize>(request: RequestBuilder, body: &B) -> ApiResult<()> {
    send(request.json(body)).await.map(drop)
}

async fn send(request: Result<Request, gloo_net::Error>) -> ApiResult<Response> {
    let request = request.map_err(ApiError::unsendable)?;
    let response = request.send().await.map_err(ApiError::network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let error = ApiError::from_response(status, &body);
    if error.means_signed_out() {
        navigate(&Route::Login);
    }
    Err(error)
}

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    let status = response.status();
    response.json().await.map_err(|e| ApiError::unexpected(status, e))
}
