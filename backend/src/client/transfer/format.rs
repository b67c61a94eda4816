//! The export format: `manifest.json` and one pretty JSON file per object, with sorted keys so
//! two exports diff line by line; reading one back upgrades older format versions and names
//! every problem with its file before anything is imported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use model::{
    ConnectionKind, ConnectionSpec, DataflowDocument, DataflowKind, ObjectAccess, RoleSpec, ScheduleSpec,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::order::dependency_order;

/// What `manifest.json` says the directory is.
pub const FORMAT: &str = "tributary-export";
/// The format this binary writes. A newer server reads every older version through
/// [`upgrade`]; an older one refuses a newer version rather than guess.
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// The folders of an export, one per kind of object.
pub const FOLDERS: [&str; 4] = ["roles", "connections", "dataflows", "schedules"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// The node the export was read from.
    pub exported_from: String,
    /// The release of the `tributary` binary that wrote it.
    pub tributary_version: String,
    pub counts: Counts,
    /// What an export never carries, for whoever reads the directory.
    pub not_included: Vec<String>,
}

/// How many files each folder holds; import checks them, so a partly copied export is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub roles: usize,
    pub connections: usize,
    pub dataflows: usize,
    pub schedules: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { roles, connections, dataflows, schedules } = self;
        write!(
            f,
            "{roles} role(s), {connections} connection(s), {dataflows} dataflow(s), {schedules} schedule(s)"
        )
    }
}

/// `dataflows/<name>.json`: the newest version, and the exposed one when it is older.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataflowFile {
    /// The newest version's number on the exporting node; an import numbers its own versions.
    pub version: i32,
    pub document: DataflowDocument,
    /// The exposed version's number on the exporting node, if one was exposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_version: Option<i32>,
    /// The exposed version's document when it is not the newest one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_document: Option<DataflowDocument>,
    /// Per-object access overrides; none when empty.
    #[serde(default, skip_serializing_if = "no_entries")]
    pub access: ObjectAccess,
}

impl DataflowFile {
    pub fn name(&self) -> &str {
        &self.document.name
    }

    /// The document that should be exposed, if any.
    pub fn exposed(&self) -> Option<&DataflowDocument> {
        self.exposed_version.map(|_| self.exposed_document.as_ref().unwrap_or(&self.document))
    }
}

/// `connections/<name>.json`: the connection as the API takes it, never with its password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionFile {
    pub connection: ConnectionSpec,
    /// Secret fields that were set on the exporting node: set them again after importing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets_to_set: Vec<String>,
    #[serde(default, skip_serializing_if = "no_entries")]
    pub access: ObjectAccess,
}

fn no_entries(access: &ObjectAccess) -> bool {
    access.entries.is_empty()
}

/// A whole export, checked, with dataflows in the order they can be saved.
#[derive(Debug)]
pub struct Export {
    pub manifest: Manifest,
    pub roles: Vec<RoleSpec>,
    pub connections: Vec<ConnectionFile>,
    pub dataflows: Vec<DataflowFile>,
    pub schedules: Vec<ScheduleSpec>,
}

/// The files of an export as JSON, before they are read as the current format.
struct RawExport {
    manifest: Value,
    /// By folder: (path relative to the export, content).
    folders: BTreeMap<&'static str, Vec<(String, Value)>>,
}

/// Bring an export written in format version `from` to [`FORMAT_VERSION`]. Version 1 is the
/// first; when the format changes, the version goes up and a step here rewrites the older
/// files (`1 => v1_to_v2(raw)`, then the next), so every older export stays readable.
fn upgrade(from: u32, mut raw: RawExport) -> anyhow::Result<RawExport> {
    match from {
        FORMAT_VERSION => {}
        newer if newer > FORMAT_VERSION => bail!(
            "{MANIFEST}: format_version {newer} is newer than this tributary ({}) reads (up to \
             {FORMAT_VERSION}); import it with the release that exported it or a newer one",
            env!("CARGO_PKG_VERSION")
        ),
        older => bail!("{MANIFEST}: format_version {older} was never written by Tributary"),
    }
    raw.manifest["format_version"] = FORMAT_VERSION.into();
    Ok(raw)
}

