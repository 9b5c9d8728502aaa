//! `gamehost serve`'s arguments: what each option means, its default and
//! its bounds, and the values that need checking (a store's address, a host
//! id).

use super::{DEFAULT_LISTEN, MAX_GAME_SERVERS};
use crate::gateway::GatewayLimits;
use gamehost_agones::AgonesSettings;
use gamehost_daemon::store::StoreLocation;
use gamehost_runtime::engine::EngineSettings;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// `gamehost serve`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where the control plane listens. Anything but loopback needs a
    /// token: GAMEHOST_TOKEN (the admin token) or a tokens file.
    #[arg(long, env = "GAMEHOST_LISTEN", default_value = DEFAULT_LISTEN)]
    pub(super) listen: SocketAddr,
    /// The TLS certificate chain (PEM): the control plane and the gateway
    /// then serve https and wss only. Reloaded on SIGHUP or when it changes.
    #[arg(long, requires = "tls_key")]
    pub(super) tls_cert: Option<PathBuf>,
    /// The TLS certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub(super) tls_key: Option<PathBuf>,
    /// The tokens file: named tokens with scopes, one per line as
    /// `NAME SCOPE[,SCOPE…] sha256:HEX` (`gamehost token new` makes them).
    #[arg(long, env = "GAMEHOST_TOKENS")]
    pub(super) tokens: Option<PathBuf>,
    /// Where the store and the compiled-artifact cache live.
    #[arg(long, env = "GAMEHOST_DATA_DIR", default_value = "gamehost-data")]
    pub(super) data_dir: PathBuf,
    /// The state's store: a PostgreSQL database, as
    /// postgres://USER:PASS@HOST:PORT/DB (default: the embedded store in
    /// the data directory). The schema is migrated at start, and the host
    /// holds a lease in the database while it runs.
    #[arg(long, env = "GAMEHOST_STORE", value_parser = parse_store, hide_env_values = true)]
    pub(super) store: Option<StoreUrl>,
    /// With --store: while another host holds the database, wait and take
    /// it over when its lease lapses (a hot standby; it serves nothing
    /// until then), rather than refuse to start.
    #[arg(long, requires = "store")]
    pub(super) standby: bool,
    /// This host's id, unique among the hosts sharing a store (default:
    /// the machine's host name).
    #[arg(long, env = "GAMEHOST_HOST_ID", value_parser = parse_host_id)]
    pub(super) host_id: Option<String>,
    /// The address players use to reach this host (default: the listen
    /// address's IP).
    #[arg(long)]
    pub(super) advertise: Option<String>,
    /// Deploys a component as a fleet at start, as FLEET=COMPONENT.wasm
    /// (repeatable); an existing fleet keeps its module.
    #[arg(long = "deploy", value_name = "FLEET=COMPONENT")]
    pub(super) deploy: Vec<String>,
    /// The template (JSON) of fleets made by --deploy.
    #[arg(long, requires = "deploy")]
    pub(super) template: Option<PathBuf>,
    /// Warm replicas of fleets made by --deploy.
    #[arg(long, default_value_t = 2, requires = "deploy")]
    pub(super) replicas: u32,
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
    pub(super) max_game_servers: u32,
    /// How many ended game servers and game sessions are kept for queries.
    #[arg(long, default_value_t = 10_000)]
    pub(super) retain_ended: usize,
    /// How long a shutdown (SIGTERM, Ctrl-C) waits for game servers to end.
    #[arg(long, default_value = "60s", value_parser = humantime::parse_duration)]
    pub(super) shutdown_grace: Duration,
    /// How long a request may take before it is answered 408.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub(super) request_timeout: Duration,
    /// Requests in progress at once before new ones are answered 503.
    #[arg(long, default_value_t = 1024)]
    pub(super) max_in_flight: usize,
    /// Threads that run game servers, players' connections and requests
    /// (default: one per core). Fewer leave cores to other processes on the
    /// machine: a load generator, a database, a second host.
    #[arg(long, env = "GAMEHOST_WORKER_THREADS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(super) worker_threads: Option<u16>,
    /// Serves the Agones REST SDK for each game server on a loopback port
    /// of its own, shown in its annotation `gamehost.dev/sdk-http-port`.
    #[arg(long)]
    pub(super) sdk_http: bool,
    /// Runs the host as one high-density Agones GameServer, through the
    /// SDK sidecar's REST API (on by itself where AGONES_SDK_HTTP_PORT is
    /// set, as in an Agones pod).
    #[arg(long, conflicts_with = "no_agones")]
    pub(super) agones: bool,
    /// Not an Agones GameServer, even where AGONES_SDK_HTTP_PORT is set.
    #[arg(long)]
    pub(super) no_agones: bool,
    /// The Agones SDK sidecar's REST port on localhost.
    #[arg(long, env = gamehost_agones::PORT_VARIABLE, default_value_t = 9358)]
    pub(super) agones_sdk_port: u16,
    /// The GameServer's counter of matches: its count is the matches
    /// running here, its capacity how many the host can run.
    #[arg(long, default_value = "rooms")]
    pub(super) agones_counter: String,
    /// The GameServer's list of the game session ids running here.
    #[arg(long, default_value = "sessions")]
    pub(super) agones_list: String,
    /// The fleet whose game servers take the matches Agones allocates
    /// (default: the only fleet).
    #[arg(long)]
    pub(super) agones_fleet: Option<String>,
    /// The players a match started by an Agones allocation takes.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(super) agones_max_players: u32,
    /// Players connected to the host at once over the gateway.
    #[arg(long, default_value_t = GatewayLimits::default().max_connections)]
    pub(super) max_connections: usize,
    /// Players connected to one game server at once.
    #[arg(long, default_value_t = GatewayLimits::default().max_players_per_game_server)]
    pub(super) max_players_per_game_server: usize,
    /// Messages waiting to be written to one player before it is
    /// disconnected as too slow.
    #[arg(long, default_value_t = GatewayLimits::default().outbound_queue)]
    pub(super) player_queue: usize,
    /// Connection attempts one source address (an IPv6 /64) may make a
    /// second; more are answered 429 (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().attempts_per_address)]
    pub(super) attempts_per_address: u32,
    /// Connections open from one source address at once (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().connections_per_address)]
    pub(super) connections_per_address: usize,
    /// Messages one player may send a second; past it the player is
    /// disconnected (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().messages_per_second)]
    pub(super) player_messages_per_second: u32,
    /// Bytes one player may send a second; past it the player is
    /// disconnected (0: no limit).
    #[arg(long, default_value_t = GatewayLimits::default().bytes_per_second)]
    pub(super) player_bytes_per_second: u32,
}

impl ServeArgs {
    /// Where the state lives: `--store`'s database, or the embedded store.
    pub(super) fn store_location(&self) -> StoreLocation {
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
    pub(super) fn agones(&self) -> Option<AgonesSettings> {
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

/// `--store`'s value: a PostgreSQL address, which may hold a password.
#[derive(Clone)]
pub(super) struct StoreUrl(pub(super) String);

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
