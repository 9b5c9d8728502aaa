//! The load generator of the end-to-end measures: one HTTP/1.1 connection
//! per worker, each a bare hyper connection with no pool, no redirects and
//! no header maps beyond what a request needs. The daemon shares the
//! machine's two cores with whatever drives it, so every microsecond the
//! client spends is one the daemon does not get; a full client such as
//! reqwest spends several times more per request than this one does.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Method, Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;

/// Most bytes of an answer the load generator reads: the daemon's answers
/// to the requests it sends are a few hundred bytes.
const MAX_ANSWER: usize = 1 << 20;

/// One kept-alive connection to the daemon's control plane.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    /// Connects to `addr` (the daemon's listen address).
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                eprintln!("load generator: connection to {addr} failed: {error}");
            }
        });
        Ok(Self {
            sender,
            host: addr.to_string(),
        })
    }

    /// Sends one request and reads the whole answer: its status and body.
    /// `body`, when given, goes as JSON.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host);
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request.body(Full::new(body.unwrap_or_default()))?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let limited = http_body_util::Limited::new(response.into_body(), MAX_ANSWER);
        let body = limited
            .collect()
            .await
            .map_err(|e| anyhow::anyhow!("reading an answer: {e}"))?
            .to_bytes();
        Ok((status, body))
    }
}
