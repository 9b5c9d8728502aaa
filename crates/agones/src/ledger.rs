//! The ledger: the matches Agones allocated here and the matches the host
//! runs, kept equal in the GameServer's counter (how many) and list (which)
//! however late the GameServer shows the host's own changes.
//!
//! An allocation adds one to the counter, and may add the match's id to
//! the list in the same change. The host keeps every match it runs in the
//! list, so `count − values` is the allocations that came without an id.
//! Agones shows the host's changes a moment later (about a second, batched),
//! so each change comes as two acknowledged steps ordered to never raise
//! `count − values` in between: a match that ended is counted down before
//! its id is removed; a match the host started on its own is listed before
//! it is counted up. A late GameServer can therefore only hide an
//! allocation for a moment, never invent one.
//!
//! The rules are pure: what the GameServer shows, the game sessions in
//! progress and the time come in; the steps to take come out, and the
//! driver reports each acknowledged step back.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// How long a match Agones asked for may fail to start (no Ready game
/// server yet, say) before the host gives its allocation back.
pub const START_DEADLINE: Duration = Duration::from_secs(30);

/// What the GameServer shows: the counter's count and the list's values.
#[derive(Clone, Copy, Debug)]
pub struct Shown<'a> {
    /// The counter's count.
    pub count: i64,
    /// The list's values.
    pub values: &'a BTreeSet<String>,
}

/// One step towards the counter and the list being true.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Name this many allocations that came without an id: add a new id
    /// for each to the list ([`Ledger::listed`]); each is then started.
    Name(usize),
    /// Start the match with this id ([`Ledger::started`] when placed,
    /// [`Ledger::start_failed`] when not).
    Start(String),
    /// Count down a match that ended or cannot start
    /// ([`Ledger::counted_down`]).
    CountDown(String),
    /// Remove a counted-down match's id from the list, or the id of a match
    /// of the host's own that ended before it was counted up
    /// ([`Ledger::removed`]).
    Remove(String),
    /// List a match the host runs that Agones did not allocate
    /// ([`Ledger::listed_own`]).
    List(String),
    /// Count up a match listed by [`Step::List`] ([`Ledger::counted_up`]).
    CountUp(String),
}

/// The host's side of the counter and the list.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Matches the host started or took on, counted in the count.
    started: BTreeSet<String>,
    /// Ids the host added that the list does not show yet.
    adding: BTreeSet<String>,
    /// Ids added for a match of the host's own, to be counted up.
    own: BTreeSet<String>,
    /// Ids counted down, to be removed.
    ending: BTreeSet<String>,
    /// Ids removed that the list still shows.
    removing: BTreeSet<String>,
    /// Matches that failed to start, since when.
    failing: BTreeMap<String, Instant>,
    /// Matches that can never start (their id or properties are invalid).
    refused: BTreeSet<String>,
}

impl Ledger {
    /// A ledger taking on what the GameServer shows when the host starts:
    /// its listed matches count as the host's, so those not running (a
    /// previous run's) are counted down and removed.
    pub fn resume(shown: Shown<'_>) -> Self {
        Self {
            started: shown.values.clone(),
            ..Self::default()
        }
    }

