/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/counters@0.1.0' {
  /**
   * Returns the counter's count.
   */
  export function getCounterCount(key: string): bigint;
  /**
   * Sets the counter's count; it must lie within [0, capacity].
   */
  export function setCounterCount(key: string, amount: bigint): void;
  /**
   * Adds a non-negative `amount` to the count. Errors with `out-of-range`
   * when the counter is at capacity or the sum would pass it.
   */
  export function incrementCounter(key: string, amount: bigint): void;
  /**
   * Subtracts a non-negative `amount` from the count. Errors with
   * `out-of-range` when the count is zero or would fall below it.
   */
  export function decrementCounter(key: string, amount: bigint): void;
  /**
   * Returns the counter's capacity (0 means no limit).
   */
  export function getCounterCapacity(key: string): bigint;
  /**
   * Sets the counter's capacity, which must not be negative; 0 means no
   * limit. A count above the new capacity is lowered to it.
   */
  export function setCounterCapacity(key: string, amount: bigint): void;
  /**
   * Returns the whole counter (the REST surface's GetCounter).
   */
  export function getCounter(key: string): Counter;
  /**
   * Updates the counter as one step and returns it (the REST surface's
   * UpdateCounter). If any part is out of range nothing changes.
   */
  export function updateCounter(key: string, update: CounterUpdate): Counter;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
  export type Counter = import('gamehost:sdk/types@0.1.0').Counter;
  /**
   * What `update-counter` changes. Absent fields are left as they are.
   */
  export interface CounterUpdate {
    /**
     * A new capacity, applied first.
     */
    capacity?: bigint,
    /**
     * A new count, applied second.
     */
    count?: bigint,
    /**
     * A signed change applied to the count last.
     */
    countDiff: bigint,
  }
}
