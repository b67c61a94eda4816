//! N `tributary serve` nodes on one PostgreSQL database, each on a fixed port so it can be
//! restarted where the balancer expects it, all sharing one data directory (as a cluster shares
//! storage: a job's files are there whichever node runs it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use crate::node::{Node, NodeSpec};
use crate::wait;

/// How long a node may take to stop after SIGTERM (its drain delay included).
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// Nodes are numbered from 0; node `i` is named `n{i+1}`.
pub struct Cluster {
    work: tempfile::TempDir,
    shared: PathBuf,
    database_url: String,
    slots: Vec<Slot>,
}

struct Slot {
    spec: NodeSpec,
    /// `None` while stopped.
    node: Option<Node>,
    /// Processes started so far; each gets its own log.
    starts: u32,
}

impl Cluster {
    /// `nodes` nodes, each started with the extra flags `args`; waits until all are ready.
    pub async fn start(database_url: &str, nodes: usize, args: &[&str]) -> anyhow::Result<Self> {
        Self::start_each(database_url, &vec![args; nodes]).await
    }

    /// One node per entry of `args`, each with those extra flags (`--modules quality`, …).
    pub async fn start_each(database_url: &str, args: &[&[&str]]) -> anyhow::Result<Self> {
        let work = tempfile::Builder::new().prefix("tributary-cluster-").tempdir()?;
        let shared = work.path().join("shared");
        std::fs::create_dir_all(&shared)?;
        let mut cluster = Self { work, shared, database_url: database_url.to_owned(), slots: vec![] };
        for node_args in args {
            cluster.add_slot(node_args)?;
        }
        // Spawn all, then wait: the nodes start (and race to migrate) side by side.
        for slot in &mut cluster.slots {
            slot.node = Some(Node::spawn(&slot.spec)?);
        }
        for i in 0..cluster.slots.len() {
            cluster.wait_started(i).await?;
        }
        Ok(cluster)
    }

    fn add_slot(&mut self, args: &[&str]) -> anyhow::Result<usize> {
        let index = self.slots.len();
        let name = format!("n{}", index + 1);
        let mut spec = NodeSpec::new(self.work.path(), &name, Some(&self.database_url));
        spec.listen = format!("127.0.0.1:{}", wait::free_port()?);
        spec.data_dir = self.data_dir().to_path_buf();
        spec.args = args.iter().map(|a| (*a).to_owned()).collect();
        self.slots.push(Slot { spec, node: None, starts: 1 });
        Ok(index)
    }

