/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/logging@0.1.0' {
  /**
   * Logs a line with optional structured fields. Messages over 8 KiB and
   * fields beyond the first 32 are cut.
   */
  export function log(level: Level, message: string, fields: Array<KeyValue>): void;
  export type KeyValue = import('gamehost:sdk/types@0.1.0').KeyValue;
  /**
   * How important a log line is.
   * # Variants
   * 
   * ## `"trace"`
   * 
   * Very detailed tracing.
   * ## `"debug"`
   * 
   * Debugging detail.
   * ## `"info"`
   * 
   * Normal operation.
   * ## `"warn"`
   * 
   * Something unexpected that the game mode handled.
   * ## `"error"`
   * 
   * Something failed.
   */
  export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
