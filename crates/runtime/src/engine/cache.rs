//! Compiled artifacts on disk, so a module is compiled once per engine
//! configuration and a restart does not recompile.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

/// A directory of compiled components keyed by module digest and engine
/// compatibility.
#[derive(Debug)]
pub struct ArtifactCache {
    dir: PathBuf,
    engine_key: String,
}

impl ArtifactCache {
    /// A cache in `dir` for artifacts of `engine`.
    pub fn open(dir: &Path, engine: &Engine) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut hasher = DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        Ok(Self {
            dir: dir.to_owned(),
            engine_key: format!("{:016x}", hasher.finish()),
        })
    }

    fn path(&self, digest: &str) -> PathBuf {
        self.dir.join(format!("{digest}-{}.cwasm", self.engine_key))
    }

    /// The cached artifact of the module with `digest`, if there is a usable
    /// one; an unusable one is removed.
    pub fn load(&self, engine: &Engine, digest: &str) -> Option<Component> {
        let path = self.path(digest);
        let bytes = std::fs::read(&path).ok()?;
        // The artifact is read into memory rather than mapped from the file,
        // so that nothing done to the file later can fault the process.
        //
        // SAFETY: the file was written by `store` below from
        // `Component::serialize` of an engine with the same compatibility
        // hash (it is part of the name), written to a temporary file, synced
        // and renamed into place, so it is never seen half-written; wasmtime
        // also checks the version and settings recorded in it. The directory
        // belongs to the daemon, which is the only writer.
        #[allow(unsafe_code)]
        let loaded = unsafe { Component::deserialize(engine, &bytes) };
        match loaded {
            Ok(component) => Some(component),
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "discarding an unusable compiled artifact");
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores the artifact of the module with `digest`.
    pub fn store(&self, digest: &str, component: &Component) -> std::io::Result<()> {
        let bytes = component.serialize().map_err(std::io::Error::other)?;
        let path = self.path(digest);
        let partial = path.with_extension("partial");
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&partial, &path)
    }
}
