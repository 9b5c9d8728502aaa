//! The Extism peer: a plugin built with Extism's Rust PDK calling a host
//! function `increment_counter("bench", 1)`, and instantiating that plugin
//! from its compiled form.

use extism::{CompiledPlugin, CurrentPlugin, Manifest, Plugin, PluginBuilder, UserData, Val, Wasm};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The host function: adds `amount` to the counter `key`, reading both
/// from the plugin's memory as the PDK passes them.
fn increment_counter(
    plugin: &mut CurrentPlugin,
    inputs: &[Val],
    _outputs: &mut [Val],
    counter: UserData<i64>,
) -> Result<(), extism::Error> {
    let key: String = plugin.memory_get_val(&inputs[0])?;
    let amount: i64 = plugin.memory_get_val(&inputs[1])?;
    anyhow::ensure!(key == crate::setup::COUNTER, "unknown counter {key:?}");
    *counter
        .get()?
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))? += amount;
    Ok(())
}

/// The plugin, compiled once, and the counter its host function adds to.
pub struct ExtismPeer {
    compiled: CompiledPlugin,
    counter: Arc<Mutex<i64>>,
}

impl ExtismPeer {
    /// Compiles the plugin at `path` with its host function.
    pub fn new(path: &std::path::Path) -> anyhow::Result<Self> {
        let wasm = std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "reading the Extism plugin {} (scripts/bench builds it): {e}",
                path.display()
            )
        })?;
        let data = UserData::new(0i64);
        let counter = data.get()?;
        let builder = PluginBuilder::new(Manifest::new([Wasm::data(wasm)]))
            .with_wasi(false)
            .with_function(
                "increment_counter",
                [extism::PTR, extism::PTR],
                [],
                data,
                increment_counter,
            );
        Ok(Self {
            compiled: CompiledPlugin::new(builder)?,
            counter,
        })
    }

    /// Times `batches` calls of the plugin's `run`, each making `per_batch`
    /// host calls; returns the time per host call of each batch.
    pub fn time_host_calls(&self, batches: usize, per_batch: u32) -> anyhow::Result<Vec<Duration>> {
        let mut plugin = Plugin::new_from_compiled(&self.compiled)?;
        let before = *self
            .counter
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        let input = per_batch.to_string();
        let mut samples = Vec::with_capacity(batches);
        for _ in 0..batches {
            let start = Instant::now();
            let made: String = plugin.call("run", input.as_str())?;
            samples.push(start.elapsed() / per_batch);
            anyhow::ensure!(made == input, "the plugin answered {made:?}");
        }
        let after = *self
            .counter
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        anyhow::ensure!(
            after - before == i64::from(per_batch) * batches as i64,
            "the host function counted {}",
            after - before
        );
        Ok(samples)
    }

    /// Times instantiating the compiled plugin `count` times. Extism
    /// instantiates a plugin's module at its first call, so each sample is
    /// `Plugin::new_from_compiled` plus a call of the empty export `noop`.
    pub fn time_instantiation(&self, count: u64) -> anyhow::Result<Vec<Duration>> {
        let mut samples = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let start = Instant::now();
            let mut plugin = Plugin::new_from_compiled(&self.compiled)?;
            let _: String = plugin.call("noop", "")?;
            samples.push(start.elapsed());
            drop(plugin);
        }
        Ok(samples)
    }
}