    async fn wait_started(&mut self, i: usize) -> anyhow::Result<()> {
        let node = self.slots[i].node.as_mut().ok_or_else(|| anyhow::anyhow!("node {i} is not running"))?;
        node.wait_started().await
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn name(&self, i: usize) -> &str {
        &self.slots[i].spec.name
    }

    /// `127.0.0.1:<port>`, the same across restarts.
    pub fn address(&self, i: usize) -> &str {
        &self.slots[i].spec.listen
    }

    /// `http://127.0.0.1:<port>`, the same across restarts.
    pub fn base(&self, i: usize) -> String {
        format!("http://{}", self.address(i))
    }

    /// `(name, address)` of every node, running or not: the balancer's server list.
    pub fn servers(&self) -> Vec<(String, String)> {
        self.slots.iter().map(|s| (s.spec.name.clone(), s.spec.listen.clone())).collect()
    }

    pub fn is_running(&self, i: usize) -> bool {
        self.slots[i].node.is_some()
    }

    /// The process id of node `i`'s current process (none while stopped).
    pub fn pid(&self, i: usize) -> Option<u32> {
        self.slots[i].node.as_ref().map(Node::pid)
    }

    /// The shared data directory every node reads and writes job files in.
    pub fn data_dir(&self) -> &Path {
        &self.shared
    }

    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The log of node `i`'s current (or last) process.
    pub fn log(&self, i: usize) -> String {
        std::fs::read_to_string(&self.slots[i].spec.log).unwrap_or_default()
    }

    /// `kill -9` node `i`: it gets no chance to clean up.
    pub fn kill9(&mut self, i: usize) {
        if let Some(mut node) = self.slots[i].node.take() {
            node.kill();
        }
    }

    /// Send SIGTERM to node `i` and return at once; [`Cluster::wait_exit`] waits for the end.
    pub fn send_sigterm(&self, i: usize) -> anyhow::Result<()> {
        match &self.slots[i].node {
            Some(node) => node.send_sigterm(),
            None => anyhow::bail!("node {} is not running", self.name(i)),
        }
    }

    /// Wait until node `i` has exited, and return how it ended.
    pub async fn wait_exit(&mut self, i: usize) -> anyhow::Result<ExitStatus> {
        let node = self.slots[i].node.as_mut().ok_or_else(|| anyhow::anyhow!("node {i} is not running"))?;
        let status = node.wait_exit(STOP_TIMEOUT).await?;
        self.slots[i].node = None;
        Ok(status)
    }

    /// SIGTERM node `i` and wait until it has drained and exited.
    pub async fn sigterm(&mut self, i: usize) -> anyhow::Result<ExitStatus> {
        self.send_sigterm(i)?;
        self.wait_exit(i).await
    }

    /// Start node `i` again with the same name, port, flags and data directory (stopping it
    /// with SIGTERM first if it still runs); waits until it is ready.
    pub async fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        if self.is_running(i) {
            self.sigterm(i).await?;
        }
        let slot = &mut self.slots[i];
        slot.starts += 1;
        slot.spec.log = self.work.path().join(format!("{}.{}.log", slot.spec.name, slot.starts));
        slot.node = Some(Node::spawn(&slot.spec)?);
        self.wait_started(i).await
    }

    /// Start one more node with the extra flags `args`; returns its index once it is ready.
    pub async fn add_node(&mut self, args: &[&str]) -> anyhow::Result<usize> {
        let i = self.add_slot(args)?;
        self.slots[i].node = Some(Node::spawn(&self.slots[i].spec)?);
        self.wait_started(i).await?;
        Ok(i)
    }

    /// The status of node `i`'s `/readyz` (none when it does not answer within 10 s).
    pub async fn readyz(&self, i: usize) -> Option<u16> {
        readyz(&self.base(i)).await
    }

    /// Poll every running node's `/readyz` side by side until each answers `status`; returns
    /// how long each took.
    pub async fn wait_readyz_all(
        &self,
        status: u16,
        timeout: Duration,
    ) -> anyhow::Result<BTreeMap<String, Duration>> {
        let since = Instant::now();
        let mut waits = tokio::task::JoinSet::new();
        for i in (0..self.len()).filter(|&i| self.is_running(i)) {
            let (name, base) = (self.name(i).to_owned(), self.base(i));
            waits.spawn(async move {
                let what = format!("{name} to answer {status} on /readyz");
                wait::until(&what, timeout, || async { (readyz(&base).await == Some(status)).then_some(()) })
                    .await?;
                Ok::<_, anyhow::Error>((name, since.elapsed()))
            });
        }
        waits.join_all().await.into_iter().collect()
    }
}

async fn readyz(base: &str) -> Option<u16> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().ok()?;
    client.get(format!("{base}/readyz")).send().await.ok().map(|r| r.status().as_u16())
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // A failing test's temporary directory goes with it: show what the nodes said last.
        if std::thread::panicking() {
            for slot in &self.slots {
                let log = std::fs::read_to_string(&slot.spec.log).unwrap_or_default();
                // Requests that went well say nothing useful here.
                let tail: Vec<&str> = log
                    .lines()
                    .rev()
                    .filter(|l| !(l.contains("served") && l.contains("status=2")))
                    .take(25)
                    .collect();
                eprintln!("--- last lines of {} ({}):", slot.spec.name, slot.spec.log.display());
                for line in tail.iter().rev() {
                    eprintln!("{line}");
                }
            }
        }
        // Each `Node` kills its process when dropped.
        self.slots.clear();
    }
}
