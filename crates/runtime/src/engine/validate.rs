//! Checking an uploaded module against the `game-server` world, with an
//! error that names the problem.

use crate::sdk::SDK_VERSION;
use wasmtime::Engine;
use wasmtime::component::Component;

/// Why a module cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Over the size limit.
    #[error("the module is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// The module's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not WebAssembly at all.
    #[error("not a WebAssembly binary (it does not start with \\0asm)")]
    NotWasm,
    /// A core module, not a component.
    #[error(
        "a core WebAssembly module, not a component: build for wasm32-wasip2 or wrap it with `wasm-tools component new`"
    )]
    CoreModule,
    /// Malformed or failing to compile.
    #[error("invalid component: {0}")]
    Invalid(String),
    /// Well formed, but beyond what the host compiles: nested too deep, or
    /// flattening to too many instances.
    #[error("the component is too complex to compile: {0}")]
    TooComplex(String),
    /// Imports something the host does not provide.
    #[error("the component imports `{0}`, which the game-server world does not provide")]
    UnknownImport(String),
    /// An import has the right name but the wrong shape or version.
    #[error("an import does not match what the host provides: {0}")]
    ImportMismatch(String),
    /// Does not export the callbacks.
    #[error(
        "the component does not export `{0}`: is it built for the gamehost:sdk/game-server world?"
    )]
    MissingExport(String),
    /// Exports the callbacks in the wrong shape.
    #[error("the component's exports do not match the game-server world: {0}")]
    ExportMismatch(String),
}

/// The interface a game mode must export.
pub fn callbacks_export() -> String {
    format!("gamehost:sdk/callbacks@{SDK_VERSION}")
}

/// Whether the component exports the optional game loop, `ticks`.
pub(super) fn optional_ticks(component: &Component) -> bool {
    component
        .get_export_index(None, &format!("gamehost:sdk/ticks@{SDK_VERSION}")[..])
        .is_some()
}

/// Interfaces a game mode may import: the SDK and the WASI 0.2 interfaces
/// that the host links (with nothing granted).
const IMPORTABLE: &[&str] = &[
    "gamehost:sdk/",
    "wasi:io/",
    "wasi:clocks/",
    "wasi:random/",
    "wasi:cli/",
    "wasi:filesystem/",
    "wasi:sockets/",
];

/// Checks the first bytes: WebAssembly, and a component rather than a module.
pub fn check_header(bytes: &[u8], limit: usize) -> Result<(), LoadError> {
    if bytes.len() > limit {
        return Err(LoadError::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(LoadError::NotWasm);
    }
    // Bytes 4..8 are the version and layer: layer 0 is a core module.
    if bytes[6..8] == [0, 0] {
        return Err(LoadError::CoreModule);
    }
    Ok(())
}

/// Checks that every import is one the host provides and that the callbacks
/// are exported.
pub fn check_world(engine: &Engine, component: &Component) -> Result<(), LoadError> {
    let ty = component.component_type();
    if let Some((name, _)) = ty
        .imports(engine)
        .find(|(name, _)| !IMPORTABLE.iter().any(|p| name.starts_with(p)))
    {
        return Err(LoadError::UnknownImport(name.to_owned()));
    }
    let required = callbacks_export();
    if !ty.exports(engine).any(|(name, _)| name == required) {
        return Err(LoadError::MissingExport(required));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let component = b"\0asm\x0d\x00\x01\x00";
        let module = b"\0asm\x01\x00\x00\x00";
        assert!(check_header(component, 100).is_ok());
        assert!(matches!(
            check_header(module, 100),
            Err(LoadError::CoreModule)
        ));
        assert!(matches!(
            check_header(b"PK\x03\x04 zip", 100),
            Err(LoadError::NotWasm)
        ));
        assert!(matches!(
            check_header(b"\0as", 100),
            Err(LoadError::NotWasm)
        ));
        assert!(matches!(
            check_header(component, 4),
            Err(LoadError::TooLarge { size: 8, limit: 4 })
        ));
    }
}
