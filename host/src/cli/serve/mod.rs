//! `gamehost serve`: the daemon, its control plane on HTTP, and optionally
//! game modes deployed as fleets at start.

use crate::api::{self, ApiLimits, Auth};
use crate::gateway::GatewayLimits;
use anyhow::{Context, bail};
use gamehost_agones::Agones;
use gamehost_daemon::{Daemon, DaemonConfig, FleetUpdate, NewFleet};
use gamehost_model::{Endpoint, GameServerSpec};
use gamehost_runtime::engine::EngineSettings;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

mod args;

pub use args::ServeArgs;
use args::StoreUrl;

/// How long an Agones GameServer's game servers still running when its
/// drain's grace runs out have to end.
pub const LAST_GRACE: Duration = Duration::from_secs(5);

/// How long a stopping host keeps connections still open once its game
/// servers have ended.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// The default listen address: loopback, so no token is needed.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7070";
/// The most game servers `--max-game-servers` may allow: each reserves
/// 256 MiB of address space for its memory, and 200,000 of them take 50 of
/// the 128 TiB a process has.
pub const MAX_GAME_SERVERS: u32 = 200_000;

/// Runs the daemon until SIGTERM or Ctrl-C, then shuts down gracefully.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let admin = std::env::var("GAMEHOST_TOKEN")
        .ok()
        .filter(|token| !token.is_empty());
    let credentials = match &args.tokens {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the tokens file {}", path.display()))?;
            crate::tokens::parse(&text)
                .map_err(|e| anyhow::anyhow!("the tokens file {}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let auth = Auth::new(admin.as_deref(), credentials);
    if auth.is_open() && !args.listen.ip().is_loopback() {
        bail!(
            "refusing to listen on {} without a token: set GAMEHOST_TOKEN or --tokens, or listen on loopback",
            args.listen
        );
    }
    let serving = Serving::start(args, auth).await?;
    let daemon = serving.daemon.clone();
    tokio::select! {
        signal = termination_signal() => {
            signal?;
            serving.stop().await;
            Ok(())
        }
        why = daemon.fenced() => {
            serving.stop().await;
            bail!("this host's lease was taken over ({why}): it stopped its game servers; start it again to rejoin")
        }
    }
}

/// A daemon serving its control plane and players' gateway: what
/// `gamehost serve` runs until a termination signal.
pub struct Serving {
    daemon: Daemon,
    agones: Option<Agones>,
    shutdown_grace: Duration,
    address: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
}

impl Serving {
    /// Binds the listen address, starts the daemon on the data directory,
    /// makes the fleets `--deploy` asks for, and serves with `auth`.
    pub async fn start(args: ServeArgs, auth: Auth) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        let address = listener.local_addr()?;
        let certificates = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => {
                let files = crate::tls::TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                };
                let certificates = crate::tls::Certificates::load(files)?;
                certificates.watch()?;
                Some(certificates)
            }
            _ => None,
        };
        if certificates.is_none() && !address.ip().is_loopback() {
            tracing::warn!(
                %address,
                "serving beyond loopback without TLS: tokens and players' traffic cross the network in the clear; give --tls-cert and --tls-key"
            );
        }
        let mut agones = None;
        let mut endpoint = (
            args.advertise
                .clone()
                .unwrap_or_else(|| address.ip().to_string()),
            address.port(),
        );
        if let Some(settings) = args.agones() {
            let (link, game_server) = Agones::connect(settings).await;
            // In the cluster, players reach the pod at its GameServer's
            // address and port, unless told otherwise.
            if args.advertise.is_none()
                && let Some(cluster) = gamehost_agones::endpoint(&game_server)
            {
                endpoint = cluster;
            }
            agones = Some(link);
        }
        let (ip, port) = endpoint;
        let config = DaemonConfig {
            data_dir: args.data_dir.clone(),
            host_id: args.host_id.clone().unwrap_or_else(hostname),
            endpoint: Endpoint {
                dns_name: ip.clone(),
                ip_address: ip,
                port,
            },
            engine: EngineSettings {
                max_instances: args.max_game_servers,
                ..EngineSettings::default()
            },
            retain_ended: args.retain_ended,
            shutdown_grace: args.shutdown_grace,
            sdk_http: args.sdk_http,
            tls: certificates.is_some(),
            store: args.store_location(),
        };
        let daemon = Daemon::start(config)
            .await
            .with_context(|| match &args.store {
                Some(StoreUrl(url)) => {
                    format!("starting on {}", gamehost_postgres::redact(url))
                }
                None => format!("starting with data in {}", args.data_dir.display()),
            })?;
        for deployment in &args.deploy {
            deploy(&daemon, deployment, args.template.as_deref(), args.replicas).await?;
        }
        if let Some(agones) = &mut agones {
            agones.run(daemon.clone());
        }
        let limits = ApiLimits {
            request_timeout: args.request_timeout,
            max_in_flight: args.max_in_flight,
            gateway: GatewayLimits {
                max_connections: args.max_connections.max(1),
                max_players_per_game_server: args.max_players_per_game_server.max(1),
                outbound_queue: args.player_queue.max(1),
                attempts_per_address: args.attempts_per_address,
                connections_per_address: args.connections_per_address,
                messages_per_second: args.player_messages_per_second,
                bytes_per_second: args.player_bytes_per_second,
            },
        };
        let app = api::app(daemon.clone(), auth, limits);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let stopped = async {
            let _ = stopped.await;
        };
        let (server, scheme) = match &certificates {
            Some(certificates) => {
                let listener =
                    crate::tls::TlsListener::new(listener, certificates.server_config())?;
                let serving = crate::server::serve(listener, app, stopped);
                (tokio::spawn(serving), "https")
            }
            None => {
                let listener = gamehost_daemon::listener::no_delay(listener);
                let serving = crate::server::serve(listener, app, stopped);
                (tokio::spawn(serving), "http")
            }
        };
        let worker_threads = tokio::runtime::Handle::current().metrics().num_workers();
        tracing::info!(%address, data_dir = %args.data_dir.display(), worker_threads, "gamehost is serving on {scheme}://{address}");
        Ok(Self {
            daemon,
            agones,
            shutdown_grace: args.shutdown_grace,
            address,
            stop,
            server,
        })
    }

    /// The longest an Agones GameServer takes to stop after SIGTERM with
    /// `--shutdown-grace` `grace`: Kubernetes' grace must be longer.
    pub fn longest_agones_stop(grace: Duration) -> Duration {
        grace + LAST_GRACE + CLOSE_WAIT + gamehost_agones::SHUTDOWN_LIMIT
    }

    /// The address the control plane and the gateway listen on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Shuts the daemon down (its game servers end within the shutdown
    /// grace), then stops serving, closing connections still open after
    /// five seconds. An Agones GameServer first drains: its running matches
    /// have the grace to finish (game servers still running then get
    /// [`LAST_GRACE`] to end), and Agones is told to shut it down last.
    pub async fn stop(self) {
        tracing::info!("shutting down");
        match &self.agones {
            Some(agones) => {
                // One grace for both: what the drain leaves, and at least
                // a few seconds for the game servers to end.
                let started = Instant::now();
                agones.drain(&self.daemon, self.shutdown_grace).await;
                let left = self.shutdown_grace.saturating_sub(started.elapsed());
                self.daemon.shutdown_within(left.max(LAST_GRACE)).await;
            }
            None => self.daemon.shutdown().await,
        }
        let _ = self.stop.send(());
        if tokio::time::timeout(CLOSE_WAIT, self.server).await.is_err() {
            tracing::warn!("connections still open after 5 s; closing them");
        }
        if let Some(agones) = self.agones {
            agones.shutdown().await;
        }
        tracing::info!("stopped");
    }
}

