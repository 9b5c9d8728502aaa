//! A game-mode project as `gamehost dev` sees it: its folder and its
//! manifest, `gamehost.toml`, which says how the game mode is built, where
//! the component lands, its fleet's template and what to watch.
//!
//! ```toml
//! name = "my-game"
//! component = "target/wasm32-wasip2/release/my_game.wasm"
//! template = "template.json"
//!
//! [build]
//! command = "cargo build --target wasm32-wasip2 --release"
//! watch = ["src", "Cargo.toml", "wit"]
//! ```

use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::{Component, Path, PathBuf};

/// The manifest's file name.
pub const MANIFEST: &str = "gamehost.toml";

/// The most paths a project may watch.
const MAX_WATCHED: usize = 64;

/// The longest build command.
const MAX_COMMAND_BYTES: usize = 4096;

/// `gamehost.toml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    component: PathBuf,
    template: Option<PathBuf>,
    build: Build,
}

/// The manifest's `[build]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Build {
    command: String,
    watch: Vec<PathBuf>,
}

/// A checked project: every path is inside its folder.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project's folder.
    pub dir: PathBuf,
    /// The game mode's name: its module's and its fleet's.
    pub name: String,
    /// The shell command that builds the component, run in `dir`.
    pub build: String,
    /// The component the build makes.
    pub component: PathBuf,
    /// The fleet's template (JSON), if any.
    pub template: Option<PathBuf>,
    /// The files and folders (watched whole) whose changes start a build.
    pub watch: Vec<PathBuf>,
}

impl Project {
    /// Reads and checks `dir/gamehost.toml`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "reading {}: `gamehost dev` runs in a project made by `gamehost new` \
                 (or any folder with a {MANIFEST})",
                path.display()
            )
        })?;
        Self::parse(dir, &text).with_context(|| format!("{} is not valid", path.display()))
    }

    /// Checks a manifest's `text` for the project in `dir`.
    fn parse(dir: &Path, text: &str) -> anyhow::Result<Self> {
        let manifest: Manifest = toml::from_str(text)?;
        super::super::new::check_name(&manifest.name)?;
        let command = manifest.build.command.trim();
        if command.is_empty() || command.len() > MAX_COMMAND_BYTES {
            bail!("build.command must be a shell command of 1 to {MAX_COMMAND_BYTES} bytes");
        }
        if manifest.build.watch.is_empty() || manifest.build.watch.len() > MAX_WATCHED {
            bail!("build.watch must name 1 to {MAX_WATCHED} files or folders");
        }
        let inside = |what: &str, path: &Path| -> anyhow::Result<PathBuf> {
            let plain = path
                .components()
                .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
            if !plain || path.as_os_str().is_empty() {
                bail!(
                    "{what} {} must be a relative path inside the project",
                    path.display()
                );
            }
            Ok(dir.join(path))
        };
        let watch = manifest
            .build
            .watch
            .iter()
            .map(|path| inside("build.watch's", path))
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            dir: dir.to_owned(),
            name: manifest.name,
            build: command.to_owned(),
            component: inside("component", &manifest.component)?,
            template: manifest
                .template
                .as_deref()
                .map(|path| inside("template", path))
                .transpose()?,
            watch,
        })
    }

    /// Where `gamehost dev` keeps a daemon's data for this project.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join(".gamehost").join("data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "my-game"
component = "target/wasm32-wasip2/release/my_game.wasm"
template = "template.json"

[build]
command = "cargo build --target wasm32-wasip2 --release"
watch = ["src", "Cargo.toml"]
"#;

    #[test]
    fn a_manifest_names_everything_inside_the_project() {
        let project = Project::parse(Path::new("/p"), GOOD).unwrap();
        assert_eq!(project.name, "my-game");
        assert_eq!(
            project.component,
            Path::new("/p/target/wasm32-wasip2/release/my_game.wasm")
        );
        assert_eq!(
            project.template.as_deref(),
            Some(Path::new("/p/template.json"))
        );
        assert_eq!(
            project.watch,
            vec![PathBuf::from("/p/src"), PathBuf::from("/p/Cargo.toml")]
        );
        assert_eq!(project.data_dir(), Path::new("/p/.gamehost/data"));
    }

    #[test]
    fn bad_manifests_are_refused_with_the_reason() {
        let cases = [
            (GOOD.replace("my-game", "My Game"), "name"),
            (
                GOOD.replace("cargo build --target wasm32-wasip2 --release", " "),
                "build.command",
            ),
            (GOOD.replace("\"src\", \"Cargo.toml\"", ""), "build.watch"),
            (
                GOOD.replace("\"src\"", "\"../elsewhere\""),
                "inside the project",
            ),
            (GOOD.replace("\"src\"", "\"/etc\""), "inside the project"),
            (
                GOOD.replace("template.json", "../template.json"),
                "inside the project",
            ),
            (GOOD.replace("[build]", "colour = 1\n[build]"), "colour"),
            (GOOD.replace("component = ", "# component = "), "component"),
        ];
        for (text, expected) in cases {
            let error = format!("{:#}", Project::parse(Path::new("/p"), &text).unwrap_err());
            assert!(error.contains(expected), "{text}\n→ {error}");
        }
        let many: Vec<String> = (0..=MAX_WATCHED).map(|i| format!("\"f{i}\"")).collect();
        let text = GOOD.replace("\"src\", \"Cargo.toml\"", &many.join(", "));
        assert!(Project::parse(Path::new("/p"), &text).is_err());
    }

    #[test]
    fn every_new_project_has_a_manifest_naming_what_its_recipe_builds() {
        use super::super::super::new::{Lang, files};
        let languages = [
            (Lang::Rust, "target/wasm32-wasip2/release/my_game.wasm"),
            (Lang::C, "my-game.wasm"),
            (Lang::Js, "dist/my-game.wasm"),
            (Lang::Python, "my-game.wasm"),
        ];
        for (lang, component) in languages {
            let files = files("my-game", lang).expect("the project's files");
            let text = |path: &str| {
                let file = files.iter().find(|f| f.path == path).expect(path);
                String::from_utf8(file.bytes.clone()).expect("text")
            };
            let project = Project::parse(Path::new("/p"), &text(MANIFEST))
                .unwrap_or_else(|e| panic!("{lang:?}: {e:#}"));
            assert_eq!(project.name, "my-game", "{lang:?}");
            assert_eq!(
                project.component,
                Path::new("/p").join(component),
                "{lang:?}"
            );
            assert!(
                text("README.md").contains(component),
                "{lang:?}: the recipe's output"
            );
            assert!(text(".gitignore").contains("/.gamehost"), "{lang:?}");
            for watched in &project.watch {
                let inside = watched.strip_prefix("/p").expect("inside");
                // `gamehost new` writes the WIT besides the language's files.
                assert!(
                    inside == Path::new("wit")
                        || files.iter().any(|f| Path::new(f.path).starts_with(inside)),
                    "{lang:?} watches {} which it has",
                    inside.display()
                );
            }
        }
    }

    #[test]
    fn a_missing_manifest_says_where_projects_come_from() {
        let error = Project::load(Path::new("/nonexistent-project")).unwrap_err();
        assert!(format!("{error:#}").contains("gamehost new"));
    }
}
