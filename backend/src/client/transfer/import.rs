//! Making a node hold what an export holds. Everything is checked first — the files, then what
//! they need from the node (permissions, roles, the dataflows schedules run) — and only then
//! written, in dependency order: roles, connections, dataflows (subflows, jobs, process flows),
//! the exposed versions, access overrides, schedules. An object that already matches is left
//! alone, so importing the same directory twice changes nothing the second time.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use model::{
    AccessEntry, Connection, Dataflow, DataflowDocument, DataflowKind, DataflowSummary, DataflowVersion,
    ObjectAccess, Page, Role, RoleSpec, Schedule, ScheduleSpec, Subject, User, VersionInfo,
};

use super::ImportArgs;
use super::export::{list_dataflows, spec_of};
use super::format::{self, ConnectionFile, DataflowFile, Export};
use crate::client::Api;

/// What importing did to one object; the strongest change wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Unchanged,
    Updated,
    Created,
}

/// Outcomes by object (`"dataflow orders"`), in the order they were first met.
#[derive(Default)]
struct Tally(Vec<(String, Outcome)>);

impl Tally {
    fn note(&mut self, object: String, outcome: Outcome) {
        match self.0.iter_mut().find(|(o, _)| *o == object) {
            Some((_, seen)) => *seen = (*seen).max(outcome),
            None => self.0.push((object, outcome)),
        }
    }

    fn count(&self, outcome: Outcome) -> usize {
        self.0.iter().filter(|(_, o)| *o == outcome).count()
    }
}

/// What the node holds before the import.
struct Node {
    roles: BTreeMap<String, Role>,
    connections: BTreeMap<String, Connection>,
    dataflows: BTreeMap<String, DataflowSummary>,
    schedules: BTreeMap<String, Schedule>,
    /// Read only when an override names a user.
    users: Option<BTreeSet<String>>,
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let export = format::read(&args.dir)?;
    let api = Api::new(&args.remote)?;
    let node = read_node(&api, &export).await?;
    check_against(&api, &export, &node).await?;
    let mut tally = Tally::default();
    import_roles(&api, &export.roles, &node, &mut tally).await?;
    for file in &export.connections {
        import_connection(&api, file, &node, &mut tally).await?;
    }
    let mut to_expose = vec![];
    for file in &export.dataflows {
        let existing = node.dataflows.get(file.name());
        let (outcome, expose) = import_dataflow(&api, file, existing).await?;
        tally.note(format!("dataflow {}", file.name()), outcome);
        to_expose.extend(expose.map(|n| (file.name(), n)));
    }
    for (name, version) in to_expose {
        let url = api.url(&format!("/dataflows/{name}/versions/{version}/expose"));
        api.send_raw(api.client.post(url)).await?;
    }
    for file in &export.dataflows {
        let changed = import_access(&api, "dataflow", file.name(), &file.access, &node).await?;
        tally.note(format!("dataflow {}", file.name()), changed);
    }
    import_schedules(&api, &export.schedules, &node, &mut tally).await?;
    for (object, outcome) in &tally.0 {
        match outcome {
            Outcome::Created => println!("created {object}"),
            Outcome::Updated => println!("updated {object}"),
            Outcome::Unchanged => {}
        }
    }
    println!(
        "created {}, updated {}, unchanged {}",
        tally.count(Outcome::Created),
        tally.count(Outcome::Updated),
        tally.count(Outcome::Unchanged)
    );
    Ok(())
}

async fn read_node(api: &Api, export: &Export) -> anyhow::Result<Node> {
    let roles: Page<Role> = api.get("/roles").await?;
    let connections: Page<Connection> = api.get("/connections").await?;
    let schedules: Page<Schedule> = api.get("/schedules").await?;
    let names_users = export
        .connections
        .iter()
        .map(|c| &c.access)
        .chain(export.dataflows.iter().map(|d| &d.access))
        .flat_map(|a| &a.entries)
        .any(|e| matches!(e.subject, Subject::User(_)));
    let users = if names_users {
        let users: Page<User> = api.get("/users").await?;
        Some(users.items.into_iter().map(|u| u.username).collect())
    } else {
        None
    };
    Ok(Node {
        roles: roles.items.into_iter().map(|r| (r.name.clone(), r)).collect(),
        connections: connections.items.into_iter().map(|c| (c.name.clone(), c)).collect(),
        dataflows: list_dataflows(api).await?.into_iter().map(|d| (d.name.clone(), d)).collect(),
        schedules: schedules.items.into_iter().map(|s| (s.spec.name.clone(), s)).collect(),
        users,
    })
}

