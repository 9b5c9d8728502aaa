//! The match path beside Colyseus: set-ups, matches held with players
//! connected, and players exchanging messages (see [`crate::match_path`]).

use super::{Paths, Sizes};
use crate::match_path::extras::{self, Variant, VariantFigures};
use crate::match_path::{self, CONCURRENCY, MESSAGE_MATCHES, MatchFigures};
use crate::report::{Row, Unit};

/// The peer's name in the table.
const COLYSEUS: &str = "Colyseus 0.16 (ws transport)";
/// The design's bound on a held match with two idle players.
const HELD_MATCH_BYTES: f64 = 100.0 * 1024.0;

/// The rows of the match path, Gamehost beside Colyseus, then what each of
/// Gamehost's extras costs.
pub fn rows(sizes: &Sizes, paths: &Paths) -> anyhow::Result<Vec<Row>> {
    eprintln!("the match path, beside Colyseus…");
    let (g, c) = match_path::measure(&paths.gamehost, &sizes.matches)?;
    let mut rows = compare(&g, &c, sizes);
    eprintln!("the match path, Gamehost with and without its extras…");
    rows.extend(extras_rows(&extras::measure(
        &paths.gamehost,
        &sizes.matches,
    )?));
    Ok(rows)
}

/// Each variant's set-ups and messages beside Gamehost as shipped (in the
/// same sequence of runs), and the share of calls into the game mode.
fn extras_rows(variants: &[VariantFigures]) -> Vec<Row> {
    let Some(shipped) = variants.iter().find(|v| v.variant == Variant::AsShipped) else {
        return Vec::new();
    };
    let peer = "Gamehost as shipped";
    let n = CONCURRENCY;
    let m = MESSAGE_MATCHES;
    let mut rows = vec![
        Row::new(
            format!(
                "… of the CPU time per match set-up, {n} at a time, in calls into the game mode"
            ),
            Unit::Nanos,
            shipped.busy.guest_ms_per_setup * 1e6,
        ),
        Row::new(
            format!("… of the CPU time per message, {m} matches, in calls into the game mode"),
            Unit::Nanos,
            shipped.messages.guest_us_per_message * 1e3,
        ),
    ];
    for v in variants.iter().filter(|v| v.variant != Variant::AsShipped) {
        let what = v.variant.describe();
        rows.extend([
            Row::new(
                format!("match set-ups per second, {n} at a time, {what}"),
                Unit::PerSecond,
                v.busy.per_second,
            )
            .peer(peer, shipped.busy.per_second),
            Row::new(
                format!("server CPU time per match set-up, {n} at a time, {what}"),
                Unit::Nanos,
                v.busy.cpu_ms_per_setup * 1e6,
            )
            .peer(peer, shipped.busy.cpu_ms_per_setup * 1e6),
            Row::new(
                format!("match set-up, {n} at a time, median, {what}"),
                Unit::Nanos,
                v.busy.median_ms * 1e6,
            )
            .peer(peer, shipped.busy.median_ms * 1e6),
            Row::new(
                format!("server CPU time per message, {m} matches, {what}"),
                Unit::Nanos,
                v.messages.cpu_us_per_message * 1e3,
            )
            .peer(peer, shipped.messages.cpu_us_per_message * 1e3),
        ]);
    }
    rows
}

/// `row` with Colyseus's figure `peer` (in the row's unit) and the target
/// "≤ Colyseus".
fn at_most(row: Row, peer: f64) -> Row {
    let met = row.gamehost <= peer;
    row.peer(COLYSEUS, peer).target("≤ Colyseus", met)
}

/// `row` with Colyseus's figure `peer` (in the row's unit) and the target
/// "≥ Colyseus".
fn at_least(row: Row, peer: f64) -> Row {
    let met = row.gamehost >= peer;
    row.peer(COLYSEUS, peer).target("≥ Colyseus", met)
}

