//! Users, roles and per-object access overrides: what `/users`, `/roles` and
//! `/dataflows/{name}/access` (and `/connections/{name}/access`) send and receive.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user as listed; the password is write-only and never part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub username: String,
    pub roles: Vec<String>,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// `PATCH /users/{username}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `POST /users/{username}/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    pub password: String,
}

/// A role with its `resource:action` permissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Role {
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
    /// Built-in roles follow the release and cannot be changed or deleted.
    pub builtin: bool,
}

/// `POST /roles` (with `name`) and `PUT /roles/{name}` (name from the path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub permissions: Vec<String>,
}

/// Who an override is about: one user or everyone holding one role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    User(String),
    Role(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Grant,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grant => "grant",
            Self::Deny => "deny",
        }
    }
}

/// One override on one object: grant or deny `permissions` to `subject`. A deny with no
/// permissions denies every permission on the object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessEntry {
    pub subject: Subject,
    pub effect: Effect,
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// `GET`/`PUT /dataflows/{name}/access`: the whole list of overrides on the object; a `PUT`
/// replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectAccess {
    pub entries: Vec<AccessEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_as_documented() {
        let text = r#"{"entries": [
            {"subject": {"role": "viewer"}, "effect": "grant", "permissions": ["dataflows:execute"]},
            {"subject": {"user": "dana"}, "effect": "deny"}]}"#;
        let access: ObjectAccess = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(access.entries.len(), 2);
        assert_eq!(access.entries[0].subject, Subject::Role("viewer".into()));
        assert_eq!(access.entries[1].effect, Effect::Deny);
        assert!(access.entries[1].permissions.is_empty());
    }

    #[test]
    fn users_are_enabled_unless_said_otherwise() {
        let user: Result<CreateUser, _> = serde_json::from_str(r#"{"username": "a", "password": "b"}"#);
        assert!(user.is_ok_and(|u| u.enabled && u.roles.is_empty()));
    }
}
