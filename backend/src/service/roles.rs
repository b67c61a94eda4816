//! Roles: the built-in ones are rewritten from code at every start, so their permissions
//! follow the release; a user's permissions are the union of their roles'. Custom roles are
//! created, changed and deleted here; a role still held by a user cannot be deleted.

use std::collections::BTreeSet;

use entities::{roles, user_roles, users};
use model::{ErrorCode, ErrorDetail, Role, RoleSpec, Subject};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::audit::{self, AuditContext, AuditEntry};
use crate::auth::Permission;
use crate::auth::permission::BUILTIN_ROLES;
use crate::error::{AppError, AppResult};

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

fn to_model(row: roles::Model) -> Role {
    let mut permissions: Vec<String> = serde_json::from_str(&row.permissions).unwrap_or_default();
    permissions.sort();
    Role { name: row.name, description: row.description, permissions, builtin: row.builtin }
}

/// Every role, built-in ones first, then by name.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Role>> {
    let rows = roles::Entity::find()
        .order_by_desc(roles::Column::Builtin)
        .order_by_asc(roles::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_model).collect())
}

async fn find(db: &impl ConnectionTrait, name: &str) -> AppResult<roles::Model> {
    roles::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::RoleNotFound, format!("there is no role {name:?}")))
}

pub async fn get(db: &impl ConnectionTrait, name: &str) -> AppResult<Role> {
    Ok(to_model(find(db, name).await?))
}

/// Name, description and permissions of a custom role; every problem at once.
fn problems(spec: &RoleSpec) -> Vec<ErrorDetail> {
    let mut problems = Vec::new();
    let name_ok = !spec.name.is_empty()
        && spec.name.len() <= 64
        && spec.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'));
    if !name_ok {
        problems.push(ErrorDetail::field("name", "use 1 to 64 lower-case letters, digits, '_' or '-'"));
    }
    if spec.description.len() > 500 {
        problems.push(ErrorDetail::field("description", "at most 500 characters"));
    }
    for (i, permission) in spec.permissions.iter().enumerate() {
        if !Permission::ALL.iter().any(|p| p.as_str() == permission) {
            problems.push(ErrorDetail::field(
                format!("permissions[{i}]"),
                format!("{permission:?} is not a permission (resource:action, e.g. dataflows:view)"),
            ));
        }
    }
    problems
}

fn builtin(name: &str) -> AppError {
    AppError::new(
        ErrorCode::BuiltinRole,
        format!(
            "{name:?} is a built-in role; its permissions follow the release — create a custom role instead"
        ),
    )
}

fn permissions_json(spec: &RoleSpec) -> AppResult<String> {
    let mut permissions = spec.permissions.clone();
    permissions.sort();
    permissions.dedup();
    serde_json::to_string(&permissions).map_err(AppError::internal)
}

pub async fn create(db: &impl ConnectionTrait, ctx: &AuditContext, spec: RoleSpec) -> AppResult<Role> {
    let problems = problems(&spec);
    if !problems.is_empty() {
        return Err(AppError::invalid("the role is not valid").with_details(problems));
    }
    if BUILTIN_ROLES.iter().any(|r| r.name == spec.name) {
        return Err(builtin(&spec.name));
    }
    let row = roles::ActiveModel {
        name: Set(spec.name.clone()),
        description: Set(spec.description.clone()),
        permissions: Set(permissions_json(&spec)?),
        builtin: Set(false),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await
    .map_err(|err| match AppError::from(err) {
        e if e.code == ErrorCode::AlreadyExists => {
            AppError::new(ErrorCode::AlreadyExists, format!("there is already a role {:?}", spec.name))
        }
        e => e,
    })?;
    let role = to_model(row);
    audit::record(db, ctx, AuditEntry::ok("roles:create", format!("role:{}", role.name)).after(&role))
        .await?;
    Ok(role)
}

/// Replace the description and permissions of a custom role; its holders get them at once.
pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    name: &str,
    mut spec: RoleSpec,
) -> AppResult<Role> {
    if spec.name.is_empty() {
        spec.name = name.to_owned();
    }
    let mut problems = problems(&spec);
    if spec.name != name {
        problems.push(ErrorDetail::field("name", "a role cannot be renamed; create a new one"));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid("the role is not valid").with_details(problems));
    }
    let row = find(db, name).await?;
    if row.builtin {
        return Err(builtin(name));
    }
    let before = to_model(row.clone());
    let mut active: roles::ActiveModel = row.into();
    active.description = Set(spec.description.clone());
    active.permissions = Set(permissions_json(&spec)?);
    let role = to_model(active.update(db).await?);
    let entry = AuditEntry::ok("roles:update", format!("role:{name}")).before(&before).after(&role);
    audit::record(db, ctx, entry).await?;
    Ok(role)
}

/// Delete a custom role nobody holds (409 `role_in_use` naming the holders otherwise), with
/// the access overrides that name it.
pub async fn delete(db: &impl ConnectionTrait, ctx: &AuditContext, name: &str) -> AppResult<()> {
    let row = find(db, name).await?;
    if row.builtin {
        return Err(builtin(name));
    }
    let holders: Vec<String> = user_roles::Entity::find()
        .filter(user_roles::Column::RoleName.eq(name))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    if !holders.is_empty() {
        let mut names: Vec<String> = users::Entity::find()
            .filter(users::Column::Id.is_in(holders))
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.username)
            .collect();
        names.sort();
        let details = names.iter().map(|n| ErrorDetail::field("users", n.clone())).collect();
        return Err(AppError::new(
            ErrorCode::RoleInUse,
            format!("{} user(s) hold the role {name:?}; take it from them first", names.len()),
        )
        .with_details(details));
    }
    let before = to_model(row);
    roles::Entity::delete_by_id(name.to_owned()).exec(db).await?;
    super::access::forget_subject(db, &Subject::Role(name.to_owned())).await?;
    audit::record(db, ctx, AuditEntry::ok("roles:delete", format!("role:{name}")).before(&before)).await
}
