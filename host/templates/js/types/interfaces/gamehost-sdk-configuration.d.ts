/// <reference path="./gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/configuration@0.1.0' {
  /**
   * Returns the game server's record as it is now, including changes the
   * guest made earlier in the same call.
   */
  export function getGameServer(): GameServer;
  /**
   * Subscribes the guest to changes of its record.
   * 
   * After this call the host calls the export `on-game-server-update` with
   * the whole record after every change, whether the change came from the
   * guest, a timer or the control plane. Changes are delivered between
   * calls, at most one update per batch of changes; calling it again has no
   * further effect.
   */
  export function watchGameServer(): void;
  export type GameServer = import('gamehost:sdk/types@0.1.0').GameServer;
}
