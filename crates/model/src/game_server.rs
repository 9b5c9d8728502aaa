//! One game server's SDK state: the aggregate that every SDK call and every
//! control-plane operation acts on.

use super::clock::{Clock, Timestamp};
use super::counters::Counters;
use super::ending::{Action, EndKind, Ending};
use super::error::{Error, Result};
use super::game_session::{Endpoint, GameSession};
use super::health::{HealthChecks, PingHealth};
use super::limits::{
    LAST_ALLOCATED_ANNOTATION, MAX_ANNOTATION_VALUE_BYTES, MAX_ANNOTATIONS, MAX_LABELS,
};
use super::lists::Lists;
use super::names::{sdk_key, validate_label_value};
use super::player_sessions::PlayerSessions;
use super::players::Players;
use super::spec::GameServerSpec;
use super::state::{GameServerState, ProcessStatus};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Who and where a game server is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// Unique name on the host.
    pub name: String,
    /// The fleet (the Agones namespace, the GameLift fleet id).
    pub fleet: String,
    /// Unique id.
    pub uid: String,
    /// The host's id.
    pub host_id: String,
    /// Where players connect.
    pub endpoint: Endpoint,
}

/// The GameLift side of the process.
#[derive(Clone, Debug)]
pub(super) struct Process {
    pub(super) initialized: bool,
    pub(super) ready_declared: bool,
    pub(super) status: ProcessStatus,
    pub(super) port: u16,
    pub(super) termination_time: Option<Timestamp>,
    pub(super) backfill_tickets: u64,
}

/// A game server's state: lifecycle, metadata, counters, lists, players,
/// health, and its GameLift process, game session and player sessions.
///
/// Cloning copies the state (a hot swap starts the new version over a copy,
/// and keeps the original if the swap fails).
#[derive(Clone, Debug)]
pub struct GameServer {
    pub(super) clock: Arc<dyn Clock>,
    pub(super) identity: Identity,
    pub(super) spec: Arc<GameServerSpec>,
    pub(super) created_at: Timestamp,
    pub(super) generation: i64,
    pub(super) standing_generation: i64,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    pub(super) state: GameServerState,
    pub(super) reserved_until: Option<Timestamp>,
    pub(super) counters: Counters,
    pub(super) lists: Lists,
    pub(super) players: Players,
    pub(super) pings: PingHealth,
    pub(super) checks: HealthChecks,
    pub(super) process: Process,
    pub(super) session: Option<GameSession>,
    pub(super) player_sessions: PlayerSessions,
    pub(super) activation_deadline: Option<Timestamp>,
    pub(super) watching: bool,
    pub(super) unhealthy_reason: Option<String>,
    pub(super) ended: Option<Ending>,
    pub(super) actions: Vec<Action>,
}

impl GameServer {
    /// A new game server in state Scheduled, from a template already
    /// checked with [`GameServerSpec::validate`].
    pub fn new(identity: Identity, spec: Arc<GameServerSpec>, clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        let port = identity.endpoint.port;
        Self {
            labels: spec.labels.clone(),
            annotations: spec.annotations.clone(),
            counters: Counters::new(spec.counters().collect()),
            lists: Lists::new(spec.lists().collect()),
            players: Players::new(spec.player_capacity),
            pings: PingHealth::new(&spec.health, now),
            checks: HealthChecks::new(&spec.health_check),
            process: Process {
                initialized: false,
                ready_declared: false,
                status: ProcessStatus::Activating,
                port,
                termination_time: None,
                backfill_tickets: 0,
            },
            clock,
            identity,
            spec,
            created_at: now,
            generation: 1,
            standing_generation: 1,
            state: GameServerState::Scheduled,
            reserved_until: None,
            session: None,
            player_sessions: PlayerSessions::default(),
            activation_deadline: None,
            watching: false,
            unhealthy_reason: None,
            ended: None,
            actions: Vec::new(),
        }
    }

    /// The template it was made from.
    pub fn spec(&self) -> &GameServerSpec {
        &self.spec
    }

    /// The lifecycle state.
    pub fn state(&self) -> GameServerState {
        self.state
    }

