//! Stopping cleanly: signals, the draining flag `/readyz` reports, and the supervisor that owns
//! every background task, names it, cancels it and logs how it ended.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Shared by the HTTP server and every background task.
#[derive(Clone, Default)]
pub struct Shutdown {
    token: CancellationToken,
    draining: Arc<AtomicBool>,
}

impl Shutdown {
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// Report not-ready, wait `delay` so the balancer notices, then stop.
    pub async fn drain_then_stop(&self, delay: Duration) {
        self.draining.store(true, Ordering::Relaxed);
        if !delay.is_zero() {
            tracing::info!(?delay, "draining: reporting not ready before closing the listener");
            tokio::time::sleep(delay).await;
        }
        self.token.cancel();
    }

    pub fn cancelled(&self) -> tokio_util::sync::WaitForCancellationFuture<'_> {
        self.token.cancelled()
    }

    pub fn child_token(&self) -> CancellationToken {
        self.token.child_token()
    }
}

/// Resolves on SIGTERM or SIGINT.
pub async fn signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}

/// Owns the node's background tasks.
pub struct Supervisor {
    token: CancellationToken,
    tasks: JoinSet<()>,
}

impl Supervisor {
    pub fn new(shutdown: &Shutdown) -> Self {
        Self { token: shutdown.child_token(), tasks: JoinSet::new() }
    }

    /// Run `task` until it returns or the node stops; a failure is logged with its name.
    pub fn spawn<F, Fut>(&mut self, name: &'static str, task: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let fut = task(self.token.clone());
        self.tasks.spawn(async move {
            tracing::debug!(task = name, "started");
            match fut.await {
                Ok(()) => tracing::debug!(task = name, "stopped"),
                Err(err) => tracing::error!(task = name, error = ?err, "background task failed"),
            }
        });
    }

    /// Cancel every task and wait for them.
    pub async fn stop(mut self) {
        self.token.cancel();
        while let Some(joined) = self.tasks.join_next().await {
            if let Err(err) = joined {
                tracing::error!(error = %err, "background task panicked");
            }
        }
    }
}
