//! Where each running game server stands for placement and the fleet
//! controller, kept current from every published record: per fleet, how
//! many game servers are warm and which Ready ones host nothing, oldest
//! first. Placing a game session and keeping a fleet's replicas then cost
//! the same with ten game servers as with ten thousand.

use gamehost_model::{GameServerRecord, GameServerState};
use std::collections::{BTreeSet, HashMap};

/// A game server's standing, as placement and the fleet controller see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Standing {
    /// Scheduled or RequestReady, and not asked to terminate.
    Starting,
    /// Ready and not asked to terminate; `idle` when it hosts no game
    /// session in progress.
    Ready {
        /// It hosts no game session in progress.
        idle: bool,
    },
    /// Reserved and not asked to terminate: it keeps its place among the
    /// fleet's replicas (a reservation does not make the fleet start
    /// another), but takes no game session.
    Reserved,
    /// Allocated, terminating, or failed.
    Busy,
}

impl Standing {
    /// The standing `record` shows.
    pub(super) fn of(record: &GameServerRecord) -> Self {
        let process = &record.process;
        let terminating = process.termination_time.is_some() || process.ending.is_some();
        let idle = process
            .game_session
            .as_ref()
            .is_none_or(|s| s.status.is_ended());
        Self::from_state(record.status.state, terminating, idle)
    }

    fn from_state(state: GameServerState, terminating: bool, idle: bool) -> Self {
        match state {
            _ if terminating => Self::Busy,
            GameServerState::Scheduled | GameServerState::RequestReady => Self::Starting,
            GameServerState::Ready => Self::Ready { idle },
            GameServerState::Reserved => Self::Reserved,
            _ => Self::Busy,
        }
    }

    /// Starting, Ready or Reserved: one of the fleet's warm replicas.
    fn is_warm(self) -> bool {
        self != Self::Busy
    }

    /// Ready and hosting nothing: a game session can be placed on it.
    pub(super) fn is_idle(self) -> bool {
        self == Self::Ready { idle: true }
    }
}

/// A game server's place in its fleet's order: when it started, then its
/// name.
pub(super) type Seat<'a> = (u64, &'a str);

/// One fleet's warm count and idle game servers.
#[derive(Default)]
struct FleetStanding {
    warm: usize,
    idle: BTreeSet<(u64, String)>,
}

/// Every fleet's standing.
#[derive(Default)]
pub(super) struct Standings {
    by_fleet: HashMap<String, FleetStanding>,
}

impl Standings {
    /// Moves a game server of `fleet` from one standing to another; `None`
    /// is not running.
    pub(super) fn change(
        &mut self,
        fleet: &str,
        (started, name): Seat<'_>,
        from: Option<Standing>,
        to: Option<Standing>,
    ) {
        if from == to {
            return;
        }
        let standing = self.by_fleet.entry(fleet.to_owned()).or_default();
        let key = (started, name.to_owned());
        if from.is_some_and(Standing::is_warm) {
            standing.warm -= 1;
        }
        if from.is_some_and(Standing::is_idle) {
            standing.idle.remove(&key);
        }
        if to.is_some_and(Standing::is_warm) {
            standing.warm += 1;
        }
        if to.is_some_and(Standing::is_idle) {
            standing.idle.insert(key);
        }
        if standing.warm == 0 && standing.idle.is_empty() {
            self.by_fleet.remove(fleet);
        }
    }

    /// How many of `fleet`'s game servers are starting, Ready or Reserved.
    pub(super) fn warm(&self, fleet: &str) -> usize {
        self.by_fleet.get(fleet).map_or(0, |s| s.warm)
    }

    /// How many of `fleet`'s game servers are Ready and host nothing.
    pub(super) fn idle(&self, fleet: &str) -> usize {
        self.by_fleet.get(fleet).map_or(0, |s| s.idle.len())
    }

    /// Takes the oldest idle game server of `fleet` out of the idle set, so
    /// that concurrent placements each get their own; see [`Self::release`].
    pub(super) fn claim(&mut self, fleet: &str) -> Option<String> {
        let standing = self.by_fleet.get_mut(fleet)?;
        standing.idle.pop_first().map(|(_, name)| name)
    }

    /// Puts back a claimed game server that is still idle.
    pub(super) fn release(&mut self, fleet: &str, (started, name): Seat<'_>) {
        if let Some(standing) = self.by_fleet.get_mut(fleet) {
            standing.idle.insert((started, name.to_owned()));
        }
    }

