//! Users: the first `admin` on an empty database, and creating users with roles.

use entities::{user_roles, users};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::auth::password::hash_password;
use crate::auth::secret::random_token;
use crate::config::Secret;
use crate::error::{AppError, AppResult};

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