/// What the files need from the node, checked before anything is written.
async fn check_against(api: &Api, export: &Export, node: &Node) -> anyhow::Result<()> {
    let mut problems = vec![];
    let known: Vec<String> = api.get("/permissions").await?;
    for role in &export.roles {
        let file = format!("roles/{}.json", role.name);
        if node.roles.get(&role.name).is_some_and(|r| r.builtin) {
            problems.push(format!("{file}: {:?} is a built-in role on this node", role.name));
        }
        for permission in role.permissions.iter().filter(|p| !known.contains(p)) {
            problems.push(format!("{file}: {permission:?} is not a permission this node knows"));
        }
    }
    let role_exists =
        |name: &str| node.roles.contains_key(name) || export.roles.iter().any(|r| r.name == name);
    let overrides = export
        .connections
        .iter()
        .map(|c| (format!("connections/{}.json", c.connection.name), &c.access))
        .chain(export.dataflows.iter().map(|d| (format!("dataflows/{}.json", d.name()), &d.access)));
    for (file, access) in overrides {
        for entry in &access.entries {
            if let Subject::Role(role) = &entry.subject
                && !role_exists(role)
            {
                problems.push(format!(
                    "{file}: access names role {role:?}, which neither the export nor the node has"
                ));
            }
        }
    }
    for spec in &export.schedules {
        let in_export = export.dataflows.iter().any(|d| d.name() == spec.dataflow);
        let runnable = node
            .dataflows
            .get(&spec.dataflow)
            .is_some_and(|d| matches!(d.kind, DataflowKind::Job | DataflowKind::Process));
        if !in_export && !runnable {
            problems.push(format!(
                "schedules/{}.json: runs {:?}, which is neither in the export nor a job or process flow on the node",
                spec.name, spec.dataflow
            ));
        }
    }
    if !problems.is_empty() {
        let list: String = problems.iter().map(|p| format!("\n  - {p}")).collect();
        bail!("the export cannot be imported into {}; nothing was changed:{list}", api.base);
    }
    Ok(())
}

/// Schedules are matched by name (unique on a node).
async fn import_schedules(
    api: &Api,
    schedules: &[ScheduleSpec],
    node: &Node,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    for spec in schedules {
        let outcome = match node.schedules.get(&spec.name) {
            None => {
                api.send_raw(api.client.post(api.url("/schedules")).json(spec)).await?;
                Outcome::Created
            }
            Some(existing) if existing.spec == *spec => Outcome::Unchanged,
            Some(existing) => {
                let url = api.url(&format!("/schedules/{}", existing.id));
                api.send_raw(api.client.put(url).json(spec)).await?;
                Outcome::Updated
            }
        };
        tally.note(format!("schedule {}", spec.name), outcome);
    }
    Ok(())
}

fn same_role(role: &Role, spec: &RoleSpec) -> bool {
    let sorted = |p: &[String]| p.iter().cloned().collect::<BTreeSet<_>>();
    role.description == spec.description && sorted(&role.permissions) == sorted(&spec.permissions)
}

async fn import_roles(api: &Api, roles: &[RoleSpec], node: &Node, tally: &mut Tally) -> anyhow::Result<()> {
    for spec in roles {
        let outcome = match node.roles.get(&spec.name) {
            None => {
                api.send_raw(api.client.post(api.url("/roles")).json(spec)).await?;
                Outcome::Created
            }
            Some(role) if same_role(role, spec) => Outcome::Unchanged,
            Some(_) => {
                let url = api.url(&format!("/roles/{}", spec.name));
                api.send_raw(api.client.put(url).json(spec)).await?;
                Outcome::Updated
            }
        };
        tally.note(format!("role {}", spec.name), outcome);
    }
    Ok(())
}

