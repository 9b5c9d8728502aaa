declare module 'gamehost:sdk/types@0.1.0' {
  /**
   * What kind of error an SDK call returned.
   * 
   * Every error a guest can cause is returned as a `result` error with one
   * of these codes; the host never traps a guest for a bad argument.
   * # Variants
   * 
   * ## `"invalid-argument"`
   * 
   * An argument is malformed: a label key that is not a Kubernetes
   * qualified name, a negative amount, an empty id, a string or list
   * over its bound, or a request that names no target.
   * ## `"not-found"`
   * 
   * The counter or list key is not declared in the game server's
   * template, or the list value, player session or game session does
   * not exist.
   * ## `"already-exists"`
   * 
   * The value is already there (a duplicate list value).
   * ## `"out-of-range"`
   * 
   * The call would leave a count or a capacity outside its range:
   * counter counts stay within [0, capacity] (capacity 0 means no
   * limit), list capacities within [0, 1000].
   * ## `"at-capacity"`
   * 
   * The list or the player set is full.
   * ## `"failed-precondition"`
   * 
   * The call is not allowed in the current state: the game server has
   * ended, there is no game session to activate, the player session is
   * not RESERVED, a match backfill is already running, and so on.
   * ## `"not-initialized"`
   * 
   * A GameLift call was made before `init-sdk` or after `destroy`.
   * ## `"unavailable"`
   * 
   * The host has nothing to give for this call in a sandbox; the
   * message says why.
   */
  export type ErrorCode = 'invalid-argument' | 'not-found' | 'already-exists' | 'out-of-range' | 'at-capacity' | 'failed-precondition' | 'not-initialized' | 'unavailable';
  /**
   * The error of a failed SDK call: a code to branch on and a message for
   * people.
   */
  export interface SdkError {
    /**
     * What kind of error this is.
     */
    code: ErrorCode,
    /**
     * A human-readable explanation naming the offending key or value.
     */
    message: string,
  }
  /**
   * A key and a value, used for labels, annotations, game properties and
   * structured log fields.
   */
  export interface KeyValue {
    /**
     * The key.
     */
    key: string,
    /**
     * The value.
     */
    value: string,
  }
  /**
   * The state of a game server, as in Agones.
   * 
   * Scheduled → RequestReady → Ready ⇄ Reserved → Allocated → Shutdown.
   * Allocated may go back to Ready. Shutdown, Unhealthy and Error are
   * terminal.
   * # Variants
   * 
   * ## `"scheduled"`
   * 
   * The instance exists but has not called `ready` (or
   * `process-ready`) yet.
   * ## `"request-ready"`
   * 
   * The guest has asked to be Ready; the host confirms when the
   * current call returns.
   * ## `"ready"`
   * 
   * Ready to take a game session or an allocation.
   * ## `"reserved"`
   * 
   * Held back from allocation for a while (see `reserve`).
   * ## `"allocated"`
   * 
   * Claimed for players: allocated by the control plane, by a game
   * session, or by the guest's own `allocate`.
   * ## `"shutdown"`
   * 
   * Ended on request (`shutdown`, `process-ending`, or the end of a
   * termination grace period).
   * ## `"unhealthy"`
   * 
   * Ended because it failed its health checks, trapped, ran past its
   * deadline or ran out of memory.
   * ## `"error"`
   * 
   * The instance could not start.
   */
  export type GameServerState = 'scheduled' | 'request-ready' | 'ready' | 'reserved' | 'allocated' | 'shutdown' | 'unhealthy' | 'error';
  /**
   * A named port of the game server.
   */
  export interface GameServerPort {
    /**
     * The port's name, `default` for the primary port.
     */
    name: string,
    /**
     * The port number.
     */
    port: number,
  }
  /**
   * The Agones ObjectMeta of a game server.
   */
  export interface ObjectMeta {
    /**
     * The game server's name, unique on its host.
     */
    name: string,
    /**
     * The namespace: the fleet's name.
     */
    namespace: string,
    /**
     * A unique id for this game server.
     */
    uid: string,
    /**
     * Changes on every update of the record.
     */
    resourceVersion: string,
    /**
     * Incremented on every update of the record.
     */
    generation: bigint,
    /**
     * When the game server was created, in Unix epoch seconds.
     */
    creationTimestamp: bigint,
    /**
     * Labels: the template's, those applied on allocation, and the
     * guest's own under the `agones.dev/sdk-` prefix.
     */
    labels: Array<KeyValue>,
    /**
     * Annotations, with the same origins as labels.
     */
    annotations: Array<KeyValue>,
  }
  /**
   * The guest health-ping settings of a game server (Agones' `health`).
   */
  export interface HealthSpec {
    /**
     * True when the host does not check the guest's `health` pings.
     */
    disabled: boolean,
    /**
     * How often the guest must call `health`, in seconds.
     */
    periodSeconds: number,
    /**
     * How many missed periods in a row make the game server Unhealthy.
     */
    failureThreshold: number,
    /**
     * How long after start before the first check, in seconds.
     */
    initialDelaySeconds: number,
  }
  /**
   * The player-tracking part of a game server's status.
   */
  export interface PlayerStatus {
    /**
     * How many players are connected.
     */
    count: bigint,
    /**
     * How many players may be connected at once.
     */
    capacity: bigint,
    /**
     * The connected players' ids.
     */
    ids: Array<string>,
  }
  /**
   * A counter: a count bounded by a capacity.
   */
  export interface Counter {
    /**
     * The counter's key, as declared in the template.
     */
    name: string,
    /**
     * The current count, within [0, capacity].
     */
    count: bigint,
    /**
     * The capacity; 0 means no limit.
     */
    capacity: bigint,
  }
  /**
   * A list: unique string values bounded by a capacity.
   */
  export interface StringList {
    /**
     * The list's key, as declared in the template.
     */
    name: string,
    /**
     * How many values the list may hold, within [0, 1000].
     */
    capacity: bigint,
    /**
     * The values, in the order they were added.
     */
    values: Array<string>,
  }
  /**
   * The status of a game server.
   */
  export interface GameServerStatus {
    /**
     * The lifecycle state.
     */
    state: GameServerState,
    /**
     * The address players connect to.
     */
    address: string,
    /**
     * The ports players connect to.
     */
    ports: Array<GameServerPort>,
    /**
     * Player tracking.
     */
    players: PlayerStatus,
    /**
     * Every declared counter.
     */
    counters: Array<Counter>,
    /**
     * Every declared list.
     */
    lists: Array<StringList>,
    /**
     * When a Reserved game server goes back to Ready, in Unix epoch
     * seconds; none when not Reserved or reserved until changed.
     */
    reservedUntil?: bigint,
  }
  /**
   * The parts of the game server's specification a guest can read.
   */
  export interface GameServerSpec {
    /**
     * Guest health-ping settings.
     */
    health: HealthSpec,
  }
  /**
   * A game server, in the shape of the Agones GameServer record.
   */
  export interface GameServer {
    /**
     * Name, ids, timestamps, labels and annotations.
     */
    objectMeta: ObjectMeta,
    /**
     * The settings the guest runs under.
     */
    spec: GameServerSpec,
    /**
     * The live status.
     */
    status: GameServerStatus,
  }
  /**
   * The status of a game session (GameLift).
   * 
   * ACTIVATING → ACTIVE → TERMINATING → TERMINATED.
   * # Variants
   * 
   * ## `"activating"`
   * 
   * Created and handed to the guest through `on-start-game-session`;
   * waiting for `activate-game-session`.
   * ## `"active"`
   * 
   * Activated: taking player sessions.
   * ## `"terminating"`
   * 
   * Ending: the host asked the process to terminate.
   * ## `"terminated"`
   * 
   * Ended.
   * ## `"error"`
   * 
   * Ended because the game server failed while hosting it.
   */
  export type GameSessionStatus = 'activating' | 'active' | 'terminating' | 'terminated' | 'error';
  /**
   * Whether a game session accepts new player sessions.
   * # Variants
   * 
   * ## `"accept-all"`
   * 
   * New player sessions may be created while there is a free slot.
   * ## `"deny-all"`
   * 
   * No new player sessions may be created.
   */
  export type PlayerSessionCreationPolicy = 'accept-all' | 'deny-all';
  /**
   * A game session: one match hosted by this game server.
   */
  export interface GameSession {
    /**
     * The game session's unique id.
     */
    gameSessionId: string,
    /**
     * A descriptive name; not unique.
     */
    name: string,
    /**
     * The fleet that hosts it.
     */
    fleetId: string,
    /**
     * How many players may hold a player session at once.
     */
    maximumPlayerSessionCount: number,
    /**
     * The current status.
     */
    status: GameSessionStatus,
    /**
     * Why the game session reached its status, when the host has a
     * reason (for example `ACTIVATION_TIMEOUT`).
     */
    statusReason?: string,
    /**
     * Game properties given at creation.
     */
    gameProperties: Array<KeyValue>,
    /**
     * Free-form game data given at creation.
     */
    gameSessionData: string,
    /**
     * Matchmaker data, as JSON, when the game session came from a
     * matchmaker or a backfill.
     */
    matchmakerData: string,
    /**
     * Whether new player sessions are accepted.
     */
    playerSessionCreationPolicy: PlayerSessionCreationPolicy,
    /**
     * The address players connect to.
     */
    ipAddress: string,
    /**
     * The DNS name players connect to.
     */
    dnsName: string,
    /**
     * The port players connect to.
     */
    port: number,
    /**
     * When the game session was created, in Unix epoch milliseconds.
     */
    creationTime: bigint,
    /**
     * When the game session ended, in Unix epoch milliseconds.
     */
    terminationTime?: bigint,
  }
  /**
   * Why a game session was updated (GameLift's UpdateReason).
   * # Variants
   * 
   * ## `"matchmaking-data-updated"`
   * 
   * New matchmaker data arrived, for example from a backfill.
   * ## `"backfill-failed"`
   * 
   * The backfill request failed.
   * ## `"backfill-timed-out"`
   * 
   * The backfill request timed out.
   * ## `"backfill-cancelled"`
   * 
   * The backfill request was cancelled.
   * ## `"unknown"`
   * 
   * Any other reason.
   */
  export type UpdateReason = 'matchmaking-data-updated' | 'backfill-failed' | 'backfill-timed-out' | 'backfill-cancelled' | 'unknown';
  /**
   * An update to the game session, delivered by `on-update-game-session`.
   */
  export interface UpdateGameSession {
    /**
     * The game session as it is now.
     */
    gameSession: GameSession,
    /**
     * Why it changed.
     */
    updateReason: UpdateReason,
    /**
     * The backfill ticket the update answers, if any.
     */
    backfillTicketId?: string,
  }
  /**
   * The status of a player session (GameLift).
   * 
   * RESERVED → ACTIVE → COMPLETED, or RESERVED → TIMEDOUT.
   * # Variants
   * 
   * ## `"reserved"`
   * 
   * A slot is held; the player has not been accepted yet.
   * ## `"active"`
   * 
   * The guest accepted the player.
   * ## `"completed"`
   * 
   * The player left (the guest removed the player session) or the
   * game session ended.
   * ## `"timedout"`
   * 
   * The player was not accepted in time; the slot was reopened.
   */
  export type PlayerSessionStatus = 'reserved' | 'active' | 'completed' | 'timedout';
  /**
   * A player session: one player's seat in a game session.
   */
  export interface PlayerSession {
    /**
     * The player session's unique id.
     */
    playerSessionId: string,
    /**
     * The player's id.
     */
    playerId: string,
    /**
     * The game session the seat belongs to.
     */
    gameSessionId: string,
    /**
     * The fleet that hosts it.
     */
    fleetId: string,
    /**
     * The address the player connects to.
     */
    ipAddress: string,
    /**
     * The DNS name the player connects to.
     */
    dnsName: string,
    /**
     * The port the player connects to.
     */
    port: number,
    /**
     * Free-form player data given at creation.
     */
    playerData: string,
    /**
     * The current status.
     */
    status: PlayerSessionStatus,
    /**
     * When the player session was created, in Unix epoch milliseconds.
     */
    creationTime: bigint,
    /**
     * When it reached COMPLETED or TIMEDOUT, in Unix epoch milliseconds.
     */
    terminationTime?: bigint,
  }
}
