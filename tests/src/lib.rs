//! Support for the host tests: one engine per test binary, game modes
//! compiled once, game servers started with a template, and waiting with a
//! time limit.

pub mod aws;
pub mod browser;
pub mod conformance;
pub mod daemon;
pub mod figures;
pub mod hotswap;
#[cfg(test)]
mod layers;
pub mod players;
pub mod postgres;
pub mod process;

/// Defines one test per guest language running the same scenario: a module
/// named after `scenario` with the tests `rust`, `c`, `js` and `python`, each
/// calling `scenario(path)` with that language's component; all but `rust`
/// only with the calling crate's feature `full` (the full test tier). The
/// scenario is an async function of the calling test file.
#[macro_export]
macro_rules! in_every_language {
    ($scenario:ident: rust $rust:ident, c $c:ident, js $js:ident, python $python:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn rust() {
                super::$scenario(gamehost_guests::$rust).await;
            }

            #[cfg(feature = "full")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn c() {
                super::$scenario(gamehost_guests::$c).await;
            }

            #[cfg(feature = "full")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn js() {
                super::$scenario(gamehost_guests::$js).await;
            }

            #[cfg(feature = "full")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn python() {
                super::$scenario(gamehost_guests::$python).await;
            }
        }
    };
}

use gamehost_model::{
    CounterSpec, Endpoint, GameProperty, GameServerRecord, GameServerSpec, GameServerState,
    Identity, ListSpec, NewGameSession, NewPlayerSession, PlayerSession,
};
use gamehost_runtime::engine::{EngineSettings, GameEngine, GameMode, InstanceLimits};
use gamehost_runtime::players::PlayStats;
use gamehost_runtime::sdk::LogLine;
use gamehost_runtime::supervisor::{
    CommandError, GameServerHandle, Hosting, RuntimeClock, Watch, spawn,
};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// How long a test waits for anything before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

static ENGINE: LazyLock<GameEngine> = LazyLock::new(|| {
    let settings = EngineSettings {
        max_instances: 256,
        ..EngineSettings::default()
    };
    GameEngine::new(settings, None).expect("starting the engine")
});

static MODES: LazyLock<Mutex<HashMap<String, GameMode>>> = LazyLock::new(Mutex::default);

static PLAY: LazyLock<PlayStats> = LazyLock::new(PlayStats::default);

/// Where the players' traffic and game loops of this binary's game servers
/// are counted.
pub fn play_stats() -> &'static PlayStats {
    &PLAY
}

/// The engine shared by the tests of this binary.
pub fn engine() -> &'static GameEngine {
    &ENGINE
}

/// A player link whose socket end is gone: for tests that hand players to
/// a game server directly, without the gateway.
pub fn detached_link() -> gamehost_runtime::players::PlayerLink {
    gamehost_runtime::players::PlayerLink::new(16).0
}

/// The game mode of the component at `path`, compiled once per test binary.
pub fn game_mode(path: &str) -> GameMode {
    let mut modes = MODES.lock().unwrap_or_else(|e| e.into_inner());
    modes
        .entry(path.to_owned())
        .or_insert_with(|| {
            engine()
                .load(&gamehost_guests::read(path))
                .expect("loading a guest")
        })
        .clone()
}

/// A template with both health checks off, so that only what a test does
/// changes the game server.
pub fn quiet_spec() -> GameServerSpec {
    GameServerSpec::default().with_health_checks_off()
}

/// The template the arena guest expects: the counter `rounds`, the list
/// `players` and room for `players` players.
pub fn arena_spec(players: i64) -> GameServerSpec {
    GameServerSpec {
        counters: BTreeMap::from([("rounds".into(), CounterSpec::default())]),
        lists: BTreeMap::from([("players".into(), ListSpec::default())]),
        player_capacity: players,
        ..quiet_spec()
    }
}

/// A quiet template for the faults guest that misbehaves with `fault` in
/// the export `fault_in`.
pub fn faults_spec(fault: &str, fault_in: &str) -> GameServerSpec {
    let mut spec = quiet_spec();
    spec.labels.insert("fault".into(), fault.into());
    spec.labels.insert("fault-in".into(), fault_in.into());
    spec
}

/// A game session for up to `max_players` players, with `properties`.
pub fn new_game_session(max_players: u32, properties: &[(&str, &str)]) -> NewGameSession {
    NewGameSession {
        name: "test match".into(),
        maximum_player_session_count: max_players,
        game_properties: properties
            .iter()
            .map(|(k, v)| GameProperty::new(*k, *v))
            .collect(),
        ..NewGameSession::default()
    }
}

