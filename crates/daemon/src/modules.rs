//! Modules: uploaded components, addressed by the sha256 of their bytes,
//! validated and compiled once at upload.

use super::error::{DaemonError, DaemonResult};
use super::{Daemon, names};
use crate::store::{Collection, Write};
use gamehost_model::{Clock, Timestamp};
use gamehost_runtime::engine::GameMode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Instant;

/// Most modules a host keeps.
pub const MAX_MODULES: usize = 256;

/// An uploaded module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    /// The sha256 of the component's bytes, in hex.
    pub id: String,
    /// The game mode's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The component's size in bytes.
    pub size: u64,
    /// When it was uploaded.
    pub uploaded_at: Timestamp,
    /// How long compiling it took, in milliseconds (0 when the compiled
    /// artifact came from the cache).
    pub compile_millis: u64,
}

/// A module and its compiled form.
#[derive(Clone)]
pub(super) struct Loaded {
    module: Module,
    /// `None` when the stored module no longer loads (reported at startup).
    mode: Option<GameMode>,
}

impl Loaded {
    /// `module`, compiled as `mode` (`None`: it does not load).
    pub(super) fn new(module: Module, mode: Option<GameMode>) -> Self {
        Self { module, mode }
    }

    /// The compiled module, if it loads.
    pub(super) fn mode(&self) -> Option<&GameMode> {
        self.mode.as_ref()
    }

    /// `name@version`.
    pub(super) fn label(&self) -> String {
        format!("{}@{}", self.module.name, self.module.version)
    }
}

/// The modules a host holds, by id.
#[derive(Default)]
pub(super) struct Modules {
    by_id: BTreeMap<String, Loaded>,
}

impl Modules {
    /// Adds a module read from the store.
    pub(super) fn insert(&mut self, loaded: Loaded) {
        self.by_id.insert(loaded.module.id.clone(), loaded);
    }

    /// Forgets a module.
    pub(super) fn remove(&mut self, id: &str) {
        self.by_id.remove(id);
    }

    /// Every module's id.
    pub(super) fn ids(&self) -> Vec<String> {
        self.by_id.keys().cloned().collect()
    }

    /// A module by id.
    pub(super) fn get(&self, id: &str) -> Option<&Loaded> {
        self.by_id.get(id)
    }

    /// Finds a module by id or by `name@version`.
    pub(super) fn resolve(&self, reference: &str) -> DaemonResult<&Loaded> {
        if let Some(loaded) = self.by_id.get(reference) {
            return Ok(loaded);
        }
        self.by_id
            .values()
            .find(|l| format!("{}@{}", l.module.name, l.module.version) == reference)
            .ok_or_else(|| DaemonError::not_found("module", reference))
    }
}

impl Daemon {
    /// Validates and compiles a component, then stores it. Uploading the
    /// same bytes again returns the existing module (and `false`).
    pub async fn upload_module(
        &self,
        name: String,
        version: String,
        bytes: Vec<u8>,
    ) -> DaemonResult<(Module, bool)> {
        self.require_running()?;
        names::check_module_name("name", &name)?;
        names::check_module_name("version", &version)?;
        let engine = self.0.engine.clone();
        let started = Instant::now();
        let _compiling = self.0.compiling.acquire().await;
        let (mode, bytes) = tokio::task::spawn_blocking(move || {
            let mode = engine.load(&bytes);
            (mode, bytes)
        })
        .await
        .expect("compiling a module does not panic");
        let mode = mode?;
        let compile_millis = if mode.from_cache() {
            0
        } else {
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
        };
        let module = Module {
            id: mode.digest().to_owned(),
            name,
            version,
            size: bytes.len() as u64,
            uploaded_at: self.0.clock.now(),
            compile_millis,
        };
        {
            let modules = self.0.modules.read().expect("lock");
            if let Some(existing) = modules.by_id.get(&module.id) {
                return Ok((existing.module.clone(), false));
            }
            if let Some(other) = modules
                .by_id
                .values()
                .find(|l| l.module.name == module.name && l.module.version == module.version)
            {
                return Err(DaemonError::Conflict(format!(
                    "{}@{} already exists with other content (module {})",
                    module.name, module.version, other.module.id
                )));
            }
            if modules.by_id.len() >= MAX_MODULES {
                return Err(DaemonError::Conflict(format!(
                    "the host holds at most {MAX_MODULES} modules; delete unused ones first"
                )));
            }
        }
        self.0
            .persister
            .write(vec![
                Write::put(Collection::ModuleBytes, &module.id, bytes),
                Write::json(Collection::Modules, &module.id, &module),
            ])
            .await?;
        let loaded = Loaded {
            module: module.clone(),
            mode: Some(mode),
        };
        self.0
            .modules
            .write()
            .expect("lock")
            .by_id
            .insert(module.id.clone(), loaded);
        Ok((module, true))
    }

    /// Every module, by id.
    pub fn modules(&self) -> Vec<Module> {
        let modules = self.0.modules.read().expect("lock");
        modules.by_id.values().map(|l| l.module.clone()).collect()
    }

    /// One module, by id or `name@version`.
    pub fn module(&self, reference: &str) -> DaemonResult<Module> {
        let modules = self.0.modules.read().expect("lock");
        Ok(modules.resolve(reference)?.module.clone())
    }

    /// Deletes a module no fleet uses.
    pub async fn delete_module(&self, reference: &str) -> DaemonResult<()> {
        let id = self.module(reference)?.id;
        {
            let fleets = self.0.fleets.read().expect("lock");
            let users = fleets.using(&id);
            if !users.is_empty() {
                return Err(DaemonError::Conflict(format!(
                    "module {id} is used by fleet(s) {}; delete or change them first",
                    users.join(", ")
                )));
            }
        }
        self.0
            .persister
            .write(vec![
                Write::delete(Collection::Modules, &id),
                Write::delete(Collection::ModuleBytes, &id),
            ])
            .await?;
        self.0.modules.write().expect("lock").by_id.remove(&id);
        Ok(())
    }
}
