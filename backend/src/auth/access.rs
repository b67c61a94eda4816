//! Per-object access: the overrides that grant or deny one user or one role permissions on one
//! dataflow or connection, and the one decision every dataflow- or connection-scoped endpoint
//! goes through ([`check`], [`require`]).
//!
//! The rule, in order: a deny for the user or one of their roles on the object, covering the
//! permission, beats everything; otherwise a grant for the user or one of their roles that lists
//! the permission allows it even without the role-wide permission; otherwise the role-wide
//! permissions decide.

use std::collections::HashMap;
use std::sync::Arc;

use model::{AccessEntry, Effect, ErrorCode, Subject};

use super::{Permission, Principal};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An object overrides can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectRef<'a> {
    Dataflow(&'a str),
    Connection(&'a str),
}

impl<'a> ObjectRef<'a> {
    pub fn kind(self) -> ObjectKind {
        match self {
            Self::Dataflow(_) => ObjectKind::Dataflow,
            Self::Connection(_) => ObjectKind::Connection,
        }
    }

    pub fn name(self) -> &'a str {
        match self {
            Self::Dataflow(name) | Self::Connection(name) => name,
        }
    }

    /// `dataflow:orders`: how the audit log names the object.
    pub fn resource(self) -> String {
        format!("{}:{}", self.kind().as_str(), self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Dataflow,
    Connection,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dataflow => "dataflow",
            Self::Connection => "connection",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "dataflow" => Some(Self::Dataflow),
            "connection" => Some(Self::Connection),
            _ => None,
        }
    }

    /// The permissions an override on this kind of object may name: those of the endpoints
    /// scoped to one such object.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Self::Dataflow => &[
                DataflowsView,
                DataflowsEdit,
                DataflowsExpose,
                DataflowsExecute,
                SchedulesView,
                SchedulesEdit,
                ServicesCall,
            ],
            Self::Connection => &[ConnectionsView, ConnectionsEdit],
        }
    }
}

/// What the overrides on one object say about one permission for one caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Denied,
    Granted,
    /// No override applies: the caller's role-wide permissions decide.
    RoleWide,
}

fn applies_to(entry: &AccessEntry, principal: &Principal) -> bool {
    match &entry.subject {
        Subject::User(name) => *name == principal.username,
        Subject::Role(name) => principal.roles.iter().any(|role| role == name),
    }
}

/// The override rule on the entries of one object (pure; unit-tested below).
pub fn decide(entries: &[AccessEntry], principal: &Principal, permission: Permission) -> Decision {
    let names = |entry: &AccessEntry| entry.permissions.iter().any(|p| p == permission.as_str());
    let mine = || entries.iter().filter(|e| applies_to(e, principal));
    if mine().any(|e| e.effect == Effect::Deny && (e.permissions.is_empty() || names(e))) {
        Decision::Denied
    } else if mine().any(|e| e.effect == Effect::Grant && names(e)) {
        Decision::Granted
    } else {
        Decision::RoleWide
    }
}

/// Every override, by object; small, so each node keeps it whole for a moment (see
/// [`crate::auth::cache`]).
#[derive(Debug, Default)]
pub struct Overrides {
    by_object: HashMap<(ObjectKind, String), Vec<AccessEntry>>,
}

impl Overrides {
    pub fn from_rows(rows: impl IntoIterator<Item = (ObjectKind, String, AccessEntry)>) -> Self {
        let mut by_object: HashMap<_, Vec<_>> = HashMap::new();
        for (kind, name, entry) in rows {
            by_object.entry((kind, name)).or_default().push(entry);
        }
        Self { by_object }
    }

    pub fn on(&self, object: ObjectRef<'_>) -> &[AccessEntry] {
        self.by_object.get(&(object.kind(), object.name().to_owned())).map_or(&[], Vec::as_slice)
    }

    /// Whether `permission` is allowed on `object` for `principal`, overrides included.
    pub fn allows(&self, principal: &Principal, object: ObjectRef<'_>, permission: Permission) -> bool {
        match decide(self.on(object), principal, permission) {
            Decision::Denied => false,
            Decision::Granted => true,
            Decision::RoleWide => principal.can(permission),
        }
    }
}