    /// Incremented on every change; watchers compare it to see news.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// The generation of the latest change to anything but the game mode's
    /// own metadata (labels, annotations, counters, lists, player tracking):
    /// its lifecycle, health, game session and player sessions. Changes
    /// newer than this are metadata alone, which a publisher may gather for
    /// a moment and show together, as Agones batches the SDK's updates.
    pub fn standing_generation(&self) -> i64 {
        self.standing_generation
    }

    /// Whether the guest subscribed to `on-game-server-update`.
    pub fn is_watching(&self) -> bool {
        self.watching
    }

    /// The current time of the injected clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The injected clock, the only time its guest can read.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// When it was created, by its clock.
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// Sets an annotation the host owns, outside the SDK's
    /// `agones.dev/sdk-` prefix (such as the module a game server runs, or
    /// where its REST SDK listens); watchers see the change.
    pub fn set_host_annotation(&mut self, key: &str, value: &str) {
        if self.annotations.get(key).map(String::as_str) != Some(value) {
            self.annotations.insert(key.to_owned(), value.to_owned());
            self.touch();
        }
    }

    pub(super) fn touch(&mut self) {
        self.generation += 1;
        self.standing_generation = self.generation;
    }

    /// A change of the game mode's own metadata alone: see
    /// [`GameServer::standing_generation`].
    fn touch_metadata(&mut self) {
        self.generation += 1;
    }

    pub(super) fn require_live(&self) -> Result<()> {
        if self.state.is_terminal() {
            return Err(Error::failed_precondition(format!(
                "the game server is {}",
                self.state
            )));
        }
        Ok(())
    }

    pub(super) fn require_running(&self) -> Result<()> {
        match &self.ended {
            Some(ending) => Err(Error::failed_precondition(format!(
                "the game server has ended: {}",
                ending.reason
            ))),
            None => Ok(()),
        }
    }

    // Lifecycle (Agones).

    /// `ready`: RequestReady until the current call returns (see
    /// [`GameServer::confirm_ready`]); cancels a reserve timer. The first
    /// readiness begins the host's health checks.
    pub fn ready(&mut self) -> Result<()> {
        self.require_live()?;
        self.checks.begin(self.clock.now());
        self.reserved_until = None;
        if self.state != GameServerState::Ready {
            self.state = GameServerState::RequestReady;
        }
        if self.process.status == ProcessStatus::Activating {
            self.process.status = ProcessStatus::Active;
        }
        self.touch();
        Ok(())
    }

    /// Completes RequestReady → Ready once the guest's call has returned;
    /// returns whether anything changed.
    pub fn confirm_ready(&mut self) -> bool {
        if self.state != GameServerState::RequestReady {
            return false;
        }
        self.state = GameServerState::Ready;
        self.touch();
        true
    }

    /// `health`: one ping.
    pub fn health(&mut self) -> Result<()> {
        self.require_live()?;
        self.pings.ping(self.clock.now());
        Ok(())
    }

    /// `reserve`: Reserved for `seconds`, or until changed when 0.
    pub fn reserve(&mut self, seconds: u32) -> Result<()> {
        self.require_live()?;
        self.state = GameServerState::Reserved;
        self.reserved_until =
            (seconds > 0).then(|| self.clock.now() + Duration::from_secs(seconds.into()));
        self.touch();
        Ok(())
    }

    /// `allocate`: Allocated, stamping `agones.dev/last-allocated`.
    pub fn allocate(&mut self) -> Result<()> {
        self.require_live()?;
        self.mark_allocated();
        Ok(())
    }

    pub(super) fn mark_allocated(&mut self) {
        self.state = GameServerState::Allocated;
        self.reserved_until = None;
        let stamp = self.clock.now().to_rfc3339();
        self.annotations
            .insert(LAST_ALLOCATED_ANNOTATION.to_owned(), stamp);
        self.touch();
    }

    /// `shutdown`: Shutdown; the game session ends and the instance is
    /// dropped after the current call.
    pub fn shutdown(&mut self) -> Result<()> {
        self.require_running()?;
        self.finish(EndKind::Shutdown, "the game mode called shutdown");
        Ok(())
    }

