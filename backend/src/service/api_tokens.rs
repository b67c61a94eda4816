//! API tokens: each belongs to one user and acts with that user's permissions. The secret is
//! returned once at creation and stored only as a digest.

use chrono::{TimeDelta, Utc};
use entities::api_tokens;
use model::{ApiToken, CreateTokenRequest, CreatedToken, ErrorCode, ErrorDetail};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::audit::{self, AuditContext, AuditEntry};
use super::timestamp;
use crate::auth::secret::{digest, random_token};
use crate::error::{AppError, AppResult};

const SECRET_PREFIX: &str = "trb_";
const MAX_EXPIRY_DAYS: u32 = 3650;

fn to_model(row: api_tokens::Model) -> ApiToken {
    ApiToken {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        created_at: timestamp(row.created_at),
        expires_at: row.expires_at.map(timestamp),
        last_used_at: row.last_used_at.map(timestamp),
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    user_id: &str,
    request: CreateTokenRequest,
) -> AppResult<CreatedToken> {
    let name = request.name.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.len() > 100 {
        problems.push(ErrorDetail::field("name", "give the token a name of 1 to 100 characters"));
    }
    if request.expires_in_days.is_some_and(|d| d == 0 || d > MAX_EXPIRY_DAYS) {
        problems
            .push(ErrorDetail::field("expires_in_days", format!("must be between 1 and {MAX_EXPIRY_DAYS}")));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid("the token request is not valid").with_details(problems));
    }
    let secret = format!("{SECRET_PREFIX}{}", random_token(32));
    let now = Utc::now();
    let row = api_tokens::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        user_id: Set(user_id.to_owned()),
        name: Set(name.to_owned()),
        token_hash: Set(digest(&secret)),
        prefix: Set(secret.chars().take(SECRET_PREFIX.len() + 6).collect()),
        created_at: Set(now),
        expires_at: Set(request.expires_in_days.map(|d| now + TimeDelta::days(i64::from(d)))),
        revoked_at: Set(None),
        last_used_at: Set(None),
    }
    .insert(db)
    .await?;
    let token_info = to_model(row);
    audit::record(
        db,
        ctx,
        AuditEntry::ok("tokens:create", format!("token:{}", token_info.id)).after(&token_info),
    )
    .await?;
    Ok(CreatedToken { token_info, token: secret })
}

/// The user's tokens that are not revoked, newest first.
pub async fn list(db: &impl ConnectionTrait, user_id: &str) -> AppResult<Vec<ApiToken>> {
    let rows = api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .order_by_desc(api_tokens::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_model).collect())
}

/// Revoke one of the user's tokens; it stops working on every node at once.
pub async fn revoke(db: &impl ConnectionTrait, ctx: &AuditContext, user_id: &str, id: &str) -> AppResult<()> {
    let result = api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_tokens::Column::Id.eq(id))
        .filter(api_tokens::Column::UserId.eq(user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::new(ErrorCode::TokenNotFound, format!("you have no active token {id:?}")));
    }
    audit::record(db, ctx, AuditEntry::ok("tokens:revoke", format!("token:{id}"))).await
}
