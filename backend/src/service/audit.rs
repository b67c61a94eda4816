//! The audit log: every change and every sign-in, with actor, time, node, address and the
//! state before and after.

use entities::audit_events;
use model::{AuditQuery, ErrorCode, Page};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// Who acts, from where: built per request by the HTTP layer.
#[derive(Debug, Clone)]
pub struct AuditContext {
    pub actor: String,
    pub node: String,
    pub ip: Option<String>,
    pub request_id: String,
}

impl AuditContext {
    /// Work a node does on its own (schedules, process steps), on behalf of `actor`.
    pub fn system(state: &crate::state::AppState, actor: impl Into<String>) -> Self {
        Self { actor: actor.into(), node: state.node_name.to_string(), ip: None, request_id: String::new() }
    }

    pub fn with_actor(&self, actor: impl Into<String>) -> Self {
        Self { actor: actor.into(), ..self.clone() }
    }
}

/// One event to record.
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub resource: Option<String>,
    pub outcome: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> AuditEntry<'a> {
    pub fn ok(action: &'a str, resource: impl Into<String>) -> Self {
        Self { action, resource: Some(resource.into()), outcome: "ok", before: None, after: None }
    }

    pub fn before(mut self, value: impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after(mut self, value: impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }
}

pub async fn record(db: &impl ConnectionTrait, ctx: &AuditContext, entry: AuditEntry<'_>) -> AppResult<()> {
    row(ctx, entry).insert(db).await?;
    Ok(())
}

/// Record several events in one statement.
pub async fn record_many<'a>(
    db: &impl ConnectionTrait,
    events: impl IntoIterator<Item = (&'a AuditContext, AuditEntry<'a>)>,
) -> AppResult<()> {
    let rows: Vec<audit_events::ActiveModel> =
        events.into_iter().map(|(ctx, entry)| row(ctx, entry)).collect();
    if !rows.is_empty() {
        audit_events::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

fn row(ctx: &AuditContext, entry: AuditEntry<'_>) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor: Set(ctx.actor.clone()),
        node: Set(ctx.node.clone()),
        ip: Set(ctx.ip.clone()),
        action: Set(entry.action.to_owned()),
        resource: Set(entry.resource),
        outcome: Set(entry.outcome.to_owned()),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        request_id: Set(Some(ctx.request_id.clone())),
        ..Default::default()
    }
}

pub use model::AuditEvent;

fn parse_time(name: &str, text: Option<&str>) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    text.map(|t| {
        chrono::DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| {
            AppError::new(
                ErrorCode::InvalidRequest,
                format!("{name} must be an RFC 3339 time such as 2026-01-31T12:00:00Z, not {t:?}"),
            )
        })
    })
    .transpose()
}

/// `LIKE` pattern for values starting with `prefix`, its wildcards taken literally.
fn starts_with(prefix: &str) -> LikeExpr {
    let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("{escaped}%")).escape('\\')
}

/// Newest first, filtered as `query` says; the cursor is the last id seen.
pub async fn list(db: &impl ConnectionTrait, query: &AuditQuery, limit: u64) -> AppResult<Page<AuditEvent>> {
    let since = parse_time("since", query.since.as_deref())?;
    let until = parse_time("until", query.until.as_deref())?;
    let mut select = audit_events::Entity::find().order_by_desc(audit_events::Column::Id).limit(limit + 1);
    if let Some(cursor) = &query.cursor {
        let before: i64 =
            cursor.parse().map_err(|_| AppError::new(ErrorCode::InvalidRequest, "cursor is not valid"))?;
        select = select.filter(audit_events::Column::Id.lt(before));
    }
    if let Some(actor) = query.actor.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(audit_events::Column::Actor.eq(actor));
    }
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(audit_events::Column::Action.like(starts_with(action)));
    }
    if let Some(resource) = query.resource.as_deref().filter(|r| !r.is_empty()) {
        select = select.filter(audit_events::Column::Resource.eq(resource));
    }
    if let Some(outcome) = query.outcome.as_deref().filter(|o| !o.is_empty()) {
        select = select.filter(audit_events::Column::Outcome.eq(outcome));
    }
    if let Some(since) = since {
        select = select.filter(audit_events::Column::At.gte(since));
    }
    if let Some(until) = until {
        select = select.filter(audit_events::Column::At.lt(until));
    }
    let mut rows = select.all(db).await?;
    let next_cursor = (rows.len() as u64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.to_string()).unwrap_or_default()
    });
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    let items = rows
        .into_iter()
        .map(|r| AuditEvent {
            id: r.id,
            at: super::timestamp(r.at),
            actor: r.actor,
            node: r.node,
            ip: r.ip,
            action: r.action,
            resource: r.resource,
            outcome: r.outcome,
            before: parse(r.before),
            after: parse(r.after),
            request_id: r.request_id,
        })
        .collect();
    Ok(Page { items, next_cursor })
}
