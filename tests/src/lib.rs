//! Support for the host tests: one engine per test binary, game modes
//! compiled once, game servers started with a template, and waiting with a
//! time limit.

pub mod conformance;

use gamehost::engine::{EngineSettings, GameEngine, GameMode};
use gamehost::model::{
    Endpoint, GameServerRecord, GameServerSpec, GameServerState, HealthCheckSpec, HealthSpec,
    Identity,
};
use gamehost::sdk::LogLine;
use gamehost::supervisor::{GameServerHandle, RuntimeClock, spawn};
use std::collections::HashMap;
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

/// The engine shared by the tests of this binary.
pub fn engine() -> &'static GameEngine {
    &ENGINE
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
    GameServerSpec {
        health: HealthSpec {
            disabled: true,
            ..HealthSpec::default()
        },
        health_check: HealthCheckSpec {
            disabled: true,
            ..HealthCheckSpec::default()
        },
        ..GameServerSpec::default()
    }
}

/// Starts a game server of the component at `path` with `spec`.
pub fn start(path: &str, spec: GameServerSpec) -> GameServerHandle {
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
    spawn(
        mode,
        identity,
        Arc::new(spec),
        engine().default_limits(),
        RuntimeClock::new(),
    )
}

/// Runs `future`, failing the test if it takes longer than [`PATIENCE`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
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
        record.status.state, state,
        "the game server ended instead: {:?}",
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
