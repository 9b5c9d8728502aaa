//! The messages step alone, many times: Gamehost and Colyseus in turn, each
//! round on fresh servers, compared round by round. On a shared machine one
//! system's figures move by a fifth between runs minutes apart; the two runs
//! of a round are seconds apart, so the ratio of the two is steadier than
//! either figure, and its median over many rounds says which system is
//! ahead with the machine's drift taken out.

use super::{MESSAGE_MATCHES, Messages, System, on_fresh_server};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// One round: the two systems' figures, measured one after the other.
#[derive(Clone, Debug)]
pub struct Round {
    /// Gamehost's figures.
    pub gamehost: Messages,
    /// Colyseus's figures.
    pub colyseus: Messages,
}

impl Round {
    /// Gamehost's CPU time per message over Colyseus's.
    pub fn cpu_ratio(&self) -> f64 {
        self.gamehost.cpu_us_per_message / self.colyseus.cpu_us_per_message
    }

    /// Gamehost's messages per second over Colyseus's.
    pub fn rate_ratio(&self) -> f64 {
        self.gamehost.per_second / self.colyseus.per_second
    }

    /// Gamehost's round-trip p99 over Colyseus's.
    pub fn p99_ratio(&self) -> f64 {
        self.gamehost.round_trip_p99_ms / self.colyseus.round_trip_p99_ms
    }
}

/// Runs `rounds` rounds of [`MESSAGE_MATCHES`] matches exchanging messages
/// for `seconds`, Gamehost first in each; `progress` hears of each round as
/// it ends.
pub fn measure(
    gamehost: &Path,
    rounds: usize,
    seconds: Duration,
    mut progress: impl FnMut(usize, &Round),
) -> anyhow::Result<Vec<Round>> {
    let steps = json!([
        {"kind": "messages", "matches": MESSAGE_MATCHES, "seconds": seconds.as_secs()},
    ]);
    let run = |system| -> anyhow::Result<Messages> {
        let lines = on_fresh_server(system, gamehost, &steps)?;
        let line = lines
            .last()
            .ok_or_else(|| anyhow::anyhow!("the load generator printed nothing"))?;
        Ok(serde_json::from_str(line)?)
    };
    let mut all = Vec::with_capacity(rounds);
    for number in 1..=rounds {
        let round = Round {
            gamehost: run(System::Gamehost)?,
            colyseus: run(System::Colyseus)?,
        };
        progress(number, &round);
        all.push(round);
    }
    Ok(all)
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when there are none.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(gamehost_us: f64, colyseus_us: f64) -> Round {
        let messages = |us| Messages {
            per_second: 1_000.0,
            round_trip_p99_ms: 10.0,
            cpu_us_per_message: us,
            ..Messages::default()
        };
        Round {
            gamehost: messages(gamehost_us),
            colyseus: messages(colyseus_us),
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn a_round_compares_gamehost_with_colyseus() {
        assert_eq!(round(20.0, 25.0).cpu_ratio(), 0.8);
        assert_eq!(round(30.0, 25.0).cpu_ratio(), 1.2);
        assert_eq!(round(30.0, 25.0).rate_ratio(), 1.0);
        assert_eq!(round(30.0, 25.0).p99_ratio(), 1.0);
    }
}
