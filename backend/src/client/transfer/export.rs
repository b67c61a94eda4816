//! Reading a node into an export directory: everything is read first, so a refused request
//! leaves the directory as it was; the manifest is written last, so a directory whose writing
//! was cut short is not mistaken for an export.

use std::path::Path;

use anyhow::{Context, bail};
use model::{
    Connection, ConnectionSpec, Dataflow, DataflowSummary, DataflowVersion, ObjectAccess, Page, Role,
    RoleSpec, Schedule, ScheduleSpec,
};

use super::ExportArgs;
use super::format::{
    ConnectionFile, Counts, DataflowFile, FOLDERS, FORMAT, FORMAT_VERSION, MANIFEST, Manifest, file_name,
    to_pretty,
};
use crate::client::Api;

/// What an export never holds; also written into the manifest.
const NOT_INCLUDED: [&str; 5] =
    ["secrets (connection passwords)", "built-in roles", "users", "API tokens", "run and schedule history"];

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    check_empty(&args.dir, args.force)?;
    let api = Api::new(&args.remote)?;
    let roles = custom_roles(&api).await?;
    let connections = connections(&api).await?;
    let dataflows = dataflows(&api).await?;
    let schedules: Page<Schedule> = api.get("/schedules").await?;
    let schedules: Vec<ScheduleSpec> = schedules.items.into_iter().map(|s| s.spec).collect();

    let mut files: Vec<(String, String)> = vec![];
    for role in &roles {
        files.push((file_name("roles", &role.name)?, to_pretty(role)?));
    }
    for connection in &connections {
        files.push((file_name("connections", &connection.connection.name)?, to_pretty(connection)?));
    }
    for dataflow in &dataflows {
        files.push((file_name("dataflows", dataflow.name())?, to_pretty(dataflow)?));
    }
    for schedule in &schedules {
        files.push((file_name("schedules", &schedule.name)?, to_pretty(schedule)?));
    }
    let counts = Counts {
        roles: roles.len(),
        connections: connections.len(),
        dataflows: dataflows.len(),
        schedules: schedules.len(),
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        exported_from: api.base.clone(),
        tributary_version: env!("CARGO_PKG_VERSION").into(),
        counts,
        not_included: NOT_INCLUDED.iter().map(|s| s.to_string()).collect(),
    };
    write(&args.dir, &files, &to_pretty(&manifest)?)?;
    println!("exported {counts} to {}", args.dir.display());
    let secrets: Vec<&str> = connections
        .iter()
        .filter(|c| !c.secrets_to_set.is_empty())
        .map(|c| c.connection.name.as_str())
        .collect();
    if !secrets.is_empty() {
        println!("passwords are never exported: set them again after importing ({})", secrets.join(", "));
    }
    Ok(())
}

/// Refuse a non-empty directory unless `force`, before anything is read from the node.
fn check_empty(dir: &Path, force: bool) -> anyhow::Result<()> {
    let not_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", dir.display())),
    };
    if not_empty && !force {
        bail!("{} is not empty; pass --force to replace an earlier export there", dir.display());
    }
    Ok(())
}

/// Write the files, after removing those of an earlier export (so a deleted object does not
/// come back); other files in the directory stay. The manifest goes last.
fn write(dir: &Path, files: &[(String, String)], manifest: &str) -> anyhow::Result<()> {
    let manifest_path = dir.join(MANIFEST);
    if manifest_path.exists() {
        std::fs::remove_file(&manifest_path)?;
    }
    for folder in FOLDERS {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
        for entry in std::fs::read_dir(&path)? {
            let entry = entry?.path();
            if entry.extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(&entry).with_context(|| format!("cannot remove {}", entry.display()))?;
            }
        }
    }
    for (relative, text) in files {
        std::fs::write(dir.join(relative), text).with_context(|| format!("cannot write {relative}"))?;
    }
    std::fs::write(&manifest_path, manifest).with_context(|| format!("cannot write {MANIFEST}"))
}

async fn custom_roles(api: &Api) -> anyhow::Result<Vec<RoleSpec>> {
    let roles: Page<Role> = api.get("/roles").await?;
    Ok(roles
        .items
        .into_iter()
        .filter(|r| !r.builtin)
        .map(|r| {
            let mut permissions = r.permissions;
            permissions.sort();
            RoleSpec { name: r.name, description: r.description, permissions }
        })
        .collect())
}

/// A stored connection as the spec that would create it, without its password.
pub(super) fn spec_of(connection: &Connection) -> ConnectionSpec {
    ConnectionSpec {
        name: connection.name.clone(),
        kind: connection.kind.as_str().to_owned(),
        description: connection.description.clone(),
        host: connection.host.clone(),
        port: connection.port.map(i64::from),
        database: connection.database.clone(),
        username: connection.username.clone(),
        password: None,
        path: connection.path.clone(),
    }
}

async fn connections(api: &Api) -> anyhow::Result<Vec<ConnectionFile>> {
    let listed: Page<Connection> = api.get("/connections").await?;
    let mut files = vec![];
    for connection in listed.items {
        let access: ObjectAccess = api.get(&format!("/access/connection/{}", connection.name)).await?;
        let secrets_to_set = if connection.password_set { vec!["password".to_owned()] } else { vec![] };
        files.push(ConnectionFile { connection: spec_of(&connection), secrets_to_set, access });
    }
    Ok(files)
}

async fn dataflows(api: &Api) -> anyhow::Result<Vec<DataflowFile>> {
    let mut files = vec![];
    for summary in list_dataflows(api).await? {
        let name = &summary.name;
        // The newest version with its number, from one answer.
        let current: Dataflow = api.get(&format!("/dataflows/{name}")).await?;
        let version = current.summary.version;
        let exposed_version = current.summary.exposed_version;
        let exposed_document = match exposed_version {
            Some(n) if n != version => {
                let exposed: DataflowVersion = api.get(&format!("/dataflows/{name}/versions/{n}")).await?;
                Some(exposed.document)
            }
            _ => None,
        };
        let access: ObjectAccess = api.get(&format!("/dataflows/{name}/access")).await?;
        files.push(DataflowFile {
            version,
            document: current.document,
            exposed_version,
            exposed_document,
            access,
        });
    }
    Ok(files)
}

/// Every dataflow, following the list's pages.
pub(super) async fn list_dataflows(api: &Api) -> anyhow::Result<Vec<DataflowSummary>> {
    let mut all = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(after) => format!("/dataflows?limit=200&cursor={after}"),
            None => "/dataflows?limit=200".to_owned(),
        };
        let page: Page<DataflowSummary> = api.get(&path).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}
