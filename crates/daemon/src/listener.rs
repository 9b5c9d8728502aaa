//! The listener of every HTTP server the host runs (the control plane with
//! the players' gateway, the REST SDK): every accepted connection has Nagle's
//! algorithm turned off.
//!
//! A player's move, a broadcast or a short JSON answer is one small write.
//! With Nagle's algorithm on, a small write that follows one the peer has not
//! acknowledged yet waits for that acknowledgement, and a client that delays
//! its acknowledgements (Linux and most stacks do, by up to 40 ms) holds
//! every such write back by that much.

use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

/// A listener whose accepted connections send each write at once.
pub type NoDelayListener = TapIo<TcpListener, fn(&mut TcpStream)>;

/// Wraps `listener` so that every connection it accepts has `TCP_NODELAY`
/// set; give the result to `axum::serve`.
pub fn no_delay(listener: TcpListener) -> NoDelayListener {
    listener.tap_io(set_no_delay as fn(&mut TcpStream))
}

fn set_no_delay(stream: &mut TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY on an accepted connection");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_have_nagle_off() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut listener = no_delay(listener);
        let client = TcpStream::connect(address).await.unwrap();
        assert!(
            !client.nodelay().unwrap(),
            "a new socket starts with Nagle on"
        );
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap());
    }
}
