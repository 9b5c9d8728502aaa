/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/lifecycle@0.1.0' {
  /**
   * Marks the game server Ready to take players.
   * 
   * Allowed from every state but the terminal ones (Shutdown, Unhealthy,
   * Error); in particular an Allocated game server may become Ready again
   * to be reused. Cancels a pending `reserve` timer. The state reads
   * RequestReady until the current call returns, then Ready.
   */
  export function ready(): void;
  /**
   * Sends one health ping.
   * 
   * When health checking is enabled, the guest must ping at least once per
   * period after the initial delay; `failure-threshold` missed periods in a
   * row make the game server Unhealthy and start its termination.
   */
  export function health(): void;
  /**
   * Moves the game server to Reserved for `seconds` seconds, after which it
   * returns to Ready; 0 keeps it Reserved until another state change.
   * 
   * A Reserved game server is not allocated and not replaced. `ready`,
   * `allocate` and `shutdown` cancel the timer.
   */
  export function reserve(seconds: number): void;
  /**
   * Marks the game server Allocated.
   * 
   * Sets the annotation `agones.dev/last-allocated` to the time of the
   * call (RFC 3339), even when the game server is already Allocated.
   */
  export function allocate(): void;
  /**
   * Ends the game server: the state becomes Shutdown and the instance is
   * dropped when the current call returns. A game session in progress is
   * terminated.
   */
  export function shutdown(): void;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
}
