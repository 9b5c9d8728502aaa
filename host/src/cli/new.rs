//! `gamehost new NAME --lang rust`: makes a game-mode project in a new
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

/// A project's file: its path in the project and its text.
struct File {
    path: &'static str,
    text: String,
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
    let fill = |text: &str| {
        text.replace("{{name}}", name)
            .replace("{{crate}}", &name.replace('-', "_"))
    };
    vec![
        File {
            path: "Cargo.toml",
            text: fill(include_str!("../../templates/rust/Cargo.toml.in")),
        },
        File {
            path: "src/lib.rs",
            text: fill(include_str!("../../templates/rust/src/lib.rs")),
        },
        File {
            path: "template.json",
            text: fill(include_str!("../../templates/rust/template.json")),
        },
        File {
            path: "README.md",
            text: fill(include_str!("../../templates/rust/README.md")),
        },
        File {
            path: ".gitignore",
            text: include_str!("../../templates/rust/gitignore").to_owned(),
        },
    ]
}

/// Writes `files` and the WIT into the new folder `folder`; on a failure,
/// removes what it wrote.
fn write(folder: &Path, files: &[File]) -> anyhow::Result<()> {
    let wit = WIT
        .iter()
        .map(|(path, text)| (format!("wit/{path}"), *text));
    let all = files
        .iter()
        .map(|f| (f.path.to_owned(), f.text.as_str()))
        .chain(wit);
    let written = (|| -> anyhow::Result<()> {
        for (path, text) in all {
            let path = folder.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("making {}", parent.display()))?;
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(folder);
    }
    written
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
    fn a_rust_project_is_filled_in_with_its_name() {
        let files = rust("my-game");
        let text = |path: &str| {
            files
                .iter()
                .find(|f| f.path == path)
                .map(|f| f.text.clone())
                .expect(path)
        };
        assert!(text("Cargo.toml").contains("name = \"my-game\""));
        assert!(text("README.md").contains("release/my_game.wasm"));
        assert!(text("template.json").contains("\"game\": \"my-game\""));
        assert!(
            files.iter().all(|f| !f.text.contains("{{")),
            "every blank filled"
        );
    }
}
