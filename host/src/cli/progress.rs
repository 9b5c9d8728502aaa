//! Progress of a module upload on stderr: bytes sent while the body
//! streams, then a spinner with the elapsed time while the daemon compiles.
//! On a terminal the line redraws in place; otherwise (logs, CI) it prints
//! one plain line per phase.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Reports an upload of `total` bytes until dropped.
pub struct UploadProgress {
    sent: Arc<AtomicU64>,
    ticker: tokio::task::JoinHandle<()>,
    terminal: bool,
}

impl UploadProgress {
    /// Starts reporting the upload of `what`; the body adds to
    /// [`UploadProgress::counter`] as it is sent.
    pub fn start(what: String, total: u64) -> Self {
        let sent = Arc::new(AtomicU64::new(0));
        let terminal = std::io::stderr().is_terminal();
        let ticker = tokio::spawn(report(what, total, sent.clone(), terminal));
        Self {
            sent,
            ticker,
            terminal,
        }
    }

    /// The counter of bytes sent.
    pub fn counter(&self) -> Arc<AtomicU64> {
        self.sent.clone()
    }
}

impl Drop for UploadProgress {
    fn drop(&mut self) {
        self.ticker.abort();
        if self.terminal {
            // Clears the redrawn line so the result prints on a clean one.
            eprint!("\r\x1b[2K");
        }
    }
}

async fn report(what: String, total: u64, sent: Arc<AtomicU64>, terminal: bool) {
    if !terminal {
        eprintln!("uploading {what} ({})", size(total));
    }
    let mut compiling_since: Option<Instant> = None;
    let mut frame = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tick.tick().await;
        let done = sent.load(Ordering::Relaxed);
        if compiling_since.is_none() && done >= total {
            compiling_since = Some(Instant::now());
            if !terminal {
                eprintln!("uploaded {what}; compiling");
            }
        }
        if !terminal {
            continue;
        }
        frame = (frame + 1) % SPINNER.len();
        let line = match compiling_since {
            None => format!(
                "uploading {what}: {} / {} ({}%)",
                size(done),
                size(total),
                done * 100 / total.max(1)
            ),
            Some(start) => format!(
                "{} compiling {what} ({:.1}s)",
                SPINNER[frame],
                start.elapsed().as_secs_f64()
            ),
        };
        eprint!("\r\x1b[2K{line}");
        let _ = std::io::stderr().flush();
    }
}

/// A byte count for people: `812 B`, `102.1 KiB`, `3.4 MiB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(104_537), "102.1 KiB");
        assert_eq!(size(3 * 1024 * 1024 + 400 * 1024), "3.4 MiB");
    }
}
