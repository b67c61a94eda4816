//! Signing in and out, and turning a presented cookie or bearer token into a [`Principal`].
//! Sessions and tokens live in the database by digest, so every node accepts them.

use std::time::Duration;

use chrono::Utc;
use entities::{api_tokens, sessions, users};
use model::{ErrorCode, LoginRequest, Me};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::audit::{self, AuditContext, AuditEntry};
use super::roles::roles_and_permissions;
use crate::auth::password::{decoy_hash, verify_password};
use crate::auth::principal::{Credential, Presented, Principal};
use crate::auth::secret::{digest, random_token};
use crate::error::{AppError, AppResult};

/// How often `last_used_at` of a token is rewritten at most: a busy integration must not turn
/// every request into a write.
const TOKEN_TOUCH_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// A new session: the cookie value (returned once, stored only as a digest) and who signed in.
pub struct NewSession {
    pub cookie_value: String,
    pub me: Me,
}

pub async fn login(
    db: &impl ConnectionTrait,
    ttl: Duration,
    ctx: &AuditContext,
    request: LoginRequest,
) -> AppResult<NewSession> {
    let user = users::Entity::find().filter(users::Column::Username.eq(&request.username)).one(db).await?;
    let hash = user
        .as_ref()
        .filter(|u| u.enabled)
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    let password = request.password;
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    let ctx = ctx.with_actor(&request.username);
    let user = match user {
        Some(user) if verified && user.enabled => user,
        _ => {
            let entry = AuditEntry {
                outcome: "failed",
                ..AuditEntry::ok("auth:login", format!("user:{}", request.username))
            };
            audit::record(db, &ctx, entry).await?;
            return Err(AppError::new(ErrorCode::InvalidCredentials, "wrong user name or password"));
        }
    };
    let cookie_value = random_token(32);
    let now = Utc::now();
    let ttl = chrono::TimeDelta::from_std(ttl).map_err(AppError::internal)?;
    sessions::ActiveModel {
        token_hash: Set(digest(&cookie_value)),
        user_id: Set(user.id.clone()),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        node: Set(ctx.node.clone()),
    }
    .insert(db)
    .await?;
    audit::record(db, &ctx, AuditEntry::ok("auth:login", format!("user:{}", user.username))).await?;
    let (roles, permissions) = roles_and_permissions(db, &user.id).await?;
    Ok(NewSession {
        cookie_value,
        me: Me { username: user.username, roles, permissions: permissions.into_iter().collect() },
    })
}

/// End the caller's session; a token-authenticated caller has no session to end.
pub async fn logout(db: &impl ConnectionTrait, ctx: &AuditContext, principal: &Principal) -> AppResult<()> {
    if let Credential::Session(token_hash) = &principal.credential {
        sessions::Entity::delete_by_id(token_hash.clone()).exec(db).await?;
        audit::record(db, ctx, AuditEntry::ok("auth:logout", format!("user:{}", principal.username))).await?;
    }
    Ok(())
}

fn rejected(what: &str) -> AppError {
    AppError::new(ErrorCode::Unauthenticated, format!("{what}; sign in again"))
}

pub async fn authenticate(db: &impl ConnectionTrait, presented: Presented) -> AppResult<Principal> {
    let now = Utc::now();
    let (user_id, credential) = match presented {
        Presented::Cookie(value) => {
            let token_hash = digest(&value);
            let session = sessions::Entity::find_by_id(token_hash.clone()).one(db).await?;
            match session {
                Some(s) if s.expires_at > now => (s.user_id, Credential::Session(token_hash)),
                Some(_) => return Err(rejected("the session has expired")),
                None => return Err(rejected("the session is not valid")),
            }
        }
        Presented::Bearer(secret) => {
            let token = api_tokens::Entity::find()
                .filter(api_tokens::Column::TokenHash.eq(digest(&secret)))
                .one(db)
                .await?;
            let Some(token) = token.filter(|t| t.revoked_at.is_none()) else {
                return Err(AppError::new(
                    ErrorCode::Unauthenticated,
                    "the API token is not valid or was revoked",
                ));
            };
            if token.expires_at.is_some_and(|at| at <= now) {
                return Err(AppError::new(ErrorCode::Unauthenticated, "the API token has expired"));
            }
            if token.last_used_at.is_none_or(|at| now - at > TOKEN_TOUCH_INTERVAL) {
                api_tokens::Entity::update_many()
                    .col_expr(api_tokens::Column::LastUsedAt, Expr::value(now))
                    .filter(api_tokens::Column::Id.eq(&token.id))
                    .exec(db)
                    .await?;
            }
            (token.user_id, Credential::Token(token.id))
        }
    };
    let user = users::Entity::find_by_id(user_id.clone()).one(db).await?;
    let Some(user) = user.filter(|u| u.enabled) else {
        return Err(rejected("the account is disabled"));
    };
    let (roles, permissions) = roles_and_permissions(db, &user.id).await?;
    Ok(Principal { user_id: user.id, username: user.username, roles, permissions, credential })
}

/// Remove expired sessions; called periodically.
pub async fn purge_expired(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    let result =
        sessions::Entity::delete_many().filter(sessions::Column::ExpiresAt.lt(Utc::now())).exec(db).await?;
    Ok(result.rows_affected)
}
