//! Module upload validation: any bytes given to `GameEngine::load`, as an
//! uploaded module is, are either a game mode or refused with a
//! `LoadError`; never a panic or a crash.

#![no_main]

use gamehost_runtime::engine::{EngineSettings, GameEngine};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// One engine for the whole run, as the daemon has, without an artifact
/// cache (every input is compiled) and with a handful of instance slots
/// (nothing is instantiated).
static ENGINE: LazyLock<GameEngine> = LazyLock::new(|| {
    let settings = EngineSettings {
        max_instances: 4,
        ..EngineSettings::default()
    };
    GameEngine::new(settings, None).expect("starting the engine")
});

fuzz_target!(|data: &[u8]| {
    if let Err(error) = ENGINE.load(data) {
        assert!(!error.to_string().is_empty(), "a refusal without a reason");
    }
});
