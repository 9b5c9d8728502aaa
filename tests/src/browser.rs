//! The browser tests' scripts (`tests/browser/*.mjs`): headless Chromium
//! driven by Playwright under Node.js, as `./scripts/setup` installs them.

use std::path::Path;

/// Runs `node tests/browser/SCRIPT ARGS…` to its end; returns what it
/// printed, failing the test with its output when it fails.
pub async fn run(script: &str, args: Vec<String>) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("browser")
        .join(script);
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .args(args)
        .output()
        .await
        .expect("running node (./scripts/setup installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the browser run of {} failed:\n{stdout}\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}
