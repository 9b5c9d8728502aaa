//! The game-server template: what every game server of a fleet starts from.

use super::counters::Counter;
use super::cpu_budget::CpuBudgetSpec;
use super::error::{Error, Result};
use super::limits::{
    DEFAULT_COUNTER_CAPACITY, MAX_ANNOTATION_VALUE_BYTES, MAX_ANNOTATIONS,
    MAX_COUNTER_OR_LIST_KEY_BYTES, MAX_COUNTERS_OR_LISTS, MAX_ID_BYTES, MAX_LABELS,
    MAX_LIST_CAPACITY, MAX_ROLE_CREDENTIALS,
};
use super::lists::{List, check_declared_list};
use super::names::{validate_label_value, validate_qualified_name};
use super::players::check_capacity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// A game-server template: metadata, declared counters and lists, player
/// capacity, health settings and timeouts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct GameServerSpec {
    /// Labels every game server starts with.
    pub labels: BTreeMap<String, String>,
    /// Annotations every game server starts with.
    pub annotations: BTreeMap<String, String>,
    /// Declared counters and their starting values.
    pub counters: BTreeMap<String, CounterSpec>,
    /// Declared lists and their starting values.
    pub lists: BTreeMap<String, ListSpec>,
    /// Starting player capacity (Agones' `players.initialCapacity`).
    pub player_capacity: i64,
    /// The guest's health pings (Agones' `health`).
    pub health: HealthSpec,
    /// The host's calls to `on-health-check` (GameLift).
    pub health_check: HealthCheckSpec,
    /// How long a player session may stay RESERVED before it is TIMEDOUT.
    pub player_session_timeout_seconds: u32,
    /// How long a game session may stay ACTIVATING before it is TERMINATED.
    pub activation_timeout_seconds: u32,
    /// How long after `on-process-terminate` the host ends the game server if
    /// the guest has not called `process-ending`.
    pub termination_grace_seconds: u32,
    /// Credentials handed out by `get-fleet-role-credentials`, by role ARN.
    pub role_credentials: BTreeMap<String, RoleCredentials>,
    /// How many times a second the host calls the game loop's `on-tick`
    /// (1 to 60); absent, no ticks. Only game modes that export `ticks` are
    /// ticked.
    pub tick_rate_hz: Option<u32>,
    /// The share of a core each game server may use over a window; past it
    /// the game loop's ticks are skipped, and if it persists the game server
    /// is ended. Absent, no budget beyond each call's deadline.
    pub cpu_budget: Option<CpuBudgetSpec>,
}

impl Default for GameServerSpec {
    fn default() -> Self {
        Self {
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            counters: BTreeMap::new(),
            lists: BTreeMap::new(),
            player_capacity: 0,
            health: HealthSpec::default(),
            health_check: HealthCheckSpec::default(),
            player_session_timeout_seconds: 60,
            activation_timeout_seconds: 60,
            termination_grace_seconds: 300,
            role_credentials: BTreeMap::new(),
            tick_rate_hz: None,
            cpu_budget: None,
        }
    }
}

/// A declared counter's starting value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CounterSpec {
    /// Starting count.
    pub count: i64,
    /// Starting capacity; 0 means no limit.
    pub capacity: i64,
}

impl Default for CounterSpec {
    fn default() -> Self {
        Self {
            count: 0,
            capacity: DEFAULT_COUNTER_CAPACITY,
        }
    }
}

/// A declared list's starting value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ListSpec {
    /// Starting capacity, within [0, 1000].
    pub capacity: i64,
    /// Starting values.
    pub values: Vec<String>,
}

impl Default for ListSpec {
    fn default() -> Self {
        Self {
            capacity: MAX_LIST_CAPACITY,
            values: Vec::new(),
        }
    }
}

/// Agones' health-ping settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthSpec {
    /// Whether pings are checked at all.
    pub disabled: bool,
    /// Seconds between checks; a period without a ping is a failure.
    pub period_seconds: u32,
    /// Failures in a row that make the game server Unhealthy.
    pub failure_threshold: u32,
    /// Seconds after start before the first period begins.
    pub initial_delay_seconds: u32,
}

impl Default for HealthSpec {
    fn default() -> Self {
        Self {
            disabled: false,
            period_seconds: 5,
            failure_threshold: 3,
            initial_delay_seconds: 5,
        }
    }
}

/// GameLift's host-driven health checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthCheckSpec {
    /// Whether the host calls `on-health-check` at all.
    pub disabled: bool,
    /// Seconds between calls.
    pub period_seconds: u32,
    /// Unhealthy answers in a row that make the game server Unhealthy.
    pub failure_threshold: u32,
}

impl Default for HealthCheckSpec {
    fn default() -> Self {
        Self {
            disabled: false,
            period_seconds: 60,
            failure_threshold: 3,
        }
    }
}