/// Reserves player sessions, given as (player session id, player id) pairs.
pub async fn create_player_sessions(
    handle: &GameServerHandle,
    players: &[(&str, &str)],
) -> Result<Vec<PlayerSession>, CommandError> {
    let new = players
        .iter()
        .map(|(session, player)| {
            let player = NewPlayerSession {
                player_id: (*player).into(),
                player_data: String::new(),
            };
            ((*session).into(), player)
        })
        .collect();
    within(
        "creating player sessions",
        handle.create_player_sessions(new),
    )
    .await
}

/// Starts a game server of the component at `path` with `spec` and the
/// engine's default limits.
pub fn start(path: &str, spec: GameServerSpec) -> GameServerHandle {
    start_with_limits(path, spec, engine().default_limits())
}

/// Starts a game server of the component at `path` with `spec` and `limits`.
pub fn start_with_limits(
    path: &str,
    spec: GameServerSpec,
    limits: InstanceLimits,
) -> GameServerHandle {
    start_watched(path, spec, limits).0
}

/// Starts a game server and returns it with a watch of every record from
/// its first.
pub fn start_watched(
    path: &str,
    spec: GameServerSpec,
    limits: InstanceLimits,
) -> (GameServerHandle, Watch) {
    spec.validate().expect("a valid test template");
    let mode = game_mode(path);
    let name = format!("gs-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let identity = Identity {
        name,
        fleet: "tests".into(),
        uid: uuid::Uuid::new_v4().to_string(),
        host_id: "test-host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    let hosting = Hosting {
        limits,
        clock: RuntimeClock::new(),
        play: play_stats().clone(),
    };
    spawn(mode, identity, Arc::new(spec), hosting)
}

/// Runs `future`, failing the test if it takes longer than [`PATIENCE`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// Places game session `game_session_id` on a Ready game server, then
/// reserves the player session `player_session_id` in it and connects it.
pub async fn host_player(
    handle: &GameServerHandle,
    game_session_id: &str,
    player_session_id: &str,
) {
    wait_for_state(handle, GameServerState::Ready).await;
    let placed = handle.start_game_session(game_session_id.into(), new_game_session(2, &[]));
    within("a game session", placed)
        .await
        .expect("placing a game session");
    create_player_sessions(handle, &[(player_session_id, "player")])
        .await
        .expect("reserving a player session");
    let connected = handle.player_connect(player_session_id.into(), crate::detached_link());
    within("a player connecting", connected)
        .await
        .expect("connecting the player");
}

/// Waits until the game server is in `state` (or has ended) and returns its
/// record.
pub async fn wait_for_state(
    handle: &GameServerHandle,
    state: GameServerState,
) -> Arc<GameServerRecord> {
    let record = within(
        &format!("{state}"),
        handle.wait_for(|r| r.status.state == state),
    )
    .await;
    assert_eq!(
        record.status.state,
        state,
        "the game server ended instead: {:?}; its last log lines: {:#?}",
        record.process.ending,
        last_lines(handle)
    );
    record
}

/// Waits until the record satisfies `condition` and returns it; fails the
/// test if the game server ends first. A command is answered before the
/// changes it made are published, so a check of the record right after an
/// answer waits with this.
pub async fn wait_until(
    handle: &GameServerHandle,
    what: &str,
    condition: impl Fn(&GameServerRecord) -> bool,
) -> Arc<GameServerRecord> {
    let record = within(what, handle.wait_for(&condition)).await;
    assert!(
        condition(&record),
        "the game server ended before {what}: {:?}",
        record.process.ending
    );
    record
}

/// Waits until the game server has ended and returns its record.
pub async fn wait_for_end(handle: &GameServerHandle) -> Arc<GameServerRecord> {
    within(
        "the game server to end",
        handle.wait_for(|r| r.process.ending.is_some()),
    )
    .await
}

/// The last log lines of a game server: what it said before it failed.
fn last_lines(handle: &GameServerHandle) -> Vec<String> {
    let lines = handle.log().lines();
    let from = lines.len().saturating_sub(10);
    lines[from..]
        .iter()
        .map(|l| format!("{:?} {:?}: {} {:?}", l.level, l.source, l.message, l.fields))
        .collect()
}

/// The log lines with `message`.
pub fn lines_with(handle: &GameServerHandle, message: &str) -> Vec<LogLine> {
    handle
        .log()
        .lines()
        .into_iter()
        .filter(|l| l.message == message)
        .collect()
}

/// The value of a log line's field.
pub fn field<'a>(line: &'a LogLine, key: &str) -> Option<&'a str> {
    line.fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A test's temporary directory, removed with all it holds when dropped.
pub use tempfile::TempDir;

/// A new, empty directory under the system's temporary directory, its
/// name starting with `prefix`; a test's runs leave nothing behind, however
/// much its projects or data directories hold.
pub fn temp_dir(prefix: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("{prefix}-"))
        .tempdir()
        .expect("creating a temporary directory")
}
