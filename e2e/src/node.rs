//! A `tributary serve` child process: on a free port, or started (and started again) as a
//! [`NodeSpec`] says.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::wait;

pub const ADMIN_PASSWORD: &str = "e2e-admin-password";
/// Every node of a cluster needs the same key.
pub const SECRET_KEY: &str = "e2e-secret-key-e2e-secret-key-e2e-secret";
/// What `tributary serve` logs, followed by its address, once it accepts connections.
const LISTENING: &str = "console and API on http://";

/// The `tributary` binary next to this test's build output (override: `TRIBUTARY_BIN`).
pub fn binary() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("TRIBUTARY_BIN") {
        return Ok(PathBuf::from(path));
    }
    // Tests run from <target>/<profile>/deps/.
    let exe = std::env::current_exe()?;
    let profile_dir =
        exe.parent().and_then(Path::parent).ok_or_else(|| anyhow::anyhow!("unexpected test path"))?;
    let candidate = profile_dir.join("tributary");
    anyhow::ensure!(
        candidate.exists(),
        "{} is missing: run `cargo build -p backend` first",
        candidate.display()
    );
    Ok(candidate)
}

/// Everything a `tributary serve` process is started with; kept so a node can be started again
/// the same way (same name, port and data directory).
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    /// `127.0.0.1:0` lets the node choose; a fixed port survives restarts.
    pub listen: String,
    pub data_dir: PathBuf,
    /// Where stdout and stderr go; a fresh file per process, so "listening" is this process's.
    pub log: PathBuf,
    pub database_url: Option<String>,
    /// Extra flags of `serve`, e.g. `--modules quality`.
    pub args: Vec<String>,
    /// Extra `TRIBUTARY_*` settings.
    pub env: Vec<(String, String)>,
}

impl NodeSpec {
    /// A node on a port of its choosing, logging to `<work_dir>/<name>.log`, its data in
    /// `<work_dir>/<name>-data`.
    pub fn new(work_dir: &Path, name: &str, database_url: Option<&str>) -> Self {
        Self {
            name: name.to_owned(),
            listen: "127.0.0.1:0".into(),
            data_dir: work_dir.join(format!("{name}-data")),
            log: work_dir.join(format!("{name}.log")),
            database_url: database_url.map(str::to_owned),
            args: vec![],
            env: vec![],
        }
    }
}

pub struct Node {
    child: Child,
    pub name: String,
    pub base: String,
    pub log: PathBuf,
    data_dir: PathBuf,
}

impl Node {
    /// Start a node on a port of its choosing, with a fresh data dir under `work_dir`, and wait
    /// until it is ready.
    pub async fn start(work_dir: &Path, name: &str, database_url: Option<&str>) -> anyhow::Result<Self> {
        Self::start_with(work_dir, name, database_url, &[]).await
    }

    /// [`Node::start`] with extra `TRIBUTARY_*` settings in the environment.
    pub async fn start_with(
        work_dir: &Path,
        name: &str,
        database_url: Option<&str>,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut spec = NodeSpec::new(work_dir, name, database_url);
        spec.env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if let Some((_, dir)) = env.iter().find(|(k, _)| *k == "TRIBUTARY_DATA_DIR") {
            spec.data_dir = PathBuf::from(dir);
        }
        Self::start_spec(&spec).await
    }

    /// Start a node as `spec` says and wait until it is ready.
    pub async fn start_spec(spec: &NodeSpec) -> anyhow::Result<Self> {
        let mut node = Self::spawn(spec)?;
        node.wait_started().await?;
        Ok(node)
    }

    /// Start the process without waiting; [`Node::wait_started`] waits. Several nodes spawned
    /// first and awaited next start side by side.
    pub fn spawn(spec: &NodeSpec) -> anyhow::Result<Self> {
        let log = &spec.log;
        let mut command = Command::new(binary()?);
        command
            .arg("serve")
            .args(["--listen", &spec.listen, "--node-name", &spec.name])
            .arg("--data-dir")
            .arg(&spec.data_dir)
            .env("TRIBUTARY_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("TRIBUTARY_SECRET_KEY", SECRET_KEY)
            .env("RUST_LOG", "info")
            // Plain text logs: they are read by tests and people, not terminals.
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::create(log)?))
            .stderr(Stdio::from(std::fs::File::options().append(true).open(log)?));
        if let Some(url) = &spec.database_url {
            command.args(["--database-url", url]);
        }
        command.args(&spec.args);
        command.envs(spec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let child = command.spawn()?;
        Ok(Self {
            child,
            name: spec.name.clone(),
            base: String::new(),
            log: log.clone(),
            data_dir: spec.data_dir.clone(),
        })
    }

    /// Wait until the process listens and `/readyz` says ready.
    pub async fn wait_started(&mut self) -> anyhow::Result<()> {
        self.base = self.wait_listening().await?;
        self.wait_ready().await
    }

    /// The address the node announces in its log once it listens.
    async fn wait_listening(&mut self) -> anyhow::Result<String> {
        let log = self.log.clone();
        let found = wait::until("the node to listen", Duration::from_secs(60), || {
            let exited = self.child.try_wait().ok().flatten().is_some();
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            async move {
                if exited {
                    return Some(None);
                }
                let (_, rest) = text.split_once(LISTENING)?;
                let address = rest.split(|c: char| c == '/' || c.is_whitespace()).next()?;
                Some(Some(format!("http://{address}")))
            }
        })
        .await?;
        found.ok_or_else(|| {
            anyhow::anyhow!(
                "node exited; its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            )
        })
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let url = format!("{}/readyz", self.base);
        let result = wait::until("the node to report ready", Duration::from_secs(60), || {
            let exited = self.child.try_wait().ok().flatten();
            let request = client.get(&url).send();
            async move {
                if exited.is_some() {
                    return Some(false);
                }
                matches!(request.await, Ok(r) if r.status().is_success()).then_some(true)
            }
        })
        .await;
        match result {
            Ok(true) => Ok(()),
            other => {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                anyhow::bail!("node did not become ready ({other:?}); its log:\n{log}")
            }
        }
    }
}

impl Node {
    /// `kill -9`: the process ends without any chance to clean up.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Send SIGTERM: the node drains (`/readyz` 503 for its drain delay) and stops.
    pub fn send_sigterm(&self) -> anyhow::Result<()> {
        let status = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status()?;
        anyhow::ensure!(status.success(), "kill -TERM {} failed", self.pid());
        Ok(())
    }

    /// Wait for the process to end, up to `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> anyhow::Result<std::process::ExitStatus> {
        let what = format!("node {} to exit", self.name);
        wait::until(&what, timeout, || {
            let exited = self.try_exit();
            async move { exited }
        })
        .await
    }

    /// The exit status, once the process has ended.
    pub fn try_exit(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// A client holding an admin session on this node.
    pub async fn signed_in_client(&self) -> anyhow::Result<reqwest::Client> {
        let client = crate::api::cookie_client(Duration::from_secs(60))?;
        let response = client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}))
            .send()
            .await?;
        anyhow::ensure!(response.status().is_success(), "admin sign-in failed: {}", response.status());
        Ok(client)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
