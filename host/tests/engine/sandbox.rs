//! The sandbox grants nothing: a guest that tries the file system, the
//! environment, its arguments and the network gets errors and nothing else,
//! and the only time it reads is its game server's clock, in whole
//! milliseconds.

use gamehost_guests::FAULTS;
use gamehost_model::GameServerState;
use gamehost_runtime::engine::GUEST_CLOCK_RESOLUTION;
use gamehost_tests::{faults_spec, field, lines_with, start, wait_for_state};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_reaches_no_file_environment_argument_or_network() {
    let gs = start(FAULTS, faults_spec("escape", "on-process-start"));
    wait_for_state(&gs, GameServerState::Ready).await;
    let probes = lines_with(&gs, "sandbox probe");
    let [probe] = probes.as_slice() else {
        panic!("one probe line, got {probes:?}");
    };
    for attempt in ["read-dir", "read-file", "connect", "listen"] {
        let outcome = field(probe, attempt).unwrap_or_default();
        assert!(
            outcome.starts_with("error: "),
            "{attempt} reached something: {outcome}"
        );
    }
    assert_eq!(field(probe, "env"), Some("0"), "no environment variables");
    assert_eq!(field(probe, "args"), Some("0"), "no arguments");

    let resolution = GUEST_CLOCK_RESOLUTION.as_nanos();
    let number = |key| -> u128 {
        field(probe, key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {probe:?}"))
    };
    let wall = number("wall-clock-nanos");
    assert_eq!(wall % resolution, 0, "a wall clock finer than 1 ms: {wall}");
    let clock = gs.record().object_meta.creation_timestamp;
    let seconds = i64::try_from(wall / 1_000_000_000).expect("a sane time");
    assert!(
        (seconds - clock).abs() <= 60,
        "the guest's wall clock ({seconds} s) is not its game server's ({clock} s)"
    );
    let step = number("monotonic-step-nanos");
    assert!(
        step >= resolution && step % resolution == 0,
        "the monotonic clock stepped by {step} ns"
    );
}
