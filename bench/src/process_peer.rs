//! The process-per-match peer, the Agones and GameLift model: a native
//! game-server program started per match that reports Ready over the REST
//! SDK. Measures the time from spawning it to its `/ready` arriving, and its
//! resident memory while it holds its match.

use crate::stats::rss_bytes;
use axum::Router;
use axum::routing::post;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the peer measured.
pub struct ProcessFigures {
    /// Spawn to `/ready` received, per match.
    pub start: Vec<Duration>,
    /// Resident memory per match process, averaged.
    pub rss_per_match: f64,
}

/// Starts `count` match processes of `binary` one after another, each
/// timed until its `/ready` arrives, keeps them all running, then measures
/// their resident memory and stops them.
pub async fn measure(binary: &Path, count: usize) -> anyhow::Result<ProcessFigures> {
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<()>();
    let app = Router::new().route(
        "/ready",
        post(move || {
            let ready = ready_tx.clone();
            async move {
                let _ = ready.send(());
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut children: Vec<Child> = Vec::with_capacity(count);
    let mut start = Vec::with_capacity(count);
    let result = async {
        for _ in 0..count {
            let began = Instant::now();
            let child = Command::new(binary)
                .env("AGONES_SDK_HTTP_PORT", port.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .map_err(|e| anyhow::anyhow!("starting {}: {e}", binary.display()))?;
            children.push(child);
            tokio::time::timeout(Duration::from_secs(10), ready_rx.recv())
                .await?
                .ok_or_else(|| anyhow::anyhow!("the SDK server stopped"))?;
            start.push(began.elapsed());
        }
        let mut total = 0u64;
        for child in &children {
            total += rss_bytes(&child.id().to_string())?;
        }
        Ok::<_, anyhow::Error>(total as f64 / count as f64)
    }
    .await;
    for mut child in children {
        drop(child.stdin.take());
        let _ = child.wait();
    }
    server.abort();
    Ok(ProcessFigures {
        start,
        rss_per_match: result?,
    })
}
