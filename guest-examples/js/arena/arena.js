// Arena: the example game mode, rock-paper-scissors for up to a game
// session's maximum players.
//
// Players send `rock`, `paper` or `scissors`. When every connected player has
// thrown, the round is scored: if exactly two shapes were thrown, everyone who
// threw the winning one scores a point. The first player to the target score
// (the game property `target-score`, 3 by default) wins; the game session ends
// and the game server is Ready for the next match.
//
// The fleet template declares the counter `rounds` and the list `players`. The
// standings are published in the annotation `agones.dev/sdk-scoreboard`, and
// the winner in `agones.dev/sdk-winner`.
//
// Every SDK call that can fail throws an error whose `payload` is the SDK
// error, `{ code, message }` with `code` a string such as 'not-found'; this
// module catches it where the game can go on.

import * as counters from 'gamehost:sdk/counters@0.1.0';
import * as lifecycle from 'gamehost:sdk/lifecycle@0.1.0';
import * as lists from 'gamehost:sdk/lists@0.1.0';
import { log } from 'gamehost:sdk/logging@0.1.0';
import * as metadata from 'gamehost:sdk/metadata@0.1.0';
import * as players from 'gamehost:sdk/players@0.1.0';
import * as process from 'gamehost:sdk/process@0.1.0';
import * as sessions from 'gamehost:sdk/sessions@0.1.0';
import { Match, parseShape } from './game.js';

const DEFAULT_TARGET_SCORE = 3;

// The match in progress, if any. One instance of this module serves one game
// server, and the host never calls it concurrently.
let current = null;

function logAt(level, message, fields = {}) {
  log(level, message, Object.entries(fields).map(([key, value]) => ({ key, value: String(value) })));
}

/** The SDK error a failed call threw, as `code: message`. */
function describe(e) {
  return e.payload ? `${e.payload.code}: ${e.payload.message}` : String(e);
}

/** Logs a failed SDK call at `error`. */
function failed(message, e) {
  logAt('error', message, { error: describe(e) });
}

/** Logs a failed SDK call that the game works around at `warn`. */
function workedAround(message, e) {
  logAt('warn', message, { error: describe(e) });
}

/** Runs an SDK call whose failure changes nothing for the game. */
function ignoringFailure(call) {
  try {
    call();
  } catch {
    // Nothing to do: the caller documents why the call may fail.
  }
}

/**
 * The game property `target-score` within [1, 100], or the default when it is
 * absent or not a whole number that fits in 32 bits.
 */
function targetScore(gameSession) {
  const value = gameSession.gameProperties.find((p) => p.key === 'target-score')?.value ?? '';
  if (!/^\d+$/.test(value) || Number(value) >= 2 ** 32) return DEFAULT_TARGET_SCORE;
  return Math.min(Math.max(Number(value), 1), 100);
}

function playerIdOf(playerSessionId) {
  try {
    const page = sessions.describePlayerSessions({ playerSessionId });
    return page.playerSessions[0]?.playerId ?? null;
  } catch {
    return null;
  }
}

function recordRound(scoreboard) {
  try {
    counters.incrementCounter('rounds', 1n);
  } catch (e) {
    workedAround('could not count the round', e);
  }
  // The standings are in the log line too.
  ignoringFailure(() => metadata.setAnnotation('scoreboard', scoreboard));
  logAt('info', 'round scored', { scoreboard });
}

function finish(winner, scoreboard) {
  recordRound(scoreboard);
  // The winner is in the log line too.
  ignoringFailure(() => metadata.setAnnotation('winner', winner));
  logAt('info', 'match won', { winner });
  current = null;
  try {
    sessions.terminateGameSession();
  } catch (e) {
    failed('could not end the game session', e);
  }
  try {
    lifecycle.ready();
  } catch (e) {
    failed('could not become Ready again', e);
  }
}

// ANCHOR: callbacks
export const callbacks = {
  onProcessStart() {
    // An error here is a broken deployment: let it throw, which traps and
    // ends this game server with the error in its log.
    const params = process.initSdk();
    for (const declared of [() => counters.getCounter('rounds'), () => lists.getList('players')]) {
      try {
        declared();
      } catch (e) {
        failed('the fleet template must declare the counter `rounds` and the list `players`', e);
      }
    }
    process.processReady({ port: 0 });
    logAt('info', 'arena ready', { process: params.processId, fleet: params.fleetId });
  },

  onStartGameSession(gameSession) {
    const target = targetScore(gameSession);
    current = new Match(target);
    try {
      sessions.activateGameSession();
    } catch (e) {
      failed('could not activate the game session', e);
      return;
    }
    logAt('info', 'match started', {
      'game-session': gameSession.gameSessionId,
      'target-score': target,
    });
  },

  onUpdateGameSession(update) {
    logAt('info', 'game session updated', { reason: update.updateReason });
  },

  onProcessTerminate(terminationTime) {
    logAt('info', 'terminating', { 'termination-time': terminationTime });
    if (current !== null) {
      current = null;
      // The game session may already have ended.
      ignoringFailure(() => sessions.terminateGameSession());
    }
    try {
      process.processEnding();
    } catch (e) {
      failed('process-ending failed', e);
    }
  },

  onHealthCheck() {
    try {
      lifecycle.health();
      return true;
    } catch {
      return false;
    }
  },

  onGameServerUpdate() {},

  onPlayerConnect(playerSessionId) {
    try {
      sessions.acceptPlayerSession(playerSessionId);
    } catch (e) {
      // Throwing refuses the player: the thrown string is the reason.
      throw e.payload?.message ?? String(e);
    }
    const playerId = playerIdOf(playerSessionId) ?? playerSessionId;
    try {
      lists.appendListValue('players', playerId);
    } catch (e) {
      workedAround('could not list the player', e);
    }
    // Player tracking is informational here: the player session admits.
    ignoringFailure(() => players.playerConnect(playerId));
    current?.join(playerSessionId, playerId);
    logAt('info', 'player joined', { player: playerId });
  },

  onPlayerMessage(playerSessionId, message) {
    const shape = parseShape(message);
    if (shape === null) {
      logAt('warn', 'ignoring a message that is not rock, paper or scissors', {
        'player-session': playerSessionId,
      });
      return;
    }
    const outcome = current?.throw(playerSessionId, shape);
    if (outcome?.winner !== undefined) {
      finish(outcome.winner, outcome.scoreboard);
    } else if (outcome) {
      recordRound(outcome.scoreboard);
    }
  },

  onPlayerDisconnect(playerSessionId) {
    const playerId = playerIdOf(playerSessionId);
    try {
      sessions.removePlayerSession(playerSessionId);
    } catch (e) {
      workedAround('could not remove the player session', e);
    }
    if (playerId !== null) {
      // Either fails only when the player was never listed.
      ignoringFailure(() => lists.deleteListValue('players', playerId));
      ignoringFailure(() => players.playerDisconnect(playerId));
    }
    current?.leave(playerSessionId);
  },
};
// ANCHOR_END: callbacks
