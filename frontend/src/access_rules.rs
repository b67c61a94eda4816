//! The users, roles and access pages without the DOM: permissions grouped by resource for a
//! checklist, toggling one in a list, an override in words, and the checks the forms make
//! before sending (the node checks again and has the last word).

use model::{AccessEntry, Effect, Subject};

/// The permissions an override on a dataflow may name (the node's `ObjectKind::Dataflow`).
pub const DATAFLOW_PERMISSIONS: &[&str] = &[
    "dataflows:view",
    "dataflows:edit",
    "dataflows:expose",
    "dataflows:execute",
    "schedules:view",
    "schedules:edit",
    "services:call",
];

/// The permissions an override on a connection may name (the node's `ObjectKind::Connection`).
pub const CONNECTION_PERMISSIONS: &[&str] = &["connections:view", "connections:edit"];

/// The shortest password the node accepts.
pub const MIN_PASSWORD: usize = 10;

/// `resource:action` names grouped by resource, in the order given: one fieldset each.
pub fn group_by_resource(permissions: &[String]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for permission in permissions {
        let resource = permission.split_once(':').map_or(permission.as_str(), |(r, _)| r);
        match groups.iter_mut().find(|(r, _)| r == resource) {
            Some((_, members)) => members.push(permission.clone()),
            None => groups.push((resource.to_owned(), vec![permission.clone()])),
        }
    }
    groups
}

/// `list` with `item` in it (`on`) or not, sorted and without repeats.
pub fn toggle(list: &[String], item: &str, on: bool) -> Vec<String> {
    let mut next: Vec<String> = list.iter().filter(|p| *p != item).cloned().collect();
    if on {
        next.push(item.to_owned());
    }
    next.sort();
    next
}

/// "Deny role viewer: everything" / "Grant user dana: dataflows:execute, services:call".
pub fn describe(entry: &AccessEntry) -> String {
    let effect = match entry.effect {
        Effect::Grant => "Grant",
        Effect::Deny => "Deny",
    };
    let subject = match &entry.subject {
        Subject::User(name) => format!("user {name}"),
        Subject::Role(name) => format!("role {name}"),
    };
    let what =
        if entry.permissions.is_empty() { "everything".to_owned() } else { entry.permissions.join(", ") };
    format!("{effect} {subject}: {what}")
}

/// The entry the "add" form describes, or what is wrong with it.
pub fn new_entry(
    kind: &str,
    name: &str,
    effect: &str,
    permissions: &[String],
) -> Result<AccessEntry, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Name the user or role the entry is for.");
    }
    let subject = match kind {
        "user" => Subject::User(name.to_owned()),
        _ => Subject::Role(name.to_owned()),
    };
    let effect = if effect == "deny" { Effect::Deny } else { Effect::Grant };
    if effect == Effect::Grant && permissions.is_empty() {
        return Err("A grant needs at least one permission.");
    }
    Ok(AccessEntry { subject, effect, permissions: permissions.to_vec() })
}

/// The problem of a new user's form, if any, before it is sent.
pub fn user_form_problem(username: &str, password: &str) -> Option<&'static str> {
    if username.trim().is_empty() {
        return Some("Give the user a name.");
    }
    if password.chars().count() < MIN_PASSWORD {
        return Some("The password needs at least 10 characters.");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn permissions_group_by_resource_in_order() {
        let groups =
            group_by_resource(&strings(&["dataflows:view", "dataflows:edit", "runs:view", "audit:view"]));
        let names: Vec<&str> = groups.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(names, ["dataflows", "runs", "audit"]);
        assert_eq!(groups[0].1, strings(&["dataflows:view", "dataflows:edit"]));
    }

    #[test]
    fn toggling_keeps_lists_sorted_and_unique() {
        let list = strings(&["runs:view"]);
        assert_eq!(toggle(&list, "audit:view", true), strings(&["audit:view", "runs:view"]));
        assert_eq!(toggle(&list, "runs:view", true), strings(&["runs:view"]));
        assert!(toggle(&list, "runs:view", false).is_empty());
    }

    #[test]
    fn entries_read_as_sentences_and_forms_are_checked() {
        let deny = new_entry("role", " viewer ", "deny", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(describe(&deny), "Deny role viewer: everything");
        let grant = new_entry("user", "dana", "grant", &strings(&["dataflows:execute"]));
        assert_eq!(grant.map(|e| describe(&e)), Ok("Grant user dana: dataflows:execute".to_owned()));
        assert!(new_entry("user", "dana", "grant", &[]).is_err());
        assert!(new_entry("user", "  ", "deny", &[]).is_err());
        assert_eq!(user_form_problem("dana", "short"), Some("The password needs at least 10 characters."));
        assert_eq!(user_form_problem("dana", "long enough!"), None);
    }
}
