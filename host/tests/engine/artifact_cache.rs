//! The compiled-artifact cache: a module is compiled once per engine
//! configuration, a new engine on the same directory reuses the artifact, and
//! an unusable artifact is discarded and rebuilt.

use gamehost_model::GameServerState;
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use gamehost_runtime::players::PlayStats;
use gamehost_runtime::supervisor::{Hosting, RuntimeClock, spawn};
use gamehost_tests::{quiet_spec, wait_for_state};
use std::path::Path;
use std::sync::Arc;

fn engine(dir: &Path) -> GameEngine {
    GameEngine::new(
        EngineSettings {
            max_instances: 8,
            ..EngineSettings::default()
        },
        Some(dir),
    )
    .expect("an engine")
}

fn artifacts(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn artifacts_are_compiled_once_and_reused_by_a_new_engine() {
    let dir = gamehost_tests::temp_dir("gamehost-cache");
    let bytes = gamehost_guests::read(gamehost_guests::ARENA);

    let first = engine(dir.path()).load(&bytes).expect("loading");
    assert!(!first.from_cache(), "nothing was cached yet");
    let stored = artifacts(dir.path());
    assert_eq!(stored.len(), 1);
    let name = stored[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with(first.digest()) && name.ends_with(".cwasm"),
        "{name}"
    );

    let restarted = engine(dir.path());
    let second = restarted.load(&bytes).expect("loading again");
    assert!(second.from_cache(), "a new engine reuses the artifact");
    assert_eq!(second.digest(), first.digest());
    let (handle, _) = spawn(
        second,
        Default::default(),
        Arc::new(quiet_spec()),
        Hosting {
            limits: restarted.default_limits(),
            clock: RuntimeClock::new(),
            play: PlayStats::default(),
        },
    );
    wait_for_state(&handle, GameServerState::Ready).await;

    std::fs::write(&stored[0], b"not an artifact").unwrap();
    let rebuilt = engine(dir.path())
        .load(&bytes)
        .expect("loading over a broken artifact");
    assert!(!rebuilt.from_cache(), "the broken artifact was discarded");
    assert_eq!(artifacts(dir.path()), stored, "and rebuilt in its place");
    assert!(engine(dir.path()).load(&bytes).unwrap().from_cache());
}
