/// <reference path="./interfaces/gamehost-sdk-callbacks.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-configuration.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-counters.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-gateway.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-lifecycle.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-lists.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-logging.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-metadata.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-players.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-process.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-sessions.d.ts" />
/// <reference path="./interfaces/gamehost-sdk-types.d.ts" />
declare module 'gamehost:sdk/game-server@0.1.0' {
  export type * as GamehostSdkConfiguration010 from 'gamehost:sdk/configuration@0.1.0'; // import gamehost:sdk/configuration@0.1.0
  export type * as GamehostSdkCounters010 from 'gamehost:sdk/counters@0.1.0'; // import gamehost:sdk/counters@0.1.0
  export type * as GamehostSdkGateway010 from 'gamehost:sdk/gateway@0.1.0'; // import gamehost:sdk/gateway@0.1.0
  export type * as GamehostSdkLifecycle010 from 'gamehost:sdk/lifecycle@0.1.0'; // import gamehost:sdk/lifecycle@0.1.0
  export type * as GamehostSdkLists010 from 'gamehost:sdk/lists@0.1.0'; // import gamehost:sdk/lists@0.1.0
  export type * as GamehostSdkLogging010 from 'gamehost:sdk/logging@0.1.0'; // import gamehost:sdk/logging@0.1.0
  export type * as GamehostSdkMetadata010 from 'gamehost:sdk/metadata@0.1.0'; // import gamehost:sdk/metadata@0.1.0
  export type * as GamehostSdkPlayers010 from 'gamehost:sdk/players@0.1.0'; // import gamehost:sdk/players@0.1.0
  export type * as GamehostSdkProcess010 from 'gamehost:sdk/process@0.1.0'; // import gamehost:sdk/process@0.1.0
  export type * as GamehostSdkSessions010 from 'gamehost:sdk/sessions@0.1.0'; // import gamehost:sdk/sessions@0.1.0
  export type * as GamehostSdkTypes010 from 'gamehost:sdk/types@0.1.0'; // import gamehost:sdk/types@0.1.0
  export * as callbacks from 'gamehost:sdk/callbacks@0.1.0'; // export gamehost:sdk/callbacks@0.1.0
}
