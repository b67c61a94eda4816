//! Connections: checking a spec (every problem at once), storing it with its password
//! encrypted, reading it back without the password, refusing to delete one an exposed
//! dataflow uses, and testing it.

use std::path::Path;

use chrono::Utc;
use entities::{connections, dataflow_versions, dataflows};
use model::{
    Connection, ConnectionKind, ConnectionSpec, ConnectionTest, DataflowDocument, ErrorCode, ErrorDetail,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};

use super::audit::{self, AuditContext, AuditEntry};
use super::timestamp;
use crate::auth::cipher::Cipher;
use crate::error::{AppError, AppResult};

const MAX_TEXT: usize = 255;
const MAX_DESCRIPTION: usize = 1000;

/// A spec that passed [`check`]: the kind parsed, the port settled.
pub struct Checked {
    pub kind: ConnectionKind,
    pub port: Option<u16>,
}

fn text_problem(field: &str, value: &Option<String>, required: bool, problems: &mut Vec<ErrorDetail>) {
    match value.as_deref().map(str::trim) {
        None | Some("") if required => {
            problems.push(ErrorDetail::field(field, format!("{field} is required")))
        }
        Some(v) if v.len() > MAX_TEXT => {
            problems.push(ErrorDetail::field(field, format!("{field} must be at most {MAX_TEXT} characters")))
        }
        Some(v) if v.chars().any(char::is_control) => {
            problems.push(ErrorDetail::field(field, format!("{field} must not contain control characters")))
        }
        _ => {}
    }
}

fn absent(field: &str, present: bool, kind: ConnectionKind, problems: &mut Vec<ErrorDetail>) {
    if present {
        problems.push(ErrorDetail::field(field, format!("a {} connection has no {field}", kind.as_str())));
    }
}

/// Check `spec`, listing every problem; paths must stay inside `data_dir`.
pub fn check(spec: &ConnectionSpec, data_dir: &Path) -> Result<Checked, Vec<ErrorDetail>> {
    let mut problems = Vec::new();
    if let Err(message) = model::validate_dataflow_name(&spec.name) {
        problems.push(ErrorDetail::field("name", message));
    }
    if spec.description.len() > MAX_DESCRIPTION {
        problems.push(ErrorDetail::field("description", format!("at most {MAX_DESCRIPTION} characters")));
    }
    let Some(kind) = ConnectionKind::parse(&spec.kind) else {
        let known: Vec<&str> = ConnectionKind::ALL.iter().map(|k| k.as_str()).collect();
        let message = format!("{:?} is not a kind of connection ({})", spec.kind, known.join(", "));
        problems.push(ErrorDetail::field("kind", message));
        return Err(problems);
    };
    let mut port = None;
    if kind.is_server() {
        text_problem("host", &spec.host, true, &mut problems);
        text_problem("database", &spec.database, true, &mut problems);
        text_problem("username", &spec.username, true, &mut problems);
        if spec.host.as_deref().is_some_and(|h| h.contains(char::is_whitespace)) {
            problems.push(ErrorDetail::field("host", "host must not contain spaces"));
        }
        match spec.port {
            None => port = kind.default_port(),
            Some(p) => match u16::try_from(p) {
                Ok(p) if p > 0 => port = Some(p),
                _ => problems.push(ErrorDetail::field("port", format!("port must be 1 to 65535, not {p}"))),
            },
        }
        absent("path", spec.path.is_some(), kind, &mut problems);
    } else {
        text_problem("path", &spec.path, true, &mut problems);
        if let Some(path) = spec.path.as_deref().filter(|p| !p.trim().is_empty())
            && let Err(err) = engine::paths::resolve(data_dir, "", path)
        {
            problems.push(ErrorDetail::field("path", err.message));
        }
        absent("host", spec.host.is_some(), kind, &mut problems);
        absent("port", spec.port.is_some(), kind, &mut problems);
        absent("database", spec.database.is_some(), kind, &mut problems);
        absent("username", spec.username.is_some(), kind, &mut problems);
        absent("password", matches!(spec.password, Some(Some(_))), kind, &mut problems);
    }
    if problems.is_empty() { Ok(Checked { kind, port }) } else { Err(problems) }
}

fn invalid(problems: Vec<ErrorDetail>) -> AppError {
    AppError::invalid("the connection is not valid; see details").with_details(problems)
}

