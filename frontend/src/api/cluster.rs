//! `/cluster`: the nodes sharing the database.

use model::{NodeInfo, Page};

use super::ApiResult;
use super::client::{fetch_json, get};

pub async fn list_nodes() -> ApiResult<Page<NodeInfo>> {
    fetch_json(get("/cluster/nodes")).await
}
