//! A C game mode that uses libc's standard output and clocks: built with
//! the WASI preview1 adapter, it becomes a component, its `printf` line
//! appears in its log, and `time`, `clock_gettime(CLOCK_REALTIME)` and
//! `clock_gettime(CLOCK_MONOTONIC)` read the game server's clocks.

use gamehost_guests::C_HELLO;
use gamehost_model::GameServerState;
use gamehost_runtime::sdk::LogSource;
use gamehost_tests::{field, lines_with, quiet_spec, start, wait_for_state};
use std::time::{SystemTime, UNIX_EPOCH};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_c_game_mode_prints_and_reads_the_time() {
    let gs = start(C_HELLO, quiet_spec());
    wait_for_state(&gs, GameServerState::Ready).await;
    let lines = gs.log().lines();
    assert!(
        lines
            .iter()
            .any(|l| l.source == LogSource::Stdout && l.message == "hello from C"),
        "printf reaches the log: {lines:#?}"
    );
    let clocks = lines_with(&gs, "clocks read");
    let clocks = clocks.first().expect("the clocks are logged");
    let number = |key: &str| -> i64 {
        field(clocks, key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{key} in {clocks:?}"))
    };
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
    .expect("seconds fit");
    for key in ["time", "realtime"] {
        let read = number(key);
        assert!(
            (now - 60..=now).contains(&read),
            "{key} read {read}, now is {now}"
        );
    }
    assert!(number("monotonic-nanos") >= 0, "{clocks:?}");
}