/// `value` with the keys of every object in alphabetical order (arrays keep theirs).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(key, value)| (key, sorted(value))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Pretty JSON with sorted keys and a final newline.
pub fn to_pretty(value: &impl Serialize) -> anyhow::Result<String> {
    let value = sorted(serde_json::to_value(value)?);
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// `<folder>/<name>.json`. Names of dataflows, schedules, connections and roles are letters,
/// digits, `-`, `_` and `.` after a letter or digit; anything else is refused rather than written
/// outside the folder.
pub fn file_name(folder: &str, name: &str) -> anyhow::Result<String> {
    model::validate_dataflow_name(name).map_err(|e| anyhow::anyhow!("{folder}: {name:?}: {e}"))?;
    Ok(format!("{folder}/{name}.json"))
}

fn read_json(dir: &Path, relative: &str) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(dir.join(relative)).with_context(|| format!("cannot read {relative}"))?;
    serde_json::from_str(&text).with_context(|| format!("{relative} is not valid JSON"))
}

/// Every `*.json` file of `folder`, by name; a missing folder is an empty one.
fn read_folder(dir: &Path, folder: &'static str) -> anyhow::Result<Vec<(String, Value)>> {
    let path: PathBuf = dir.join(folder);
    if !path.exists() {
        return Ok(vec![]);
    }
    let mut names = vec![];
    for entry in std::fs::read_dir(&path).with_context(|| format!("cannot read {}", path.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            names.push(name);
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| format!("{folder}/{name}"))
        .map(|r| Ok((r.clone(), read_json(dir, &r)?)))
        .collect()
}

/// The manifest (after checking it is one) and every file, as JSON, with the format version.
fn read_raw(dir: &Path) -> anyhow::Result<(u32, RawExport)> {
    if !dir.join(MANIFEST).is_file() {
        bail!("{} has no {MANIFEST}: it is not a tributary export", dir.display());
    }
    let manifest = read_json(dir, MANIFEST)?;
    if manifest.get("format").and_then(Value::as_str) != Some(FORMAT) {
        bail!("{MANIFEST}: \"format\" is not {FORMAT:?}: this is not a tributary export");
    }
    let version = manifest
        .get("format_version")
        .and_then(Value::as_u64)
        .context(format!("{MANIFEST}: \"format_version\" is missing or not a whole number"))?;
    let mut folders = BTreeMap::new();
    for folder in FOLDERS {
        folders.insert(folder, read_folder(dir, folder)?);
    }
    Ok((u32::try_from(version).unwrap_or(u32::MAX), RawExport { manifest, folders }))
}

/// Read and check the export in `dir`: every problem of every file is listed at once.
pub fn read(dir: &Path) -> anyhow::Result<Export> {
    let (version, raw) = read_raw(dir)?;
    let raw = upgrade(version, raw)?;
    let mut problems = Problems::default();
    let manifest: Option<Manifest> = problems.parse(MANIFEST, raw.manifest);
    let mut folders = raw.folders;
    let mut take = |folder: &str| folders.remove(folder).unwrap_or_default();
    let roles: Vec<RoleSpec> = problems.parse_folder(take("roles"), |r: &RoleSpec| r.name.clone());
    let connections: Vec<ConnectionFile> =
        problems.parse_folder(take("connections"), |c: &ConnectionFile| c.connection.name.clone());
    let dataflows: Vec<DataflowFile> =
        problems.parse_folder(take("dataflows"), |d: &DataflowFile| d.name().to_owned());
    let schedules: Vec<ScheduleSpec> =
        problems.parse_folder(take("schedules"), |s: &ScheduleSpec| s.name.clone());
    let found = Counts {
        roles: roles.len(),
        connections: connections.len(),
        dataflows: dataflows.len(),
        schedules: schedules.len(),
    };
    if let Some(manifest) = &manifest
        && problems.0.is_empty()
        && manifest.counts != found
    {
        problems.add(
            MANIFEST,
            format!("lists {} but the folders hold {found}; the copy is incomplete", manifest.counts),
        );
    }
    check_connections(&connections, &mut problems);
    check_dataflows(&dataflows, &mut problems);
    check_schedules(&schedules, &dataflows, &mut problems);
    let dataflows = match dependency_order(dataflows) {
        Ok(ordered) => ordered,
        Err(cycle) => {
            problems.add("dataflows", format!("{} use each other in a cycle", cycle.join(", ")));
            vec![]
        }
    };
    match manifest {
        Some(manifest) if problems.0.is_empty() => {
            Ok(Export { manifest, roles, connections, dataflows, schedules })
        }
        _ => bail!("the export in {} cannot be imported; nothing was changed:{}", dir.display(), problems),
    }
}

/// Problems found so far, each naming its file.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, file: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{file}: {message}"));
    }

    fn parse<T: DeserializeOwned>(&mut self, file: &str, value: Value) -> Option<T> {
        serde_json::from_value(value).map_err(|e| self.add(file, format!("not understood: {e}"))).ok()
    }

    /// The files of one folder; each must be named after the object it holds.
    fn parse_folder<T: DeserializeOwned>(
        &mut self,
        files: Vec<(String, Value)>,
        name: impl Fn(&T) -> String,
    ) -> Vec<T> {
        let mut items = vec![];
        for (file, value) in files {
            let Some(item) = self.parse::<T>(&file, value) else { continue };
            let named = name(&item);
            let folder = file.split('/').next().unwrap_or_default();
            match file_name(folder, &named) {
                Ok(expected) if expected == file => items.push(item),
                Ok(expected) => self.add(&file, format!("holds {named:?}, so it should be named {expected}")),
                Err(e) => self.add(&file, e),
            }
        }
        items
    }
}

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|p| write!(f, "\n  - {p}"))
    }
}

