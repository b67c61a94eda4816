//! `/services/{name}`: calling a service with rows, as the try-it console does.

use model::{ServiceRequest, ServiceResponse};

use super::ApiResult;
use super::client::{post, send_json_with_status};
use crate::percent::encode_segment;

fn service_path(name: &str) -> String {
    format!("/services/{}", encode_segment(name))
}

/// Sends `request` to the exposed version of the service; the answer's HTTP status comes with
/// its rows.
pub async fn call_service(name: &str, request: &ServiceRequest) -> ApiResult<(u16, ServiceResponse)> {
    send_json_with_status(post(&service_path(name)), request).await
}
