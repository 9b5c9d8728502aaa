//! GameLift's resource creation limit policy: how many game sessions one
//! creator (a `creatorId`) may create in a fleet within a period. A request
//! over it is refused (GameLift's LimitExceededException).

use super::clock::Timestamp;
use super::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// The most game sessions per creator a policy may allow.
pub const MAX_GAME_SESSIONS_PER_CREATOR: u32 = 1000;
/// The longest policy period, in minutes (a day).
pub const MAX_POLICY_PERIOD_MINUTES: u32 = 1440;
/// The most creators a fleet's limits track at once; past it, the creator
/// whose last game session is oldest is forgotten first.
pub const MAX_TRACKED_CREATORS: usize = 10_000;

/// A fleet's limit on game sessions per creator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CreationLimitPolicy {
    /// Game sessions one creator may create within the period; 0 (the
    /// default) means no limit.
    pub new_game_sessions_per_creator: u32,
    /// The period, in minutes (1 to 1440; 15 by default).
    pub policy_period_in_minutes: u32,
}

impl Default for CreationLimitPolicy {
    fn default() -> Self {
        Self {
            new_game_sessions_per_creator: 0,
            policy_period_in_minutes: 15,
        }
    }
}

impl CreationLimitPolicy {
    /// Checks the bounds, naming the field out of them.
    pub fn validate(&self) -> Result<()> {
        if self.new_game_sessions_per_creator > MAX_GAME_SESSIONS_PER_CREATOR {
            return Err(Error::invalid_argument(format!(
                "newGameSessionsPerCreator is at most {MAX_GAME_SESSIONS_PER_CREATOR}, got {}",
                self.new_game_sessions_per_creator
            )));
        }
        if !(1..=MAX_POLICY_PERIOD_MINUTES).contains(&self.policy_period_in_minutes) {
            return Err(Error::invalid_argument(format!(
                "policyPeriodInMinutes is 1 to {MAX_POLICY_PERIOD_MINUTES}, got {}",
                self.policy_period_in_minutes
            )));
        }
        Ok(())
    }

    /// Whether it limits `creator`: not when there is no limit, nor a
    /// game session no one said they created.
    pub fn applies_to(&self, creator: &str) -> bool {
        self.new_game_sessions_per_creator > 0 && !creator.is_empty()
    }

    fn period(&self) -> Duration {
        Duration::from_secs(u64::from(self.policy_period_in_minutes) * 60)
    }
}

/// The game sessions each creator created in one fleet, within the period.
#[derive(Debug, Default)]
pub struct CreatorLimits {
    creations: HashMap<String, VecDeque<Timestamp>>,
}

/// Why a creator may not create another game session now.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "creator {creator:?} already created {count} game sessions in the last {minutes} minutes, the fleet's limit"
)]
pub struct LimitReached {
    /// The creator.
    pub creator: String,
    /// Game sessions it created within the period.
    pub count: usize,
    /// The period, in minutes.
    pub minutes: u32,
}

