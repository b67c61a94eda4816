//! HAProxy in front of the nodes, configured from the shipped `deploy/haproxy.cfg` (its bind
//! address, server list and runtime socket replaced), and read through its runtime API.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::wait;

/// The backend that holds the nodes in `deploy/haproxy.cfg`.
pub const BACKEND: &str = "tributary";
/// The name of the backend's own line in `show stat` (totals over its servers).
pub const TOTALS: &str = "BACKEND";

pub struct Haproxy {
    dir: tempfile::TempDir,
    pub port: u16,
    /// Every HAProxy process started (a reload starts a new one that replaces the old).
    pids: Vec<u32>,
}

/// One line of `show stat`: a server of the backend, or the backend itself ([`TOTALS`]).
#[derive(Debug, Clone)]
pub struct ServerStats {
    pub name: String,
    /// `UP`, `DOWN`, `MAINT`, `UP 1/2` (going down), `DOWN 1/2` (coming up), `no check`.
    pub status: String,
    /// HTTP requests sent to it.
    pub requests: u64,
    /// Requests tried again after a failure, and those sent to another server then.
    pub retries: u64,
    pub redispatches: u64,
    /// The last health check: its result and what the node said (`L7OK` / `200 OK`, `L4CON`…).
    pub last_check: String,
}

impl ServerStats {
    pub fn is_up(&self) -> bool {
        self.status == "UP"
    }
}

/// The shipped configuration: `deploy/haproxy.cfg` at the root of the workspace.
pub fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/haproxy.cfg")
}

