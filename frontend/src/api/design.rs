//! What the designer calls besides reading dataflows: the stage catalog, checking and previewing
//! an unsaved document, and saving it as a new version guarded by `If-Match`.

use model::{Dataflow, DataflowDocument, Page, PreviewRequest, PreviewResponse, StageSpec, ValidationReport};

use super::ApiResult;
use super::client::{fetch_json, get, post, put, send_json};
use crate::percent::encode_segment;

/// Every stage type with its ports and option schema (`GET /stages`).
pub async fn list_stages() -> ApiResult<Vec<StageSpec>> {
    let page: Page<StageSpec> = fetch_json(get("/stages")).await?;
    Ok(page.items)
}

/// Every problem of `document` and the fields on each port the server could compute.
pub async fn validate_dataflow(document: &DataflowDocument) -> ApiResult<ValidationReport> {
    send_json(post("/dataflows/validate"), document).await
}

/// The first rows and the schema on every port, running `request.document` on a few source records.
pub async fn preview_dataflow(request: &PreviewRequest) -> ApiResult<PreviewResponse> {
    send_json(post("/dataflows/preview"), request).await
}

/// Saves `document` as the next version of `name`, if `etag` is still the newest version's:
/// otherwise 412 `precondition_failed` (someone saved in between).
pub async fn save_dataflow(
    name: &str,
    etag: &str,
    comment: &str,
    document: &DataflowDocument,
) -> ApiResult<Dataflow> {
    let mut request = put(&format!("/dataflows/{}", encode_segment(name))).header("If-Match", etag);
    if !comment.trim().is_empty() {
        request = request.query([("comment", comment.trim())]);
    }
    send_json(request, document).await
}
