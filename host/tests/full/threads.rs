//! `gamehost serve --worker-threads`: the daemon's async runtime runs as
//! many worker threads as asked, as its start line reports.

use super::GAMEHOST;
use gamehost_tests::process::DaemonProcess;
use std::time::{Duration, Instant};

#[tokio::test]
async fn serve_runs_the_worker_threads_asked_for() {
    for threads in ["1", "3"] {
        let daemon =
            DaemonProcess::start_with(GAMEHOST, None, &["--worker-threads", threads]).await;
        let reported = format!("worker_threads={threads}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !daemon.stderr().contains(&reported) {
            assert!(
                Instant::now() < deadline,
                "the start line does not say {reported}:\n{}",
                daemon.stderr()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[test]
fn serve_refuses_a_worker_count_out_of_bounds() {
    for threads in ["0", "1025", "many"] {
        let output = std::process::Command::new(GAMEHOST)
            .args(["serve", "--worker-threads", threads])
            .env_remove("GAMEHOST_WORKER_THREADS")
            .output()
            .expect("running gamehost");
        assert!(!output.status.success(), "--worker-threads {threads}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--worker-threads"), "{stderr}");
    }
}
