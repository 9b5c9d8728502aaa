//! The SDK conformance test, run for the conformance guest of every
//! language: the guest calls every SDK function, checks every result, and
//! the host checks what it recorded. Every language runs the checks of the
//! Rust guest, by name and in order, but for the ones its toolchain cannot
//! make, which it reports as skipped with the reason.

use gamehost_model::{EndKind, GameServerState, GameSessionStatus};
use gamehost_tests::conformance::{self, Report};
use gamehost_tests::{field, in_every_language};

in_every_language!(the_conformance_guest_passes:
    rust CONFORMANCE, c C_CONFORMANCE, js JS_CONFORMANCE, python PYTHON_CONFORMANCE);

/// The checks the conformance guest at `path` may skip. The JavaScript
/// guest cannot pass a negative `s64` argument (componentize-js 0.23 traps on
/// one), so it skips the checks that do; every other guest makes them all.
fn may_skip(path: &str) -> &'static [&'static str] {
    if path == gamehost_guests::JS_CONFORMANCE {
        &[
            "set-counter-count below zero",
            "increment-counter by a negative amount",
            "set-counter-capacity below zero",
            "set-list-capacity below zero",
            "set-player-capacity below zero",
        ]
    } else {
        &[]
    }
}

/// The names of the checks a report skipped, each with a reason.
fn skipped(report: &Report) -> Vec<&str> {
    report
        .skipped
        .iter()
        .inspect(|l| assert!(field(l, "reason").is_some_and(|r| !r.is_empty())))
        .map(|l| field(l, "check").unwrap_or("?"))
        .collect()
}

async fn the_conformance_guest_passes(path: &str) {
    let report = conformance::run(path).await;

    assert!(
        report.checks.len() >= 150,
        "only {} checks ran",
        report.checks.len()
    );
    assert_eq!(report.failures(), Vec::<String>::new(), "failed checks");
    assert_eq!(skipped(&report), may_skip(path), "skipped checks");
    if path != gamehost_guests::CONFORMANCE {
        let reference = conformance::run(gamehost_guests::CONFORMANCE).await;
        assert_eq!(
            report.outline, reference.outline,
            "the checks of the Rust conformance guest"
        );
    }
    let phases = [
        "start",
        "watch",
        "start-game-session",
        "player-connect",
        "update-game-session",
        "player-disconnect",
        "process-terminate",
        "shutdown",
    ];
    assert_eq!(report.phases, phases);
    assert_eq!(
        report.uncalled(),
        Vec::<&str>::new(),
        "SDK functions the guest never called"
    );

    let record = &report.record;
    let meta = &record.object_meta;
    assert_eq!(
        meta.labels.get("agones.dev/sdk-creation-timestamp"),
        Some(&meta.creation_timestamp.to_string()),
        "the label holds the creation timestamp, as the Agones conformance test asks"
    );
    assert_eq!(
        meta.annotations.get("agones.dev/sdk-uid"),
        Some(&meta.uid),
        "the annotation holds the uid from watch"
    );
    assert_eq!(record.status.state, GameServerState::Shutdown);
    assert_eq!(
        record.process.ending.as_ref().map(|e| e.kind),
        Some(EndKind::ProcessEnding)
    );
    assert_eq!(record.status.counters["conformance"].count, 5);
    assert_eq!(record.status.lists["conformance"].values, ["x", "y"]);
    assert_eq!(record.status.players.ids, ["p2"]);
    assert_eq!(record.status.players.capacity, 5);
    let session = record
        .process
        .game_session
        .as_ref()
        .expect("the game session");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert!(session.backfill.is_none());

    let logged = report
        .log
        .iter()
        .find(|l| l.message == "conformance structured log")
        .expect("the structured log line");
    assert_eq!(
        (field(logged, "a"), field(logged, "b")),
        (Some("1"), Some("two"))
    );
}
