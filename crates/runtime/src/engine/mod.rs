//! The wasmtime engine: configuration, compilation with an on-disk artifact
//! cache, validation against the `game-server` world, linking, and instances.

mod budget;
mod cache;
mod clocks;
mod config;
mod fault;
mod handoff;
mod handoff_exports;
mod instance;
mod output;
mod store;
mod structure;
mod ticker;
mod timing;
mod validate;

use crate::bindings::{callbacks, ticks};
use cache::ArtifactCache;
use handoff_exports::HandoffExports;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use ticker::EpochTicker;
use tokio::sync::Semaphore;
use wasmtime::Engine;
use wasmtime::component::{Component, Linker};

pub use clocks::GUEST_CLOCK_RESOLUTION;
pub use config::{EngineSettings, game_servers_within, map_count_for, max_map_count};
pub use fault::Fault;
pub use handoff::{Handover, MAX_HANDOFF_BYTES, SwapError};
pub use handoff_exports::handoff_export;
pub use instance::{GameMode, Instance, InstanceLimits};
pub use store::GuestState;
pub use structure::{MAX_INLINED_DEFINITIONS, MAX_INLINED_INSTANCES, MAX_NESTING};
pub use timing::{CallTimes, ExportLabel};
pub use validate::{LoadError, callbacks_export};

/// The largest module accepted, in bytes: interpreters for JavaScript and
/// Python make components of tens of megabytes.
pub const MAX_MODULE_BYTES: usize = 64 << 20;

/// The engine every game server runs on. Cloning is cheap and shares it.
#[derive(Clone)]
pub struct GameEngine(Arc<Inner>);

struct Inner {
    engine: Engine,
    linker: Linker<GuestState>,
    settings: EngineSettings,
    cache: Option<ArtifactCache>,
    times: CallTimes,
    /// The lanes calls take once they run past their first epoch tick.
    lanes: Arc<Semaphore>,
    _ticker: EpochTicker,
}

impl GameEngine {
    /// An engine with `settings`, caching compiled artifacts in `cache_dir`
    /// when given.
    pub fn new(settings: EngineSettings, cache_dir: Option<&Path>) -> anyhow::Result<Self> {
        let settings = config::within_map_count(settings, config::max_map_count());
        let engine = Engine::new(&config::wasmtime_config(&settings))?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        crate::sdk::add_to_linker(&mut linker)?;
        let cache = cache_dir
            .map(|dir| ArtifactCache::open(dir, &engine))
            .transpose()?;
        let ticker = EpochTicker::start(engine.clone(), settings.epoch_tick)?;
        let lanes = Arc::new(Semaphore::new(settings.long_call_lanes.max(1)));
        Ok(Self(Arc::new(Inner {
            engine,
            linker,
            settings,
            cache,
            times: CallTimes::default(),
            lanes,
            _ticker: ticker,
        })))
    }

    /// How long guest calls take, by export.
    pub fn call_times(&self) -> &CallTimes {
        &self.0.times
    }

    /// The lanes long calls take turns in.
    pub(super) fn lanes(&self) -> Arc<Semaphore> {
        self.0.lanes.clone()
    }

    /// The engine's settings.
    pub fn settings(&self) -> &EngineSettings {
        &self.0.settings
    }

    /// The wasmtime engine.
    pub fn wasmtime(&self) -> &Engine {
        &self.0.engine
    }

    /// Limits for a game server that takes the engine's defaults.
    pub fn default_limits(&self) -> InstanceLimits {
        InstanceLimits {
            memory_bytes: self.0.settings.default_memory_bytes,
            call_deadline: self.0.settings.call_deadline,
        }
    }

    /// Validates and compiles a module (or loads its cached artifact) and
    /// prepares it for instantiation. Compiling takes from milliseconds to
    /// seconds: call it off the async executor.
    pub fn load(&self, bytes: &[u8]) -> Result<GameMode, LoadError> {
        validate::check_header(bytes, MAX_MODULE_BYTES)?;
        structure::check_structure(bytes)?;
        let digest = hex(&Sha256::digest(bytes));
        let engine = &self.0.engine;
        let cached = self
            .0
            .cache
            .as_ref()
            .and_then(|cache| cache.load(engine, &digest));
        let from_cache = cached.is_some();
        let component = match cached {
            Some(component) => component,
            None => {
                let component = Component::new(engine, bytes)
                    .map_err(|e| LoadError::Invalid(format!("{e:#}")))?;
                if let Some(cache) = &self.0.cache
                    && let Err(error) = cache.store(&digest, &component)
                {
                    tracing::warn!(%digest, %error, "could not cache a compiled artifact");
                }
                component
            }
        };
        validate::check_world(engine, &component)?;
        // Left to wasmtime, the copy-on-write images of the module's memories
        // are made at its first instantiation, inside the first game server's
        // start deadline: for the 17 MiB of an interpreter's snapshot that is
        // tens of milliseconds of copying into a memfd. Made here, off the
        // game servers' path. On failure the first instantiation tries again.
        if let Err(error) = component.initialize_copy_on_write_image() {
            tracing::warn!(%digest, %error, "could not prepare the memory images");
        }
        let pre = self
            .0
            .linker
            .instantiate_pre(&component)
            .map_err(|e| LoadError::ImportMismatch(format!("{e:#}")))?;
        let callbacks = callbacks::GuestIndices::new(&pre)
            .map_err(|e| LoadError::ExportMismatch(format!("{e:#}")))?;
        let ticks = validate::optional_ticks(&component)
            .then(|| ticks::GuestIndices::new(&pre))
            .transpose()
            .map_err(|e| LoadError::ExportMismatch(format!("{e:#}")))?;
        let handoff = HandoffExports::find(&component)?;
        Ok(GameMode {
            engine: self.clone(),
            digest,
            size: bytes.len(),
            from_cache,
            component,
            pre,
            exports: instance::Exports { callbacks, ticks },
            handoff,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
