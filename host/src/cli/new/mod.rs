//! `gamehost new NAME --lang rust|c`: makes a game-mode project in a new
//! folder: the SDK's WIT, written from this binary, a small working game
//! mode that admits players and echoes their messages, its fleet's
//! template, and a README with the recipe to build, check and serve it.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// The SDK's WIT package, as this binary was built with it.
const WIT: [(&str, &str); 6] = [
    ("world.wit", include_str!("../../../wit/world.wit")),
    ("types.wit", include_str!("../../../wit/types.wit")),
    ("agones.wit", include_str!("../../../wit/agones.wit")),
    ("gamelift.wit", include_str!("../../../wit/gamelift.wit")),
    ("play.wit", include_str!("../../../wit/play.wit")),
    ("handoff.wit", include_str!("../../../wit/handoff.wit")),
];

/// The longest project name.
const MAX_NAME_BYTES: usize = 40;

/// The languages a project can be made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Rust, built for `wasm32-wasip2` with wit-bindgen.
    Rust,
    /// C, compiled by Zig's clang for `wasm32-wasi` and made a component
    /// with the WASI preview1 adapter (`build.sh`).
    C,
}

/// `gamehost new`'s arguments.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The project's name, which is also its folder's and its fleet's: 1 to
    /// 40 lowercase letters, digits and '-', starting with a letter.
    name: String,
    /// The game mode's language.
    #[arg(long, value_enum)]
    lang: Lang,
    /// The folder to make the project's folder in.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

/// A project's file: its path in the project, its bytes, and whether it is
/// a program to run.
struct File {
    path: &'static str,
    bytes: Vec<u8>,
    executable: bool,
}

impl File {
    /// A file of `text` with the project's name filled in for `{{name}}`
    /// (and `{{crate}}`, the name as a Rust crate's file names spell it).
    fn filled(path: &'static str, text: &str, name: &str) -> Self {
        let text = text
            .replace("{{name}}", name)
            .replace("{{crate}}", &name.replace('-', "_"));
        Self {
            path,
            bytes: text.into_bytes(),
            executable: false,
        }
    }

    /// A file of `bytes` as they are.
    fn verbatim(path: &'static str, bytes: &[u8]) -> Self {
        Self {
            path,
            bytes: bytes.to_vec(),
            executable: false,
        }
    }

    /// The same file, to be run.
    fn executable(mut self) -> Self {
        self.executable = true;
        self
    }
}

/// Runs `gamehost new`.
pub fn run(args: NewArgs) -> anyhow::Result<()> {
    check_name(&args.name)?;
    let folder = args.dir.join(&args.name);
    if folder.exists() {
        bail!(
            "{} already exists: choose another name or folder",
            folder.display()
        );
    }
    let files = match args.lang {
        Lang::Rust => rust(&args.name),
        Lang::C => c(&args.name),
    };
    write(&folder, &files)?;
    println!(
        "made {} ({:?}) in {}",
        args.name,
        args.lang,
        folder.display()
    );
    println!(
        "next: cd {} and follow README.md to build, check and serve it",
        folder.display()
    );
    Ok(())
}

/// Checks a project name: 1 to 40 lowercase letters, digits and `-`,
/// starting with a letter and not ending with `-`.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name.len() <= MAX_NAME_BYTES
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        bail!(
            "a project name is 1 to {MAX_NAME_BYTES} lowercase letters, digits and '-', \
             starting with a letter and not ending with '-'; got {name:?}"
        );
    }
    Ok(())
}

/// The files of a Rust project named `name`.
fn rust(name: &str) -> Vec<File> {
    vec![
        File::filled(
            "Cargo.toml",
            include_str!("../../templates/rust/Cargo.toml.in"),
            name,
        ),
        File::filled(
            "src/lib.rs",
            include_str!("../../templates/rust/src/lib.rs"),
            name,
        ),
        File::filled(
            "template.json",
            include_str!("../../templates/rust/template.json"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../templates/rust/README.md"),
            name,
        ),
        File::verbatim(
            ".gitignore",
            include_bytes!("../../templates/rust/gitignore"),
        ),
    ]
}

/// The files of a C project named `name`: the game mode, the helpers the
/// repository's C game modes share, the build script and the WASI
/// preview1 adapter it wraps the module with.
fn c(name: &str) -> Vec<File> {
    vec![
        File::filled("main.c", include_str!("../../templates/c/main.c"), name),
        File::verbatim(
            "sdk/gamehost.h",
            include_bytes!("../../../guest-examples/c/sdk/gamehost.h"),
        ),
        File::verbatim(
            "sdk/gamehost.c",
            include_bytes!("../../../guest-examples/c/sdk/gamehost.c"),
        ),
        File::filled("build.sh", include_str!("../../templates/c/build.sh"), name).executable(),
        File::verbatim(
            "wasi_snapshot_preview1.reactor.wasm",
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        ),
        File::filled(
            "template.json",
            include_str!("../../templates/c/template.json"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../templates/c/README.md"),
            name,
        ),
        File::verbatim(".gitignore", include_bytes!("../../templates/c/gitignore")),
    ]
}

/// Writes `files` and the WIT into the new folder `folder`; on a failure,
/// removes what it wrote.
fn write(folder: &Path, files: &[File]) -> anyhow::Result<()> {
    let wit = WIT
        .iter()
        .map(|(path, text)| (format!("wit/{path}"), text.as_bytes(), false));
    let all = files
        .iter()
        .map(|f| (f.path.to_owned(), f.bytes.as_slice(), f.executable))
        .chain(wit);
    let written = (|| -> anyhow::Result<()> {
        for (path, bytes, executable) in all {
            let path = folder.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("making {}", parent.display()))?;
            }
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
            if executable {
                make_executable(&path)?;
            }
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(folder);
    }
    written
}

/// Lets the owner, the group and others run `path` (on Unix; elsewhere a
/// script is run through its interpreter).
fn make_executable(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in ["echo", "my-game-2", "a"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        for bad in ["", "2fast", "My-game", "game-", "a_b", "a/b", long.as_str()] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn projects_are_filled_in_with_their_name() {
        let text = |files: &[File], path: &str| {
            let file = files.iter().find(|f| f.path == path).expect(path);
            String::from_utf8(file.bytes.clone()).expect("text")
        };
        let rust = rust("my-game");
        assert!(text(&rust, "Cargo.toml").contains("name = \"my-game\""));
        assert!(text(&rust, "README.md").contains("release/my_game.wasm"));
        assert!(text(&rust, "template.json").contains("\"game\": \"my-game\""));
        let c = c("my-game");
        assert!(text(&c, "build.sh").contains("-o my-game.wasm"));
        assert!(c.iter().any(|f| f.path == "build.sh" && f.executable));
        for file in rust.iter().chain(&c) {
            let blank = [b"{{name}}".as_slice(), b"{{crate}}"]
                .iter()
                .any(|blank| file.bytes.windows(blank.len()).any(|w| w == *blank));
            assert!(!blank, "{} has every blank filled", file.path);
        }
    }
}
