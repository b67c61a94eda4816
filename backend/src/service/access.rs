//! Per-object access overrides in the store: read them all (for the cache of
//! [`crate::auth::access`]), read and replace those of one object, drop those of a deleted
//! user or role.

use std::collections::HashSet;

use entities::{object_access, roles, users};
use model::{AccessEntry, Effect, ErrorDetail, ObjectAccess, Subject};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::audit::{self, AuditContext, AuditEntry};
use crate::auth::access::{ObjectKind, ObjectRef, Overrides};
use crate::error::{AppError, AppResult};

const MAX_ENTRIES: usize = 200;

fn subject_of(row: &object_access::Model) -> Option<Subject> {
    match row.subject_kind.as_str() {
        "user" => Some(Subject::User(row.subject_name.clone())),
        "role" => Some(Subject::Role(row.subject_name.clone())),
        _ => None,
    }
}

fn entry_of(row: &object_access::Model) -> Option<AccessEntry> {
    let effect = match row.effect.as_str() {
        "grant" => Effect::Grant,
        "deny" => Effect::Deny,
        _ => return None,
    };
    Some(AccessEntry {
        subject: subject_of(row)?,
        effect,
        permissions: serde_json::from_str(&row.permissions).unwrap_or_default(),
    })
}

fn subject_parts(subject: &Subject) -> (&'static str, &str) {
    match subject {
        Subject::User(name) => ("user", name),
        Subject::Role(name) => ("role", name),
    }
}

pub async fn load_all(db: &impl ConnectionTrait) -> AppResult<Overrides> {
    let rows = object_access::Entity::find().all(db).await?;
    Ok(Overrides::from_rows(rows.iter().filter_map(|row| {
        Some((ObjectKind::parse(&row.object_kind)?, row.object_name.clone(), entry_of(row)?))
    })))
}

pub async fn get(db: &impl ConnectionTrait, object: ObjectRef<'_>) -> AppResult<ObjectAccess> {
    let mut entries: Vec<AccessEntry> = object_access::Entity::find()
        .filter(object_access::Column::ObjectKind.eq(object.kind().as_str()))
        .filter(object_access::Column::ObjectName.eq(object.name()))
        .all(db)
        .await?
        .iter()
        .filter_map(entry_of)
        .collect();
    entries.sort_by(|a, b| (&a.subject, a.effect).cmp(&(&b.subject, b.effect)));
    Ok(ObjectAccess { entries })
}

/// Every problem of `access` for an object of `kind`: unknown permissions, grants naming none,
/// a subject listed twice with the same effect, users and roles that do not exist.
async fn problems(
    db: &impl ConnectionTrait,
    kind: ObjectKind,
    access: &ObjectAccess,
) -> AppResult<Vec<ErrorDetail>> {
    let mut problems = Vec::new();
    if access.entries.len() > MAX_ENTRIES {
        problems.push(ErrorDetail::field("entries", format!("at most {MAX_ENTRIES} entries")));
    }
    let allowed: Vec<&str> = kind.permissions().iter().map(|p| p.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, entry) in access.entries.iter().enumerate() {
        let at = |field: &str| format!("entries[{i}].{field}");
        for permission in &entry.permissions {
            if !allowed.contains(&permission.as_str()) {
                let message = format!(
                    "{permission:?} is not a permission on a {}; use one of {}",
                    kind.as_str(),
                    allowed.join(", ")
                );
                problems.push(ErrorDetail::field(at("permissions"), message));
            }
        }
        if entry.effect == Effect::Grant && entry.permissions.is_empty() {
            problems.push(ErrorDetail::field(at("permissions"), "a grant lists the permissions it gives"));
        }
        if !seen.insert((entry.subject.clone(), entry.effect)) {
            problems.push(ErrorDetail::field(
                at("subject"),
                "this subject already has an entry with this effect",
            ));
        }
        let exists = match &entry.subject {
            Subject::User(name) => users::Entity::find()
                .filter(users::Column::Username.eq(name.as_str()))
                .one(db)
                .await?
                .is_some(),
            Subject::Role(name) => roles::Entity::find_by_id(name.clone()).one(db).await?.is_some(),
        };
        if !exists {
            let (what, name) = subject_parts(&entry.subject);
            problems.push(ErrorDetail::field(at("subject"), format!("there is no {what} {name:?}")));
        }
    }
    Ok(problems)
}

/// Replace the overrides on `object` with `access`, all or nothing.
pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    object: ObjectRef<'_>,
    access: ObjectAccess,
) -> AppResult<ObjectAccess> {
    let problems = problems(db, object.kind(), &access).await?;
    if !problems.is_empty() {
        return Err(AppError::invalid("the access list is not valid").with_details(problems));
    }
    let before = get(db, object).await?;
    object_access::Entity::delete_many()
        .filter(object_access::Column::ObjectKind.eq(object.kind().as_str()))
        .filter(object_access::Column::ObjectName.eq(object.name()))
        .exec(db)
        .await?;
    let now = chrono::Utc::now();
    for entry in &access.entries {
        let (subject_kind, subject_name) = subject_parts(&entry.subject);
        object_access::ActiveModel {
            object_kind: Set(object.kind().as_str().to_owned()),
            object_name: Set(object.name().to_owned()),
            subject_kind: Set(subject_kind.to_owned()),
            subject_name: Set(subject_name.to_owned()),
            effect: Set(entry.effect.as_str().to_owned()),
            permissions: Set(serde_json::to_string(&entry.permissions).map_err(AppError::internal)?),
            created_by: Set(ctx.actor.clone()),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    let after = get(db, object).await?;
    let entry = AuditEntry::ok("access:replace", object.resource()).before(&before).after(&after);
    audit::record(db, ctx, entry).await?;
    Ok(after)
}

/// Drop every override naming `subject` (the user or role is being deleted).
pub async fn forget_subject(db: &impl ConnectionTrait, subject: &Subject) -> AppResult<()> {
    let (kind, name) = subject_parts(subject);
    object_access::Entity::delete_many()
        .filter(object_access::Column::SubjectKind.eq(kind))
        .filter(object_access::Column::SubjectName.eq(name))
        .exec(db)
        .await?;
    Ok(())
}
