//! `gamehost serve`: the daemon, its control plane on HTTP, and optionally
//! game modes deployed as fleets at start.

use crate::api::{self, ApiLimits, Auth};
use crate::gateway::GatewayLimits;
use anyhow::{Context, bail};
use gamehost_agones::{Agones, AgonesSettings};
use gamehost_daemon::store::StoreLocation;
use gamehost_daemon::{Daemon, DaemonConfig, FleetUpdate, NewFleet};
use gamehost_model::{Endpoint, GameServerSpec};
use gamehost_runtime::engine::EngineSettings;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

/// `gamehost serve`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where the control plane listens. Anything but loopback needs a
    /// token: GAMEHOST_TOKEN (the admin token) or a tokens file.
    #[arg(long, env = "GAMEHOST_LISTEN", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// The TLS certificate chain (PEM): the control plane and the gateway
    /// then serve https and wss only. Reloaded on SIGHUP or when it changes.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The TLS certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The tokens file: named tokens with scopes, one per line as
    /// `NAME SCOPE[,SCOPE…] sha256:HEX` (`gamehost token new` makes them).
    #[arg(long, env = "GAMEHOST_TOKENS")]
    tokens: Option<PathBuf>,
    /// Where the store and the compiled-artifact cache live.
    #[arg(long, env = "GAMEHOST_DATA_DIR", default_value = "gamehost-data")]
    data_dir: PathBuf,
    /// The state's store: a PostgreSQL database, as
    /// postgres://USER:PASS@HOST:PORT/DB (default: the embedded store in
    /// the data directory). The schema is migrated at start, and the host
    /// holds a lease in the database while it runs.
    #[arg(long, env = "GAMEHOST_STORE", value_parser = parse_store, hide_env_values = true)]
    store: Option<StoreUrl>,
    /// With --store: while another host holds the database, wait and take
    /// it over when its lease lapses (a hot standby; it serves nothing
    /// until then), rather than refuse to start.
    #[arg(long, requires = "store")]
    standby: bool,
    /// This host's id, unique among the hosts sharing a store (default:
    /// the machine's host name).
    #[arg(long, env = "GAMEHOST_HOST_ID", value_parser = parse_host_id)]
    host_id: Option<String>,
    /// The address players use to reach this host (default: the listen
    /// address's IP).
    #[arg(long)]
    advertise: Option<String>,
    /// Deploys a component as a fleet at start, as FLEET=COMPONENT.wasm
    /// (repeatable); an existing fleet keeps its module.
    #[arg(long = "deploy", value_name = "FLEET=COMPONENT")]
    deploy: Vec<String>,
    /// The template (JSON) of fleets made by --deploy.
    #[arg(long, requires = "deploy")]
    template: Option<PathBuf>,
    /// Warm replicas of fleets made by --deploy.
    #[arg(long, default_value_t = 2, requires = "deploy")]
    replicas: u32,
    /// Game servers alive at once, across fleets: the engine reserves a
    /// slot of memory, tables and stack for each. Each takes six memory
    /// mappings, so the kernel's vm.max_map_count bounds this too (10,255
    /// at its default of 65,530); the daemon lowers it to that bound and
    /// says at start how to raise the kernel's limit.
    #[arg(
        long,
        default_value_t = EngineSettings::default().max_instances,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_GAME_SERVERS))
    )]
    max_game_servers: u32,
    /// How many ended game servers and game sessions are kept for queries.
    #[arg(long, default_value_t = 10_000)]
    retain_ended: usize,
    /// How long a shutdown (SIGTERM, Ctrl-C) waits for game servers to end.
    #[arg(long, default_value = "60s", value_parser = humantime::parse_duration)]
    shutdown_grace: Duration,
    /// How long a request may take before it is answered 408.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    request_timeout: Duration,
    /// Requests in progress at once before new ones are answered 503.
    #[arg(long, default_value_t = 1024)]
    max_in_flight: usize,
    /// Threads that run game servers, players' connections and requests
    /// (default: one per core). Fewer leave cores to other processes on the
    /// machine: a load generator, a database, a second host.
    #[arg(long, env = "GAMEHOST_WORKER_THREADS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    worker_threads: Option<u16>,
    /// Serves the Agones REST SDK for each game server on a loopback port
    /// of its own, shown in its annotation `gamehost.dev/sdk-http-port`.
    #[arg(long)]
    sdk_http: bool,
    /// Runs the host as one high-density Agones GameServer, through the
    /// SDK sidecar's REST API (on by itself where AGONES_SDK_HTTP_PORT is
    /// set, as in an Agones pod).
    #[arg(long, conflicts_with = "no_agones")]
    agones: bool,
    /// Not an Agones GameServer, even where AGONES_SDK_HTTP_PORT is set.
    #[arg(long)]
    no_agones: bool,
    /// The Agones SDK sidecar's REST port on localhost.
    #[arg(long, env = gamehost_agones::PORT_VARIABLE, default_value_t = 9358)]
    agones_sdk_port: u16,
    /// The GameServer's counter of matches: its count is the matches
    /// running here, its capacity how many the host can run.
    #[arg(long, default_value = "rooms")]
    agones_counter: String,
    /// The GameServer's list of the game session ids running here.
    #[arg(long, default_value = "sessions")]
    agones_list: String,
    /// The fleet whose game servers take the matches Agones allocates
    /// (default: the only fleet).
    #[arg(long)]
    agones_fleet: Option<String>,
    /// The players a match started by an Agones allocation takes.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    agones_max_players: u32,
    /// Players connected to the host at once over the gateway.
    #[arg(long, default_value_t = GatewayLimits::default().max_connections)]
    max_connections: usize,
    /// Players connected to one game server at once.
    #[arg(long, default_value_t = GatewayLimits::default().max_players_per_game_server)]
    max_players_per_game_server: usize,
    /// Messages waiting to be written to one player before it is
    /// disconnected as too slow.
    #[arg(long, default_value_t = GatewayLimits::default().outbound_queue)]
    player_queue: usize,
    /// Connection attempts one source address (an IPv6 /64) may make a
    /// second; more are answered 429 (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().attempts_per_address)]
    attempts_per_address: u32,
    /// Connections open from one source address at once (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().connections_per_address)]
    connections_per_address: usize,
    /// Messages one player may send a second; past it the player is
    /// disconnected (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().messages_per_second)]
    player_messages_per_second: u32,
    /// Bytes one player may send a second; past it the player is
    /// disconnected (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().bytes_per_second)]
    player_bytes_per_second: u32,
}

