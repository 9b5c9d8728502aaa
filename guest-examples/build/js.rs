//! The JavaScript guests: componentize-js, through `js/componentize.mjs`.

use crate::support::{Guest, run, watch_sources};
use crate::toolchains::Toolchains;
use std::path::Path;
use std::process::Command;

/// The JavaScript guests: folder and entry module.
const GUESTS: &[(&str, &str)] = &[("arena", "arena.js"), ("conformance", "conformance.js")];

/// The JavaScript guests' names.
pub fn names() -> Vec<&'static str> {
    GUESTS.iter().map(|(name, _)| *name).collect()
}

/// Builds the JavaScript guests into `out/js`.
pub fn build(here: &Path, out: &Path, wit: &Path, tools: &Toolchains) -> Vec<Guest> {
    let js = here.join("js");
    for file in ["componentize.mjs", "package-lock.json"] {
        println!("cargo:rerun-if-changed={}", js.join(file).display());
    }
    let out = out.join("js");
    std::fs::create_dir_all(&out).expect("creating the JavaScript output folder");
    GUESTS
        .iter()
        .map(|(name, entry)| {
            let dir = js.join(name);
            watch_sources(&dir, &[".js"]);
            let path = out.join(format!("{name}.wasm"));
            run(
                Command::new(&tools.node)
                    .current_dir(&js)
                    .arg("componentize.mjs")
                    .arg(dir.join(entry))
                    .arg(wit)
                    .arg(&path),
                &format!("componentizing the JavaScript guest {name}"),
            );
            Guest {
                language: "js",
                name,
                path,
            }
        })
        .collect()
}
