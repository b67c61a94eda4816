//! The audit log: every change and every sign-in, with actor, time, node, address and the
//! state before and after.

use entities::audit_events;
use model::{ErrorCode, Page};
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
    .insert(db)
    .await?;
    Ok(())
}

/// One row of `GET /audit`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub node: String,
    pub ip: Option<String>,
    pub action: String,
    pub resource: Option<String>,
    pub outcome: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: Option<String>,
}

/// Newest first; the cursor is the last id seen.
pub async fn list(
    db: &impl ConnectionTrait,
    cursor: Option<&str>,
    limit: u64,
) -> AppResult<Page<AuditEvent>> {
    let mut query = audit_events::Entity::find().order_by_desc(audit_events::Column::Id).limit(limit + 1);
    if let Some(cursor) = cursor {
        let before: i64 =
            cursor.parse().map_err(|_| AppError::new(ErrorCode::InvalidRequest, "cursor is not valid"))?;
        query = query.filter(audit_events::Column::Id.lt(before));
    }
    let mut rows = query.all(db).await?;
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
