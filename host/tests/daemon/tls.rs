//! TLS on the control plane and the players' gateway: a certificate the
//! test makes, a client that verifies it (and one that does not trust it),
//! `wss://` to the gateway, and a new certificate taken up when the files
//! change, without a restart.

use futures_util::StreamExt;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;

/// A certificate for `localhost` and its key, written to `dir`; returns
/// the certificate, which a client can trust.
fn certificate(dir: &Path) -> CertificateDer<'static> {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
        .expect("a certificate");
    std::fs::write(dir.join("cert.pem"), made.cert.pem()).expect("writing the certificate");
    std::fs::write(dir.join("key.pem"), made.signing_key.serialize_pem()).expect("writing the key");
    made.cert.der().clone()
}

/// A client trusting only `trusted`.
fn client(trusted: &CertificateDer<'static>) -> TlsConnector {
    client_of(trusted, rustls::DEFAULT_VERSIONS)
}

/// A client trusting only `trusted`, speaking only `versions`.
fn client_of(
    trusted: &CertificateDer<'static>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add(trusted.clone()).expect("a trust anchor");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// Opens a TLS connection to `port` on loopback, verifying the host's
/// certificate as `localhost`.
async fn connect(connector: &TlsConnector, port: u16) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).await?;
    let name = ServerName::try_from("localhost").expect("a name");
    connector.connect(name, tcp).await
}

/// `GET path` over TLS; returns the status line.
async fn get(connector: &TlsConnector, port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = connect(connector, port).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_serves_https_and_wss_and_takes_a_new_certificate_without_a_restart() {
    let dir = gamehost_tests::temp_dir("gamehost-tls");
    let first = certificate(dir.path());
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    let daemon = crate::daemon_with(
        None,
        &[
            "--tls-cert",
            cert.to_str().expect("UTF-8"),
            "--tls-key",
            key.to_str().expect("UTF-8"),
        ],
    )
    .await;
    let port = daemon.port();
    let trusting = client(&first);
    let status = get(&trusting, port, "/healthz").await.expect("https");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let fleets = get(&trusting, port, "/v1/fleets").await.expect("https");
    assert_eq!(fleets, "HTTP/1.1 200 OK");
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let only = client_of(&first, &[version]);
        let status = get(&only, port, "/healthz").await;
        assert!(status.is_ok(), "{version:?}: {status:?}");
    }

    // A client that does not trust the certificate is refused by its own
    // verification, and plain HTTP gets no answer.
    let stranger = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("a cert");
    let doubting = client(stranger.cert.der());
    assert!(get(&doubting, port, "/healthz").await.is_err());
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.is_err(), "plain HTTP was answered: {plain:?}");

    // The gateway over wss: an unknown player session is refused in a
    // close frame, so the WebSocket itself was up.
    let stream = connect(&trusting, port).await.expect("TLS");
    let url = format!("wss://localhost:{port}/v1/play/psess-unknown");
    let (mut socket, _) = tokio_tungstenite::client_async(url, stream)
        .await
        .expect("a WebSocket over TLS");
    match socket.next().await {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert!(frame.reason.contains("psess-unknown"), "{frame:?}")
        }
        other => panic!("expected a close frame, got {other:?}"),
    }

    // A new certificate in the files is served within the watch period,
    // with no restart.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let second = certificate(dir.path());
    let renewed = client(&second);
    let deadline = tokio::time::Instant::now() + gamehost::tls::WATCH_PERIOD * 5;
    loop {
        if get(&renewed, port, "/healthz").await.is_ok() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the new certificate was not taken up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A new client (with no session to resume) trusting only the first
    // certificate no longer gets through.
    let first_only = client(&first);
    let old = get(&first_only, port, "/healthz").await;
    assert!(old.is_err(), "the old one is still served: {old:?}");
}

#[tokio::test]
async fn a_bad_key_is_refused_at_start() {
    let dir = gamehost_tests::temp_dir("gamehost-tls-bad");
    certificate(dir.path());
    std::fs::write(dir.path().join("key.pem"), "not a key").expect("writing");
    let (cert, key, data) = (
        dir.path().join("cert.pem"),
        dir.path().join("key.pem"),
        dir.path().join("data"),
    );
    let words = [
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        cert.to_str().expect("UTF-8"),
        "--tls-key",
        key.to_str().expect("UTF-8"),
        "--data-dir",
        data.to_str().expect("UTF-8"),
    ];
    let args = gamehost::cli::ServeArgs::from_words(words).expect("arguments");
    let error = gamehost::cli::Serving::start(args, gamehost::api::Auth::open())
        .await
        .err()
        .expect("a refusal");
    assert!(format!("{error:#}").contains("private key"), "{error:#}");
}