/// Create or update the connection (its password on the node is kept), then its overrides;
/// warn when it has no password here but had one where it was exported.
async fn import_connection(
    api: &Api,
    file: &ConnectionFile,
    node: &Node,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let spec = &file.connection;
    let (outcome, saved) = match node.connections.get(&spec.name) {
        None => (
            Outcome::Created,
            api.send::<Connection>(api.client.post(api.url("/connections")).json(spec)).await?,
        ),
        Some(existing) if spec_of(existing) == *spec => (Outcome::Unchanged, existing.clone()),
        Some(_) => {
            let url = api.url(&format!("/connections/{}", spec.name));
            (Outcome::Updated, api.send::<Connection>(api.client.put(url).json(spec)).await?)
        }
    };
    let object = format!("connection {}", spec.name);
    tally.note(object.clone(), outcome);
    tally.note(object, import_access(api, "connection", &spec.name, &file.access, node).await?);
    if !file.secrets_to_set.is_empty() && !saved.password_set {
        eprintln!(
            "warning: connection {} was imported without its {}: set it in the console (Connections) or with PUT /api/v1/connections/{}",
            spec.name,
            file.secrets_to_set.join(", "),
            spec.name
        );
    }
    Ok(())
}

/// Entries in a stable order, so two lists that mean the same compare equal.
fn normalized(mut entries: Vec<AccessEntry>) -> Vec<AccessEntry> {
    for entry in &mut entries {
        entry.permissions.sort();
    }
    entries.sort_by(|a, b| (&a.subject, a.effect).cmp(&(&b.subject, b.effect)));
    entries
}

/// Replace the object's overrides with the export's when it has some and they differ. Entries
/// for users the node does not have are left out (users are not exported), with a warning.
async fn import_access(
    api: &Api,
    kind: &str,
    name: &str,
    access: &ObjectAccess,
    node: &Node,
) -> anyhow::Result<Outcome> {
    if access.entries.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    let mut entries = vec![];
    for entry in &access.entries {
        match &entry.subject {
            Subject::User(user) if !node.users.as_ref().is_some_and(|u| u.contains(user)) => {
                eprintln!(
                    "warning: the access override on {kind} {name} for user {user} was left out: there is no such user here"
                );
            }
            _ => entries.push(entry.clone()),
        }
    }
    let path = format!("/access/{kind}/{name}");
    let current: ObjectAccess = api.get(&path).await?;
    let wanted = ObjectAccess { entries: normalized(entries) };
    if normalized(current.entries) == wanted.entries {
        return Ok(Outcome::Unchanged);
    }
    api.send_raw(api.client.put(api.url(&path)).json(&wanted)).await?;
    Ok(Outcome::Updated)
}

/// Save `document` as the dataflow's next version (or its first); the number it got.
async fn save(api: &Api, document: &DataflowDocument) -> anyhow::Result<i32> {
    let url = api.url("/dataflows/import");
    let saved: Dataflow = api.send(api.client.post(url).json(document)).await?;
    Ok(saved.summary.version)
}

/// The newest version of `name` on the node whose document is `wanted`.
async fn find_version(api: &Api, name: &str, wanted: &DataflowDocument) -> anyhow::Result<Option<i32>> {
    let versions: Page<VersionInfo> = api.get(&format!("/dataflows/{name}/versions")).await?;
    for info in versions.items {
        let version: DataflowVersion =
            api.get(&format!("/dataflows/{name}/versions/{}", info.version)).await?;
        if version.document == *wanted {
            return Ok(Some(info.version));
        }
    }
    Ok(None)
}

/// Save what differs — the exposed document (when no version holds it) and the newest one —
/// and say which version to expose once every dataflow is saved.
async fn import_dataflow(
    api: &Api,
    file: &DataflowFile,
    existing: Option<&DataflowSummary>,
) -> anyhow::Result<(Outcome, Option<i32>)> {
    let name = file.name();
    let Some(summary) = existing else {
        // The older exposed version first, so it stays older than the newest one.
        let exposed = match &file.exposed_document {
            Some(document) => Some(save(api, document).await?),
            None => None,
        };
        let newest = save(api, &file.document).await?;
        return Ok((Outcome::Created, file.exposed_version.map(|_| exposed.unwrap_or(newest))));
    };
    let mut outcome = Outcome::Unchanged;
    let mut expose = None;
    if let Some(wanted) = file.exposed() {
        let current = match summary.exposed_version {
            Some(n) => {
                Some(api.get::<DataflowVersion>(&format!("/dataflows/{name}/versions/{n}")).await?.document)
            }
            None => None,
        };
        if current.as_ref() != Some(wanted) {
            outcome = Outcome::Updated;
            expose = Some(match find_version(api, name, wanted).await? {
                Some(n) => n,
                None => save(api, wanted).await?,
            });
        }
    }
    let newest: Dataflow = api.get(&format!("/dataflows/{name}")).await?;
    if newest.document != file.document {
        save(api, &file.document).await?;
        outcome = Outcome::Updated;
    }
    Ok((outcome, expose))
}
