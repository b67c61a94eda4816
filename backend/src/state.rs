//! [`AppState`]: the handles every handler and task shares, behind one `Arc` so that the
//! per-request clones extractors make cost one reference count.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::shutdown::Shutdown;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    /// The primary: every write and every read that must see its own writes.
    pub db: DatabaseConnection,
    /// A read replica for lists and history, when configured.
    pub replica: Option<DatabaseConnection>,
    /// Whether the replica answered its last health check; reads fall back to the primary
    /// while it does not.
    pub replica_healthy: Arc<std::sync::atomic::AtomicBool>,
    pub config: Arc<Config>,
    pub node_name: Arc<str>,
    pub shutdown: Shutdown,
    pub engine: Arc<engine::Engine>,
    pub runner: Arc<crate::runner::RunnerHandle>,
    /// Writes submitted runs, several in one transaction when they arrive together.
    pub submits: crate::service::submits::SubmitWriter,
    pub services: Arc<crate::service::services::ServiceCache>,
    pub principals: Arc<crate::auth::cache::PrincipalCache>,
    /// Failed sign-ins per user and address, counted on this node.
    pub login_limiter: Arc<crate::auth::rate_limit::LoginLimiter>,
    /// Service calls of the current minute, summed up for the audit log.
    pub call_stats: Arc<crate::service::call_stats::CallStats>,
    /// Where plans execute: threads of their own, so the engine never starves the tasks that
    /// answer requests and renew leases.
    pub cpu: Arc<EngineRuntime>,
    /// Encrypts connection passwords; `None` when the node has no secret key (then passwords
    /// cannot be stored).
    pub cipher: Option<crate::auth::cipher::Cipher>,
}

/// The engine's runtime; shut down in the background when the last handle goes, since a
/// runtime may not be dropped from async code.
pub struct EngineRuntime(Option<tokio::runtime::Runtime>);

impl EngineRuntime {
    fn new() -> std::io::Result<Self> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("engine")
            .thread_stack_size(crate::THREAD_STACK_BYTES)
            .enable_all()
            .build()?;
        Ok(Self(Some(runtime)))
    }

    pub fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match &self.0 {
            Some(runtime) => runtime.spawn(task),
            None => tokio::spawn(task),
        }
    }
}

impl Drop for EngineRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl AppState {
    /// Connect, migrate and seed (built-in roles, first admin): everything a node needs before
    /// it accepts requests.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let db = crate::store::connect(config.database_url.expose()).await?;
        crate::store::migrate(&db).await?;
        // A replica that is away at start only means reads go to the primary.
        let replica = match &config.database_replica_url {
            Some(url) => match crate::store::connect_replica(url.expose()).await {
                Ok(replica) => Some(replica),
                Err(err) => {
                    tracing::warn!(error = %err, "the read replica is not reachable; reading from the primary");
                    None
                }
            },
            None => None,
        };
        crate::service::roles::seed_builtin_roles(&db).await?;
        crate::service::users::bootstrap_admin(&db, config.admin_password.as_ref()).await?;
        std::fs::create_dir_all(&config.data_dir)?;
        let cipher = config.secret_key.as_ref().map(|key| crate::auth::cipher::Cipher::new(key.expose()));
        let connections =
            crate::service::connections::DbConnections { db: db.clone(), cipher: cipher.clone() };
        let runner = Arc::new(crate::runner::RunnerHandle::new(config.run_slots, db.clone()));
        let here = crate::service::submits::Here {
            node: config.node_name.to_string(),
            modules: config.modules.clone(),
            lease: crate::runner::lease_for(&config),
        };
        let submits = crate::service::submits::SubmitWriter::start(db.clone(), here);
        Ok(Self(Arc::new(Shared {
            db,
            replica_healthy: Arc::new(std::sync::atomic::AtomicBool::new(replica.is_some())),
            replica,
            engine: Arc::new(
                engine::Engine::new(config.data_dir.clone()).with_connections(Arc::new(connections)),
            ),
            cipher,
            runner,
            submits,
            services: Arc::default(),
            principals: Arc::default(),
            login_limiter: Arc::default(),
            call_stats: Arc::default(),
            cpu: Arc::new(EngineRuntime::new()?),
            node_name: config.node_name.as_str().into(),
            config: Arc::new(config),
            shutdown: Shutdown::default(),
        })))
    }

    /// Run a lag-tolerant read on [`Self::read_db`]; when the replica fails it (an error of
    /// ours, not of the request), mark the replica unhealthy and answer from the primary.
    pub async fn read<T, F, Fut>(&self, read: F) -> crate::error::AppResult<T>
    where
        F: Fn(DatabaseConnection) -> Fut,
        Fut: std::future::Future<Output = crate::error::AppResult<T>>,
    {
        let db = self.read_db();
        let on_replica = !std::ptr::eq(db, &self.db);
        match read(db.clone()).await {
            Err(err) if on_replica && err.status().is_server_error() => {
                tracing::warn!(error = %err.message, "a read on the replica failed; reading from the primary");
                self.replica_healthy.store(false, std::sync::atomic::Ordering::Relaxed);
                read(self.db.clone()).await
            }
            result => result,
        }
    }

    /// Where a lag-tolerant read goes: the replica if there is one and it is healthy, else the
    /// primary.
    pub fn read_db(&self) -> &DatabaseConnection {
        match &self.replica {
            Some(replica) if self.replica_healthy.load(std::sync::atomic::Ordering::Relaxed) => replica,
            _ => &self.db,
        }
    }
}
