//! A `tributary serve` child process on a free port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::wait;

pub const ADMIN_PASSWORD: &str = "e2e-admin-password";
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

pub struct Node {
    child: Child,
    pub name: String,
    pub base: String,
    pub log: PathBuf,
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
        let data_dir = work_dir.join(format!("{name}-data"));
        let log = work_dir.join(format!("{name}.log"));
        let mut command = Command::new(binary()?);
        command
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--node-name", name])
            .env("TRIBUTARY_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("TRIBUTARY_SECRET_KEY", "e2e-secret-key-e2e-secret-key-e2e-secret")
            .env("RUST_LOG", "info")
            .stdout(Stdio::from(std::fs::File::create(&log)?))
            .stderr(Stdio::from(std::fs::File::options().append(true).open(&log)?));
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        if !env.iter().any(|(k, _)| *k == "TRIBUTARY_DATA_DIR") {
            command.arg("--data-dir").arg(&data_dir);
        }
        command.envs(env.iter().copied());
        let child = command.spawn()?;
        let mut node = Self { child, name: name.to_owned(), base: String::new(), log };
        node.base = node.wait_listening().await?;
        node.wait_ready().await?;
        Ok(node)
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
        self.log.with_file_name(format!("{}-data", self.name))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, once the process has ended.
    pub fn try_exit(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// A client holding an admin session on this node.
    pub async fn signed_in_client(&self) -> anyhow::Result<reqwest::Client> {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
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
