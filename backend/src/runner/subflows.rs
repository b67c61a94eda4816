//! Subflows come from the configuration store: the named version, or the exposed one.

use async_trait::async_trait;
use engine::{EngineError, EngineResult, SubflowSource};
use model::DataflowDocument;
use sea_orm::DatabaseConnection;

use crate::service::dataflows;

pub struct DbSubflows<'a>(pub &'a DatabaseConnection);

#[async_trait]
impl SubflowSource for DbSubflows<'_> {
    async fn load(&self, name: &str, version: Option<i32>) -> EngineResult<DataflowDocument> {
        let missing = |message: String| EngineError {
            path: Some("options.dataflow".into()),
            ..EngineError::user("", message)
        };
        let version = match version {
            Some(v) => v,
            None => dataflows::exposed_version(self.0, name)
                .await
                .map_err(|e| missing(e.message))?
                .ok_or_else(|| missing(format!("subflow {name:?} has no exposed version")))?,
        };
        dataflows::version(self.0, name, version).await.map(|v| v.document).map_err(|e| missing(e.message))
    }
}
