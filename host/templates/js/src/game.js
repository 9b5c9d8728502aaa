// @ts-check
// {{name}}: a Gamehost game mode. It declares itself Ready, activates each
// game session placed on it, admits the players whose player sessions it
// was given, and echoes each player's messages back to that player.
//
// The SDK is the WIT package in wit/ (gamehost:sdk): each interface is a
// module `gamehost:sdk/INTERFACE@0.1.0` to import, and the callbacks the
// host calls are the object exported as `callbacks`. types/ declares them
// for editors and `npm run check`. WIT names are camelCase here, `s64`
// values BigInts, and an SDK call that fails throws an error whose
// `payload` is the SDK error, `{ code, message }`.

import * as gateway from 'gamehost:sdk/gateway@0.1.0';
import * as lifecycle from 'gamehost:sdk/lifecycle@0.1.0';
import { log } from 'gamehost:sdk/logging@0.1.0';
import * as process from 'gamehost:sdk/process@0.1.0';
import * as sessions from 'gamehost:sdk/sessions@0.1.0';

/** @typedef {import('gamehost:sdk/types@0.1.0').SdkError} SdkError */

/**
 * Why an SDK call failed: the message of the SDK error it threw.
 * @param {unknown} e
 * @returns {string}
 */
function reason(e) {
  const payload = /** @type {{ payload?: SdkError }} */ (e)?.payload;
  return payload?.message ?? String(e);
}

/**
 * Logs `message` at `info` with one field, `key`=`value`.
 * @param {string} message
 * @param {string} key
 * @param {string} value
 */
function info(message, key, value) {
  log('info', message, [{ key, value }]);
}

/** @type {typeof import('gamehost:sdk/callbacks@0.1.0')} */
export const callbacks = {
  onProcessStart() {
    // An error here is a broken deployment: let it throw, which traps and
    // ends this game server with the error in its log.
    process.initSdk();
    lifecycle.ready();
  },

  onStartGameSession(gameSession) {
    info('a game session starts', 'game-session', gameSession.gameSessionId);
    try {
      sessions.activateGameSession();
    } catch (e) {
      info('the game session did not activate', 'error', reason(e));
    }
  },

  onUpdateGameSession() {},

  onProcessTerminate() {
    try {
      process.processEnding();
    } catch {
      // The game server ends either way.
    }
  },

  onHealthCheck() {
    return true;
  },

  onGameServerUpdate() {},

  onPlayerConnect(playerSessionId) {
    try {
      sessions.acceptPlayerSession(playerSessionId);
      info('a player joins', 'player-session', playerSessionId);
      gateway.send(playerSessionId, new TextEncoder().encode(`welcome ${playerSessionId}`));
    } catch (e) {
      // Throwing refuses the player: the thrown string is the reason.
      throw reason(e);
    }
  },

  onPlayerMessage(playerSessionId, message) {
    try {
      gateway.send(playerSessionId, message);
    } catch {
      // The player is gone or too slow: the host disconnects it.
    }
  },

  onPlayerDisconnect(playerSessionId) {
    info('a player leaves', 'player-session', playerSessionId);
    try {
      sessions.removePlayerSession(playerSessionId);
    } catch {
      // The player session was never accepted.
    }
  },
};