impl Haproxy {
    /// Start HAProxy on a free port, balancing over `servers` (`(name, "host:port")`), and wait
    /// until it accepts connections.
    pub async fn start(servers: &[(String, String)]) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new().prefix("tributary-haproxy-").tempdir()?;
        let mut haproxy = Self { dir, port: wait::free_port()?, pids: vec![] };
        haproxy.launch(servers, false)?;
        let address = format!("127.0.0.1:{}", haproxy.port);
        wait::until("HAProxy to listen", Duration::from_secs(10), || {
            let open = std::net::TcpStream::connect(&address).is_ok();
            async move { open.then_some(()) }
        })
        .await?;
        // Servers start UP before any check; wait until a check has seen each one ready.
        wait::until("HAProxy to check every server", Duration::from_secs(10), || {
            let checked = haproxy.stats().is_ok_and(|stats| {
                servers.iter().all(|(name, _)| {
                    stats.iter().any(|s| &s.name == name && s.is_up() && s.last_check.starts_with("L7OK"))
                })
            });
            async move { checked.then_some(()) }
        })
        .await
        .map_err(|e| e.context(format!("HAProxy says {:?}", haproxy.stats())))?;
        Ok(haproxy)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("haproxy.cfg")
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("admin.sock")
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("haproxy.pid")
    }

    /// Replace the server list without dropping a connection: the new process takes over the
    /// listening socket through the runtime API (`-x`), the old one finishes what it serves.
    pub async fn reload(&mut self, servers: &[(String, String)]) -> anyhow::Result<()> {
        self.launch(servers, true)?;
        let names: Vec<&str> = servers.iter().map(|(name, _)| name.as_str()).collect();
        wait::until("the reloaded HAProxy to list every server", Duration::from_secs(10), || {
            let listed =
                self.stats().is_ok_and(|stats| names.iter().all(|n| stats.iter().any(|s| s.name == *n)));
            async move { listed.then_some(()) }
        })
        .await
    }

    fn launch(&mut self, servers: &[(String, String)], replace: bool) -> anyhow::Result<()> {
        let template = std::fs::read_to_string(shipped_config())
            .with_context(|| format!("reading {}", shipped_config().display()))?;
        let config = derive_config(&template, self.port, &self.socket(), servers)?;
        std::fs::write(self.config_path(), config)?;
        let mut command = Command::new(haproxy_binary());
        command.arg("-f").arg(self.config_path()).arg("-D").arg("-p").arg(self.pid_file());
        if replace {
            command.arg("-x").arg(self.socket()).arg("-sf").args(self.pids.iter().map(u32::to_string));
        }
        let output = command
            .output()
            .map_err(|e| anyhow::anyhow!("cannot run haproxy (apt-get install haproxy): {e}"))?;
        anyhow::ensure!(
            output.status.success(),
            "haproxy failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let pid = std::fs::read_to_string(self.pid_file())?;
        self.pids.push(pid.trim().parse().context("haproxy's pid file")?);
        Ok(())
    }

    /// The servers of the backend and the backend itself, from `show stat`.
    pub fn stats(&self) -> anyhow::Result<Vec<ServerStats>> {
        let csv = self.command("show stat")?;
        let mut lines = csv.lines();
        let header: Vec<&str> =
            lines.next().unwrap_or_default().trim_start_matches("# ").split(',').collect();
        let column = |name: &str| {
            header.iter().position(|h| *h == name).ok_or_else(|| anyhow::anyhow!("show stat has no {name}"))
        };
        let (proxy, server, status) = (column("pxname")?, column("svname")?, column("status")?);
        let (requests, sessions) = (column("req_tot")?, column("stot")?);
        let (retries, redispatches) = (column("wretr")?, column("wredis")?);
        let (check_status, check_detail) = (column("check_status")?, column("last_chk")?);
        let mut rows = vec![];
        for line in lines {
            let fields: Vec<&str> = line.split(',').collect();
            if fields.get(proxy) != Some(&BACKEND) || fields.get(server) == Some(&"FRONTEND") {
                continue;
            }
            let number = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            rows.push(ServerStats {
                name: fields.get(server).copied().unwrap_or_default().to_owned(),
                status: fields.get(status).copied().unwrap_or_default().to_owned(),
                // Servers count requests in req_tot from HAProxy 2.x on; streams otherwise.
                requests: number(requests).max(number(sessions)),
                retries: number(retries),
                redispatches: number(redispatches),
                last_check: format!(
                    "{} {}",
                    fields.get(check_status).copied().unwrap_or_default(),
                    fields.get(check_detail).copied().unwrap_or_default()
                ),
            })
        }
        Ok(rows)
    }

    /// One server's line of `show stat` ([`TOTALS`]: the backend's).
    pub fn server(&self, name: &str) -> anyhow::Result<ServerStats> {
        self.stats()?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| anyhow::anyhow!("HAProxy has no server {name}"))
    }

    /// Wait until HAProxy's health checks mark server `name` up (`true`) or down (`false`);
    /// returns how long that took.
    pub async fn wait_server(&self, name: &str, up: bool, timeout: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let what = format!("HAProxy to see {name} {}", if up { "UP" } else { "DOWN" });
        wait::until(&what, timeout, || {
            let seen = self.server(name).is_ok_and(|s| {
                if up { s.is_up() } else { s.status.starts_with("DOWN") || s.status == "MAINT" }
            });
            async move { seen.then_some(()) }
        })
        .await
        .map_err(|e| e.context(format!("HAProxy says {:?}", self.server(name))))?;
        Ok(started.elapsed())
    }

    /// A command on the runtime API socket; its whole answer.
    pub fn command(&self, command: &str) -> anyhow::Result<String> {
        let mut stream = UnixStream::connect(self.socket())?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.write_all(format!("{command}\n").as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        // Processes replaced by a reload have gone already; kill says so on stderr.
        for pid in &self.pids {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

fn haproxy_binary() -> String {
    std::env::var("HAPROXY").unwrap_or_else(|_| "haproxy".into())
}

/// The shipped configuration with this fixture's frontend port, runtime socket and servers,
/// without the settings of a system service (log target, user, chroot, daemon mode: `-D` on
/// the command line daemonizes).
fn derive_config(
    template: &str,
    port: u16,
    socket: &Path,
    servers: &[(String, String)],
) -> anyhow::Result<String> {
    let mut out = String::new();
    let (mut bound, mut socketed, mut served) = (false, false, false);
    for line in template.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["log" | "user" | "group" | "chroot", ..] | ["daemon"] => continue,
            ["bind", ..] => {
                out.push_str(&format!("    bind 127.0.0.1:{port}\n"));
                bound = true;
            }
            ["stats", "socket", _, rest @ ..] => {
                out.push_str(&format!("    stats socket {} {}\n", socket.display(), rest.join(" ")));
                socketed = true;
            }
            // The first server line is the pattern for every node; the others are examples.
            ["server", _, _, options @ ..] => {
                if !served {
                    for (name, address) in servers {
                        out.push_str(&format!("    server {name} {address} {}\n", options.join(" ")));
                    }
                    served = true;
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    anyhow::ensure!(
        bound && socketed && served,
        "{} lacks a bind line, a stats socket or a server line",
        shipped_config().display()
    );
    Ok(out)
}