impl ServeArgs {
    /// Where the state lives: `--store`'s database, or the embedded store.
    fn store_location(&self) -> StoreLocation {
        match &self.store {
            Some(StoreUrl(url)) => StoreLocation::Postgres {
                url: url.clone(),
                standby: self.standby,
            },
            None => StoreLocation::Embedded,
        }
    }

    /// The worker threads asked for with `--worker-threads`, if any.
    pub fn worker_threads(&self) -> Option<usize> {
        self.worker_threads.map(usize::from)
    }

    /// How the host runs as an Agones GameServer, if it does: with
    /// `--agones`, or where the sidecar's port is set and not
    /// `--no-agones`.
    fn agones(&self) -> Option<AgonesSettings> {
        let in_a_pod = std::env::var_os(gamehost_agones::PORT_VARIABLE).is_some();
        (self.agones || (in_a_pod && !self.no_agones)).then(|| AgonesSettings {
            port: self.agones_sdk_port,
            counter: self.agones_counter.clone(),
            list: self.agones_list.clone(),
            fleet: self.agones_fleet.clone(),
            max_players: self.agones_max_players,
        })
    }

    /// `gamehost serve`'s arguments from the words that follow `serve` on a
    /// command line.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<Self, clap::Error> {
        #[derive(clap::Parser)]
        struct Words {
            #[command(flatten)]
            serve: ServeArgs,
        }
        <Words as clap::Parser>::try_parse_from(std::iter::once("serve").chain(words))
            .map(|words| words.serve)
    }
}

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

/// `--store`'s value: a PostgreSQL address, which may hold a password.
#[derive(Clone)]
struct StoreUrl(String);

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&gamehost_postgres::redact(&self.0))
    }
}

/// `--store`'s value: a PostgreSQL address.
fn parse_store(value: &str) -> Result<StoreUrl, String> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(StoreUrl(value.to_owned()))
    } else {
        Err("expected postgres://USER:PASS@HOST:PORT/DB".into())
    }
}

/// `--host-id`'s value: a name others can show and compare.
fn parse_host_id(value: &str) -> Result<String, String> {
    let valid = !value.is_empty()
        && value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if valid {
        Ok(value.to_owned())
    } else {
        Err("1 to 63 letters, digits, '-', '.' or '_'".into())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_threads_are_one_per_core_unless_asked() {
        // (words after `serve`) → the worker threads asked for, or `None`
        // when the words are refused
        let cases: [(&[&str], Option<Option<usize>>); 5] = [
            (&[], Some(None)),
            (&["--worker-threads", "1"], Some(Some(1))),
            (&["--worker-threads", "1024"], Some(Some(1024))),
            (&["--worker-threads", "0"], None),
            (&["--worker-threads", "1025"], None),
        ];
        for (words, expected) in cases {
            let parsed = ServeArgs::from_words(words.iter().copied()).ok();
            assert_eq!(
                parsed.map(|args| args.worker_threads()),
                expected,
                "{words:?}"
            );
        }
    }

    #[test]
    fn the_store_is_embedded_unless_a_postgres_address_is_given() {
        let postgres = |url: &str, standby| StoreLocation::Postgres {
            url: url.into(),
            standby,
        };
        let cases: [(&[&str], Option<StoreLocation>); 6] = [
            (&[], Some(StoreLocation::Embedded)),
            (
                &["--store", "postgres://gh:pw@db:5432/gamehost"],
                Some(postgres("postgres://gh:pw@db:5432/gamehost", false)),
            ),
            (
                &["--store", "postgresql://db/gamehost", "--standby"],
                Some(postgres("postgresql://db/gamehost", true)),
            ),
            (&["--store", "mysql://db/gamehost"], None),
            (&["--store", "gamehost.redb"], None),
            // A standby needs a database to stand by on.
            (&["--standby"], None),
        ];
        for (words, expected) in cases {
            let parsed = ServeArgs::from_words(words.iter().copied()).ok();
            assert_eq!(
                parsed.map(|args| args.store_location()),
                expected,
                "{words:?}"
            );
        }
    }

    #[test]
    fn a_host_id_is_a_short_plain_name() {
        let cases = [
            ("host-1", true),
            ("eu-west.a_1", true),
            ("", false),
            ("has space", false),
            ("slash/host", false),
            (&"h".repeat(63), true),
            (&"h".repeat(64), false),
        ];
        for (id, valid) in cases {
            let parsed = ServeArgs::from_words(["--host-id", id]);
            assert_eq!(parsed.is_ok(), valid, "{id:?}");
        }
    }

    #[test]
    fn the_arguments_never_show_the_stores_password() {
        let args = ServeArgs::from_words(["--store", "postgres://gh:s3cret@db/gamehost"]);
        let shown = format!("{:?}", args.expect("valid arguments"));
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://gh:***@db/gamehost"), "{shown}");
    }
}
