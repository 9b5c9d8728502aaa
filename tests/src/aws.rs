//! The AWS clients `./scripts/setup` installs for the tests of GameLift's
//! API, unchanged: boto3 and the AWS CLI, pinned in
//! `tests/aws/requirements.txt`, in `$GAMEHOST_TOOLCHAINS/aws`.

use std::path::{Path, PathBuf};

/// The virtual environment the clients are installed in.
fn environment() -> PathBuf {
    let toolchains = std::env::var_os("GAMEHOST_TOOLCHAINS").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/gamehost/toolchains")
        },
        PathBuf::from,
    );
    toolchains.join("aws")
}

fn installed(program: &str) -> PathBuf {
    let path = environment().join("bin").join(program);
    assert!(
        path.exists(),
        "{} is missing: run ./scripts/setup, which installs boto3 and the AWS CLI",
        path.display()
    );
    path
}

/// The Python that has boto3.
pub fn python() -> PathBuf {
    installed("python")
}

/// The AWS CLI.
pub fn cli() -> PathBuf {
    installed("aws")
}

/// A script of `tests/aws/`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("aws").join(name)
}