fn not_found(name: &str) -> AppError {
    AppError::new(ErrorCode::ConnectionNotFound, format!("there is no connection named {name:?}"))
}

pub fn to_model(row: &connections::Model) -> Connection {
    Connection {
        name: row.name.clone(),
        kind: ConnectionKind::parse(&row.kind).unwrap_or(ConnectionKind::Directory),
        description: row.description.clone(),
        host: row.host.clone(),
        port: row.port.and_then(|p| u16::try_from(p).ok()),
        database: row.database.clone(),
        username: row.username.clone(),
        path: row.path.clone(),
        password_set: row.password_encrypted.is_some(),
        created_by: row.created_by.clone(),
        created_at: timestamp(row.created_at),
        updated_at: timestamp(row.updated_at),
    }
}

pub async fn find(db: &impl ConnectionTrait, name: &str) -> AppResult<connections::Model> {
    connections::Entity::find()
        .filter(connections::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| not_found(name))
}

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Connection>> {
    let rows = connections::Entity::find().order_by_asc(connections::Column::Name).all(db).await?;
    Ok(rows.iter().map(to_model).collect())
}

/// Set the row's fields from `spec`; the password is encrypted for this row, kept when the
/// spec omits it, cleared when it is `null`.
fn apply(
    row: &mut connections::ActiveModel,
    id: &str,
    spec: &ConnectionSpec,
    checked: &Checked,
    cipher: Option<&Cipher>,
) -> AppResult<()> {
    let trimmed =
        |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    row.name = Set(spec.name.clone());
    row.kind = Set(checked.kind.as_str().to_owned());
    row.description = Set(spec.description.trim().to_owned());
    row.host = Set(trimmed(&spec.host));
    row.port = Set(checked.port.map(i32::from));
    row.database = Set(trimmed(&spec.database));
    row.username = Set(trimmed(&spec.username));
    row.path = Set(trimmed(&spec.path));
    match &spec.password {
        None if !checked.kind.is_server() => row.password_encrypted = Set(None),
        None => {}
        Some(None) => row.password_encrypted = Set(None),
        Some(Some(password)) => {
            let cipher = cipher.ok_or_else(|| {
                AppError::invalid("this node has no secret key to encrypt passwords with").with_details(vec![
                    ErrorDetail::field("password", "start the node with --secret-key to store passwords"),
                ])
            })?;
            row.password_encrypted = Set(Some(cipher.encrypt(id, password).map_err(AppError::internal)?));
        }
    }
    row.updated_at = Set(Utc::now());
    Ok(())
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    cipher: Option<&Cipher>,
    data_dir: &Path,
    spec: ConnectionSpec,
) -> AppResult<Connection> {
    let checked = check(&spec, data_dir).map_err(invalid)?;
    let id = uuid::Uuid::new_v4().to_string();
    let mut row = connections::ActiveModel {
        id: Set(id.clone()),
        created_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        password_encrypted: Set(None),
        ..Default::default()
    };
    apply(&mut row, &id, &spec, &checked, cipher)?;
    let connection = to_model(&row.insert(db).await.map_err(|e| name_taken(e, &spec.name))?);
    let entry =
        AuditEntry::ok("connections:create", format!("connection:{}", connection.name)).after(&connection);
    audit::record(db, ctx, entry).await?;
    Ok(connection)
}

fn name_taken(err: sea_orm::DbErr, name: &str) -> AppError {
    let app = AppError::from(err);
    if app.code == ErrorCode::AlreadyExists {
        return AppError::new(
            ErrorCode::AlreadyExists,
            format!("a connection named {name:?} already exists"),
        )
        .with_details(vec![ErrorDetail::field("name", "already taken")]);
    }
    app
}

pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    cipher: Option<&Cipher>,
    data_dir: &Path,
    name: &str,
    spec: ConnectionSpec,
) -> AppResult<Connection> {
    let before = find(db, name).await?;
    if spec.name != name {
        return Err(invalid(vec![ErrorDetail::field("name", "connections cannot be renamed")]));
    }
    let checked = check(&spec, data_dir).map_err(invalid)?;
    let id = before.id.clone();
    let mut row = before.clone().into_active_model();
    apply(&mut row, &id, &spec, &checked, cipher)?;
    let connection = to_model(&row.update(db).await?);
    let entry = AuditEntry::ok("connections:update", format!("connection:{name}"))
        .before(to_model(&before))
        .after(&connection);
    audit::record(db, ctx, entry).await?;
    Ok(connection)
}