/// The overrides as this node holds them: cached, re-read after a change or two seconds.
pub async fn overrides(state: &AppState) -> AppResult<Arc<Overrides>> {
    if let Some(cached) = state.principals.overrides() {
        return Ok(cached);
    }
    let loaded = Arc::new(crate::service::access::load_all(&state.db).await?);
    state.principals.put_overrides(loaded.clone());
    Ok(loaded)
}

/// What the overrides on `object` say about `permission` for `principal`.
pub async fn check(
    state: &AppState,
    principal: &Principal,
    object: ObjectRef<'_>,
    permission: Permission,
) -> AppResult<Decision> {
    Ok(decide(overrides(state).await?.on(object), principal, permission))
}

/// `403 forbidden` unless `principal` may do `permission` on `object`, overrides included.
/// Use it in place of [`Principal::require`] on endpoints scoped to one object.
pub async fn require(
    state: &AppState,
    principal: &Principal,
    object: ObjectRef<'_>,
    permission: Permission,
) -> AppResult<()> {
    match check(state, principal, object, permission).await? {
        Decision::Denied => Err(denied(object, permission)),
        Decision::Granted => Ok(()),
        Decision::RoleWide => principal.require(permission),
    }
}

pub fn denied(object: ObjectRef<'_>, permission: Permission) -> AppError {
    AppError::new(
        ErrorCode::Forbidden,
        format!(
            "access to {} {:?} is denied ({})",
            object.kind().as_str(),
            object.name(),
            permission.as_str()
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::auth::principal::Credential;

    fn principal(username: &str, roles: &[&str], permissions: &[Permission]) -> Principal {
        Principal {
            user_id: username.into(),
            username: username.into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            permissions: permissions.iter().map(|p| p.as_str().to_owned()).collect::<BTreeSet<_>>(),
            credential: Credential::Token("t".into()),
        }
    }

    fn entry(subject: Subject, effect: Effect, permissions: &[Permission]) -> AccessEntry {
        AccessEntry { subject, effect, permissions: permissions.iter().map(|p| p.as_str().into()).collect() }
    }

    #[test]
    fn deny_beats_grant_and_role_permissions() {
        use Permission::*;
        let dana = principal("dana", &["designer"], &[DataflowsView, DataflowsEdit]);
        let entries = vec![
            entry(Subject::User("dana".into()), Effect::Grant, &[DataflowsView]),
            entry(Subject::Role("designer".into()), Effect::Deny, &[]),
        ];
        assert_eq!(decide(&entries, &dana, DataflowsView), Decision::Denied);
        let only_edit = vec![entry(Subject::User("dana".into()), Effect::Deny, &[DataflowsEdit])];
        assert_eq!(decide(&only_edit, &dana, DataflowsEdit), Decision::Denied);
        assert_eq!(decide(&only_edit, &dana, DataflowsView), Decision::RoleWide);
    }

    #[test]
    fn grant_adds_only_what_it_lists_and_only_to_its_subject() {
        use Permission::*;
        let vic = principal("vic", &["viewer"], &[DataflowsView]);
        let entries = vec![entry(Subject::Role("viewer".into()), Effect::Grant, &[DataflowsExecute])];
        assert_eq!(decide(&entries, &vic, DataflowsExecute), Decision::Granted);
        assert_eq!(decide(&entries, &vic, DataflowsEdit), Decision::RoleWide);
        let other = principal("olga", &["operator"], &[]);
        assert_eq!(decide(&entries, &other, DataflowsExecute), Decision::RoleWide);
        let overrides = Overrides::from_rows([(ObjectKind::Dataflow, "a".to_owned(), entries[0].clone())]);
        assert!(overrides.allows(&vic, ObjectRef::Dataflow("a"), DataflowsExecute));
        assert!(!overrides.allows(&vic, ObjectRef::Dataflow("b"), DataflowsExecute));
        assert!(!overrides.allows(&vic, ObjectRef::Connection("a"), DataflowsExecute));
    }
}
