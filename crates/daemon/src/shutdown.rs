//! Graceful shutdown: every game server gets `on-process-terminate`, the
//! host waits for their `process-ending` up to its grace, stops what is
//! left, and makes everything durable.

use super::Daemon;
use std::sync::atomic::Ordering;
use std::time::Duration;

impl Daemon {
    /// Terminates every game server and flushes the store, waiting up to
    /// the shutdown grace for them to end. New work is refused from the
    /// first moment.
    pub async fn shutdown(&self) {
        self.shutdown_within(self.0.config.shutdown_grace).await;
    }

    /// [`Daemon::shutdown`], with `grace` for the game servers to end.
    pub async fn shutdown_within(&self, grace: Duration) {
        self.0.shutting_down.store(true, Ordering::Release);
        self.0.reconcile.notify_one();
        let handles = self.live_handles(None);
        tracing::info!(
            game_servers = handles.len(),
            "shutting down: terminating game servers"
        );
        for handle in &handles {
            let _ = handle.request_termination().await;
        }
        let ended = futures_util::future::join_all(
            handles
                .iter()
                .map(|h| h.wait_for(|r| r.process.ending.is_some())),
        );
        if tokio::time::timeout(grace, ended).await.is_err() {
            let left = self.live_handles(None);
            tracing::warn!(
                game_servers = left.len(),
                "the shutdown grace ran out; stopping the rest"
            );
            for handle in left {
                let _ = handle.stop("the host shut down").await;
            }
        }
        // Each game server's tracker stores its final state once it sees
        // the end; wait for them, then for the store.
        while self.live_count() > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.write_audit();
        if let Err(error) = self.0.persister.flush().await {
            tracing::error!(%error, "flushing the store at shutdown failed");
        }
        self.leave().await;
    }
}