    /// `fleet`'s idle game servers, newest first.
    pub(super) fn newest_idle(&self, fleet: &str) -> Vec<String> {
        self.by_fleet.get(fleet).map_or_else(Vec::new, |s| {
            s.idle.iter().rev().map(|(_, name)| name.clone()).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STARTING: Option<Standing> = Some(Standing::Starting);
    const IDLE: Option<Standing> = Some(Standing::Ready { idle: true });
    const HOSTING: Option<Standing> = Some(Standing::Ready { idle: false });
    const RESERVED: Option<Standing> = Some(Standing::Reserved);
    const BUSY: Option<Standing> = Some(Standing::Busy);

    #[test]
    fn a_standing_follows_the_state_and_a_termination() {
        use GameServerState::*;
        // (state, terminating, idle, standing, warm, idle for placement)
        let cases = [
            (Scheduled, false, true, Standing::Starting, true, false),
            (RequestReady, false, true, Standing::Starting, true, false),
            (
                Ready,
                false,
                true,
                Standing::Ready { idle: true },
                true,
                true,
            ),
            (
                Ready,
                false,
                false,
                Standing::Ready { idle: false },
                true,
                false,
            ),
            (Reserved, false, true, Standing::Reserved, true, false),
            (Allocated, false, false, Standing::Busy, false, false),
            (Ready, true, true, Standing::Busy, false, false),
            (Reserved, true, true, Standing::Busy, false, false),
            (Shutdown, false, true, Standing::Busy, false, false),
            (Unhealthy, false, true, Standing::Busy, false, false),
        ];
        for (state, terminating, idle, standing, warm, placeable) in cases {
            let got = Standing::from_state(state, terminating, idle);
            let case = format!("{state} terminating={terminating} idle={idle}");
            assert_eq!(got, standing, "{case}");
            assert_eq!(got.is_warm(), warm, "{case}");
            assert_eq!(got.is_idle(), placeable, "{case}");
        }
    }

    /// A game server moving from one standing to another, then the fleet's
    /// warm count and idle game servers (oldest first).
    type Step = (
        Seat<'static>,
        Option<Standing>,
        Option<Standing>,
        usize,
        &'static [&'static str],
    );

    #[test]
    fn counts_follow_every_change() {
        let table: &[Step] = &[
            ((1, "a"), None, STARTING, 1, &[]),
            ((2, "b"), None, STARTING, 2, &[]),
            ((2, "b"), STARTING, IDLE, 2, &["b"]),
            ((1, "a"), STARTING, IDLE, 2, &["a", "b"]),
            ((1, "a"), IDLE, RESERVED, 2, &["b"]),
            ((1, "a"), RESERVED, IDLE, 2, &["a", "b"]),
            ((1, "a"), IDLE, HOSTING, 2, &["b"]),
            ((1, "a"), HOSTING, BUSY, 1, &["b"]),
            ((1, "a"), BUSY, IDLE, 2, &["a", "b"]),
            ((2, "b"), IDLE, None, 1, &["a"]),
            ((1, "a"), IDLE, IDLE, 1, &["a"]),
            ((1, "a"), IDLE, None, 0, &[]),
        ];
        let mut standings = Standings::default();
        for (step, &(seat, from, to, warm, idle)) in table.iter().enumerate() {
            standings.change("f", seat, from, to);
            assert_eq!(standings.warm("f"), warm, "step {step}");
            let mut oldest_first = standings.newest_idle("f");
            oldest_first.reverse();
            assert_eq!(oldest_first, idle, "step {step}");
        }
        assert!(standings.by_fleet.is_empty());
    }

    #[test]
    fn a_claim_takes_the_oldest_until_released() {
        let mut standings = Standings::default();
        for seat in [(3, "c"), (1, "a"), (2, "b")] {
            standings.change("f", seat, None, IDLE);
        }
        assert_eq!(standings.claim("f").as_deref(), Some("a"));
        assert_eq!(standings.claim("f").as_deref(), Some("b"));
        standings.release("f", (1, "a"));
        assert_eq!(standings.claim("f").as_deref(), Some("a"));
        assert_eq!(standings.claim("f").as_deref(), Some("c"));
        assert_eq!(standings.claim("f"), None);
        assert_eq!(standings.claim("other"), None);
        assert_eq!(standings.warm("f"), 3);
    }
}
