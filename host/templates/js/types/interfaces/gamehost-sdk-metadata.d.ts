/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/metadata@0.1.0' {
  /**
   * Sets a label. The value must be a valid Kubernetes label value: at most
   * 63 characters of `[A-Za-z0-9._-]`, starting and ending with a letter or
   * digit, or empty.
   */
  export function setLabel(key: string, value: string): void;
  /**
   * Sets an annotation. The value may be any string of at most 64 KiB.
   */
  export function setAnnotation(key: string, value: string): void;
  export type SdkError = import('gamehost:sdk/types@0.1.0').SdkError;
}
