//! `/dataflows`: list, create, read, delete, versions and exposing one.

use model::{Dataflow, DataflowDocument, DataflowSummary, DataflowVersion, Page, VersionInfo};

use super::ApiResult;
use super::client::{delete, fetch_json, fetch_nothing, get, post, send_json};
use crate::percent::encode_segment;

fn dataflow_path(name: &str) -> String {
    format!("/dataflows/{}", encode_segment(name))
}

/// One page of dataflows whose name or description contains `search` (all when it is empty),
/// starting after `cursor`.
pub async fn list_dataflows(search: &str, cursor: Option<&str>) -> ApiResult<Page<DataflowSummary>> {
    let mut query = Vec::new();
    if !search.is_empty() {
        query.push(("search", search));
    }
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor));
    }
    fetch_json(get("/dataflows").query(query)).await
}

/// The most a page of `GET /dataflows` may hold.
const LARGEST_PAGE: &str = "200";

/// Every dataflow, read a page of 200 at a time: for pages that filter on the client (services).
pub async fn list_all_dataflows() -> ApiResult<Vec<DataflowSummary>> {
    let mut all = Vec::new();
    let mut cursor = None::<String>;
    loop {
        let mut query = vec![("limit", LARGEST_PAGE)];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor));
        }
        let page: Page<DataflowSummary> = fetch_json(get("/dataflows").query(query)).await?;
        all.extend(page.items);
        // A cursor that does not move would loop for ever; the list so far is the best answer then.
        match page.next_cursor {
            Some(next) if cursor.as_ref() != Some(&next) => cursor = Some(next),
            _ => return Ok(all),
        }
    }
}

pub async fn create_dataflow(document: &DataflowDocument) -> ApiResult<Dataflow> {
    send_json(post("/dataflows"), document).await
}

pub async fn get_dataflow(name: &str) -> ApiResult<Dataflow> {
    fetch_json(get(&dataflow_path(name))).await
}

/// Deletes the dataflow with all its versions. With `etag`, only if nobody saved a newer version
/// since it was read (the server answers 412 otherwise).
pub async fn delete_dataflow(name: &str, etag: Option<&str>) -> ApiResult<()> {
    let mut request = delete(&dataflow_path(name));
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    fetch_nothing(request).await
}

pub async fn list_versions(name: &str) -> ApiResult<Page<VersionInfo>> {
    fetch_json(get(&format!("{}/versions", dataflow_path(name)))).await
}

/// One saved version with its document.
pub async fn get_version(name: &str, version: i32) -> ApiResult<DataflowVersion> {
    fetch_json(get(&format!("{}/versions/{version}", dataflow_path(name)))).await
}

/// Makes `version` the one services and schedules use.
pub async fn expose_version(name: &str, version: i32) -> ApiResult<DataflowSummary> {
    fetch_json(post(&format!("{}/versions/{version}/expose", dataflow_path(name)))).await
}
