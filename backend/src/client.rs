//! The job executor and its listings: `tributary run`, `tributary runs list`, `tributary
//! schedules list`. They talk to a node through the REST API with an API token, like any
//! integration would. [`accounts`]: `tributary users …` and `tributary tokens …`;
//! [`transfer`]: `tributary export` and `tributary import`.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use model::{ErrorBody, Page, Run, RunStatus, Schedule, SubmitRun};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub mod accounts;
pub mod transfer;

#[derive(Debug, Args)]
pub struct Remote {
    /// The node (or balancer) to talk to.
    #[arg(long, env = "TRIBUTARY_URL", default_value = "http://127.0.0.1:8080")]
    pub server: String,
    /// An API token (create one in the console under API tokens).
    #[arg(long, env = "TRIBUTARY_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The job or process flow to run (its exposed version).
    pub dataflow: String,
    /// A parameter, `name=value` (numbers and true/false are sent as such); repeatable.
    #[arg(long = "param", value_parser = parse_param)]
    pub params: Vec<(String, Value)>,
    /// Wait for the run to end, printing its progress; exit non-zero unless it succeeded.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub remote: Remote,
}

#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// The latest runs, newest first.
    List {
        /// Only runs of this dataflow.
        #[arg(long)]
        dataflow: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[command(flatten)]
        remote: Remote,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// Every schedule with its next fire time.
    List {
        #[command(flatten)]
        remote: Remote,
    },
}

fn parse_param(text: &str) -> Result<(String, Value), String> {
    let (name, value) = text.split_once('=').ok_or_else(|| format!("{text:?} should be name=value"))?;
    let value = match serde_json::from_str::<Value>(value) {
        Ok(v @ (Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::from(value),
    };
    Ok((name.to_owned(), value))
}

pub(crate) struct Api {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    fn new(remote: &Remote) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
        Ok(Self { client, base: remote.server.trim_end_matches('/').to_owned(), token: remote.token.clone() })
    }

    async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> anyhow::Result<T> {
        let bytes = self.send_raw(request).await?;
        serde_json::from_slice(&bytes).context("the server's answer was not understood")
    }

    /// Send, fail with the error body's code and message (and details) on an error status,
    /// and return the body as it came.
    async fn send_raw(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Vec<u8>> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.with_context(|| format!("cannot reach {}", self.base))?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if !status.is_success() {
            match serde_json::from_slice::<ErrorBody>(&bytes) {
                Ok(body) => {
                    let details: Vec<String> = body
                        .error
                        .details
                        .iter()
                        .map(|d| format!("\n  - {}: {}", d.path.as_deref().unwrap_or("-"), d.message))
                        .collect();
                    bail!("{} ({status}): {}{}", body.error.code, body.error.message, details.concat())
                }
                Err(_) => bail!("the server answered {status}"),
            }
        }
        Ok(bytes.to_vec())
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        self.send(self.client.get(format!("{}/api/v1{path}", self.base))).await
    }
}

pub async fn run(args: RunArgs) -> anyhow::Result<()> {
    let api = Api::new(&args.remote)?;
    let body = SubmitRun { parameters: args.params.into_iter().collect::<BTreeMap<_, _>>(), trigger: None };
    let url = format!("{}/api/v1/dataflows/{}/runs", api.base, args.dataflow);
    let run: Run = api.send(api.client.post(url).json(&body)).await?;
    println!("run {} of {} v{} submitted ({})", run.id, run.dataflow, run.version, run.status.as_str());
    if !args.wait {
        return Ok(());
    }
    let mut last = String::new();
    loop {
        let run: Run = api.get(&format!("/runs/{}", run.id)).await?;
        let line = progress_line(&run);
        if line != last {
            println!("{line}");
            last = line;
        }
        if run.status.is_final() {
            return match (run.status, run.error) {
                (RunStatus::Succeeded, _) => Ok(()),
                (_, Some(error)) => {
                    let stage = error.stage.map(|s| format!(" (stage {s})")).unwrap_or_default();
                    bail!("run {} {}{stage}: {}", run.id, run.status.as_str(), error.message)
                }
                (status, None) => bail!("run {} {}", run.id, status.as_str()),
            };
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn progress_line(run: &Run) -> String {
    let rows: u64 = run.metrics.iter().filter_map(|m| m.rows_out.get("written")).sum();
    let node = run.node.as_deref().map(|n| format!(" on {n}")).unwrap_or_default();
    format!("{}{node}: attempt {}, {rows} record(s) written", run.status.as_str(), run.attempt)
}

pub async fn runs(command: RunsCommand) -> anyhow::Result<()> {
    let RunsCommand::List { dataflow, limit, remote } = command;
    let api = Api::new(&remote)?;
    let mut path = format!("/runs?limit={limit}");
    if let Some(name) = dataflow {
        path.push_str(&format!("&dataflow={name}"));
    }
    let page: Page<Run> = api.get(&path).await?;
    println!("{:<36}  {:<24}  {:<10}  {:<9}  {:<24}", "RUN", "DATAFLOW", "STATUS", "TRIGGER", "CREATED");
    for run in page.items {
        println!(
            "{:<36}  {:<24}  {:<10}  {:<9}  {:<24}",
            run.id,
            run.dataflow,
            run.status.as_str(),
            run.trigger.as_str(),
            run.created_at
        );
    }
    Ok(())
}

pub async fn schedules(command: SchedulesCommand) -> anyhow::Result<()> {
    let SchedulesCommand::List { remote } = command;
    let api = Api::new(&remote)?;
    let page: Page<Schedule> = api.get("/schedules").await?;
    println!("{:<24}  {:<24}  {:<24}  {:<8}  {:<24}", "SCHEDULE", "DATAFLOW", "WHEN", "ENABLED", "NEXT FIRE");
    for s in page.items {
        let when = match (&s.spec.cron, &s.spec.at, &s.spec.file) {
            (Some(cron), _, _) => format!("{cron} {}", s.spec.timezone),
            (_, Some(at), _) => format!("at {at}"),
            (_, _, Some(file)) => format!("files {}/{}", file.directory, file.pattern),
            _ => String::new(),
        };
        let next = s.next_fire_time.unwrap_or_else(|| "-".into());
        println!(
            "{:<24}  {:<24}  {:<24}  {:<8}  {:<24}",
            s.spec.name, s.spec.dataflow, when, s.spec.enabled, next
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_numbers_and_booleans_and_default_to_text() {
        assert_eq!(parse_param("n=5"), Ok(("n".into(), Value::from(5))));
        assert_eq!(parse_param("ok=true"), Ok(("ok".into(), Value::from(true))));
        assert_eq!(parse_param("path=in/a=b.csv"), Ok(("path".into(), Value::from("in/a=b.csv"))));
        assert_eq!(parse_param("code=007x"), Ok(("code".into(), Value::from("007x"))));
        assert!(parse_param("novalue").is_err());
    }
}
