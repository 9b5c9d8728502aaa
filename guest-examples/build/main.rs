//! Builds every guest example once, in every language, and writes
//! `guests.rs` with their paths.
//!
//! The Rust guests build with cargo; the C, JavaScript and Python guests with
//! the toolchains `./scripts/setup` installs. A missing toolchain fails the
//! build and says what to install: no language is ever skipped.

mod c;
mod js;
mod python;
mod rust;
mod support;
mod toolchains;

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;
use support::Guest;
use toolchains::Toolchains;

fn main() {
    let here = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let wit = here.join("../wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    let tools = Toolchains::locate(&here);

    // The languages build side by side: componentizing JavaScript and
    // Python takes tens of seconds each, mostly waiting on snapshots.
    let guests: Vec<Guest> = std::thread::scope(|s| {
        let builds = [
            s.spawn(|| rust::build(&here, &out)),
            s.spawn(|| c::build(&here, &out, &wit, &tools)),
            s.spawn(|| js::build(&here, &out, &wit, &tools)),
            s.spawn(|| python::build(&here, &out, &wit, &tools)),
        ];
        builds
            .into_iter()
            .flat_map(|b| b.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });

    let mut consts = String::new();
    let mut all = String::new();
    for guest in &guests {
        assert!(
            guest.path.exists(),
            "the build did not produce {}",
            guest.path.display()
        );
        writeln!(
            consts,
            "/// The guest `{}`.\npub const {}: &str = {:?};",
            guest.id(),
            guest.constant(),
            guest.path.display().to_string()
        )
        .expect("writing to a string");
        write!(all, "({:?}, {}), ", guest.id(), guest.constant()).expect("writing to a string");
    }
    writeln!(
        consts,
        "/// Every guest component: a name (`language/guest`) and its path.\npub const ALL: &[(&str, &str)] = &[{all}];"
    )
    .expect("writing to a string");
    std::fs::write(out.join("guests.rs"), consts).expect("writing guests.rs");
}
