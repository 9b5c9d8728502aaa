//! Health pings, from the moment the host starts: Agones counts missed ones
//! from the GameServer's `initialDelaySeconds`, before the host is Ready.

use crate::client::SdkClient;
use crate::wire::Health;
use std::time::Duration;

/// The GameServer's health period when it names none (Agones' default).
pub const DEFAULT_PERIOD: Duration = Duration::from_secs(5);

/// How often to ping for `health`: twice a period, so one late ping is
/// never a missed period; never when health checking is off.
pub fn ping_interval(health: &Health) -> Option<Duration> {
    if health.disabled {
        return None;
    }
    let period = u64::try_from(health.period_seconds)
        .ok()
        .filter(|&s| s > 0)
        .map_or(DEFAULT_PERIOD, Duration::from_secs);
    Some(period / 2)
}

/// Pings until the task is aborted. An unreachable sidecar is logged when
/// it starts and when it ends; the matches keep running either way, and
/// Agones marks the GameServer Unhealthy by its own rules.
pub async fn ping_forever(client: SdkClient, interval: Duration) {
    let mut failing = false;
    loop {
        match client.health().await {
            Ok(()) if failing => {
                tracing::info!("the Agones SDK sidecar takes health pings again");
                failing = false;
            }
            Ok(()) => {}
            Err(error) if !failing => {
                tracing::warn!(%error, "a health ping failed; matches keep running, pinging on");
                failing = true;
            }
            Err(_) => {}
        }
        tokio::time::sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_come_twice_a_period() {
        let health = |disabled, period_seconds| Health {
            disabled,
            period_seconds,
        };
        // (health, interval)
        let cases = [
            (health(false, 0), Some(Duration::from_millis(2500))),
            (health(false, 10), Some(Duration::from_secs(5))),
            (health(false, 1), Some(Duration::from_millis(500))),
            (health(false, -3), Some(Duration::from_millis(2500))),
            (health(true, 10), None),
        ];
        for (health, interval) in cases {
            assert_eq!(ping_interval(&health), interval, "{health:?}");
        }
    }
}
