//! The SDK's semantics as plain Rust: game servers, their state machines,
//! counters, lists, players, health, game sessions, player sessions and the
//! game-server registry.
//!
//! Nothing here knows about wasmtime, HTTP or tokio. Time comes from an
//! injected [`Clock`], so every rule is tested with a fake one. The interface
//! the daemon asks of a database, [`store::Store`], is defined here too, so
//! that a store can be written against the model alone.

mod allocation;
mod clock;
mod counters;
mod cpu_budget;
mod creation_limit;
mod ending;
mod error;
mod game_server;
mod game_session;
mod gamelift;
mod health;
mod hosts;
pub mod limits;
mod lists;
mod names;
mod player_sessions;
mod players;
mod record;
mod registry;
mod registry_requests;
mod spec;
mod state;
pub mod store;
mod timers;

#[cfg(test)]
mod tests;

pub use allocation::{AllocationChange, CountDirection, CounterAction, ListAction};
pub use clock::{Clock, FakeClock, SystemClock, Timestamp};
pub use counters::{Counter, CounterUpdate, Counters};
pub use cpu_budget::{CpuBudgetSpec, CpuGovernor, TickVerdict};
pub use creation_limit::{CreationLimitPolicy, CreatorLimits, LimitReached};
pub use ending::{Action, EndKind, Ending};
pub use error::{Error, ErrorCode, Result};
pub use game_server::{GameServer, Identity};
pub use game_session::{
    Backfill, CreationPolicy, Endpoint, GameProperty, GameSession, GameSessionStatus,
    MatchmakingPlayer, NewGameSession, UpdateReason, reasons,
};
pub use gamelift::{GameSessionUpdate, ServerParameters};
pub use hosts::{HostRecord, HostState, LEASE_RENEWAL, LEASE_TERM, replica_share};
pub use lists::{List, ListUpdate, Lists};
pub use names::{sdk_key, validate_label_value, validate_qualified_name};
pub use player_sessions::{
    DescribePage, DescribeRequest, NewPlayerSession, PlayerSession, PlayerSessionStatus,
    PlayerSessions, page_player_sessions,
};
pub use players::Players;
pub use record::{
    CpuUsage, GameServerRecord, ObjectMeta, PlayerStatus, Port, ProcessRecord, RecordSpec, Status,
};
pub use registry::{
    CLAIM_DURATION, GameServerPage, RegisteredGameServer, Registry, page_game_servers,
};
pub use registry_requests::{
    ClaimFilter, ClaimGameServer, ClaimStatus, HealthCheck, InstanceStatus, ListGameServers,
    RegisterGameServer, SortOrder, UpdateGameServer, UtilizationStatus,
};
pub use spec::{
    CounterSpec, GameServerSpec, HealthCheckSpec, HealthSpec, ListSpec, RoleCredentials,
};
pub use state::{GameServerState, ProcessStatus};
