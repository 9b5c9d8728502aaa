//! A Rust project: a crate built for `wasm32-wasip2` with wit-bindgen.

use super::File;

/// The files of a Rust project named `name`.
pub(super) fn files(name: &str) -> Vec<File> {
    vec![
        File::filled(
            "Cargo.toml",
            include_str!("../../../templates/rust/Cargo.toml.in"),
            name,
        ),
        File::filled(
            "src/lib.rs",
            include_str!("../../../templates/rust/src/lib.rs"),
            name,
        ),
        File::filled(
            "template.json",
            include_str!("../../../templates/rust/template.json"),
            name,
        ),
        File::filled(
            "gamehost.toml",
            include_str!("../../../templates/rust/gamehost.toml"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../../templates/rust/README.md"),
            name,
        ),
        File::verbatim(
            ".gitignore",
            include_bytes!("../../../templates/rust/gitignore"),
        ),
    ]
}
