//! The C guests: bindings generated from the WIT by wit-bindgen, compiled by
//! Zig's clang for wasm32-wasi as a reactor, wrapped by wasm-tools.

use crate::support::{Guest, run, sources, watch_sources};
use crate::toolchains::Toolchains;
use std::path::Path;
use std::process::Command;

/// The C guests' folders.
pub const GUESTS: &[&str] = &["arena", "conformance"];

/// The bindings' stem: wit-bindgen names its files after the world.
const WORLD: &str = "game_server";

/// Builds the C guests into `out/c`.
pub fn build(here: &Path, out: &Path, wit: &Path, tools: &Toolchains) -> Vec<Guest> {
    let out = out.join("c");
    let bindings = out.join("bindings");
    run(
        Command::new(&tools.wit_bindgen)
            .arg("c")
            .arg(wit)
            .args(["--world", "game-server", "--out-dir"])
            .arg(&bindings),
        "generating the C bindings",
    );
    // The helpers every C guest shares.
    let sdk = here.join("c/sdk");
    watch_sources(&sdk, &[".c", ".h"]);
    GUESTS
        .iter()
        .map(|name| {
            let dir = here.join("c").join(name);
            watch_sources(&dir, &[".c", ".h"]);
            let core = out.join(format!("{name}.core.wasm"));
            let path = out.join(format!("{name}.wasm"));
            run(
                Command::new(&tools.python)
                    .args(["-m", "ziglang", "cc", "-target", "wasm32-wasi", "-O2"])
                    // Without debug information; the section describing the
                    // component's types stays.
                    .arg("-s")
                    // A library the host calls into, not a program with a
                    // `main`; no standard I/O, so no WASI imports.
                    .arg("-mexec-model=reactor")
                    .args(["-std=c11", "-Wall", "-Wextra", "-Werror"])
                    .arg("-I")
                    .arg(&bindings)
                    .arg("-I")
                    .arg(&sdk)
                    .args(sources(&dir, &[".c"]))
                    .args(sources(&sdk, &[".c"]))
                    .arg(bindings.join(format!("{WORLD}.c")))
                    .arg(bindings.join(format!("{WORLD}_component_type.o")))
                    .arg("-o")
                    .arg(&core)
                    // Zig's caches stay in this build's output.
                    .env("ZIG_GLOBAL_CACHE_DIR", out.join("zig-cache"))
                    .env("ZIG_LOCAL_CACHE_DIR", out.join("zig-cache")),
                &format!("compiling the C guest {name}"),
            );
            run(
                Command::new(&tools.wasm_tools)
                    .args(["component", "new"])
                    .arg(&core)
                    .arg("-o")
                    .arg(&path),
                &format!("making the C guest {name} a component"),
            );
            Guest {
                language: "c",
                name,
                path,
            }
        })
        .collect()
}