    /// `watch-game-server`: subscribes the guest to updates.
    pub fn watch(&mut self) {
        self.watching = true;
    }

    // Metadata.

    /// `set-label`, under the SDK prefix.
    pub fn set_label(&mut self, key: &str, value: &str) -> Result<()> {
        let key = sdk_key(key)?;
        validate_label_value(value)?;
        insert_bounded(&mut self.labels, key, value, "label", MAX_LABELS)?;
        self.touch_metadata();
        Ok(())
    }

    /// `set-annotation`, under the SDK prefix.
    pub fn set_annotation(&mut self, key: &str, value: &str) -> Result<()> {
        let key = sdk_key(key)?;
        if value.len() > MAX_ANNOTATION_VALUE_BYTES {
            return Err(Error::invalid_argument(format!(
                "annotation values are at most {MAX_ANNOTATION_VALUE_BYTES} bytes, got {}",
                value.len()
            )));
        }
        insert_bounded(
            &mut self.annotations,
            key,
            value,
            "annotation",
            MAX_ANNOTATIONS,
        )?;
        self.touch_metadata();
        Ok(())
    }

    /// Labels, including the template's and the SDK's.
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// Annotations, including the template's and the SDK's.
    pub fn annotations(&self) -> &BTreeMap<String, String> {
        &self.annotations
    }

    // Counters, lists and players.

    /// The counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Runs a change on the counters; a successful one is a change of the
    /// game server.
    pub fn update_counters<R>(
        &mut self,
        change: impl FnOnce(&mut Counters) -> Result<R>,
    ) -> Result<R> {
        let out = change(&mut self.counters)?;
        self.touch_metadata();
        Ok(out)
    }

    /// The lists.
    pub fn lists(&self) -> &Lists {
        &self.lists
    }

    /// Runs a change on the lists; a successful one is a change of the game
    /// server.
    pub fn update_lists<R>(&mut self, change: impl FnOnce(&mut Lists) -> Result<R>) -> Result<R> {
        let out = change(&mut self.lists)?;
        self.touch_metadata();
        Ok(out)
    }

    /// The connected players.
    pub fn players(&self) -> &Players {
        &self.players
    }

    /// `player-connect`.
    pub fn player_connect(&mut self, id: &str) -> Result<bool> {
        let added = self.players.connect(id)?;
        if added {
            self.touch_metadata();
        }
        Ok(added)
    }

    /// `player-disconnect`.
    pub fn player_disconnect(&mut self, id: &str) -> bool {
        let removed = self.players.disconnect(id);
        if removed {
            self.touch_metadata();
        }
        removed
    }

    /// `set-player-capacity`.
    pub fn set_player_capacity(&mut self, capacity: i64) -> Result<()> {
        self.players.set_capacity(capacity)?;
        self.touch_metadata();
        Ok(())
    }

    // GameLift views used by the SDK and the control plane.

    /// The current or last game session.
    pub fn game_session(&self) -> Option<&GameSession> {
        self.session.as_ref()
    }

    /// The player sessions of the current or last game session.
    pub fn player_sessions(&self) -> &PlayerSessions {
        &self.player_sessions
    }

    /// Why and when the game server ended, once it has.
    pub fn ending(&self) -> Option<&Ending> {
        self.ended.as_ref()
    }
}

fn insert_bounded(
    map: &mut BTreeMap<String, String>,
    key: String,
    value: &str,
    what: &str,
    max: usize,
) -> Result<()> {
    if !map.contains_key(&key) && map.len() >= max {
        return Err(Error::at_capacity(format!(
            "a game server has at most {max} {what}s"
        )));
    }
    map.insert(key, value.to_owned());
    Ok(())
}

pub(super) fn check_metadata_room(
    what: &str,
    map: &BTreeMap<String, String>,
    max: usize,
) -> Result<()> {
    if map.len() > max {
        return Err(Error::at_capacity(format!(
            "a game server has at most {max} {what}s"
        )));
    }
    Ok(())
}
