//! Users: the first `admin` on an empty database; listing, creating, changing roles,
//! disabling, resetting passwords and deleting, validated and audited. Passwords are hashed
//! before anything is written and appear in no answer, audit entry or log line.

use std::collections::{BTreeMap, HashSet};

use entities::{api_tokens, roles, sessions, user_roles, users};
use model::{CreateUser, ErrorCode, ErrorDetail, Subject, UpdateUser, User};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use super::audit::{self, AuditContext, AuditEntry};
use super::timestamp;
use crate::auth::password::hash_password;
use crate::auth::secret::random_token;
use crate::config::Secret;
use crate::error::{AppError, AppResult};

pub const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 1024;
const MAX_USERNAME: usize = 64;

/// On a database without users, create `admin` with the configured password or a random one
/// that is printed once. Several nodes may race here; the loser finds the user already there.
pub async fn bootstrap_admin(db: &DatabaseConnection, password: Option<&Secret>) -> anyhow::Result<()> {
    if users::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let (password, generated) = match password {
        Some(secret) => (secret.expose().to_owned(), false),
        None => (random_token(18), true),
    };
    match create_user(db, "admin", &password, &["admin"]).await {
        Ok(_) => {}
        Err(err) if err.code == model::ErrorCode::AlreadyExists => return Ok(()),
        Err(err) => return Err(anyhow::anyhow!("creating the first admin failed: {err}")),
    }
    if generated {
        tracing::warn!("created user \"admin\" with password {password:?}; it is shown only this once");
        eprintln!(
            "\n  Sign in as admin with password: {password}\n  (shown only this once; set TRIBUTARY_ADMIN_PASSWORD to choose it)\n"
        );
    } else {
        tracing::info!("created user \"admin\" with the configured admin password");
    }
    Ok(())
}

/// Create an enabled user holding `roles`; all or nothing.
pub async fn create_user(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    roles: &[&str],
) -> AppResult<users::Model> {
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let now = chrono::Utc::now();
    let txn = crate::store::begin_write(db).await?;
    let user = users::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        username: Set(username.to_owned()),
        password_hash: Set(hash),
        enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    for role in roles {
        user_roles::ActiveModel { user_id: Set(user.id.clone()), role_name: Set((*role).to_owned()) }
            .insert(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(user)
}

/// 1 to 64 characters: lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit.
pub fn username_problem(username: &str) -> Option<String> {
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let starts_well = username.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (username.is_empty() || username.len() > MAX_USERNAME || !valid_chars || !starts_well).then(|| {
        format!(
            "use 1 to {MAX_USERNAME} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    })
}

pub fn password_problem(password: &str) -> Option<String> {
    let length = password.chars().count();
    (!(MIN_PASSWORD..=MAX_PASSWORD).contains(&length))
        .then(|| format!("use {MIN_PASSWORD} to {MAX_PASSWORD} characters"))
}

/// One problem per role name that is not a role.
async fn unknown_roles(db: &impl ConnectionTrait, names: &[String]) -> AppResult<Vec<ErrorDetail>> {
    let known: HashSet<String> = roles::Entity::find().all(db).await?.into_iter().map(|r| r.name).collect();
    Ok(names
        .iter()
        .enumerate()
        .filter(|(_, name)| !known.contains(*name))
        .map(|(i, name)| ErrorDetail::field(format!("roles[{i}]"), format!("there is no role {name:?}")))
        .collect())
}

fn invalid_user(problems: Vec<ErrorDetail>) -> AppError {
    AppError::invalid("the user is not valid").with_details(problems)
}

async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

async fn find(db: &impl ConnectionTrait, username: &str) -> AppResult<users::Model> {
    users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::UserNotFound, format!("there is no user {username:?}")))
}

async fn roles_of(db: &impl ConnectionTrait, user_id: &str) -> AppResult<Vec<String>> {
    let mut names: Vec<String> = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role_name)
        .collect();
    names.sort();
    Ok(names)
}

fn to_model(row: users::Model, roles: Vec<String>) -> User {
    User {
        username: row.username,
        roles,
        enabled: row.enabled,
        created_at: timestamp(row.created_at),
        updated_at: timestamp(row.updated_at),
    }
}

/// Every user with their roles, by name.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<User>> {
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in user_roles::Entity::find().order_by_asc(user_roles::Column::RoleName).all(db).await? {
        roles.entry(row.user_id).or_default().push(row.role_name);
    }
    let rows = users::Entity::find().order_by_asc(users::Column::Username).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let held = roles.remove(&row.id).unwrap_or_default();
            to_model(row, held)
        })
        .collect())
}

pub async fn get(db: &impl ConnectionTrait, username: &str) -> AppResult<User> {
    let row = find(db, username).await?;
    let roles = roles_of(db, &row.id).await?;
    Ok(to_model(row, roles))
}

