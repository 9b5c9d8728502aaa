//! The optional `handoff` export: where a component's `save-state` and
//! `restore-state` are, found once when it is loaded.

use super::validate::LoadError;
use crate::sdk::SDK_VERSION;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, ComponentExportIndex};

/// The interface a game mode exports to hand its in-memory state over.
pub fn handoff_export() -> String {
    format!("gamehost:sdk/handoff@{SDK_VERSION}")
}

/// Where a component's `save-state` and `restore-state` are.
#[derive(Clone, Debug)]
pub(super) struct HandoffExports {
    save: ComponentExportIndex,
    restore: ComponentExportIndex,
}

impl HandoffExports {
    /// The hand-off functions of `component`: `None` when it does not export
    /// the interface, an error when it exports it without both functions.
    pub(super) fn find(component: &Component) -> Result<Option<Self>, LoadError> {
        let name = handoff_export();
        let Some((_, interface)) = component.get_export(None, &name) else {
            return Ok(None);
        };
        let function = |function: &str| match component.get_export(Some(&interface), function) {
            Some((ComponentItem::ComponentFunc(_), index)) => Ok(index),
            _ => Err(LoadError::ExportMismatch(format!(
                "`{name}` does not export the function `{function}`"
            ))),
        };
        Ok(Some(Self {
            save: function("save-state")?,
            restore: function("restore-state")?,
        }))
    }

    /// `save-state`.
    pub(super) fn save(&self) -> ComponentExportIndex {
        self.save
    }

    /// `restore-state`.
    pub(super) fn restore(&self) -> ComponentExportIndex {
        self.restore
    }
}