/// Credentials an operator gives a fleet for `get-fleet-role-credentials`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RoleCredentials {
    /// The role's user ARN.
    pub assumed_role_user_arn: String,
    /// The role's id.
    pub assumed_role_id: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// A session token.
    pub session_token: String,
    /// Expiry in Unix epoch seconds; 0 for none.
    pub expiration: i64,
}

const MAX_SECONDS: u32 = 24 * 3600;

/// The fastest game loop a template may ask for.
pub const MAX_TICK_RATE_HZ: u32 = 60;

impl GameServerSpec {
    /// Checks every field against the SDK's rules and bounds, naming the first
    /// offending one.
    pub fn validate(&self) -> Result<()> {
        check_metadata("label", &self.labels, MAX_LABELS, |v| {
            validate_label_value(v)
        })?;
        check_metadata("annotation", &self.annotations, MAX_ANNOTATIONS, |v| {
            if v.len() > MAX_ANNOTATION_VALUE_BYTES {
                return Err(Error::invalid_argument(format!(
                    "annotation values are at most {MAX_ANNOTATION_VALUE_BYTES} bytes"
                )));
            }
            Ok(())
        })?;
        check_keys("counter", self.counters.keys())?;
        for (key, counter) in self.counters() {
            counter.validate(&key)?;
        }
        check_keys("list", self.lists.keys())?;
        for (key, list) in self.lists() {
            check_declared_list(&key, &list)?;
        }
        check_capacity(self.player_capacity)?;
        let h = &self.health;
        check_seconds("health.periodSeconds", h.period_seconds, 1)?;
        check_seconds("health.failureThreshold", h.failure_threshold, 1)?;
        check_seconds("health.initialDelaySeconds", h.initial_delay_seconds, 0)?;
        let c = &self.health_check;
        check_seconds("healthCheck.periodSeconds", c.period_seconds, 1)?;
        check_seconds("healthCheck.failureThreshold", c.failure_threshold, 1)?;
        check_seconds(
            "playerSessionTimeoutSeconds",
            self.player_session_timeout_seconds,
            1,
        )?;
        check_seconds(
            "activationTimeoutSeconds",
            self.activation_timeout_seconds,
            1,
        )?;
        check_seconds("terminationGraceSeconds", self.termination_grace_seconds, 0)?;
        if let Some(rate) = self.tick_rate_hz
            && !(1..=MAX_TICK_RATE_HZ).contains(&rate)
        {
            return Err(Error::out_of_range(format!(
                "tickRateHz must be 1 to {MAX_TICK_RATE_HZ}, got {rate}"
            )));
        }
        if let Some(budget) = &self.cpu_budget {
            budget.validate()?;
        }
        if self.role_credentials.len() > MAX_ROLE_CREDENTIALS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_ROLE_CREDENTIALS} role credentials"
            )));
        }
        if let Some(arn) = self
            .role_credentials
            .keys()
            .find(|k| k.is_empty() || k.len() > MAX_ID_BYTES)
        {
            return Err(Error::invalid_argument(format!(
                "role ARN {arn:?} must be 1 to {MAX_ID_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// This template with both health checks off, so that only what its user
    /// does changes a game server: for tools, tests and benchmarks.
    pub fn with_health_checks_off(mut self) -> Self {
        self.health.disabled = true;
        self.health_check.disabled = true;
        self
    }

    /// The declared counters as starting values.
    pub fn counters(&self) -> impl Iterator<Item = (String, Counter)> + '_ {
        self.counters.iter().map(|(k, c)| {
            (
                k.clone(),
                Counter {
                    count: c.count,
                    capacity: c.capacity,
                },
            )
        })
    }

    /// The declared lists as starting values.
    pub fn lists(&self) -> impl Iterator<Item = (String, List)> + '_ {
        self.lists.iter().map(|(k, l)| {
            (
                k.clone(),
                List {
                    capacity: l.capacity,
                    values: l.values.clone(),
                },
            )
        })
    }

    /// The player-session timeout.
    pub fn player_session_timeout(&self) -> Duration {
        Duration::from_secs(self.player_session_timeout_seconds.into())
    }

    /// The game-session activation timeout.
    pub fn activation_timeout(&self) -> Duration {
        Duration::from_secs(self.activation_timeout_seconds.into())
    }

    /// The termination grace period.
    pub fn termination_grace(&self) -> Duration {
        Duration::from_secs(self.termination_grace_seconds.into())
    }

    /// The game loop's period, when the template asks for ticks.
    pub fn tick_period(&self) -> Option<Duration> {
        self.tick_rate_hz.map(|rate| Duration::from_secs(1) / rate)
    }
}

fn check_metadata(
    what: &str,
    entries: &BTreeMap<String, String>,
    max: usize,
    check_value: impl Fn(&str) -> Result<()>,
) -> Result<()> {
    if entries.len() > max {
        return Err(Error::invalid_argument(format!(
            "at most {max} {what}s, got {}",
            entries.len()
        )));
    }
    for (key, value) in entries {
        validate_qualified_name(key)?;
        check_value(value)
            .map_err(|e| Error::invalid_argument(format!("{what} {key:?}: {}", e.message)))?;
    }
    Ok(())
}

fn check_keys<'a>(what: &str, keys: impl ExactSizeIterator<Item = &'a String>) -> Result<()> {
    if keys.len() > MAX_COUNTERS_OR_LISTS {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_COUNTERS_OR_LISTS} {what}s"
        )));
    }
    for key in keys {
        if key.is_empty() || key.len() > MAX_COUNTER_OR_LIST_KEY_BYTES {
            return Err(Error::invalid_argument(format!(
                "{what} key {key:?} must be 1 to {MAX_COUNTER_OR_LIST_KEY_BYTES} bytes"
            )));
        }
    }
    Ok(())
}

