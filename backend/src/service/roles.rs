//! Roles: the built-in ones are rewritten from code at every start, so their permissions
//! follow the release; a user's permissions are the union of their roles'.

use std::collections::BTreeSet;

use entities::{roles, user_roles};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::auth::permission::BUILTIN_ROLES;

pub async fn seed_builtin_roles(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for role in BUILTIN_ROLES {
        let permissions: Vec<&str> = role.permissions.iter().map(|p| p.as_str()).collect();
        let row = roles::ActiveModel {
            name: Set(role.name.into()),
            description: Set(role.description.into()),
            permissions: Set(serde_json::to_string(&permissions).unwrap_or_else(|_| "[]".into())),
            builtin: Set(true),
            created_at: Set(chrono::Utc::now()),
        };
        let upsert = OnConflict::column(roles::Column::Name)
            .update_columns([roles::Column::Description, roles::Column::Permissions, roles::Column::Builtin])
            .to_owned();
        roles::Entity::insert(row).on_conflict(upsert).exec(db).await?;
    }
    Ok(())
}

/// The user's role names and the union of their permissions, both sorted.
pub async fn roles_and_permissions(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> Result<(Vec<String>, BTreeSet<String>), DbErr> {
    let names: Vec<String> = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role_name)
        .collect();
    let mut permissions = BTreeSet::new();
    if !names.is_empty() {
        for role in roles::Entity::find().filter(roles::Column::Name.is_in(names.clone())).all(db).await? {
            let granted: Vec<String> = serde_json::from_str(&role.permissions).unwrap_or_default();
            permissions.extend(granted);
        }
    }
    let mut names = names;
    names.sort();
    Ok((names, permissions))
}