impl CreatorLimits {
    /// Counts a game session `creator` creates at `now` under `policy`, or
    /// refuses it when the creator is at the limit. No creator, or no limit,
    /// is always admitted and not counted. A placement that then fails
    /// gives its count back with [`CreatorLimits::release`].
    pub fn admit(
        &mut self,
        policy: CreationLimitPolicy,
        creator: &str,
        now: Timestamp,
    ) -> std::result::Result<(), LimitReached> {
        if !policy.applies_to(creator) {
            return Ok(());
        }
        let limit = policy.new_game_sessions_per_creator as usize;
        let period = i64::try_from(policy.period().as_millis()).unwrap_or(i64::MAX);
        let start = Timestamp::from_millis(now.as_millis().saturating_sub(period));
        if let Some(times) = self.creations.get_mut(creator) {
            while times.front().is_some_and(|t| *t <= start) {
                times.pop_front();
            }
            while times.len() > limit {
                times.pop_front();
            }
            if times.len() >= limit {
                return Err(LimitReached {
                    creator: creator.to_owned(),
                    count: times.len(),
                    minutes: policy.policy_period_in_minutes,
                });
            }
        } else if self.creations.len() >= MAX_TRACKED_CREATORS {
            self.creations
                .retain(|_, times| times.back().is_some_and(|t| *t > start));
            if self.creations.len() >= MAX_TRACKED_CREATORS {
                let oldest = self
                    .creations
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(creator, _)| creator.clone());
                if let Some(creator) = oldest {
                    self.creations.remove(&creator);
                }
            }
        }
        self.creations
            .entry(creator.to_owned())
            .or_default()
            .push_back(now);
        Ok(())
    }

    /// Gives back the count [`CreatorLimits::admit`] took at `at` for a
    /// game session that was not created.
    pub fn release(&mut self, creator: &str, at: Timestamp) {
        if let Some(times) = self.creations.get_mut(creator) {
            if let Some(position) = times.iter().rposition(|t| *t == at) {
                times.remove(position);
            }
            if times.is_empty() {
                self.creations.remove(creator);
            }
        }
    }

    /// How many creators are tracked.
    pub fn tracked(&self) -> usize {
        self.creations.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_millis(minutes * 60_000)
    }

    fn policy(per_creator: u32, minutes: u32) -> CreationLimitPolicy {
        CreationLimitPolicy {
            new_game_sessions_per_creator: per_creator,
            policy_period_in_minutes: minutes,
        }
    }

    #[test]
    fn creators_are_limited_within_the_period() {
        // (creator, minute, admitted)
        let steps = [
            ("ana", 0, true),
            ("ana", 1, true),
            ("ana", 2, false),
            ("bo", 2, true),
            ("", 2, true),
            ("", 2, true),
            ("ana", 14, false),
            ("ana", 15, true),
            ("ana", 16, true),
            ("ana", 17, false),
        ];
        let mut limits = CreatorLimits::default();
        for (creator, minute, admitted) in steps {
            let got = limits.admit(policy(2, 15), creator, at(minute));
            assert_eq!(
                got.is_ok(),
                admitted,
                "{creator:?} at minute {minute}: {got:?}"
            );
        }
        assert_eq!(limits.tracked(), 2, "no creator is not tracked");
    }

    #[test]
    fn no_limit_admits_everyone_and_counts_nothing() {
        let mut limits = CreatorLimits::default();
        for minute in 0..100 {
            assert!(limits.admit(policy(0, 15), "ana", at(minute)).is_ok());
        }
        assert_eq!(limits.tracked(), 0);
    }

    #[test]
    fn a_released_count_is_given_back() {
        let mut limits = CreatorLimits::default();
        limits.admit(policy(1, 15), "ana", at(0)).unwrap();
        let refused = limits.admit(policy(1, 15), "ana", at(1)).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "creator \"ana\" already created 1 game sessions in the last 15 minutes, the fleet's limit"
        );
        limits.release("ana", at(0));
        assert_eq!(limits.tracked(), 0);
        assert!(limits.admit(policy(1, 15), "ana", at(1)).is_ok());
    }

    #[test]
    fn a_lowered_limit_applies_at_once() {
        let mut limits = CreatorLimits::default();
        for minute in 0..3 {
            limits.admit(policy(3, 15), "ana", at(minute)).unwrap();
        }
        assert!(limits.admit(policy(1, 15), "ana", at(3)).is_err());
    }

    #[test]
    fn tracked_creators_are_bounded() {
        let mut limits = CreatorLimits::default();
        for i in 0..MAX_TRACKED_CREATORS + 5 {
            let minute = i64::try_from(i / 1000).unwrap();
            limits
                .admit(policy(1, 60), &format!("p{i}"), at(minute))
                .unwrap();
        }
        assert_eq!(limits.tracked(), MAX_TRACKED_CREATORS);
    }

    #[test]
    fn policies_are_bounded() {
        let cases = [
            (policy(0, 15), true),
            (policy(1000, 1440), true),
            (policy(1001, 15), false),
            (policy(1, 0), false),
            (policy(1, 1441), false),
        ];
        for (policy, valid) in cases {
            assert_eq!(policy.validate().is_ok(), valid, "{policy:?}");
        }
    }
}
