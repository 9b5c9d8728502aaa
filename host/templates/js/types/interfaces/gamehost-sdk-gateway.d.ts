/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/gateway@0.1.0' {
  /**
   * Sends `message` to one connected player. Errors: `invalid-argument`
   * for a message over 64 KiB; `not-found` when the player is not
   * connected; `unavailable` when the player's queue is full (the player
   * is then disconnected).
   */
  export function send(playerSessionId: string, message: Uint8Array): void;
  /**
   * Sends `message` to each of the connected players named (at most 1,024
   * ids); returns how many received it. Ids not connected are skipped.
   * Errors: `invalid-argument` for a message over 64 KiB or too many ids.
   */
  export function sendMany(playerSessionIds: Array<string>, message: Uint8Array): number;
  /**
   * Sends `message` to every connected player; returns how many received
   * it. Errors: `invalid-argument` for a message over 64 KiB.
   */
  export function broadcast(message: Uint8Array): number;
  /**
   * Closes a player's connection with `reason` (at most 123 bytes, the
   * WebSocket limit). `callbacks.on-player-disconnect` follows, as for
   * every connection that ends. Errors: `invalid-argument` for a longer
   * reason; `not-found` when the player is not connected.
   */
  export function disconnect(playerSessionId: string, reason: string): void;
  /**
   * The player session ids of the connected players.
   */
  export function connected(): Array<string>;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
}
