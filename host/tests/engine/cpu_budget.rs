//! CPU accounting and the CPU budget, with the burner guest (it spins for
//! its label `burn-millis` on every tick): a game server's record counts the
//! CPU time its calls used; over its template's budget its ticks are
//! skipped until the next window, with one log line per window; over it for
//! `endAfterWindows` windows in a row it is ended with its reason, while a
//! game server beside it carries on.

use gamehost_guests::{ARENA, BURNER};
use gamehost_model::{CpuBudgetSpec, EndKind, GameServerSpec, GameServerState};
use gamehost_runtime::sdk::{LogLevel, LogSource};
use gamehost_runtime::supervisor::GameServerHandle;
use gamehost_tests::{arena_spec, quiet_spec, start, wait_for_end, wait_for_state};
use std::time::{Duration, Instant};

/// A burner ticking at 30 Hz, spinning `burn_millis` a tick, under `budget`.
fn burner(burn_millis: u32, budget: Option<CpuBudgetSpec>) -> GameServerHandle {
    let mut spec = GameServerSpec {
        tick_rate_hz: Some(30),
        cpu_budget: budget,
        ..quiet_spec()
    };
    spec.labels
        .insert("burn-millis".into(), burn_millis.to_string());
    start(BURNER, spec)
}

fn cpu_seconds(gs: &GameServerHandle) -> f64 {
    gs.record_now().status.cpu.seconds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_counts_the_cpu_time_its_calls_used() {
    let busy = burner(10, None);
    let quiet = start(ARENA, arena_spec(2));
    wait_for_state(&busy, GameServerState::Ready).await;
    wait_for_state(&quiet, GameServerState::Ready).await;
    let (busy_before, quiet_before) = (cpu_seconds(&busy), cpu_seconds(&quiet));
    let began = Instant::now();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let wall = began.elapsed().as_secs_f64();
    let busy_used = cpu_seconds(&busy) - busy_before;
    let quiet_used = cpu_seconds(&quiet) - quiet_before;
    // 10 ms of spinning in each of ~18 ticks: well over a tenth of the wall
    // time, and never more than all of it.
    assert!(
        busy_used > wall / 10.0 && busy_used <= wall,
        "the burner used {busy_used:.3} s in {wall:.3} s"
    );
    assert!(
        quiet_used < busy_used / 10.0,
        "the idle arena used {quiet_used:.3} s beside the burner's {busy_used:.3} s"
    );
    assert!(cpu_seconds(&quiet) > 0.0, "starting the arena took some");
    assert_eq!(busy.record_now().status.cpu.ticks_skipped, 0, "no budget");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_budget_a_game_server_skips_ticks_until_the_next_window() {
    let budget = CpuBudgetSpec {
        millicores: 100,
        window_millis: 500,
        end_after_windows: 0,
    };
    let gs = burner(20, Some(budget));
    wait_for_state(&gs, GameServerState::Ready).await;
    let began = Instant::now();
    let before = cpu_seconds(&gs);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let wall = began.elapsed().as_secs_f64();
    let record = gs.record_now();
    let used = record.status.cpu.seconds - before;
    // Unbounded it would use 20 ms of each 33 ms tick, 60% of a core; held
    // to 10% it stops within a tick of each window's 50 ms.
    assert!(
        used < wall * 0.25,
        "{used:.3} s of CPU in {wall:.3} s, past a budget of 10% (and a tick a window)"
    );
    assert!(
        record.status.cpu.ticks_skipped > 10,
        "{:?}",
        record.status.cpu
    );
    assert_eq!(record.status.state, GameServerState::Ready, "it still runs");
    let warnings: Vec<_> = gs
        .log()
        .lines()
        .into_iter()
        .filter(|l| l.source == LogSource::Host && l.level == LogLevel::Warn)
        .map(|l| l.message)
        .collect();
    assert!(
        (2..=5).contains(&warnings.len()),
        "one warning a window: {warnings:#?}"
    );
    assert!(
        warnings[0].starts_with("ticks skipped until the next window: ")
            && warnings[0].ends_with("window, past the budget of 50 ms (100 millicores)"),
        "{}",
        warnings[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_its_budget_for_too_long_a_game_server_is_ended_with_its_reason() {
    let budget = CpuBudgetSpec {
        millicores: 100,
        window_millis: 200,
        end_after_windows: 3,
    };
    let gs = burner(20, Some(budget));
    let peer = burner(1, Some(budget));
    let record = wait_for_end(&gs).await;
    let ending = record.process.ending.as_ref().expect("ended");
    assert_eq!(ending.kind, EndKind::CpuBudget);
    assert_eq!(
        ending.reason,
        "used more than its CPU budget (100 millicores over 200 ms) for 3 windows in a row"
    );
    assert_eq!(record.status.state, GameServerState::Unhealthy);
    assert!(
        gs.log()
            .lines()
            .iter()
            .any(|l| l.level == LogLevel::Error && l.message.contains(&ending.reason)),
        "the end is logged"
    );
    // 1 ms a tick is 3% of a core: the peer stays within its budget.
    let peer_record = peer.record_now();
    assert!(peer_record.process.ending.is_none(), "{peer_record:?}");
    assert_eq!(peer_record.status.cpu.ticks_skipped, 0);
}
