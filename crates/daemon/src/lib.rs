//! The daemon: modules, fleets, game servers, game sessions, allocation and
//! the store, as one service the HTTP API and the CLI drive. It runs game
//! servers on `gamehost-runtime` and keeps its state as `gamehost-model`
//! records in a [`store::Store`].
//!
//! State lives in memory behind short-held locks and is written to the
//! store before the API acknowledges a change (`durability.rs`); other
//! changes (the guests' own) reach the store in the next group commit.

mod allocation;
mod audit;
mod cluster;
mod cluster_lists;
mod durability;
mod error;
mod fleet;
mod fleets;
mod game_servers;
mod game_sessions;
mod in_place;
mod lease;
mod logs;
mod metrics;
mod modules;
mod names;
mod reconcile;
mod recovery;
mod registry;
mod rolling;
mod room;
mod sessions;
mod shutdown;
mod standing;
mod surplus;
mod tracking;
mod updates;

pub mod listener;
pub mod sidecar;
pub mod store;

use crate::store::{Persister, RedbStore, Store, StoreLocation};
use gamehost_model::{Endpoint, HostRecord, Timestamp};
use gamehost_postgres::PgStore;
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use gamehost_runtime::players::PlayStats;
use gamehost_runtime::supervisor::RuntimeClock;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

pub use allocation::{
    Allocation, AllocationRequest, CounterSelector, ListSelector, MAX_PRIORITIES, Metadata,
    PlayerSelector, Priority, PriorityOrder, PriorityType, Scheduling, Selector,
};
pub use audit::{
    AuditEntry, AuditPage, AuditRecord, MAX_AUDIT_ENTRIES, MAX_AUDIT_PAGE, UNAUTHENTICATED,
};
pub use error::{DaemonError, DaemonResult};
pub use fleet::{
    FLEET_LABEL, Fleet, FleetStatus, FleetUpdate, FleetView, ModuleUpdate, NewFleet, UpdateState,
    UpdateStrategy,
};
pub use game_servers::{GameServerFilter, GameServerWatch};
pub use game_sessions::{NewPlayerSessions, TerminationMode};
pub use modules::Module;
pub use rolling::{FIRST_READY_DEADLINE, ROLLING_MAX_IN_FLIGHT};
pub use room::Room;
pub use sessions::{GameSessionFilter, SeatedGameSession};
pub use updates::Rollback;

/// How a daemon runs.
#[derive(Clone, Debug)]
pub struct DaemonConfig {
    /// Where the store and the compiled-artifact cache live.
    pub data_dir: PathBuf,
    /// This host's id, shown to guests and in the registry.
    pub host_id: String,
    /// Where players reach this host's game servers.
    pub endpoint: Endpoint,
    /// The engine's settings.
    pub engine: EngineSettings,
    /// How many ended game servers (and ended game sessions) are kept.
    pub retain_ended: usize,
    /// How long a graceful shutdown waits for game servers to end.
    pub shutdown_grace: Duration,
    /// Whether each game server also serves the Agones REST SDK on a
    /// loopback port of its own (see [`crate::sidecar`]).
    pub sdk_http: bool,
    /// Whether clients and players reach the host over TLS (`https`,
    /// `wss`), which the links it hands out say.
    pub tls: bool,
    /// Where the state lives: the embedded store in `data_dir`, or a
    /// PostgreSQL database.
    pub store: StoreLocation,
}

/// The daemon; cheap to clone.
#[derive(Clone)]
pub struct Daemon(Arc<Inner>);

