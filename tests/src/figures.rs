//! Figures the reliability tests measure: printed, and kept in
//! `target/<profile>/reliability/` so that `./scripts/test` prints them all
//! at the end of the run.

use std::path::PathBuf;

/// Where the figures of this build profile are kept.
pub fn dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    // target/<profile>/deps/<test> → target/<profile>/reliability
    exe.parent()
        .and_then(std::path::Path::parent)
        .expect("the test executable lives in target/<profile>/deps")
        .join("reliability")
}

/// Prints `lines` under `title` and keeps them as `<name>.txt`; when the
/// tests run on PostgreSQL, the title says so and the file is
/// `<name>-postgres.txt`.
pub fn record(name: &str, title: &str, lines: &[String]) {
    let (name, title) = match crate::postgres::test_database_kind() {
        Some(kind) => (format!("{name}-{kind}"), format!("{title} (on {kind})")),
        None => (name.to_owned(), title.to_owned()),
    };
    let mut text = format!("{title}\n");
    for line in lines {
        text.push_str(&format!("  {line}\n"));
    }
    print!("{text}");
    let dir = dir();
    std::fs::create_dir_all(&dir).expect("creating the figures directory");
    std::fs::write(dir.join(format!("{name}.txt")), text).expect("writing the figures");
}
