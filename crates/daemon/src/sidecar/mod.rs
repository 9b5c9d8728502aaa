//! The Agones REST SDK (reference/003), served per game server on loopback.
//!
//! Agones gives each game server process an SDK server on a port of its own
//! (`AGONES_SDK_HTTP_PORT`); with `gamehost serve --sdk-http`, each game
//! server gets one too, on `127.0.0.1` and an ephemeral port recorded in the
//! annotation [`PORT_ANNOTATION`]. Every call acts on the same host-side
//! state as the guest's own SDK calls, through the game server's supervisor,
//! so the two never interleave inside a call. Existing Agones REST tooling
//! (and a process outside the sandbox) can read and drive the game server.
//! The server stops when the game server ends.

mod game_server;
mod json;
mod routes;
mod watch;

use gamehost_runtime::supervisor::GameServerHandle;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The annotation holding the port of a game server's REST SDK.
pub const PORT_ANNOTATION: &str = "gamehost.dev/sdk-http-port";
/// The largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Requests served at once per game server; more wait.
pub const MAX_IN_FLIGHT: usize = 64;
/// Open `/watch/gameserver` streams per game server; more are refused.
pub const MAX_WATCHES: usize = 16;

/// What the routes share.
#[derive(Clone)]
struct Sidecar {
    handle: GameServerHandle,
    watches: Arc<Semaphore>,
}

/// Serves `handle`'s REST SDK on a new loopback port until the game server
/// ends, records the port in its annotation [`PORT_ANNOTATION`], and
/// returns the address.
pub async fn start(handle: GameServerHandle) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let app = routes::router(Sidecar {
        handle: handle.clone(),
        watches: Arc::new(Semaphore::new(MAX_WATCHES)),
    });
    let ended = handle.clone();
    tokio::spawn(async move {
        let stop = async move {
            ended.wait_for(|_| false).await;
        };
        if let Err(error) = axum::serve(crate::listener::no_delay(listener), app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::warn!(%error, "the REST SDK server failed");
        }
    });
    let port = address.port().to_string();
    // A game server that has already ended has no use for the annotation.
    let _ = handle
        .apply(move |model| {
            model.set_host_annotation(PORT_ANNOTATION, &port);
            Ok(())
        })
        .await;
    Ok(address)
}
