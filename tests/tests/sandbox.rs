//! The sandbox grants nothing: a guest that tries the file system, the
//! environment, its arguments and the network gets errors and nothing else.

use gamehost::model::GameServerState;
use gamehost_guests::FAULTS;
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
}
