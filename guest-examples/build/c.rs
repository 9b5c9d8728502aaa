//! The C guests: bindings generated from the WIT by wit-bindgen, compiled by
//! Zig's clang for wasm32-wasi as a reactor, wrapped by wasm-tools with the
//! WASI preview1 adapter, so that libc's I/O and clocks work.

use crate::support::{Guest, run, sources, watch_sources};
use crate::toolchains::Toolchains;
use std::path::Path;
use std::process::Command;

/// The C guests' folders.
pub const GUESTS: &[&str] = &["arena", "conformance", "hello"];

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
    // wasi-libc calls WASI preview1; the adapter maps those calls to the
    // WASI 0.2 interfaces the host links.
    let adapter = out.join("wasi_snapshot_preview1.reactor.wasm");
    write_adapter(&adapter);
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
                    // `main`.
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
                    .arg("--adapt")
                    .arg(format!("{ADAPTER_NAME}={}", adapter.display()))
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

/// The module name wasi-libc imports and the adapter stands in for.
const ADAPTER_NAME: &str =
    wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME;

/// Writes the reactor adapter to `path`.
fn write_adapter(path: &Path) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    }
    std::fs::write(
        path,
        wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
    )
    .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
