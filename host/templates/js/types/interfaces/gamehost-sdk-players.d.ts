/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/players@0.1.0' {
  /**
   * Records a player as connected. Returns true when the player was added
   * and false when it was already connected (nothing changes). Errors with
   * `at-capacity` when a new player would pass the player capacity.
   */
  export function playerConnect(playerId: string): boolean;
  /**
   * Records a player as gone. Returns true when the player was connected
   * and false when it was not (nothing changes).
   */
  export function playerDisconnect(playerId: string): boolean;
  /**
   * Sets how many players may be connected at once; it must not be
   * negative. Players already connected stay connected.
   */
  export function setPlayerCapacity(count: bigint): void;
  /**
   * Returns the player capacity.
   */
  export function getPlayerCapacity(): bigint;
  /**
   * Returns how many players are connected.
   */
  export function getPlayerCount(): bigint;
  /**
   * Returns whether the player is connected.
   */
  export function isPlayerConnected(playerId: string): boolean;
  /**
   * Returns the connected players' ids, in the order they connected.
   */
  export function getConnectedPlayers(): Array<string>;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
}
