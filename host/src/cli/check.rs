//! `gamehost check`: validate and compile a component.

use anyhow::Context;
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use std::path::Path;
use std::time::Instant;

/// Loads the component at `path` and prints what it is.
pub fn check(path: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let started = Instant::now();
    let mode = engine
        .load(&bytes)
        .with_context(|| format!("{} is not a usable game mode", path.display()))?;
    let took = started.elapsed();
    println!("{}: a gamehost:sdk/game-server component", path.display());
    println!("  sha256    {}", mode.digest());
    println!("  size      {} bytes", mode.size());
    let how = if mode.from_cache() {
        "loaded from cache"
    } else {
        "compiled"
    };
    println!("  {how} in {took:.2?}");
    let ty = mode.component().component_type();
    for (name, _) in ty.imports(engine.wasmtime()) {
        println!("  imports   {name}");
    }
    for (name, _) in ty.exports(engine.wasmtime()) {
        println!("  exports   {name}");
    }
    Ok(())
}