fn compare(g: &MatchFigures, c: &MatchFigures, sizes: &Sizes) -> Vec<Row> {
    let ms = |v: f64| v * 1e6;
    let n = CONCURRENCY;
    let mut rows = vec![
        at_most(
            Row::new(
                "match set-up, 1 at a time, median",
                Unit::Nanos,
                ms(g.alone.median_ms),
            ),
            ms(c.alone.median_ms),
        ),
        Row::new(
            "match set-up, 1 at a time, p99",
            Unit::Nanos,
            ms(g.alone.p99_ms),
        )
        .peer(COLYSEUS, ms(c.alone.p99_ms)),
        Row::new(
            "match set-ups per second, 1 at a time",
            Unit::PerSecond,
            g.alone.per_second,
        )
        .peer(COLYSEUS, c.alone.per_second),
        at_least(
            Row::new(
                format!("match set-ups per second, {n} at a time"),
                Unit::PerSecond,
                g.busy.per_second,
            ),
            c.busy.per_second,
        ),
        Row::new(
            format!("match set-up, {n} at a time, p99"),
            Unit::Nanos,
            ms(g.busy.p99_ms),
        )
        .peer(COLYSEUS, ms(c.busy.p99_ms)),
        at_most(
            Row::new(
                format!("server CPU time per match set-up, {n} at a time"),
                Unit::Nanos,
                ms(g.busy.cpu_ms_per_setup),
            ),
            ms(c.busy.cpu_ms_per_setup),
        ),
        // Durability's own cost: Colyseus keeps nothing, so has no peer.
        Row::new(
            format!("… of which the store's writer thread, {n} at a time"),
            Unit::Nanos,
            ms(g.busy.store_ms_per_setup),
        ),
    ];
    let secs = sizes.matches.steady.as_secs();
    let first = |f: &MatchFigures| {
        f.steady
            .per_second_by_window
            .first()
            .copied()
            .unwrap_or(0.0)
    };
    let last = |f: &MatchFigures| f.steady.per_second_by_window.last().copied().unwrap_or(0.0);
    rows.extend([
        Row::new(
            format!("match set-ups per second over {secs} s, {n} at a time: first window"),
            Unit::PerSecond,
            first(g),
        )
        .peer(COLYSEUS, first(c)),
        Row::new(
            format!("match set-ups per second over {secs} s, {n} at a time: last window"),
            Unit::PerSecond,
            last(g),
        )
        .peer(COLYSEUS, last(c))
        .target(
            "≥ Colyseus, and ≥ 90% of the first window",
            last(g) >= last(c) && last(g) >= 0.9 * first(g),
        ),
    ]);
    let failed = |f: &MatchFigures| f.alone.failures + f.busy.failures + f.steady.failures;
    rows.push(
        Row::new(
            "failed match set-ups, all steps of both runs",
            Unit::Count,
            failed(g) as f64,
        )
        .peer(COLYSEUS, failed(c) as f64)
        .target("0", failed(g) == 0),
    );
    for (mine, theirs) in g.held.steps.iter().zip(&c.held.steps) {
        rows.push(
            Row::new(
                format!(
                    "resident memory per match held with 2 idle players, at {:.0} matches",
                    mine.matches
                ),
                Unit::Bytes,
                mine.bytes_per_match,
            )
            .peer(COLYSEUS, theirs.bytes_per_match)
            .target("≤ 100 KiB", mine.bytes_per_match <= HELD_MATCH_BYTES),
        );
        rows.push(
            Row::new(
                format!(
                    "… as a proportional set size (shared pages once), at {:.0} matches",
                    mine.matches
                ),
                Unit::Bytes,
                mine.pss_bytes_per_match,
            )
            .peer(COLYSEUS, theirs.pss_bytes_per_match),
        );
    }
    let m = MESSAGE_MATCHES;
    rows.extend([
        at_least(
            Row::new(
                format!("{m} matches exchanging messages: messages per second"),
                Unit::PerSecond,
                g.messages.per_second,
            ),
            c.messages.per_second,
        ),
        at_most(
            Row::new(
                format!("{m} matches exchanging messages: round trip p99"),
                Unit::Nanos,
                ms(g.messages.round_trip_p99_ms),
            ),
            ms(c.messages.round_trip_p99_ms),
        ),
        at_most(
            Row::new(
                format!("{m} matches exchanging messages: server CPU time per message"),
                Unit::Nanos,
                g.messages.cpu_us_per_message * 1e3,
            ),
            c.messages.cpu_us_per_message * 1e3,
        ),
        Row::new(
            format!("{m} matches exchanging messages: … of which the store's writer thread"),
            Unit::Nanos,
            g.messages.store_us_per_message * 1e3,
        ),
    ]);
    rows
}
