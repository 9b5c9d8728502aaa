/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/sessions@0.1.0' {
  /**
   * Declares the game session, delivered by `on-start-game-session`, ready
   * for players: ACTIVATING → ACTIVE. Errors with `failed-precondition`
   * when there is no game session in ACTIVATING.
   */
  export function activateGameSession(): void;
  /**
   * Ends the current game session (TERMINATED) and completes its player
   * sessions. The game server is idle again: an Allocated one returns to
   * Ready and can host the next game session; call `process-ending`
   * instead to finish.
   */
  export function terminateGameSession(): void;
  /**
   * Returns the id of the game session in progress, or an empty string when
   * the process is idle.
   */
  export function getGameSessionId(): string;
  /**
   * Sets whether the game session accepts new player sessions. Errors with
   * `failed-precondition` when there is no game session in progress.
   */
  export function updatePlayerSessionCreationPolicy(policy: PlayerSessionCreationPolicy): void;
  /**
   * Validates a connecting player's player session: RESERVED → ACTIVE.
   * 
   * Errors with `not-found` when the id is not a player session of this
   * game server's game session, and `failed-precondition` when it is not
   * RESERVED (already ACTIVE, COMPLETED or TIMEDOUT).
   */
  export function acceptPlayerSession(playerSessionId: string): void;
  /**
   * Records that a player left: RESERVED or ACTIVE → COMPLETED, which
   * frees the slot. Errors with `not-found` for an unknown id and
   * `failed-precondition` when it already ended.
   */
  export function removePlayerSession(playerSessionId: string): void;
  /**
   * Returns player sessions of this game server's game session.
   */
  export function describePlayerSessions(request: DescribePlayerSessionsRequest): DescribePlayerSessionsResult;
  /**
   * Asks for more players for the game session in progress and returns the
   * backfill ticket id.
   * 
   * Gamehost records the request on the game session, where the control
   * plane and matchmakers see it; a matchmaker answers by updating the game
   * session, which reaches the guest through `on-update-game-session`. One
   * backfill at a time: a second request errors with `failed-precondition`
   * until `stop-match-backfill`.
   */
  export function startMatchBackfill(request: StartMatchBackfillRequest): string;
  /**
   * Cancels the running backfill. Errors with `not-found` when the ticket
   * is not the running one.
   */
  export function stopMatchBackfill(request: StopMatchBackfillRequest): void;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
  export type PlayerSession = import('gamehost:sdk/types@0.1.0').PlayerSession;
  export type PlayerSessionStatus = import('gamehost:sdk/types@0.1.0').PlayerSessionStatus;
  export type PlayerSessionCreationPolicy = import('gamehost:sdk/types@0.1.0').PlayerSessionCreationPolicy;
  /**
   * Which player sessions `describe-player-sessions` returns. Exactly one of
   * the three ids must be given.
   */
  export interface DescribePlayerSessionsRequest {
    /**
     * All player sessions of this game session.
     */
    gameSessionId?: string,
    /**
     * One player session.
     */
    playerSessionId?: string,
    /**
     * All player sessions of one player.
     */
    playerId?: string,
    /**
     * Only player sessions in this status.
     */
    playerSessionStatusFilter?: PlayerSessionStatus,
    /**
     * At most this many results, 1 to 50; none means 50. Ignored when a
     * player session id is given.
     */
    limit?: number,
    /**
     * Where to continue, from a previous result's `next-token`.
     */
    nextToken?: string,
  }
  /**
   * A page of player sessions.
   */
  export interface DescribePlayerSessionsResult {
    /**
     * The player sessions, oldest first.
     */
    playerSessions: Array<PlayerSession>,
    /**
     * The token for the next page; none on the last page.
     */
    nextToken?: string,
  }
  /**
   * A player as a matchmaker sees it.
   */
  export interface MatchmakingPlayer {
    /**
     * The player's id.
     */
    playerId: string,
    /**
     * The player's team, if the match has teams.
     */
    team?: string,
    /**
     * Attributes the matchmaker uses, as JSON values.
     */
    playerAttributes: Array<[string, string]>,
    /**
     * Latency to each region, in milliseconds.
     */
    latencyInMs: Array<[string, number]>,
  }
  /**
   * A request for more players.
   */
  export interface StartMatchBackfillRequest {
    /**
     * The ticket id; the host makes one when none is given.
     */
    ticketId?: string,
    /**
     * The matchmaking configuration to ask.
     */
    matchmakingConfigurationArn: string,
    /**
     * The game session to fill: this game server's game session id.
     */
    gameSessionArn: string,
    /**
     * The players already in the game session.
     */
    players: Array<MatchmakingPlayer>,
  }
  /**
   * Which backfill `stop-match-backfill` cancels.
   */
  export interface StopMatchBackfillRequest {
    /**
     * The ticket id returned by `start-match-backfill`.
     */
    ticketId: string,
    /**
     * The matchmaking configuration the request went to.
     */
    matchmakingConfigurationArn: string,
    /**
     * The game session the request was for.
     */
    gameSessionArn: string,
  }
}
