//! A daemon serving in the test's process: `gamehost serve`'s own start
//! (`gamehost::cli::Serving`) on a free loopback port and a temporary data
//! directory, reached over HTTP and WebSocket as clients and players reach
//! it. Its log goes to stderr when `RUST_LOG` is set.

use gamehost::api::Auth;
use gamehost::cli::{ServeArgs, Serving};
use gamehost_tests::daemon::Daemon;
use std::path::PathBuf;
use std::sync::Once;

/// Game servers one daemon of a test may hold: each daemon in the process
/// reserves address space for this many.
const MAX_GAME_SERVERS: &str = "256";

/// A daemon with no token and `gamehost serve`'s defaults.
pub async fn daemon() -> Daemon {
    daemon_with(None, &[]).await
}

/// A daemon requiring `token` (if any), with `args` after
/// `serve --listen … --data-dir …`.
pub async fn daemon_with(token: Option<&str>, args: &[&str]) -> Daemon {
    let auth = token.map_or_else(Auth::open, Auth::bearer);
    daemon_with_auth(auth, token, args).await
}

/// A daemon checking requests with `auth`, whose client sends `token` (if
/// any), with `args` after `serve --listen … --data-dir …`.
pub async fn daemon_with_auth(auth: Auth, token: Option<&str>, args: &[&str]) -> Daemon {
    static TRACING: Once = Once::new();
    if std::env::var_os("RUST_LOG").is_some() {
        TRACING.call_once(|| gamehost::cli::init_tracing("info"));
    }
    let dir = gamehost_tests::temp_dir("gamehost-daemon");
    let data = dir.join("data");
    let mut words = vec!["--listen", "127.0.0.1:0", "--data-dir"];
    words.push(data.to_str().expect("a UTF-8 temporary directory"));
    if !args.contains(&"--max-game-servers") {
        words.extend(["--max-game-servers", MAX_GAME_SERVERS]);
    }
    words.extend(args);
    let args = ServeArgs::from_words(words).expect("valid serve arguments");
    let serving = Serving::start(args, auth)
        .await
        .expect("starting the daemon");
    let port = serving.address().port();
    Daemon::serving(
        port,
        token,
        Box::new(Running {
            _serving: serving,
            dir,
        }),
    )
}

/// A daemon serving, and its directory, removed when the test is done.
struct Running {
    _serving: Serving,
    dir: PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