async fn termination_signal() -> anyhow::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = term.recv() => {}
        result = tokio::signal::ctrl_c() => result?,
    }
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// Uploads a component (version: the start of its sha256) and creates its
/// fleet unless it exists.
async fn deploy(
    daemon: &Daemon,
    deployment: &str,
    template: Option<&Path>,
    replicas: u32,
) -> anyhow::Result<()> {
    let (fleet, path) = deployment
        .split_once('=')
        .with_context(|| format!("--deploy {deployment:?} is not FLEET=COMPONENT"))?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let version = format!(
        "sha-{}",
        &crate::signing::hex(&Sha256::digest(&bytes))[..12]
    );
    let template: GameServerSpec = match template {
        Some(path) => serde_json::from_slice(
            &std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        )
        .with_context(|| format!("{} is not a valid template", path.display()))?,
        None => GameServerSpec::default(),
    };
    let (module, _) = daemon
        .upload_module(fleet.to_owned(), version, bytes)
        .await
        .with_context(|| format!("deploying {path}"))?;
    match daemon.fleet(fleet) {
        Ok(existing) if existing.fleet.module != module.id => {
            tracing::warn!(%fleet, running = %existing.fleet.module, "the fleet exists and keeps its module");
        }
        Ok(_) => {
            daemon
                .update_fleet(
                    fleet,
                    FleetUpdate {
                        replicas: Some(replicas),
                        template: Some(template),
                        ..FleetUpdate::default()
                    },
                )
                .await?;
        }
        Err(_) => {
            daemon
                .create_fleet(NewFleet {
                    name: fleet.to_owned(),
                    module: module.id.clone(),
                    replicas,
                    template,
                    resource_creation_limit_policy: Default::default(),
                })
                .await?;
        }
    }
    tracing::info!(%fleet, module = %module.id, replicas, "deployed");
    Ok(())
}
