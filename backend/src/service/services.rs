//! Service calls: the exposed version of a `service` dataflow, checked once per exposed
//! version and kept per node, answers rows with rows.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use engine::Fault;
use engine::api::Row;
use entities::dataflows;
use model::{DataflowDocument, ErrorCode, ErrorDetail};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::error::{AppError, AppResult};
use crate::runner::DbSubflows;
use crate::state::AppState;

/// Exposed service documents by name, with the version they were loaded at.
#[derive(Default)]
pub struct ServiceCache {
    entries: RwLock<HashMap<String, (i32, Arc<DataflowDocument>)>>,
}

impl ServiceCache {
    fn get(&self, name: &str, version: i32) -> Option<Arc<DataflowDocument>> {
        let entries = self.entries.read().ok()?;
        entries.get(name).filter(|(v, _)| *v == version).map(|(_, doc)| doc.clone())
    }

    fn put(&self, name: &str, version: i32, document: Arc<DataflowDocument>) {
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(name.to_owned(), (version, document));
        }
    }
}

/// The exposed document of service `name`, from the cache when its version is current.
pub async fn exposed(state: &AppState, name: &str) -> AppResult<Arc<DataflowDocument>> {
    let row = dataflows::Entity::find()
        .filter(dataflows::Column::Name.eq(name))
        .filter(dataflows::Column::Kind.eq("service"))
        .one(&state.db)
        .await?
        .ok_or_else(|| {
            AppError::new(ErrorCode::ServiceNotFound, format!("there is no service named {name:?}"))
        })?;
    let version = row.exposed_version.ok_or_else(|| {
        AppError::new(ErrorCode::NotExposed, format!("service {name:?} has no exposed version"))
    })?;
    if let Some(document) = state.services.get(name, version) {
        return Ok(document);
    }
    let document = Arc::new(super::dataflows::version(&state.db, name, version).await?.document);
    state.services.put(name, version, document.clone());
    Ok(document)
}

fn engine_error(err: engine::EngineError) -> AppError {
    let detail = ErrorDetail {
        stage: err.stage.clone().filter(|s| !s.is_empty()),
        path: err.path.clone(),
        message: err.message.clone(),
    };
    match err.fault {
        Fault::User => AppError::invalid(err.to_string()).with_details(vec![detail]),
        Fault::External | Fault::Engine => {
            AppError::new(ErrorCode::ServiceFailed, err.to_string()).with_details(vec![detail])
        }
    }
}

pub async fn call(
    state: &AppState,
    name: &str,
    rows: &[Row],
    parameters: &BTreeMap<String, Value>,
) -> AppResult<Vec<Row>> {
    let document = exposed(state, name).await?;
    engine::api::call_service(&state.engine, &document, rows, parameters, &DbSubflows(&state.db))
        .await
        .map_err(engine_error)
}

/// A record given as query-string text, typed by the service's input fields.
pub async fn text_row(state: &AppState, name: &str, values: &BTreeMap<String, String>) -> AppResult<Row> {
    let document = exposed(state, name).await?;
    engine::api::text_row(&document, values).map_err(engine_error)
}
