//! The floor under every acknowledged change: how long a synchronous write
//! takes on the disk the daemon stores to.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Times `count` 4 KiB writes to a file in `dir`, each followed by
/// `fsync` (data only), as a store commit must.
pub fn time_synchronous_writes(dir: &Path, count: usize) -> anyhow::Result<Vec<Duration>> {
    let path = dir.join(format!("gamehost-bench-fsync-{}", std::process::id()));
    let mut file = std::fs::File::create(&path)?;
    let page = [0x5au8; 4096];
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&page)?;
        file.sync_data()?;
        samples.push(start.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    Ok(samples)
}
