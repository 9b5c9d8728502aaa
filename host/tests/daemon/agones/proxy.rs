//! A TCP forwarder on a fixed loopback port that can go away and come back:
//! the sidecar going away, as when its container restarts.

use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Forwards connections on its port to a target while up.
pub struct Proxy {
    port: u16,
    target: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    /// A proxy to `target` on a free port, up.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding");
        let port = listener.local_addr().expect("an address").port();
        let mut proxy = Self {
            port,
            target,
            task: None,
        };
        proxy.task = Some(tokio::spawn(forward(listener, target)));
        proxy
    }

    /// The port it listens on while up.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes the port and every connection through it.
    pub fn go_away(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    /// Listens on the same port again.
    pub async fn come_back(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("binding the proxy's port again");
        self.task = Some(tokio::spawn(forward(listener, self.target)));
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.go_away();
    }
}

/// Accepts and forwards until aborted; aborting it ends every connection.
async fn forward(listener: TcpListener, target: SocketAddr) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            continue;
        };
        connections.spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(target).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}