fn check_seconds(field: &str, value: u32, min: u32) -> Result<()> {
    if !(min..=MAX_SECONDS).contains(&value) {
        return Err(Error::out_of_range(format!(
            "{field} must be within [{min}, {MAX_SECONDS}], got {value}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode::{self, *};

    #[test]
    fn defaults_follow_agones_and_gamelift() {
        let spec: GameServerSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(spec, GameServerSpec::default());
        assert_eq!(
            spec.health,
            HealthSpec {
                disabled: false,
                period_seconds: 5,
                failure_threshold: 3,
                initial_delay_seconds: 5
            }
        );
        assert_eq!(spec.health_check.period_seconds, 60);
        assert_eq!(spec.player_session_timeout_seconds, 60);
        assert_eq!(spec.termination_grace_seconds, 300);
        let counter: CounterSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(counter.capacity, 1000);
        spec.validate().unwrap();
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<GameServerSpec>(r#"{"maxPlayers": 3}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }

    #[test]
    fn validation_names_the_problem() {
        type Case = (
            &'static str,
            fn(&mut GameServerSpec),
            ErrorCode,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                "bad label key",
                |s| {
                    s.labels.insert("bad key".into(), "v".into());
                },
                InvalidArgument,
                "bad key",
            ),
            (
                "bad label value",
                |s| {
                    s.labels.insert("k".into(), "bad value".into());
                },
                InvalidArgument,
                "bad value",
            ),
            (
                "huge annotation",
                |s| {
                    s.annotations
                        .insert("k".into(), "x".repeat(MAX_ANNOTATION_VALUE_BYTES + 1));
                },
                InvalidArgument,
                "annotation",
            ),
            (
                "count over capacity",
                |s| {
                    s.counters.insert(
                        "c".into(),
                        CounterSpec {
                            count: 5,
                            capacity: 4,
                        },
                    );
                },
                OutOfRange,
                "\"c\"",
            ),
            (
                "negative capacity",
                |s| {
                    s.counters.insert(
                        "c".into(),
                        CounterSpec {
                            count: 0,
                            capacity: -1,
                        },
                    );
                },
                OutOfRange,
                "\"c\"",
            ),
            (
                "empty counter key",
                |s| {
                    s.counters.insert(String::new(), CounterSpec::default());
                },
                InvalidArgument,
                "counter key",
            ),
            (
                "list capacity",
                |s| {
                    s.lists.insert(
                        "l".into(),
                        ListSpec {
                            capacity: 1001,
                            values: vec![],
                        },
                    );
                },
                OutOfRange,
                "\"l\"",
            ),
            (
                "list duplicates",
                |s| {
                    s.lists.insert(
                        "l".into(),
                        ListSpec {
                            capacity: 3,
                            values: vec!["a".into(), "a".into()],
                        },
                    );
                },
                InvalidArgument,
                "twice",
            ),
            (
                "player capacity",
                |s| s.player_capacity = -1,
                OutOfRange,
                "player capacity",
            ),
            (
                "health period",
                |s| s.health.period_seconds = 0,
                OutOfRange,
                "health.periodSeconds",
            ),
            (
                "check threshold",
                |s| s.health_check.failure_threshold = 0,
                OutOfRange,
                "healthCheck.failureThreshold",
            ),
            (
                "tick rate zero",
                |s| s.tick_rate_hz = Some(0),
                OutOfRange,
                "tickRateHz",
            ),
            (
                "tick rate too fast",
                |s| s.tick_rate_hz = Some(61),
                OutOfRange,
                "tickRateHz",
            ),
            (
                "session timeout",
                |s| s.player_session_timeout_seconds = 0,
                OutOfRange,
                "playerSessionTimeoutSeconds",
            ),
        ];
        for (name, change, code, mentions) in cases {
            let mut spec = GameServerSpec::default();
            change(&mut spec);
            let err = spec.validate().unwrap_err();
            assert_eq!(err.code, code, "{name}: {err}");
            assert!(err.message.contains(mentions), "{name}: {err}");
        }
    }
}
