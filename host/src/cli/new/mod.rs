//! `gamehost new NAME --lang rust|c|js|python`: makes a game-mode project
//! in a new folder: the SDK's WIT, written from this binary, a small
//! working game mode that admits players and echoes their messages, its
//! fleet's template, and a README with the recipe to build, check and serve
//! it. A JavaScript project also gets the SDK's TypeScript declarations and
//! a Python project the SDK's typed bindings, for editors.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Pairs of a file's path in a project (`$dest` and the file's name) and
/// its text, from `host/templates/$src`.
macro_rules! included {
    ($src:literal => $dest:literal: $($file:literal),* $(,)?) => {
        [$((
            concat!($dest, $file),
            include_str!(concat!("../../../templates/", $src, $file)),
        )),*]
    };
}

mod c;
mod js;
mod python;
mod rust;

/// The SDK's WIT package, as this binary was built with it.
const WIT: [(&str, &str); 6] = [
    ("world.wit", include_str!("../../../../wit/world.wit")),
    ("types.wit", include_str!("../../../../wit/types.wit")),
    ("agones.wit", include_str!("../../../../wit/agones.wit")),
    ("gamelift.wit", include_str!("../../../../wit/gamelift.wit")),
    ("play.wit", include_str!("../../../../wit/play.wit")),
    ("handoff.wit", include_str!("../../../../wit/handoff.wit")),
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
    /// JavaScript, an ES module made a component by componentize-js
    /// (`npm run build`), with the SDK's TypeScript declarations.
    Js,
    /// Python, a module made a component by componentize-py, with the
    /// SDK's typed bindings.
    Python,
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
pub(super) struct File {
    /// Its path in the project.
    pub(super) path: &'static str,
    /// Its bytes.
    pub(super) bytes: Vec<u8>,
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
    let files = files(&args.name, args.lang)?;
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

/// The files of a project named `name` in `lang`.
pub(super) fn files(name: &str, lang: Lang) -> anyhow::Result<Vec<File>> {
    Ok(match lang {
        Lang::Rust => rust::files(name),
        Lang::C => c::files(name),
        Lang::Js => js::files(name)?,
        Lang::Python => python::files(name),
    })
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

    /// The blanks of the templates.
    const BLANKS: [&str; 5] = [
        "{{name}}",
        "{{crate}}",
        "{{componentize-js}}",
        "{{preview2-shim}}",
        "{{typescript}}",
    ];

    /// The text of the file at `path` among `files`.
    fn text(files: &[File], path: &str) -> String {
        let file = files.iter().find(|f| f.path == path).expect(path);
        String::from_utf8(file.bytes.clone()).expect("text")
    }

    #[test]
    fn projects_are_filled_in_with_their_name() {
        let rust = rust::files("my-game");
        assert!(text(&rust, "Cargo.toml").contains("name = \"my-game\""));
        assert!(text(&rust, "README.md").contains("release/my_game.wasm"));
        assert!(text(&rust, "template.json").contains("\"game\": \"my-game\""));
        let c = c::files("my-game");
        assert!(text(&c, "build.sh").contains("-o my-game.wasm"));
        assert!(c.iter().any(|f| f.path == "build.sh" && f.executable));
        let js = js::files("my-game").expect("a JavaScript project");
        assert!(text(&js, "build.mjs").contains("dist/my-game.wasm"));
        assert!(text(&js, "README.md").contains("gamehost check dist/my-game.wasm"));
        let python = python::files("my-game");
        assert!(text(&python, "README.md").contains("componentize app -o my-game.wasm"));
        for file in rust.iter().chain(&c).chain(&js).chain(&python) {
            let blank = BLANKS.iter().any(|blank| {
                file.bytes
                    .windows(blank.len())
                    .any(|w| w == blank.as_bytes())
            });
            assert!(!blank, "{} has every blank filled", file.path);
        }
    }

    #[test]
    fn a_javascript_project_locks_what_its_package_names() {
        let js = js::files("my-game").expect("a JavaScript project");
        let package: serde_json::Value =
            serde_json::from_str(&text(&js, "package.json")).expect("package.json");
        let lock: serde_json::Value =
            serde_json::from_str(&text(&js, "package-lock.json")).expect("package-lock.json");
        assert_eq!(package["name"], "my-game");
        assert_eq!(lock["name"], "my-game");
        let root = &lock["packages"][""];
        assert_eq!(root["dependencies"], package["dependencies"]);
        assert_eq!(root["devDependencies"], package["devDependencies"]);
        for (dependency, version) in package["dependencies"]
            .as_object()
            .into_iter()
            .chain(package["devDependencies"].as_object())
            .flatten()
        {
            let locked = &lock["packages"][format!("node_modules/{dependency}")]["version"];
            assert_eq!(locked, version, "{dependency} is locked at its version");
        }
    }

    #[test]
    fn editors_get_the_sdk_of_each_language() {
        let js = js::files("my-game").expect("a JavaScript project");
        let types = text(&js, "types/game-server.d.ts");
        assert!(types.contains("declare module 'gamehost:sdk/game-server@0.1.0'"));
        assert!(text(&js, "jsconfig.json").contains("types/**/*.d.ts"));
        let python = python::files("my-game");
        let gateway = text(&python, "wit_world/imports/gateway.py");
        assert!(gateway.contains("def send(player_session_id: str, message: bytes) -> None:"));
        assert!(python.iter().any(|f| f.path == "componentize_py_types.py"));
    }
}
