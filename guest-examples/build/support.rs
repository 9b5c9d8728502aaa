//! What every language's build shares: the guests it made, running a
//! command, and watching sources.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A built guest component.
pub struct Guest {
    /// The language's folder under guest-examples: `rust`, `c`, `js`, `python`.
    pub language: &'static str,
    /// The guest's name: `arena`, `conformance`, ...
    pub name: &'static str,
    /// The component.
    pub path: PathBuf,
}

impl Guest {
    /// The constant naming it: `ARENA` (and `ARENA_V2`) for Rust,
    /// `C_ARENA`, `JS_ARENA`, `PYTHON_ARENA` for the others.
    pub fn constant(&self) -> String {
        constant(self.language, self.name)
    }

    /// `language/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.language, self.name)
    }
}

/// The constant naming guest `name` of `language` (see [`Guest::constant`]).
pub fn constant(language: &str, name: &str) -> String {
    let name = name.to_uppercase().replace('-', "_");
    match language {
        "rust" => name,
        language => format!("{}_{name}", language.to_uppercase()),
    }
}

/// Runs `command`, panicking with its output if it fails.
pub fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: could not start {command:?}: {e}"));
    if !output.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Rebuilds when one of the files in `dir` whose name ends with one of
/// `extensions` changes. Files, not the folder: tools write caches next to
/// the sources (`__pycache__`), which must not trigger a rebuild.
pub fn watch_sources(dir: &Path, extensions: &[&str]) {
    for path in sources(dir, extensions) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// The files in `dir` (not below it) whose name ends with one of
/// `extensions`, sorted.
pub fn sources(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("reading a folder entry").path());
    let mut files: Vec<PathBuf> = entries
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            extensions.iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files
}
