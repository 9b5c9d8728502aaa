//! Bounds on every quantity a guest or a client controls.
//!
//! A value over its bound is refused with `invalid-argument` and changes
//! nothing, so no guest or client can make the host hold unbounded state.

/// The prefix under which the SDK stores a guest's labels and annotations.
pub const SDK_METADATA_PREFIX: &str = "agones.dev/sdk-";
/// The annotation `allocate` sets to the time of allocation.
pub const LAST_ALLOCATED_ANNOTATION: &str = "agones.dev/last-allocated";

/// Most labels on one game server.
pub const MAX_LABELS: usize = 64;
/// Most annotations on one game server.
pub const MAX_ANNOTATIONS: usize = 64;
/// Longest annotation value, in bytes.
pub const MAX_ANNOTATION_VALUE_BYTES: usize = 64 * 1024;

/// Most counters or lists a template declares.
pub const MAX_COUNTERS_OR_LISTS: usize = 64;
/// Longest counter or list key, in bytes.
pub const MAX_COUNTER_OR_LIST_KEY_BYTES: usize = 63;
/// Default counter capacity when a template leaves it out (as in Agones).
pub const DEFAULT_COUNTER_CAPACITY: i64 = 1000;
/// Largest list capacity (as in Agones).
pub const MAX_LIST_CAPACITY: i64 = 1000;
/// Longest list value, in bytes.
pub const MAX_LIST_VALUE_BYTES: usize = 1024;

/// Largest player capacity.
pub const MAX_PLAYER_CAPACITY: i64 = 10_000;
/// Longest player id, in bytes.
pub const MAX_PLAYER_ID_BYTES: usize = 1024;

/// Longest id or name (game session, player session, ticket, fleet), in bytes.
pub const MAX_ID_BYTES: usize = 256;
/// Largest `maximum-player-session-count` of a game session.
pub const MAX_PLAYERS_PER_GAME_SESSION: u32 = 1000;
/// Most game properties on a game session (as in GameLift).
pub const MAX_GAME_PROPERTIES: usize = 16;
/// Longest game property key, in bytes (as in GameLift).
pub const MAX_GAME_PROPERTY_KEY_BYTES: usize = 32;
/// Longest game property value, in bytes (as in GameLift).
pub const MAX_GAME_PROPERTY_VALUE_BYTES: usize = 96;
/// Longest game session data, in bytes (as in GameLift).
pub const MAX_GAME_SESSION_DATA_BYTES: usize = 4096;
/// Longest matchmaker data, in bytes (as in GameLift).
pub const MAX_MATCHMAKER_DATA_BYTES: usize = 390_000;
/// Longest creator id of a game session, in bytes (as in GameLift).
pub const MAX_CREATOR_ID_BYTES: usize = 1024;
/// Longest player data, in bytes (as in GameLift).
pub const MAX_PLAYER_DATA_BYTES: usize = 2048;
/// Most player session records kept per game session; the oldest ended ones
/// are dropped first.
pub const MAX_PLAYER_SESSION_RECORDS: usize = 4096;
/// Default and largest page of `describe-player-sessions`.
pub const MAX_DESCRIBE_LIMIT: u32 = 50;

/// Most players in one match backfill request.
pub const MAX_BACKFILL_PLAYERS: usize = 200;
/// Most attributes or latencies per backfill player.
pub const MAX_BACKFILL_PLAYER_ENTRIES: usize = 32;
/// Longest backfill attribute value, in bytes.
pub const MAX_BACKFILL_ATTRIBUTE_BYTES: usize = 1024;

/// Most role credentials a template carries.
pub const MAX_ROLE_CREDENTIALS: usize = 16;

/// Longest game server group name, in bytes (as in GameLift).
pub const MAX_GAME_SERVER_GROUP_NAME_BYTES: usize = 128;
/// Shortest game server id, in bytes (as in GameLift).
pub const MIN_GAME_SERVER_ID_BYTES: usize = 3;
/// Longest game server id, in bytes (as in GameLift).
pub const MAX_GAME_SERVER_ID_BYTES: usize = 128;
/// Longest instance id, in bytes. GameLift takes only 19-character EC2 ids;
/// here the instance is a host, named by letters, digits, '-' and '.'.
pub const MAX_INSTANCE_ID_BYTES: usize = 128;
/// Longest connection info of a registered game server, in bytes (as in
/// GameLift).
pub const MAX_CONNECTION_INFO_BYTES: usize = 512;
/// Longest game server data of a registered game server, in bytes (as in
/// GameLift).
pub const MAX_GAME_SERVER_DATA_BYTES: usize = 1024;
/// Most game servers registered in one group: every game server of a full
/// host fits in one group.
pub const MAX_GAME_SERVERS_PER_GROUP: usize = 10_000;
/// Most game servers registered on one host, across its groups: two full
/// groups, so that one group can be filled while another empties.
pub const MAX_REGISTERED_GAME_SERVERS: usize = 20_000;
/// Default and largest page of `list-game-servers`.
pub const MAX_LIST_GAME_SERVERS_LIMIT: u32 = 100;