/// Dataflows whose exposed version has a stage that uses connection `name`.
pub async fn exposed_users(db: &impl ConnectionTrait, name: &str) -> AppResult<Vec<String>> {
    let exposed =
        dataflows::Entity::find().filter(dataflows::Column::ExposedVersion.is_not_null()).all(db).await?;
    let mut users = Vec::new();
    for dataflow in exposed {
        let Some(version) = dataflow.exposed_version else { continue };
        let Some(row) = dataflow_versions::Entity::find_by_id((dataflow.id.clone(), version)).one(db).await?
        else {
            continue;
        };
        let Ok(document) = serde_json::from_str::<DataflowDocument>(&row.document) else { continue };
        let uses = document.stages.iter().any(|stage| {
            matches!(stage.stage_type.as_str(), "read_db" | "write_db")
                && stage.options.get("connection").and_then(|v| v.as_str()) == Some(name)
        });
        if uses {
            users.push(dataflow.name);
        }
    }
    Ok(users)
}

/// Delete `name`, unless an exposed dataflow version uses it (409 naming them).
pub async fn delete(db: &impl ConnectionTrait, ctx: &AuditContext, name: &str) -> AppResult<()> {
    let row = find(db, name).await?;
    let users = exposed_users(db, name).await?;
    if !users.is_empty() {
        return Err(AppError::new(
            ErrorCode::ConnectionInUse,
            format!("connection {name:?} is used by the exposed version of {}", users.join(", ")),
        )
        .with_details(users.iter().map(|u| ErrorDetail::field("dataflow", u.clone())).collect()));
    }
    connections::Entity::delete_by_id(row.id.clone()).exec(db).await?;
    let entry = AuditEntry::ok("connections:delete", format!("connection:{name}")).before(to_model(&row));
    audit::record(db, ctx, entry).await
}

/// What the engine needs to connect, the password decrypted.
pub fn details(
    row: &connections::Model,
    cipher: Option<&Cipher>,
) -> Result<engine::ConnectionDetails, String> {
    let password = match (&row.password_encrypted, cipher) {
        (None, _) => None,
        (Some(_), None) => return Err("this node has no secret key to decrypt the password with".into()),
        (Some(stored), Some(cipher)) => {
            Some(cipher.decrypt(&row.id, stored).map_err(|e| format!("connection {:?}: {e}", row.name))?)
        }
    };
    Ok(engine::ConnectionDetails {
        name: row.name.clone(),
        kind: engine::DatabaseKind::parse(&row.kind),
        host: row.host.clone().unwrap_or_default(),
        port: row.port.and_then(|p| u16::try_from(p).ok()),
        database: row.database.clone().unwrap_or_default(),
        username: row.username.clone().unwrap_or_default(),
        password,
        path: row.path.clone().unwrap_or_default(),
    })
}

/// Connect with the stored details (a directory: check it exists); failures are outcomes.
pub async fn test(
    db: &impl ConnectionTrait,
    cipher: Option<&Cipher>,
    data_dir: &Path,
    name: &str,
) -> AppResult<ConnectionTest> {
    let row = find(db, name).await?;
    let outcome = match details(&row, cipher) {
        Ok(details) => engine::database::connect::test(&details, data_dir).await,
        Err(message) => engine::database::connect::TestOutcome { ok: false, message, latency_ms: 0 },
    };
    Ok(ConnectionTest { ok: outcome.ok, message: outcome.message, latency_ms: outcome.latency_ms })
}

/// The engine's view of the store: `read_db` and `write_db` resolve connections here, at
/// compile time, with their passwords decrypted for that compilation only.
pub struct DbConnections {
    pub db: sea_orm::DatabaseConnection,
    pub cipher: Option<Cipher>,
}

#[async_trait::async_trait]
impl engine::ConnectionSource for DbConnections {
    async fn connection(&self, name: &str) -> engine::EngineResult<engine::ConnectionDetails> {
        let option = |message: String| engine::EngineError {
            path: Some("options.connection".into()),
            ..engine::EngineError::user("", message)
        };
        let row = find(&self.db, name).await.map_err(|e| match e.code {
            ErrorCode::ConnectionNotFound => option(e.message),
            _ => engine::EngineError::external(None, format!("reading connection {name:?} failed")),
        })?;
        details(&row, self.cipher.as_ref()).map_err(option)
    }
}