fn check_connections(connections: &[ConnectionFile], problems: &mut Problems) {
    for file in connections {
        let spec = &file.connection;
        let path = format!("connections/{}.json", spec.name);
        if ConnectionKind::parse(&spec.kind).is_none() {
            problems.add(&path, format!("{:?} is not a kind of connection", spec.kind));
        }
        if spec.password.is_some() {
            problems.add(
                &path,
                "holds a password; exports never carry secrets: remove it and set it on the node",
            );
        }
    }
}

fn check_dataflows(dataflows: &[DataflowFile], problems: &mut Problems) {
    for file in dataflows {
        let path = format!("dataflows/{}.json", file.name());
        for problem in model::validate_document(&file.document) {
            problems.add(
                &path,
                format!("{}: {}", problem.path.as_deref().unwrap_or("document"), problem.message),
            );
        }
        if file.exposed_document.is_some() && file.exposed_version.is_none() {
            problems.add(&path, "exposed_document without exposed_version");
        }
        if let Some(exposed) = &file.exposed_document
            && (exposed.name != file.document.name || exposed.kind != file.document.kind)
        {
            problems.add(&path, "exposed_document must have the name and kind of document");
        }
        for problem in file.exposed().map(model::check_complete).unwrap_or_default() {
            let at = problem.path.as_deref().unwrap_or("document");
            problems.add(&path, format!("the exposed version cannot be exposed: {at}: {}", problem.message));
        }
    }
}

fn check_schedules(schedules: &[ScheduleSpec], dataflows: &[DataflowFile], problems: &mut Problems) {
    for spec in schedules {
        let kind = dataflows.iter().find(|d| d.name() == spec.dataflow).map(|d| d.document.kind);
        if kind.is_some_and(|k| !matches!(k, DataflowKind::Job | DataflowKind::Process)) {
            problems.add(
                &format!("schedules/{}.json", spec.name),
                format!("runs {:?}, which is not a job or process flow", spec.dataflow),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth_and_arrays_keep_their_order() {
        let text = to_pretty(&serde_json::json!({"b": 1, "a": {"d": [3, 1], "c": null}})).expect("json");
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": null,\n    \"d\": [\n      3,\n      1\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }

    #[test]
    fn only_the_current_format_version_is_read_as_is() {
        let raw = |v: u32| RawExport {
            manifest: serde_json::json!({"format_version": v}),
            folders: BTreeMap::new(),
        };
        assert!(upgrade(FORMAT_VERSION, raw(FORMAT_VERSION)).is_ok());
        let newer = upgrade(99, raw(99)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(newer.contains("format_version 99 is newer"), "{newer}");
        assert!(upgrade(0, raw(0)).is_err());
    }

    #[test]
    fn file_names_stay_inside_their_folder() {
        assert_eq!(file_name("dataflows", "orders.v2").ok(), Some("dataflows/orders.v2.json".into()));
        assert!(file_name("dataflows", "../etc").is_err());
        assert!(file_name("roles", ".hidden").is_err());
    }
}
