//! Watching a project's sources: a change to a watched file, or to any file
//! under a watched folder, wakes the development loop once the writing has
//! settled (editors save a file in several steps).

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long the sources must stay unchanged before a change is reported.
const QUIET: Duration = Duration::from_millis(200);

/// Changes seen and not yet taken: the latest changed path, and a wake-up.
#[derive(Default)]
struct Changes {
    latest: Mutex<Option<PathBuf>>,
    wake: Notify,
}

/// A watch over a project's sources.
pub struct SourceWatch {
    changes: Arc<Changes>,
    _watcher: notify::RecommendedWatcher,
}

impl SourceWatch {
    /// Watches `paths`: folders whole, files by name in their folder (so a
    /// file an editor replaces stays watched). Paths that do not exist are
    /// skipped.
    pub fn start(paths: &[PathBuf]) -> anyhow::Result<Self> {
        let changes = Arc::new(Changes::default());
        let watched = Watched::new(paths);
        let sink = changes.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
                    return;
                }
                // A rename lists where from, then where to: the file saved.
                let Some(path) = event.paths.iter().rev().find(|path| watched.covers(path)) else {
                    return;
                };
                *sink.latest.lock().expect("the changes' lock") = Some(path.clone());
                sink.wake.notify_one();
            })
            .context("watching the sources")?;
        for path in paths {
            if path.is_dir() {
                watcher
                    .watch(path, RecursiveMode::Recursive)
                    .with_context(|| format!("watching {}", path.display()))?;
            } else if let Some(folder) = path.parent().filter(|folder| folder.is_dir()) {
                watcher
                    .watch(folder, RecursiveMode::NonRecursive)
                    .with_context(|| format!("watching {}", folder.display()))?;
            }
        }
        Ok(Self {
            changes,
            _watcher: watcher,
        })
    }

    /// Waits for a change and for the sources to settle; returns the last
    /// path that changed.
    pub async fn changed(&self) -> PathBuf {
        loop {
            self.changes.wake.notified().await;
            while tokio::time::timeout(QUIET, self.changes.wake.notified())
                .await
                .is_ok()
            {}
            if let Some(path) = self
                .changes
                .latest
                .lock()
                .expect("the changes' lock")
                .take()
            {
                return path;
            }
        }
    }
}

/// Which paths count: under a watched folder, or a watched file, and not
/// an editor's scratch file.
struct Watched {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Watched {
    fn new(paths: &[PathBuf]) -> Self {
        let (folders, files) = paths.iter().cloned().partition(|path| path.is_dir());
        Self { folders, files }
    }

    fn covers(&self, path: &Path) -> bool {
        let scratch = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_none_or(|name| {
                name.starts_with('.')
                    || name.ends_with('~')
                    || name.ends_with(".swp")
                    || name.ends_with(".swx")
                    || name == "4913"
            });
        !scratch
            && (self.files.iter().any(|file| file == path)
                || self.folders.iter().any(|folder| path.starts_with(folder)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watched_paths_cover_their_folders_and_files_but_not_scratch_files() {
        let dir = std::env::temp_dir().join(format!("gamehost-watch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let watched = Watched::new(&[dir.join("src"), dir.join("Cargo.toml")]);
        let cases = [
            ("src/lib.rs", true),
            ("src/deep/game.rs", true),
            ("Cargo.toml", true),
            ("Cargo.lock", false),
            ("target/x.wasm", false),
            ("src/.lib.rs.swp", false),
            ("src/lib.rs~", false),
            ("src/4913", false),
        ];
        for (path, covered) in cases {
            assert_eq!(watched.covers(&dir.join(path)), covered, "{path}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_saved_file_is_reported_once_it_settles() {
        let dir = std::env::temp_dir().join(format!("gamehost-watch-save-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let watch = SourceWatch::start(&[dir.join("src"), dir.join("gamehost.toml")]).unwrap();
        std::fs::write(dir.join("other.txt"), "not watched").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "fn main() {}").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "fn main() { }").unwrap();
        let changed = tokio::time::timeout(Duration::from_secs(10), watch.changed())
            .await
            .expect("the change is reported");
        assert_eq!(changed, dir.join("src/lib.rs"));
        std::fs::write(dir.join("gamehost.toml"), "name = \"x\"").unwrap();
        let changed = tokio::time::timeout(Duration::from_secs(10), watch.changed())
            .await
            .expect("the change is reported");
        assert_eq!(changed, dir.join("gamehost.toml"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
