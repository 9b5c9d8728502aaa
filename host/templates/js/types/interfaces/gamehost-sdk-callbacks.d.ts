/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/callbacks@0.1.0' {
  /**
   * Called once, right after the instance starts: the game mode's `main`.
   * 
   * Declare readiness here: `lifecycle.ready`, or `process.init-sdk` and
   * `process.process-ready`.
   */
  export function onProcessStart(): void;
  /**
   * A game session was placed on this game server (GameLift's
   * OnStartGameSession). Prepare the match, then call
   * `sessions.activate-game-session` (here or in a later call) before the
   * activation timeout.
   */
  export function onStartGameSession(gameSession: GameSession): void;
  /**
   * The game session was updated, for example with new matchmaker data
   * after a backfill (GameLift's OnUpdateGameSession).
   */
  export function onUpdateGameSession(update: UpdateGameSession): void;
  /**
   * The host will end this process at `termination-time` (Unix epoch
   * seconds) (GameLift's OnProcessTerminate): after failed health checks or
   * on an operator's request. Finish the match and call
   * `process.process-ending`.
   */
  export function onProcessTerminate(terminationTime: bigint): void;
  /**
   * Reports whether the game mode is healthy (GameLift's OnHealthCheck).
   * The host calls it on a period, from the time the process is ready
   * (`process-ready` or `ready`); `false`, a trap or a blown deadline
   * counts as a failure.
   */
  export function onHealthCheck(): boolean;
  /**
   * The game server's record changed (Agones' WatchGameServer). Called only
   * after `configuration.watch-game-server`.
   */
  export function onGameServerUpdate(gameServer: GameServer): void;
  /**
   * A player connected with this player session id. Validate it with
   * `sessions.accept-player-session` and return ok to admit the player, or
   * an error with the reason to refuse it.
   */
  export function onPlayerConnect(playerSessionId: string): void;
  /**
   * A message from a connected player (at most 64 KiB).
   */
  export function onPlayerMessage(playerSessionId: string, message: Uint8Array): void;
  /**
   * A connected player went away. Call `sessions.remove-player-session` to
   * free the slot.
   */
  export function onPlayerDisconnect(playerSessionId: string): void;
  export type GameSession = import('gamehost:sdk/types@0.1.0').GameSession;
  export type UpdateGameSession = import('gamehost:sdk/types@0.1.0').UpdateGameSession;
  export type GameServer = import('gamehost:sdk/types@0.1.0').GameServer;
}
