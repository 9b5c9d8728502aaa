//! The Rust guests: one cargo build of their workspace for wasm32-wasip2.

use crate::support::{Guest, run};
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Rust guests' crate names.
const GUESTS: &[&str] = &[
    "arena",
    "arena-v2",
    "conformance",
    "faults",
    "burner",
    "bench",
    "relay",
];

const TARGET: &str = "wasm32-wasip2";

/// Builds the Rust guests into `out`.
pub fn build(here: &Path, out: &Path) -> Vec<Guest> {
    let rust = here.join("rust");
    watch(&rust);
    require_target();

    let target_dir = out.join("rust-target");
    let mut cargo = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(&rust)
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            TARGET,
            "--target-dir",
        ])
        .arg(&target_dir);
    // The outer build's settings are for the host, not for the guests.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cargo.env_remove(var);
    }
    run(&mut cargo, "building the Rust guests");

    GUESTS
        .iter()
        .map(|name| Guest {
            language: "rust",
            name,
            path: target_dir
                .join(TARGET)
                .join("release")
                .join(format!("{}.wasm", name.replace('-', "_"))),
        })
        .collect()
}

/// Rebuilds when a guest's sources change, but not when a guest's build
/// output does.
fn watch(rust: &Path) {
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", rust.join(file).display());
    }
    // `arena-v2` has no sources of its own: it builds arena's.
    for member in GUESTS.iter().copied().chain(["sdk"]) {
        for part in ["Cargo.toml", "src"] {
            println!(
                "cargo:rerun-if-changed={}",
                rust.join(member).join(part).display()
            );
        }
    }
}

fn require_target() {
    let sysroot = Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .expect("running rustc --print sysroot");
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if !sysroot.join("lib/rustlib").join(TARGET).exists() {
        panic!(
            "the Rust target {TARGET} is not installed; run `rustup target add {TARGET}` (or ./scripts/setup)"
        );
    }
}