    /// The steps that bring the counter and list in line with `live`, the
    /// game sessions in progress. While `draining`, nothing new starts:
    /// what Agones allocates is given back.
    pub fn plan(
        &mut self,
        shown: Shown<'_>,
        live: &BTreeSet<String>,
        draining: bool,
        now: Instant,
    ) -> Vec<Step> {
        self.adding.retain(|id| !shown.values.contains(id));
        self.removing.retain(|id| shown.values.contains(id));
        // The host's own matches that ended before they were counted up
        // only leave the list.
        let orphans: Vec<String> = self.own.difference(live).cloned().collect();
        for id in orphans {
            self.own.remove(&id);
            self.ending.insert(id);
        }
        // An id is removed once the list shows it: removing one whose
        // adding is not shown yet would let the adding show after it.
        self.ending
            .retain(|id| shown.values.contains(id) || self.adding.contains(id));
        let mut steps: Vec<Step> = (self.ending.iter())
            .filter(|id| shown.values.contains(*id))
            .cloned()
            .map(Step::Remove)
            .collect();
        let listed = shown
            .values
            .iter()
            .chain(&self.adding)
            .filter(|id| !self.removing.contains(*id) && !self.ending.contains(*id));
        for id in listed {
            let step = match (live.contains(id), self.started.contains(id)) {
                (true, true) => None,
                (true, false) if self.own.contains(id) => Some(Step::CountUp(id.clone())),
                (true, false) => {
                    self.started.insert(id.clone());
                    None
                }
                (false, true) => Some(Step::CountDown(id.clone())),
                (false, false) if draining || self.gave_up(id, now) => {
                    Some(Step::CountDown(id.clone()))
                }
                (false, false) => Some(Step::Start(id.clone())),
            };
            steps.extend(step);
        }
        let unlisted = live.iter().filter(|id| {
            !shown.values.contains(*id) && !self.adding.contains(*id) && !self.ending.contains(*id)
        });
        steps.extend(unlisted.cloned().map(Step::List));
        let hidden = self.adding.len() as i64;
        let unnamed = shown.count - shown.values.len() as i64 - hidden;
        if unnamed > 0 {
            steps.push(Step::Name(unnamed as usize));
        }
        steps
    }

    /// What the counter's capacity should be: the matches the host runs
    /// and the room it has, at most `limit` (the list's most values); while
    /// draining, the count, so nothing new lands. Never below the count:
    /// Agones would cut the count down to it.
    pub fn capacity(count: i64, live: usize, room: usize, draining: bool, limit: i64) -> i64 {
        let wanted = if draining {
            count
        } else {
            (live.saturating_add(room) as i64).min(limit)
        };
        wanted.max(count)
    }

    /// Whether every match the host counted has been counted down and
    /// removed: nothing is left for Agones to see.
    pub fn is_settled(&self) -> bool {
        self.started.is_empty() && self.ending.is_empty() && self.own.is_empty()
    }

    /// `id` was added to the list for an allocation without one.
    pub fn listed(&mut self, id: &str) {
        self.adding.insert(id.to_owned());
    }

    /// `id`, a match the host started on its own, was added to the list.
    pub fn listed_own(&mut self, id: &str) {
        self.adding.insert(id.to_owned());
        self.own.insert(id.to_owned());
    }

    /// `id`'s match is placed.
    pub fn started(&mut self, id: &str) {
        self.failing.remove(id);
        self.started.insert(id.to_owned());
    }

    /// `id`'s match failed to start at `now`. It is tried again until
    /// [`START_DEADLINE`] has passed since its first failure, and then
    /// counted down; at once when the failure is `permanent`.
    pub fn start_failed(&mut self, id: &str, now: Instant, permanent: bool) {
        if permanent {
            self.refused.insert(id.to_owned());
        }
        self.failing.entry(id.to_owned()).or_insert(now);
    }

    /// `id` was counted down.
    pub fn counted_down(&mut self, id: &str) {
        self.started.remove(id);
        self.own.remove(id);
        self.failing.remove(id);
        self.refused.remove(id);
        self.ending.insert(id.to_owned());
    }

    /// `id` was removed from the list.
    pub fn removed(&mut self, id: &str) {
        self.ending.remove(id);
        self.removing.insert(id.to_owned());
    }

    /// `id`, a match of the host's own, was counted up.
    pub fn counted_up(&mut self, id: &str) {
        self.own.remove(id);
        self.started.insert(id.to_owned());
    }

    fn gave_up(&self, id: &str, now: Instant) -> bool {
        self.refused.contains(id)
            || self
                .failing
                .get(id)
                .is_some_and(|since| now.saturating_duration_since(*since) >= START_DEADLINE)
    }
}

#[cfg(test)]
mod tests;
