//! Serving the app on a listener (plain or TLS): axum's own serving loop,
//! plus a deadline on each request's headers, so that a client that opens
//! a connection and sends its request slowly or never (slowloris) is cut
//! off instead of holding the connection. Handlers see the peer's address
//! as `ConnectInfo<SocketAddr>`. A stop closes the listener and lets each
//! connection finish its request in progress.

use axum::Router;
use axum::extract::ConnectInfo;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;

/// How long a client has to send a request's headers once it starts one
/// (or once it connects, for the first).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `stop` resolves, then waits for the
/// connections to finish what they are doing (the caller bounds the wait).
pub async fn serve<L>(listener: L, app: Router, stop: impl Future<Output = ()>)
where
    L: Listener<Addr = SocketAddr>,
{
    serve_with(listener, app, stop, HEADER_READ_TIMEOUT).await;
}

/// [`serve`] with `header_timeout` as the headers' deadline.
async fn serve_with<L>(
    mut listener: L,
    app: Router,
    stop: impl Future<Output = ()>,
    header_timeout: Duration,
) where
    L: Listener<Addr = SocketAddr>,
{
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let service = app
            .clone()
            .map_request(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::trace!(%peer, %error, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_request_whose_headers_never_end_is_cut_off() {
        let deadline = Duration::from_millis(200);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        tokio::spawn(serve_with(listener, app, std::future::pending(), deadline));
        let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let mut answer = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "the connection was still open");
        let mut quick = tokio::net::TcpStream::connect(address).await.unwrap();
        quick
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = Vec::new();
        quick.read_to_end(&mut answer).await.unwrap();
        assert!(String::from_utf8_lossy(&answer).ends_with("ok"));
    }
}
