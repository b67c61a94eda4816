//! Service calls: the exposed version of a `service` dataflow, loaded and planned once per
//! exposed version and kept per node, answers rows with rows.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use engine::Fault;
use engine::api::Row;
use engine::prepared::{PreparedService, preparable};
use entities::dataflows;
use model::{DataflowDocument, ErrorCode, ErrorDetail};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use serde_json::value::{RawValue, to_raw_value};

use crate::error::{AppError, AppResult};
use crate::runner::DbSubflows;
use crate::state::AppState;

/// An exposed service as this node keeps it: its document and, when the dataflow allows it,
/// its plan prepared for calls with the default parameters.
pub struct CachedService {
    pub document: Arc<DataflowDocument>,
    pub prepared: Option<Arc<PreparedService>>,
    /// Modules its stages need that this node does not carry (calls go to another node).
    pub missing_modules: Vec<String>,
}

/// How long a node answers from its cache before checking which version is exposed again:
/// a version exposed on another node is served here within this time (at once on the node
/// that exposed it).
const RECHECK_AFTER: Duration = Duration::from_secs(1);

/// A cached service: the version it was loaded at, and when that was last checked.
type Entry = (i32, Instant, Arc<CachedService>);

/// Exposed services by name.
#[derive(Default)]
pub struct ServiceCache {
    entries: RwLock<HashMap<String, Entry>>,
}

impl ServiceCache {
    /// The cached service if it is at `version`; it counts as checked now.
    fn confirm(&self, name: &str, version: i32) -> Option<Arc<CachedService>> {
        let mut entries = self.entries.write().ok()?;
        let entry = entries.get_mut(name).filter(|(v, _, _)| *v == version)?;
        entry.1 = Instant::now();
        Some(entry.2.clone())
    }

    /// The cached service if its version was checked recently.
    fn fresh(&self, name: &str) -> Option<Arc<CachedService>> {
        let entries = self.entries.read().ok()?;
        entries
            .get(name)
            .filter(|(_, at, _)| at.elapsed() < RECHECK_AFTER)
            .map(|(_, _, cached)| cached.clone())
    }

    fn put(&self, name: &str, version: i32, cached: Arc<CachedService>) {
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(name.to_owned(), (version, Instant::now(), cached));
        }
    }

    /// Forget every service (changes may have been missed).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    /// Forget `name` (its exposed version changed or it was deleted here).
    pub fn forget(&self, name: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(name);
        }
    }
}

/// The exposed version of service `name`, from the cache when its version is current.
pub async fn exposed(state: &AppState, name: &str) -> AppResult<Arc<CachedService>> {
    if let Some(cached) = state.services.fresh(name) {
        return Ok(cached);
    }
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
    if let Some(cached) = state.services.confirm(name, version) {
        return Ok(cached);
    }
    let document = Arc::new(super::dataflows::version(&state.db, name, version).await?.document);
    let prepared = if preparable(&document) {
        let subflows = DbSubflows(&state.db);
        match PreparedService::prepare(&state.engine, &document, &BTreeMap::new(), &subflows).await {
            Ok(prepared) => Some(Arc::new(prepared)),
            Err(err) => return Err(engine_error(err)),
        }
    } else {
        None
    };
    let missing_modules =
        document.required_modules().into_iter().filter(|m| !state.config.modules.contains(m)).collect();
    let cached = Arc::new(CachedService { document, prepared, missing_modules });
    state.services.put(name, version, cached.clone());
    Ok(cached)
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

/// Answer a call: `rows` are the records as JSON text, the answer is a JSON array of records
/// (UTF-8 bytes, embedded as they are in the response).
pub async fn call(
    state: &AppState,
    name: &str,
    rows: &[Box<RawValue>],
    parameters: &BTreeMap<String, Value>,
) -> AppResult<Vec<u8>> {
    if let Some(index) = rows.iter().position(|row| !row.get().starts_with('{')) {
        return Err(AppError::invalid(format!("rows[{index}] should be an object of field values")));
    }
    let service = exposed(state, name).await?;
    match &service.prepared {
        Some(prepared) if parameters.is_empty() => prepared.call(rows).await.map_err(engine_error),
        _ => {
            let rows = rows
                .iter()
                .map(|row| serde_json::from_str::<Row>(row.get()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| AppError::invalid(format!("a record could not be read: {e}")))?;
            let subflows = DbSubflows(&state.db);
            let answer =
                engine::api::call_service(&state.engine, &service.document, &rows, parameters, &subflows)
                    .await
                    .map_err(engine_error)?;
            serde_json::to_vec(&answer).map_err(AppError::internal)
        }
    }
}

/// A record given as query-string text, typed by the service's input fields.
pub async fn text_row(
    state: &AppState,
    name: &str,
    values: &BTreeMap<String, String>,
) -> AppResult<Box<RawValue>> {
    let service = exposed(state, name).await?;
    let row = engine::api::text_row(&service.document, values).map_err(engine_error)?;
    to_raw_value(&row).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmed_version_is_served_from_the_cache_again() {
        let cache = ServiceCache::default();
        let service = Arc::new(CachedService {
            document: Arc::new(DataflowDocument::empty("price", model::DataflowKind::Service)),
            prepared: None,
            missing_modules: vec![],
        });
        let checked_long_ago = Instant::now().checked_sub(RECHECK_AFTER * 2).unwrap();
        cache.entries.write().unwrap().insert("price".into(), (3, checked_long_ago, service));
        assert!(cache.fresh("price").is_none(), "due for a check");
        assert!(cache.confirm("price", 4).is_none(), "another version is exposed now");
        assert!(cache.confirm("price", 3).is_some());
        assert!(cache.fresh("price").is_some(), "checked again: no database read for a second");
    }
}
