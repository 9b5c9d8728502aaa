//! Game loops: many matches of the example game mode ticking at 30 Hz, and
//! how late their ticks start.

use crate::setup::{hosting, load, spec, start, wait_ready};
use crate::stats::since;
use gamehost_model::GameServerSpec;
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The tick rate of the matches.
pub const TICK_RATE_HZ: u32 = 30;
/// The target for tick lateness at the 99th percentile.
pub const LATENESS_P99_TARGET: Duration = Duration::from_millis(5);

/// What a run of ticking matches measured.
pub struct TickFigures {
    /// Matches ticking.
    pub matches: u64,
    /// How long starting them all until Ready took.
    pub started_in: Duration,
    /// The measuring window.
    pub window: Duration,
    /// Ticks run in the window.
    pub ticks: u64,
    /// Ticks due in the window: matches × rate × window.
    pub due: u64,
    /// Ticks that ran longer than their period.
    pub overruns: u64,
    /// Tick lateness at the median, to the histogram's bucket; `None` past
    /// its last bound (1 s).
    pub lateness_p50: Option<Duration>,
    /// Tick lateness at the 99th percentile, likewise.
    pub lateness_p99: Option<Duration>,
}

impl TickFigures {
    /// Whether the lateness p99 meets its target.
    pub fn met(&self) -> bool {
        self.lateness_p99
            .is_some_and(|p99| p99 <= LATENESS_P99_TARGET)
    }
}

/// Starts `matches` game servers of the example game mode ticking at
/// 30 Hz, lets them settle, and measures their ticks over `window`.
pub async fn measure(matches: u64, window: Duration) -> anyhow::Result<TickFigures> {
    let settings = EngineSettings {
        max_instances: u32::try_from(matches)?.max(16),
        ..EngineSettings::default()
    };
    let engine = GameEngine::new(settings, None)?;
    let mode = load(&engine, gamehost_guests::ARENA)?;
    let spec = Arc::new(GameServerSpec {
        tick_rate_hz: Some(TICK_RATE_HZ),
        ..spec()
    });
    let began = Instant::now();
    let hosting = hosting(engine.default_limits());
    let handles: Vec<_> = (0..matches)
        .map(|n| start(&mode, n, &spec, hosting.clone()))
        .collect();
    for handle in &handles {
        wait_ready(handle).await?;
    }
    let started_in = began.elapsed();
    // Let the loops settle, then measure a window.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let stats = &hosting.play;
    let before = stats.snapshot();
    tokio::time::sleep(window).await;
    let during = since(&stats.snapshot(), &before);
    for handle in &handles {
        let _ = handle.stop("the benchmark is over").await;
    }
    Ok(TickFigures {
        matches,
        started_in,
        window,
        ticks: during.ticks,
        due: (matches as f64 * f64::from(TICK_RATE_HZ) * window.as_secs_f64()) as u64,
        overruns: during.tick_overruns,
        lateness_p50: during.lateness_quantile(0.5),
        lateness_p99: during.lateness_quantile(0.99),
    })
}
