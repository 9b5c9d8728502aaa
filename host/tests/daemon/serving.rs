//! A daemon serving in the test's process: `gamehost serve`'s own start
//! (`gamehost::cli::Serving`) on a free loopback port and a temporary data
//! directory, reached over HTTP and WebSocket as clients and players reach
//! it. Its log goes to stderr when `RUST_LOG` is set.

use gamehost::api::Auth;
use gamehost::cli::{ServeArgs, Serving};
use gamehost_daemon::DaemonConfig;
use gamehost_daemon::store::StoreLocation;
use gamehost_model::Endpoint;
use gamehost_runtime::engine::EngineSettings;
use gamehost_tests::TempDir;
use gamehost_tests::daemon::Daemon;
use gamehost_tests::postgres::test_database;
use std::path::PathBuf;
use std::sync::Once;
use std::time::Duration;

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
    let data = dir.path().join("data");
    let mut words = vec!["--listen", "127.0.0.1:0", "--data-dir"];
    words.push(data.to_str().expect("a UTF-8 temporary directory"));
    let database = test_database();
    if let Some(url) = &database {
        words.extend(["--store", url]);
    }
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
            _dir: dir,
        }),
    )
}

/// A daemon serving, and its directory, removed when the test is done.
struct Running {
    _serving: Serving,
    _dir: TempDir,
}

/// A small daemon's settings for a test that drives the control plane's
/// router in process (`gamehost::api::app`): data in `data_dir` (or a
/// database of its own when the tests run on PostgreSQL), sixteen game
/// servers at most, a one-second shutdown grace.
pub fn in_process_config(data_dir: PathBuf, host_id: &str) -> DaemonConfig {
    DaemonConfig {
        data_dir,
        host_id: host_id.into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7070,
        },
        engine: EngineSettings {
            max_instances: 16,
            ..EngineSettings::default()
        },
        retain_ended: 16,
        shutdown_grace: Duration::from_secs(1),
        sdk_http: false,
        tls: false,
        store: test_database().map_or(StoreLocation::Embedded, |url| StoreLocation::Postgres {
            url,
            standby: false,
        }),
    }
}
