//! Builds the guest examples once and writes `guests.rs` with their paths.
//!
//! The Rust guests build with cargo, always. The C, JavaScript and Python
//! guests build with the toolchains `./scripts/setup` installs, with the
//! feature `all-languages` (the full test tier). A guest that is not built
//! still has its constant, holding the reason instead of a path, so only
//! the tests that use it fail, saying what to install.

mod c;
mod js;
mod python;
mod rust;
mod support;
mod toolchains;

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use support::Guest;
use toolchains::Toolchains;

/// What a guest constant holds, before the reason, when its guest was not
/// built (the library's `read` reports it).
const NOT_BUILT: &str = "not built: ";

/// The guests of one language besides Rust, and how to build them.
struct Language {
    folder: &'static str,
    title: &'static str,
    names: Vec<&'static str>,
    build: fn(&Path, &Path, &Path, &Toolchains) -> Vec<Guest>,
}

fn main() {
    let here = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let wit = here.join("../wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    let all_languages = env::var_os("CARGO_FEATURE_ALL_LANGUAGES").is_some();
    let tools = all_languages.then(|| Toolchains::locate(&here));
    let languages = [
        Language {
            folder: "c",
            title: "C",
            names: c::GUESTS.to_vec(),
            build: c::build,
        },
        Language {
            folder: "js",
            title: "JavaScript",
            names: js::names(),
            build: js::build,
        },
        Language {
            folder: "python",
            title: "Python",
            names: python::GUESTS.to_vec(),
            build: python::build,
        },
    ];

    let mut consts = String::new();
    let mut all = String::new();
    // The languages build side by side: componentizing JavaScript and
    // Python takes tens of seconds each, mostly waiting on snapshots.
    let built: Vec<Guest> = std::thread::scope(|s| {
        let mut builds = vec![s.spawn(|| rust::build(&here, &out))];
        for language in &languages {
            let Some(tools) = &tools else {
                let why = "only the full test tier builds it: `cargo test --features full`, as ./scripts/test does";
                constants_of_unbuilt(&mut consts, language, why);
                continue;
            };
            if let Some(why) = tools.missing(language.folder) {
                constants_of_unbuilt(&mut consts, language, &why);
                for name in &language.names {
                    let constant = support::constant(language.folder, name);
                    write!(
                        all,
                        "({:?}, {constant}), ",
                        format!("{}/{name}", language.folder)
                    )
                    .expect("writing to a string");
                }
                continue;
            }
            let (here, out, wit) = (&here, &out, &wit);
            builds.push(s.spawn(move || (language.build)(here, out, wit, tools)));
        }
        builds
            .into_iter()
            .flat_map(|b| b.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });

    for guest in &built {
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
        "/// Every guest component this tier needs: a name (`language/guest`) and its path.\npub const ALL: &[(&str, &str)] = &[{all}];"
    )
    .expect("writing to a string");
    std::fs::write(out.join("guests.rs"), consts).expect("writing guests.rs");
}

/// The constants of `language`'s guests, which were not built because of
/// `why`.
fn constants_of_unbuilt(consts: &mut String, language: &Language, why: &str) {
    for name in &language.names {
        let message = format!("the {} guest {name}: {why}", language.title);
        writeln!(
            consts,
            "/// The guest `{}/{name}` (not built).\npub const {}: &str = {:?};",
            language.folder,
            support::constant(language.folder, name),
            format!("{NOT_BUILT}{message}")
        )
        .expect("writing to a string");
    }
}
