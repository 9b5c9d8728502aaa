/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/lists@0.1.0' {
  /**
   * Appends a value. Errors with `already-exists` when the value is in the
   * list and `at-capacity` when the list is full.
   */
  export function appendListValue(key: string, value: string): void;
  /**
   * Deletes a value. Errors with `not-found` when the value is not in the
   * list.
   */
  export function deleteListValue(key: string, value: string): void;
  /**
   * Returns the list's values, in the order they were added.
   */
  export function getListValues(key: string): Array<string>;
  /**
   * Returns whether the list holds the value.
   */
  export function listContains(key: string, value: string): boolean;
  /**
   * Returns how many values the list holds.
   */
  export function getListLength(key: string): number;
  /**
   * Returns the list's capacity.
   */
  export function getListCapacity(key: string): bigint;
  /**
   * Sets the list's capacity, which must lie within [0, 1000]. Values
   * beyond the new capacity are dropped from the end.
   */
  export function setListCapacity(key: string, amount: bigint): void;
  /**
   * Returns the whole list (the REST surface's GetList).
   */
  export function getList(key: string): StringList;
  /**
   * Updates the list as one step and returns it (the REST surface's
   * UpdateList). If any part is invalid nothing changes.
   */
  export function updateList(key: string, update: ListUpdate): StringList;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
  export type StringList = import('gamehost:sdk/types@0.1.0').StringList;
  /**
   * What `update-list` changes. Absent fields are left as they are.
   */
  export interface ListUpdate {
    /**
     * A new capacity within [0, 1000].
     */
    capacity?: bigint,
    /**
     * New values replacing all current ones; they must be unique and fit
     * the capacity.
     */
    values?: Array<string>,
  }
}
