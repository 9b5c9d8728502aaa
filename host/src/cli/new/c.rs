//! A C project: compiled by Zig's clang for `wasm32-wasi` and made a
//! component with the WASI preview1 adapter by its `build.sh`.

use super::File;

/// The files of a C project named `name`: the game mode, the helpers the
/// repository's C game modes share, the build script and the WASI
/// preview1 adapter it wraps the module with.
pub(super) fn files(name: &str) -> Vec<File> {
    vec![
        File::filled("main.c", include_str!("../../../templates/c/main.c"), name),
        File::verbatim(
            "sdk/gamehost.h",
            include_bytes!("../../../../guest-examples/c/sdk/gamehost.h"),
        ),
        File::verbatim(
            "sdk/gamehost.c",
            include_bytes!("../../../../guest-examples/c/sdk/gamehost.c"),
        ),
        File::filled(
            "build.sh",
            include_str!("../../../templates/c/build.sh"),
            name,
        )
        .executable(),
        File::verbatim(
            "wasi_snapshot_preview1.reactor.wasm",
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        ),
        File::filled(
            "template.json",
            include_str!("../../../templates/c/template.json"),
            name,
        ),
        File::filled(
            "gamehost.toml",
            include_str!("../../../templates/c/gamehost.toml"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../../templates/c/README.md"),
            name,
        ),
        File::verbatim(
            ".gitignore",
            include_bytes!("../../../templates/c/gitignore"),
        ),
    ]
}
