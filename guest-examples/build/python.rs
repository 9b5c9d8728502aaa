//! The Python guests: componentize-py, with the module `app` of each guest's
//! folder.

use crate::support::{Guest, run, watch_sources};
use crate::toolchains::Toolchains;
use std::path::Path;
use std::process::Command;

/// The Python guests' folders.
pub const GUESTS: &[&str] = &["arena", "conformance"];

/// Builds the Python guests into `out/python`.
pub fn build(here: &Path, out: &Path, wit: &Path, tools: &Toolchains) -> Vec<Guest> {
    let out = out.join("python");
    std::fs::create_dir_all(&out).expect("creating the Python output folder");
    GUESTS
        .iter()
        .map(|name| {
            let dir = here.join("python").join(name);
            watch_sources(&dir, &[".py"]);
            let path = out.join(format!("{name}.wasm"));
            run(
                Command::new(&tools.componentize_py)
                    .arg("--wit-path")
                    .arg(wit)
                    .args(["--world", "game-server", "componentize", "app"])
                    .arg("--python-path")
                    .arg(&dir)
                    .arg("--output")
                    .arg(&path)
                    // Bytecode caches would land next to the sources.
                    .env("PYTHONDONTWRITEBYTECODE", "1"),
                &format!("componentizing the Python guest {name}"),
            );
            Guest {
                language: "python",
                name,
                path,
            }
        })
        .collect()
}