/// `POST /users`: validated in full before anything is written.
pub async fn create(db: &DatabaseConnection, ctx: &AuditContext, request: CreateUser) -> AppResult<User> {
    let mut problems = Vec::new();
    if let Some(problem) = username_problem(&request.username) {
        problems.push(ErrorDetail::field("username", problem));
    }
    if let Some(problem) = password_problem(&request.password) {
        problems.push(ErrorDetail::field("password", problem));
    }
    problems.extend(unknown_roles(db, &request.roles).await?);
    if !problems.is_empty() {
        return Err(invalid_user(problems));
    }
    let hash = hash(&request.password).await?;
    let now = chrono::Utc::now();
    let txn = crate::store::begin_write(db).await?;
    let row = users::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        username: Set(request.username.clone()),
        password_hash: Set(hash),
        enabled: Set(request.enabled),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|err| match AppError::from(err) {
        e if e.code == ErrorCode::AlreadyExists => {
            AppError::new(ErrorCode::AlreadyExists, format!("there is already a user {:?}", request.username))
        }
        e => e,
    })?;
    let mut roles = request.roles.clone();
    roles.sort();
    roles.dedup();
    for role in &roles {
        user_roles::ActiveModel { user_id: Set(row.id.clone()), role_name: Set(role.clone()) }
            .insert(&txn)
            .await?;
    }
    let user = to_model(row, roles);
    audit::record(&txn, ctx, AuditEntry::ok("users:create", format!("user:{}", user.username)).after(&user))
        .await?;
    txn.commit().await?;
    Ok(user)
}

/// Whether, after the change, some enabled user still holds `admin`: nobody may lock the
/// installation out of its own administration.
async fn admin_remains(db: &impl ConnectionTrait) -> AppResult<()> {
    let admins: Vec<String> = user_roles::Entity::find()
        .filter(user_roles::Column::RoleName.eq("admin"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let enabled = users::Entity::find()
        .filter(users::Column::Id.is_in(admins))
        .filter(users::Column::Enabled.eq(true))
        .count(db)
        .await?;
    if enabled == 0 {
        return Err(AppError::new(
            ErrorCode::LastAdmin,
            "this would leave no enabled user with the admin role; give the role to someone else first",
        ));
    }
    Ok(())
}

/// `PATCH /users/{username}`: new roles and/or enabled. Disabling ends the user's sessions;
/// their tokens stop working while they are disabled.
pub async fn update(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    username: &str,
    change: UpdateUser,
) -> AppResult<User> {
    if let Some(roles) = &change.roles {
        let problems = unknown_roles(db, roles).await?;
        if !problems.is_empty() {
            return Err(invalid_user(problems));
        }
    }
    let txn = crate::store::begin_write(db).await?;
    let before = get(&txn, username).await?;
    let row = find(&txn, username).await?;
    if let Some(roles) = &change.roles {
        user_roles::Entity::delete_many().filter(user_roles::Column::UserId.eq(&row.id)).exec(&txn).await?;
        let mut roles = roles.clone();
        roles.sort();
        roles.dedup();
        for role in roles {
            user_roles::ActiveModel { user_id: Set(row.id.clone()), role_name: Set(role) }
                .insert(&txn)
                .await?;
        }
    }
    let mut active: users::ActiveModel = row.clone().into();
    if let Some(enabled) = change.enabled {
        active.enabled = Set(enabled);
        if !enabled {
            sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(&row.id)).exec(&txn).await?;
        }
    }
    active.updated_at = Set(chrono::Utc::now());
    active.update(&txn).await?;
    admin_remains(&txn).await?;
    let after = get(&txn, username).await?;
    let entry = AuditEntry::ok("users:update", format!("user:{username}")).before(&before).after(&after);
    audit::record(&txn, ctx, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Set a new password; the user's sessions end (tokens stay: they are not passwords).
pub async fn set_password(
    db: &DatabaseConnection,
    ctx: &AuditContext,
    username: &str,
    password: &str,
) -> AppResult<()> {
    if let Some(problem) = password_problem(password) {
        return Err(invalid_user(vec![ErrorDetail::field("password", problem)]));
    }
    let hash = hash(password).await?;
    let txn = crate::store::begin_write(db).await?;
    let row = find(&txn, username).await?;
    sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(&row.id)).exec(&txn).await?;
    let mut active: users::ActiveModel = row.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(chrono::Utc::now());
    active.update(&txn).await?;
    audit::record(&txn, ctx, AuditEntry::ok("users:password", format!("user:{username}"))).await?;
    txn.commit().await?;
    Ok(())
}

/// Delete the user with their sessions, tokens, roles and access overrides.
pub async fn delete(db: &DatabaseConnection, ctx: &AuditContext, username: &str) -> AppResult<()> {
    let txn = crate::store::begin_write(db).await?;
    let before = get(&txn, username).await?;
    let row = find(&txn, username).await?;
    sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(&row.id)).exec(&txn).await?;
    api_tokens::Entity::delete_many().filter(api_tokens::Column::UserId.eq(&row.id)).exec(&txn).await?;
    user_roles::Entity::delete_many().filter(user_roles::Column::UserId.eq(&row.id)).exec(&txn).await?;
    users::Entity::delete_by_id(row.id).exec(&txn).await?;
    super::access::forget_subject(&txn, &Subject::User(username.to_owned())).await?;
    admin_remains(&txn).await?;
    audit::record(&txn, ctx, AuditEntry::ok("users:delete", format!("user:{username}")).before(&before))
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords_are_checked() {
        for good in ["dana", "ops.bot-2", "a", "x_y"] {
            assert_eq!(username_problem(good), None, "{good}");
        }
        for bad in ["", "Dana", "-dana", "dana smith", "dana/x", &"a".repeat(65)] {
            assert!(username_problem(bad).is_some(), "{bad}");
        }
        assert!(password_problem("short").is_some());
        assert_eq!(password_problem("long enough!"), None);
    }
}
