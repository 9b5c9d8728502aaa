// The conformance guest: calls every SDK function, checks each result and
// reports what it saw, like the Agones SDK conformance test. The same checks,
// phases and expectations as the Rust conformance guest
// (`guest-examples/rust/conformance`), whose documentation describes the
// template and the flow the host drives.

import * as phases from './phases.js';

export const callbacks = {
  onProcessStart: phases.start,
  onStartGameSession: phases.startGameSession,
  onUpdateGameSession: phases.updateGameSession,
  onProcessTerminate: phases.processTerminate,
  onHealthCheck: phases.healthCheck,
  onGameServerUpdate: phases.gameServerUpdate,
  onPlayerConnect: phases.playerConnect,
  onPlayerMessage() {},
  onPlayerDisconnect: phases.playerDisconnect,
};
