//! The process-per-match peer: the smallest native game server there is. It
//! starts, tells its SDK server it is Ready over the Agones REST SDK
//! (`POST /ready` on `localhost:$AGONES_SDK_HTTP_PORT`), and then holds its
//! match until its standard input closes, as a dedicated game-server
//! process does until its orchestrator stops it.

use std::io::{Read, Write};
use std::net::TcpStream;

fn main() -> std::io::Result<()> {
    let port = std::env::var("AGONES_SDK_HTTP_PORT")
        .map_err(|_| std::io::Error::other("AGONES_SDK_HTTP_PORT is not set"))?;
    let mut sdk = TcpStream::connect(("127.0.0.1", port.parse().unwrap_or(0)))?;
    sdk.write_all(
        b"POST /ready HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Content-Length: 2\r\nConnection: close\r\n\r\n{}",
    )?;
    let mut answer = String::new();
    sdk.read_to_string(&mut answer)?;
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(std::io::Error::other(format!("ready failed: {answer}")));
    }
    // The match runs until the orchestrator closes standard input.
    let mut rest = Vec::new();
    std::io::stdin().read_to_end(&mut rest)?;
    Ok(())
}
