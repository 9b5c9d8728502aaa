//! What Gamehost's guarantees cost on the match path: the set-ups and
//! messages of [`super::measure`] against Gamehost as it ships and against
//! Gamehost with one extra taken away, each on a fresh daemon:
//!
//! - **flushes to disk**: the data folder on a memory file system
//!   (`/dev/shm`), so that every commit the daemon waits for is still made
//!   and flushed, but to memory. What is left of durability's cost is the
//!   store writer thread's commits and the records serialized for it
//!   ([`Setups::store_ms_per_setup`]).
//! - **health checks**: the fleet's template with Agones' health pings and
//!   GameLift's health checks disabled, as an operator may set it.
//!
//! Gamehost as it ships runs a worker thread per core; beside Colyseus it
//! runs one ([`super::WORKER_THREADS`]), measured here too.
//!
//! The sandbox's share is counted in every run, not taken away: the time in
//! calls into the game mode ([`Setups::guest_ms_per_setup`]), which holds
//! the game mode's own logic (any server runs it), the SDK calls it makes
//! and the sandbox's crossings, so it bounds what the sandbox costs.
//!
//! The variants run in turn, twice, and each figure is the mean of its two
//! runs.

use super::{CONCURRENCY, MESSAGE_MATCHES, MatchSizes, Messages, Setups, on_fresh_gamehost};
use crate::daemon::{Setting, arena_template};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Gamehost as it ships, or with one of its extras taken away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Everything on.
    AsShipped,
    /// The data folder on a memory file system.
    NoDiskFlush,
    /// Health pings and health checks disabled in the fleet's template.
    NoHealthChecks,
    /// One worker thread, as beside Colyseus.
    OneWorker,
}

impl Variant {
    /// Every variant, in the order they run.
    pub const ALL: [Variant; 4] = [
        Variant::AsShipped,
        Variant::NoDiskFlush,
        Variant::NoHealthChecks,
        Variant::OneWorker,
    ];

    /// What the variant is, for a report.
    pub fn describe(self) -> &'static str {
        match self {
            Variant::AsShipped => "as shipped (a worker thread per core)",
            Variant::NoDiskFlush => "store flushed to memory (/dev/shm), not disk",
            Variant::NoHealthChecks => "health pings and health checks disabled",
            Variant::OneWorker => "one worker thread, as beside Colyseus",
        }
    }
}

/// One variant's figures, each the mean of its runs.
#[derive(Clone, Debug)]
pub struct VariantFigures {
    /// Which variant.
    pub variant: Variant,
    /// Set-ups [`CONCURRENCY`] at a time.
    pub busy: Setups,
    /// Players exchanging messages in [`MESSAGE_MATCHES`] matches.
    pub messages: Messages,
}

/// The figures of each variant this machine can run: without a memory file
/// system at `/dev/shm`, the variant flushing to it is left out (and says
/// so on standard error).
pub fn measure(gamehost: &Path, sizes: &MatchSizes) -> anyhow::Result<Vec<VariantFigures>> {
    let quiet = quiet_template()?;
    let memory = Path::new("/dev/shm");
    let variants: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|v| {
            let runs = *v != Variant::NoDiskFlush || memory.is_dir();
            if !runs {
                eprintln!("  no /dev/shm here: {} is not measured", v.describe());
            }
            runs
        })
        .collect();
    let steps = json!([
        {"kind": "setups", "count": sizes.busy, "concurrency": CONCURRENCY},
        {"kind": "messages", "matches": MESSAGE_MATCHES, "seconds": sizes.messages_for.as_secs()},
    ]);
    let mut runs: Vec<(Variant, Setups, Messages)> = Vec::new();
    for round in 0..2 {
        for &variant in &variants {
            eprintln!("  Gamehost {}, run {} of 2…", variant.describe(), round + 1);
            let setting = match variant {
                Variant::AsShipped => Setting::default(),
                Variant::NoDiskFlush => Setting {
                    data_root: Some(memory.to_owned()),
                    ..Setting::default()
                },
                Variant::NoHealthChecks => Setting {
                    template: Some(quiet.clone()),
                    ..Setting::default()
                },
                Variant::OneWorker => super::beside_colyseus(),
            };
            let lines = on_fresh_gamehost(gamehost, &setting, &steps)?;
            let (mut busy, mut messages) = (None, None);
            for line in lines {
                let value: serde_json::Value = serde_json::from_str(&line)?;
                match value["kind"].as_str() {
                    Some("setups") => busy = Some(serde_json::from_value(value)?),
                    Some("messages") => messages = Some(serde_json::from_value(value)?),
                    _ => anyhow::bail!("the load generator printed {line}"),
                }
            }
            let (Some(busy), Some(messages)) = (busy, messages) else {
                anyhow::bail!("the load generator left out a step");
            };
            runs.push((variant, busy, messages));
        }
    }
    let _ = std::fs::remove_file(&quiet);
    Ok(variants
        .into_iter()
        .map(|variant| {
            let mine: Vec<_> = runs.iter().filter(|(v, _, _)| *v == variant).collect();
            VariantFigures {
                variant,
                busy: super::mean_setups(&mine.iter().map(|(_, s, _)| s).collect::<Vec<_>>()),
                messages: super::mean_messages(&mine.iter().map(|(_, _, m)| m).collect::<Vec<_>>()),
            }
        })
        .collect())
}

/// Arena's template with Agones' health pings and GameLift's health checks
/// disabled, written to the system's temporary folder.
fn quiet_template() -> anyhow::Result<PathBuf> {
    let mut template: serde_json::Value =
        serde_json::from_slice(&std::fs::read(arena_template())?)?;
    template["health"]["disabled"] = json!(true);
    template["healthCheck"]["disabled"] = json!(true);
    let path = std::env::temp_dir().join(format!(
        "gamehost-bench-quiet-template-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, serde_json::to_vec_pretty(&template)?)?;
    Ok(path)
}
