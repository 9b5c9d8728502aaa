//! TLS for the control plane and the players' gateway (`https://`,
//! `wss://`): rustls with TLS 1.2 and 1.3 only, a certificate and key read
//! from PEM files, and both read again without a restart on SIGHUP or when
//! either file changes; a reload that fails keeps the pair in use.

mod listener;

pub use listener::TlsListener;

use anyhow::Context;
use rustls::ServerConfig;
use rustls::crypto::aws_lc_rs::sign::any_supported_type;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// How often the certificate and key files are checked for a change.
pub const WATCH_PERIOD: Duration = Duration::from_secs(2);

/// The certificate chain and key files.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// The certificate chain (PEM), leaf first.
    pub cert: PathBuf,
    /// The private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// The certificate in use, replaced when the files change.
#[derive(Debug)]
pub struct Certificates {
    files: TlsFiles,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Certificates {
    /// Reads the files, failing with what is wrong with them.
    pub fn load(files: TlsFiles) -> anyhow::Result<Arc<Self>> {
        let key = read(&files)?;
        Ok(Arc::new(Self {
            files,
            current: RwLock::new(Arc::new(key)),
        }))
    }

    /// Reads the files again; on a failure the pair in use stays.
    pub fn reload(&self) -> anyhow::Result<()> {
        let key = read(&self.files)?;
        *self.current.write().expect("lock") = Arc::new(key);
        Ok(())
    }

    /// Reloads when SIGHUP comes or the files' modification time changes,
    /// logging each reload and each failure (once per change), until the
    /// process ends.
    pub fn watch(self: &Arc<Self>) -> anyhow::Result<()> {
        let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
        let certificates = Arc::downgrade(self);
        let mut seen = modified(&self.files);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(WATCH_PERIOD);
            loop {
                let hung_up = tokio::select! {
                    _ = hangup.recv() => true,
                    _ = tick.tick() => false,
                };
                let Some(certificates) = certificates.upgrade() else {
                    return;
                };
                let stamp = modified(&certificates.files);
                if hung_up || stamp != seen {
                    seen = stamp;
                    let why = if hung_up {
                        "SIGHUP"
                    } else {
                        "a change of the files"
                    };
                    match certificates.reload() {
                        Ok(()) => tracing::info!(why, "reloaded the TLS certificate"),
                        Err(error) => tracing::error!(
                            why,
                            error = format!("{error:#}"),
                            "could not reload the TLS certificate; the one in use stays"
                        ),
                    }
                }
            }
        });
        Ok(())
    }

    /// The server configuration serving the certificate in use: TLS 1.2
    /// and 1.3, HTTP/1.1.
    pub fn server_config(self: &Arc<Self>) -> Arc<ServerConfig> {
        let mut config = ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .expect("aws-lc-rs supports TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().expect("lock").clone())
    }
}

fn read(files: &TlsFiles) -> anyhow::Result<CertifiedKey> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .with_context(|| format!("reading the certificate {}", files.cert.display()))?;
    anyhow::ensure!(
        !chain.is_empty(),
        "the certificate file {} holds no certificate",
        files.cert.display()
    );
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("reading the private key {}", files.key.display()))?;
    let signing = any_supported_type(&key)
        .with_context(|| format!("the private key {} is not usable", files.key.display()))?;
    let certified = CertifiedKey::new(chain, signing);
    certified
        .keys_match()
        .context("the private key does not match the certificate")?;
    Ok(certified)
}

fn modified(files: &TlsFiles) -> Option<SystemTime> {
    let stamp = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (stamp(&files.cert), stamp(&files.key)) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