struct Inner {
    config: DaemonConfig,
    engine: GameEngine,
    play: PlayStats,
    persister: Persister,
    /// The database when the store is PostgreSQL: the host's lease.
    database: Option<Arc<PgStore>>,
    lease: lease::LeaseState,
    /// The cluster's live hosts, as last read (empty on the embedded store).
    alive: RwLock<Vec<HostRecord>>,
    /// The in-place updates this host switches (or switched) its own game
    /// servers for: by fleet, the update's start and whether they all did.
    in_place: Mutex<HashMap<String, (Timestamp, bool)>>,
    clock: RuntimeClock,
    modules: RwLock<modules::Modules>,
    fleets: RwLock<fleets::Fleets>,
    game_servers: RwLock<game_servers::GameServers>,
    sessions: RwLock<sessions::Sessions>,
    registry: Mutex<gamehost_model::Registry>,
    /// Allocations and registry claims run one at a time; game-session
    /// placement claims idle game servers from their standings instead.
    placement: tokio::sync::Mutex<()>,
    /// Game session ids chosen by clients that are being placed now.
    placing_ids: Mutex<std::collections::HashSet<String>>,
    /// Each fleet's game sessions by creator, for its creation limit.
    creators: Mutex<HashMap<String, gamehost_model::CreatorLimits>>,
    /// The latest changes made through the control plane.
    audit: Mutex<audit::AuditLog>,
    /// Compiling is CPU-heavy and already parallel: one module at a time.
    compiling: Semaphore,
    start_failures: Mutex<HashMap<String, u32>>,
    reconcile: Notify,
    shutting_down: AtomicBool,
    metrics: metrics::Metrics,
}

impl Daemon {
    /// Opens the store (in `config.data_dir`, or the PostgreSQL database
    /// it names, taking the host's lease there), loads what it holds, and
    /// starts the fleet controller.
    pub async fn start(config: DaemonConfig) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        let (store, database): (Arc<dyn Store>, _) = match &config.store {
            StoreLocation::Embedded => {
                let store = RedbStore::open(&config.data_dir.join("gamehost.redb"))?;
                (Arc::new(store), None)
            }
            StoreLocation::Postgres { url, standby } => {
                let database = Arc::new(lease::open(url.clone(), *standby, &config).await?);
                (database.clone(), Some(database))
            }
        };
        let engine = GameEngine::new(
            config.engine.clone(),
            Some(&config.data_dir.join("artifacts")),
        )?;
        let clock = RuntimeClock::new();
        let registry = gamehost_model::Registry::new(&config.host_id, Arc::new(clock));
        let daemon = Self(Arc::new(Inner {
            config,
            engine,
            play: PlayStats::default(),
            persister: Persister::new(store),
            database,
            lease: lease::LeaseState::default(),
            alive: RwLock::default(),
            in_place: Mutex::default(),
            clock,
            modules: RwLock::default(),
            fleets: RwLock::default(),
            game_servers: RwLock::default(),
            sessions: RwLock::default(),
            registry: Mutex::new(registry),
            placement: tokio::sync::Mutex::new(()),
            placing_ids: Mutex::default(),
            creators: Mutex::default(),
            audit: Mutex::default(),
            compiling: Semaphore::new(1),
            start_failures: Mutex::default(),
            reconcile: Notify::new(),
            shutting_down: AtomicBool::new(false),
            metrics: metrics::Metrics::default(),
        }));
        let recovered = daemon.recover().await?;
        tracing::info!(?recovered, "loaded the store");
        if daemon.0.database.is_some() {
            // The live hosts are known before the first replica starts.
            if let Err(error) = daemon.follow_cluster().await {
                tracing::warn!(%error, "could not read the cluster yet");
            }
            tokio::spawn(daemon.clone().hold_lease_forever());
            tokio::spawn(daemon.clone().follow_cluster_forever());
        }
        tokio::spawn(daemon.clone().reconcile_forever());
        tokio::spawn(daemon.clone().write_audit_forever());
        Ok(daemon)
    }

    /// The daemon's settings.
    pub fn config(&self) -> &DaemonConfig {
        &self.0.config
    }

    /// Players' traffic and game-loop timing on this host.
    pub fn play_stats(&self) -> &PlayStats {
        &self.0.play
    }

    fn is_shutting_down(&self) -> bool {
        self.0.shutting_down.load(Ordering::Acquire)
    }

    fn require_running(&self) -> DaemonResult<()> {
        if self.is_shutting_down() {
            return Err(DaemonError::ShuttingDown);
        }
        Ok(())
    }
}
