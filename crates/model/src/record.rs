//! The game-server record watchers and the control plane see: the Agones
//! GameServer shape plus the GameLift process view.

use super::clock::Timestamp;
use super::counters::Counter;
use super::ending::Ending;
use super::game_server::GameServer;
use super::game_session::GameSession;
use super::lists::List;
use super::spec::HealthSpec;
use super::state::{GameServerState, ProcessStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A snapshot of a game server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GameServerRecord {
    /// Names, ids, timestamps, labels and annotations.
    #[serde(alias = "object_meta")]
    pub object_meta: ObjectMeta,
    /// The settings it runs under.
    pub spec: RecordSpec,
    /// The live Agones status.
    pub status: Status,
    /// The GameLift view.
    pub process: ProcessRecord,
}

/// Agones' ObjectMeta.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Name.
    pub name: String,
    /// Namespace: the fleet.
    pub namespace: String,
    /// Unique id.
    pub uid: String,
    /// Changes with every update.
    #[serde(alias = "resource_version")]
    pub resource_version: String,
    /// Incremented with every update.
    pub generation: i64,
    /// Creation time in Unix epoch seconds.
    #[serde(alias = "creation_timestamp")]
    pub creation_timestamp: i64,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    pub annotations: BTreeMap<String, String>,
}

/// The spec parts a record shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecordSpec {
    /// Health-ping settings.
    pub health: HealthSpec,
}

/// A named port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Port {
    /// Name.
    pub name: String,
    /// Number.
    pub port: u16,
}

/// Player tracking status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlayerStatus {
    /// Connected count.
    pub count: i64,
    /// Capacity.
    pub capacity: i64,
    /// Connected ids.
    pub ids: Vec<String>,
}

/// Agones' GameServerStatus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Lifecycle state.
    pub state: GameServerState,
    /// Address.
    pub address: String,
    /// Ports.
    pub ports: Vec<Port>,
    /// Players.
    pub players: PlayerStatus,
    /// Counters by key.
    pub counters: BTreeMap<String, Counter>,
    /// Lists by key.
    pub lists: BTreeMap<String, List>,
    /// When a Reserved game server returns to Ready, in epoch seconds.
    #[serde(alias = "reserved_until")]
    pub reserved_until: Option<i64>,
    /// Why the game server became Unhealthy, while it is.
    #[serde(alias = "unhealthy_reason")]
    pub unhealthy_reason: Option<String>,
    /// The CPU time its calls used.
    #[serde(default)]
    pub cpu: CpuUsage,
}

/// The CPU time a game server's calls used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CpuUsage {
    /// Seconds of running time, in all its calls into the guest.
    pub seconds: f64,
    /// Game-loop ticks skipped because it was over its CPU budget.
    pub ticks_skipped: u64,
}

/// The GameLift view of the process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProcessRecord {
    /// Process status.
    pub status: ProcessStatus,
    /// Whether the guest called `init-sdk` (and not `destroy`).
    #[serde(alias = "sdk_initialized")]
    pub sdk_initialized: bool,
    /// When the host will end the process.
    #[serde(alias = "termination_time")]
    pub termination_time: Option<Timestamp>,
    /// The current or last game session.
    #[serde(alias = "game_session")]
    pub game_session: Option<GameSession>,
    /// How the game server ended, once it has.
    pub ending: Option<Ending>,
}

impl GameServerRecord {
    /// Whether the game server hosts a game: a game session in progress, or
    /// players connected. One allocated (or claimed) for a game that has not
    /// started does not, as a FleetIQ game server claimed for a game stays
    /// AVAILABLE until it reports the game's activity.
    pub fn hosts_a_game(&self) -> bool {
        let session = self.process.game_session.as_ref();
        session.is_some_and(|s| !s.status.is_ended()) || self.status.players.count > 0
    }
}

impl GameServer {
    /// A snapshot of the whole record.
    pub fn record(&self) -> GameServerRecord {
        let endpoint = &self.identity.endpoint;
        GameServerRecord {
            object_meta: ObjectMeta {
                name: self.identity.name.clone(),
                namespace: self.identity.fleet.clone(),
                uid: self.identity.uid.clone(),
                resource_version: self.generation.to_string(),
                generation: self.generation,
                creation_timestamp: self.created_at.as_secs(),
                labels: self.labels.clone(),
                annotations: self.annotations.clone(),
            },
            spec: RecordSpec {
                health: self.spec.health,
            },
            status: Status {
                state: self.state,
                address: endpoint.ip_address.clone(),
                ports: vec![Port {
                    name: "default".to_owned(),
                    port: self.process.port,
                }],
                players: PlayerStatus {
                    count: self.players.count(),
                    capacity: self.players.capacity(),
                    ids: self.players.ids().to_vec(),
                },
                counters: self
                    .counters
                    .iter()
                    .map(|(k, c)| (k.to_owned(), c))
                    .collect(),
                lists: self
                    .lists
                    .iter()
                    .map(|(k, l)| (k.to_owned(), l.clone()))
                    .collect(),
                reserved_until: self.reserved_until.map(Timestamp::as_secs),
                unhealthy_reason: self.unhealthy_reason.clone(),
                cpu: CpuUsage::default(),
            },
            process: ProcessRecord {
                status: self.process.status,
                sdk_initialized: self.process.initialized,
                termination_time: self.process.termination_time,
                game_session: self.session.clone(),
                ending: self.ended.clone(),
            },
        }
    }
}
