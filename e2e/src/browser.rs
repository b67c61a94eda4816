//! Headless Chromium through chromedriver (Debian packages `chromium`, `chromium-driver`), with
//! a fresh profile, downloads saved without asking into a directory of its own, and screenshots
//! under `target/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use thirtyfour::prelude::*;

use crate::wait;

/// How long an element may take to appear.
pub const ELEMENT_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
    screenshots: PathBuf,
}

impl Browser {
    pub async fn start(scenario: &str) -> anyhow::Result<Self> {
        let port = wait::free_port()?;
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let mut chromedriver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("cannot start {driver_bin} (apt-get install chromium-driver): {e}")
            })?;
        let status_url = format!("http://127.0.0.1:{port}/status");
        let ready = wait::until("chromedriver to listen", Duration::from_secs(20), || {
            let request = reqwest::get(status_url.clone());
            async move { request.await.ok().filter(|r| r.status().is_success()).map(|_| ()) }
        })
        .await;
        if let Err(err) = ready {
            let _ = chromedriver.kill();
            return Err(err);
        }
        let profile = tempfile::tempdir()?;
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,800",
        ] {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))?;
        // Downloads land in a directory of this session's own, without asking.
        let downloads = tempfile::tempdir()?;
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({
                "download.default_directory": downloads.path(),
                "download.prompt_for_download": false,
            }),
        )?;
        let driver = match WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await {
            Ok(driver) => driver,
            Err(err) => {
                let _ = chromedriver.kill();
                return Err(err.into());
            }
        };
        let screenshots = screenshot_dir().join(scenario);
        std::fs::create_dir_all(&screenshots)?;
        Ok(Self { driver, chromedriver, _profile: profile, downloads, screenshots })
    }

    /// The first element matching `by`, waiting for it to be displayed.
    pub async fn element(&self, by: By) -> WebDriverResult<WebElement> {
        self.driver.query(by).wait(ELEMENT_TIMEOUT, Duration::from_millis(50)).and_displayed().first().await
    }

    /// Wait until no element matches `by`.
    pub async fn gone(&self, by: By) -> WebDriverResult<bool> {
        self.driver.query(by).wait(ELEMENT_TIMEOUT, Duration::from_millis(50)).not_exists().await
    }

    /// Where this session's downloads are saved.
    pub fn download_dir(&self) -> &Path {
        self.downloads.path()
    }

    /// Wait until download `name` is complete (Chromium writes `<name>.crdownload` meanwhile)
    /// and return its path.
    pub async fn downloaded(&self, name: &str) -> anyhow::Result<PathBuf> {
        let path = self.download_dir().join(name);
        let partial = self.download_dir().join(format!("{name}.crdownload"));
        wait::until(&format!("download {name}"), ELEMENT_TIMEOUT, || {
            let done = path.is_file() && !partial.exists();
            let path = path.clone();
            async move { done.then_some(path) }
        })
        .await
    }

    /// Replaces whatever the field `by` holds with `text`.
    pub async fn fill(&self, by: By, text: &str) -> WebDriverResult<()> {
        let field = self.element(by).await?;
        field.clear().await?;
        field.send_keys(text).await
    }

    /// Fills in and submits the console's sign-in form (whatever it was showing before).
    pub async fn sign_in(&self, username: &str, password: &str) -> WebDriverResult<()> {
        self.fill(By::Id("username"), username).await?;
        self.fill(By::Id("password"), password).await?;
        self.element(By::Id("login-submit")).await?.click().await
    }

    pub async fn screenshot(&self, step: &str) -> anyhow::Result<PathBuf> {
        let path = self.screenshots.join(format!("{step}.png"));
        self.driver.screenshot(&path).await?;
        Ok(path)
    }

    /// Ends the session, with a screenshot of where it stood first if the test `failed`.
    pub async fn close(self, failed: bool) -> anyhow::Result<()> {
        if failed {
            let _ = self.screenshot("failure").await;
        }
        self.quit().await
    }

    pub async fn quit(mut self) -> anyhow::Result<()> {
        let driver = self.driver.clone();
        driver.quit().await?;
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// `<target>/e2e-screenshots`, next to the build output.
fn screenshot_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(|target| target.join("e2e-screenshots")))
        .unwrap_or_else(|| PathBuf::from("target/e2e-screenshots"))
}
