//! Game loops: many matches of the example game mode ticking at 30 Hz, and
//! how late their ticks start, alone or beside game servers that burn CPU
//! on every tick (with and without a CPU budget).

use crate::setup::{hosting, load, spec, start, wait_ready};
use crate::stats::since;
use gamehost_model::{CpuBudgetSpec, GameServerSpec};
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

/// Game servers of the burner test guest ticking beside the matches, each
/// tick spinning for [`BURN_MILLIS`].
#[derive(Clone, Copy, Debug)]
pub struct Burners {
    /// How many.
    pub count: u64,
    /// Their template's CPU budget, if any.
    pub budget: Option<CpuBudgetSpec>,
}

/// How long a burner's tick spins: most of the engine's 40 ms call deadline.
pub const BURN_MILLIS: u32 = 35;

/// The budget burners get in the measure with one: a tenth of a core over
/// a second, their ticks skipped past it and never ended, so that they burn
/// all through the window.
pub const BURNER_BUDGET: CpuBudgetSpec = CpuBudgetSpec {
    millicores: 100,
    window_millis: 1000,
    end_after_windows: 0,
};

/// Starts `matches` game servers of the example game mode ticking at
/// 30 Hz, lets them settle, and measures their ticks over `window`.
pub async fn measure(matches: u64, window: Duration) -> anyhow::Result<TickFigures> {
    measure_beside(matches, None, window).await
}

/// [`measure`], with `burners` ticking beside the matches (their own ticks
/// are not counted).
pub async fn measure_beside(
    matches: u64,
    burners: Option<Burners>,
    window: Duration,
) -> anyhow::Result<TickFigures> {
    let burner_count = burners.map_or(0, |b| b.count);
    let settings = EngineSettings {
        max_instances: u32::try_from(matches + burner_count)?.max(16),
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
    let mut handles: Vec<_> = (0..matches)
        .map(|n| start(&mode, n, &spec, hosting.clone()))
        .collect();
    for handle in &handles {
        wait_ready(handle).await?;
    }
    let started_in = began.elapsed();
    if let Some(burners) = burners {
        let burner = load(&engine, gamehost_guests::BURNER)?;
        let mut spec = GameServerSpec {
            tick_rate_hz: Some(TICK_RATE_HZ),
            cpu_budget: burners.budget,
            ..GameServerSpec::default().with_health_checks_off()
        };
        spec.labels
            .insert("burn-millis".into(), BURN_MILLIS.to_string());
        let spec = Arc::new(spec);
        // Their own statistics, so that only the matches' ticks count.
        let apart = crate::setup::hosting(engine.default_limits());
        for n in 0..burners.count {
            let handle = start(&burner, matches + n, &spec, apart.clone());
            wait_ready(&handle).await?;
            handles.push(handle);
        }
    }
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
