//! Builds every guest example once and writes `guests.rs` with their paths.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Rust guests: crate name and the constant naming its component.
const RUST_GUESTS: &[(&str, &str)] = &[
    ("arena", "ARENA"),
    ("conformance", "CONFORMANCE"),
    ("faults", "FAULTS"),
    ("bench", "BENCH"),
];

const TARGET: &str = "wasm32-wasip2";

fn main() {
    let here = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let rust = here.join("rust");
    watch(&here, &rust);
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

    let mut consts = String::new();
    let mut all = String::new();
    for (krate, name) in RUST_GUESTS {
        let path = target_dir
            .join(TARGET)
            .join("release")
            .join(format!("{krate}.wasm"));
        assert!(
            path.exists(),
            "the build did not produce {}",
            path.display()
        );
        writeln!(
            consts,
            "/// The `{krate}` Rust guest component.\npub const {name}: &str = {:?};",
            path.display().to_string()
        )
        .expect("writing to a string");
        write!(all, "(\"rust/{krate}\", {name}), ").expect("writing to a string");
    }
    writeln!(consts, "/// Every guest component: a name and its path.\npub const ALL: &[(&str, &str)] = &[{all}];")
        .expect("writing to a string");
    std::fs::write(out.join("guests.rs"), consts).expect("writing guests.rs");
}

/// Rebuilds when the WIT or a guest's sources change, but not when a guest's
/// build output does.
fn watch(here: &Path, rust: &Path) {
    println!("cargo:rerun-if-changed={}", here.join("../wit").display());
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", rust.join(file).display());
    }
    for member in RUST_GUESTS.iter().map(|(krate, _)| *krate).chain(["sdk"]) {
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

fn run(command: &mut Command, what: &str) {
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
