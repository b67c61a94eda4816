//! Dataflows and their versions. Every save writes a new immutable version; `PUT` must name the
//! version it replaces (`If-Match`), so two editors cannot overwrite each other silently.

use chrono::Utc;
use entities::{dataflow_versions, dataflows};
use model::{
    Dataflow, DataflowDocument, DataflowKind, DataflowSummary, DataflowVersion, ErrorCode, Page, VersionInfo,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::audit::{self, AuditContext, AuditEntry};
use super::timestamp;
use crate::error::{AppError, AppResult};

pub const MAX_PAGE: u64 = 200;

fn not_found(name: &str) -> AppError {
    AppError::new(ErrorCode::DataflowNotFound, format!("there is no dataflow named {name:?}"))
}

/// The strong ETag of a dataflow's newest version.
pub fn etag(row: &dataflows::Model) -> String {
    format!("\"{}.{}\"", row.id.get(..8).unwrap_or(&row.id), row.current_version)
}

fn summary(row: &dataflows::Model) -> DataflowSummary {
    DataflowSummary {
        name: row.name.clone(),
        kind: DataflowKind::parse(&row.kind).unwrap_or(DataflowKind::Job),
        description: row.description.clone(),
        version: row.current_version,
        exposed_version: row.exposed_version,
        created_by: row.created_by.clone(),
        updated_by: row.updated_by.clone(),
        created_at: timestamp(row.created_at),
        updated_at: timestamp(row.updated_at),
    }
}

fn parse_document(version: &dataflow_versions::Model) -> AppResult<DataflowDocument> {
    serde_json::from_str(&version.document).map_err(AppError::internal)
}

/// Reject a structurally broken document with every problem listed.
fn check_structure(document: &DataflowDocument) -> AppResult<()> {
    let problems = model::validate_document(document);
    if problems.is_empty() {
        return Ok(());
    }
    Err(AppError::new(ErrorCode::InvalidDataflow, format!("the dataflow has {} problem(s)", problems.len()))
        .with_details(problems))
}

async fn find_row(db: &impl ConnectionTrait, name: &str) -> AppResult<dataflows::Model> {
    dataflows::Entity::find()
        .filter(dataflows::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| not_found(name))
}

async fn find_version(
    db: &impl ConnectionTrait,
    row: &dataflows::Model,
    version: i32,
) -> AppResult<dataflow_versions::Model> {
    dataflow_versions::Entity::find_by_id((row.id.clone(), version)).one(db).await?.ok_or_else(|| {
        AppError::new(ErrorCode::VersionNotFound, format!("dataflow {:?} has no version {version}", row.name))
    })
}

async fn insert_version(
    db: &impl ConnectionTrait,
    dataflow_id: &str,
    version: i32,
    document: &DataflowDocument,
    comment: &str,
    actor: &str,
) -> AppResult<()> {
    dataflow_versions::ActiveModel {
        dataflow_id: Set(dataflow_id.to_owned()),
        version: Set(version),
        document: Set(serde_json::to_string(document).map_err(AppError::internal)?),
        comment: Set(comment.to_owned()),
        created_by: Set(actor.to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Sorted by name; `search` matches anywhere in the name or description, case-insensitively.
pub async fn list(
    db: &impl ConnectionTrait,
    search: Option<&str>,
    cursor: Option<&str>,
    limit: u64,
) -> AppResult<Page<DataflowSummary>> {
    let mut query = dataflows::Entity::find().order_by_asc(dataflows::Column::Name).limit(limit + 1);
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
        let lower = |column| Expr::expr(Func::lower(Expr::col(column)));
        let in_name = lower(dataflows::Column::Name).like(pattern());
        query = query.filter(in_name.or(lower(dataflows::Column::Description).like(pattern())));
    }
    if let Some(cursor) = cursor {
        query = query.filter(dataflows::Column::Name.gt(cursor));
    }
    let mut rows = query.all(db).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.name.clone())
    } else {
        None
    };
    Ok(Page { items: rows.iter().map(summary).collect(), next_cursor })
}

pub async fn get(db: &impl ConnectionTrait, name: &str) -> AppResult<Dataflow> {
    let row = find_row(db, name).await?;
    let version = find_version(db, &row, row.current_version).await?;
    Ok(Dataflow { etag: etag(&row), summary: summary(&row), document: parse_document(&version)? })
}

pub async fn create(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    document: DataflowDocument,
    comment: &str,
) -> AppResult<Dataflow> {
    check_structure(&document)?;
    let now = Utc::now();
    let txn = crate::store::begin_write(db).await?;
    let row = dataflows::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        name: Set(document.name.clone()),
        kind: Set(document.kind.as_str().to_owned()),
        description: Set(document.description.clone()),
        current_version: Set(1),
        exposed_version: Set(None),
        created_by: Set(ctx.actor.clone()),
        updated_by: Set(ctx.actor.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match AppError::from(e) {
        err if err.code == ErrorCode::AlreadyExists => AppError::new(
            ErrorCode::AlreadyExists,
            format!("a dataflow named {:?} already exists", document.name),
        ),
        err => err,
    })?;
    insert_version(&txn, &row.id, 1, &document, comment, &ctx.actor).await?;
    let created = Dataflow { etag: etag(&row), summary: summary(&row), document };
    audit::record(
        &txn,
        ctx,
        AuditEntry::ok("dataflows:create", format!("dataflow:{}", row.name)).after(&created.document),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Save `document` as the next version: of the version `if_match` names, refused if another
/// save came first; with `None`, of whichever version is newest when the save takes its turn.
pub async fn replace(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    name: &str,
    if_match: Option<&str>,
    document: DataflowDocument,
    comment: &str,
) -> AppResult<Dataflow> {
    if document.name != name {
        return Err(AppError::invalid(format!(
            "the document is named {:?} but was sent to {name:?}; renaming is not supported",
            document.name
        ))
        .with_details(vec![model::ErrorDetail::field("name", "must match the dataflow in the URL")]));
    }
    check_structure(&document)?;
    let txn = crate::store::begin_write(db).await?;
    // The row lock makes concurrent saves of one dataflow take turns (SQLite's write lock
    // already does), so each reads the version the one before it wrote.
    let row = dataflows::Entity::find()
        .filter(dataflows::Column::Name.eq(name))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| not_found(name))?;
    if if_match.is_some_and(|tag| etag(&row) != tag.trim()) {
        return Err(stale(&row));
    }
    let previous = parse_document(&find_version(&txn, &row, row.current_version).await?)?;
    let next = row.current_version + 1;
    let now = Utc::now();
    // The version condition makes a concurrent save that read the same version fail here.
    let updated = dataflows::Entity::update_many()
        .col_expr(dataflows::Column::CurrentVersion, Expr::value(next))
        .col_expr(dataflows::Column::Kind, Expr::value(document.kind.as_str()))
        .col_expr(dataflows::Column::Description, Expr::value(document.description.clone()))
        .col_expr(dataflows::Column::UpdatedBy, Expr::value(ctx.actor.clone()))
        .col_expr(dataflows::Column::UpdatedAt, Expr::value(now))
        .filter(dataflows::Column::Id.eq(&row.id))
        .filter(dataflows::Column::CurrentVersion.eq(row.current_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(stale(&row));
    }
    insert_version(&txn, &row.id, next, &document, comment, &ctx.actor).await?;
    let entry =
        AuditEntry::ok("dataflows:edit", format!("dataflow:{name}")).before(&previous).after(&document);
    audit::record(&txn, ctx, entry).await?;
    let row = find_row(&txn, name).await?;
    txn.commit().await?;
    Ok(Dataflow { etag: etag(&row), summary: summary(&row), document })
}

fn stale(row: &dataflows::Model) -> AppError {
    AppError::new(
        ErrorCode::PreconditionFailed,
        format!(
            "dataflow {:?} was saved by someone else since you loaded it (now version {}); reload it",
            row.name, row.current_version
        ),
    )
}

/// Delete the dataflow and all its versions; with `if_match`, only if it is still that version.
pub async fn delete(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    name: &str,
    if_match: Option<&str>,
) -> AppResult<()> {
    let txn = crate::store::begin_write(db).await?;
    let row = find_row(&txn, name).await?;
    if if_match.is_some_and(|tag| tag.trim() != "*" && tag.trim() != etag(&row)) {
        return Err(stale(&row));
    }
    let last = parse_document(&find_version(&txn, &row, row.current_version).await?)?;
    dataflow_versions::Entity::delete_many()
        .filter(dataflow_versions::Column::DataflowId.eq(&row.id))
        .exec(&txn)
        .await?;
    dataflows::Entity::delete_by_id(row.id.clone()).exec(&txn).await?;
    audit::record(&txn, ctx, AuditEntry::ok("dataflows:delete", format!("dataflow:{name}")).before(&last))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The exposed version of `name`, if it has one.
pub async fn exposed_version(db: &impl ConnectionTrait, name: &str) -> AppResult<Option<i32>> {
    Ok(find_row(db, name).await?.exposed_version)
}

pub async fn versions(db: &impl ConnectionTrait, name: &str) -> AppResult<Vec<VersionInfo>> {
    let row = find_row(db, name).await?;
    let versions = dataflow_versions::Entity::find()
        .filter(dataflow_versions::Column::DataflowId.eq(&row.id))
        .order_by_desc(dataflow_versions::Column::Version)
        .all(db)
        .await?;
    Ok(versions.iter().map(|v| version_info(&row, v)).collect())
}

fn version_info(row: &dataflows::Model, version: &dataflow_versions::Model) -> VersionInfo {
    VersionInfo {
        version: version.version,
        created_at: timestamp(version.created_at),
        created_by: version.created_by.clone(),
        comment: version.comment.clone(),
        exposed: row.exposed_version == Some(version.version),
    }
}

pub async fn version(db: &impl ConnectionTrait, name: &str, number: i32) -> AppResult<DataflowVersion> {
    let row = find_row(db, name).await?;
    let version = find_version(db, &row, number).await?;
    Ok(DataflowVersion { info: version_info(&row, &version), document: parse_document(&version)? })
}

/// The document of version `number` of the dataflow with id `dataflow_id`. Versions never
/// change once saved (a dataflow deleted and created again gets a new id), so every node keeps
/// the documents it has read: starting a run reads none.
pub async fn document(
    db: &impl ConnectionTrait,
    dataflow_id: &str,
    number: i32,
) -> AppResult<std::sync::Arc<DataflowDocument>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    /// Enough for every version in use; when full it starts over.
    const KEEP: usize = 1024;
    type Documents = Mutex<HashMap<(String, i32), Arc<DataflowDocument>>>;
    static DOCUMENTS: OnceLock<Documents> = OnceLock::new();
    let documents = DOCUMENTS.get_or_init(Documents::default);
    let key = (dataflow_id.to_owned(), number);
    if let Some(document) = documents.lock().ok().and_then(|d| d.get(&key).cloned()) {
        return Ok(document);
    }
    let version = dataflow_versions::Entity::find_by_id(key.clone()).one(db).await?.ok_or_else(|| {
        AppError::new(ErrorCode::VersionNotFound, format!("dataflow {dataflow_id} has no version {number}"))
    })?;
    let document = Arc::new(parse_document(&version)?);
    if let Ok(mut documents) = documents.lock() {
        if documents.len() >= KEEP {
            documents.clear();
        }
        documents.insert(key, document.clone());
    }
    Ok(document)
}

/// Make `number` the version services and schedules use. Only a complete dataflow can be exposed.
pub async fn expose(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    name: &str,
    number: i32,
) -> AppResult<DataflowSummary> {
    let txn = crate::store::begin_write(db).await?;
    let row = find_row(&txn, name).await?;
    let document = parse_document(&find_version(&txn, &row, number).await?)?;
    let problems = model::check_complete(&document);
    if !problems.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidDataflow,
            format!("version {number} cannot be exposed: it has {} problem(s)", problems.len()),
        )
        .with_details(problems));
    }
    dataflows::Entity::update_many()
        .col_expr(dataflows::Column::ExposedVersion, Expr::value(number))
        .filter(dataflows::Column::Id.eq(&row.id))
        .exec(&txn)
        .await?;
    let entry = AuditEntry::ok("dataflows:expose", format!("dataflow:{name}"))
        .before(serde_json::json!({ "exposed_version": row.exposed_version }))
        .after(serde_json::json!({ "exposed_version": number }));
    audit::record(&txn, ctx, entry).await?;
    let row = find_row(&txn, name).await?;
    txn.commit().await?;
    Ok(summary(&row))
}
