// The checks, one function per callback the host drives.

import * as configuration from 'gamehost:sdk/configuration@0.1.0';
import * as counters from 'gamehost:sdk/counters@0.1.0';
import * as gateway from 'gamehost:sdk/gateway@0.1.0';
import * as lifecycle from 'gamehost:sdk/lifecycle@0.1.0';
import * as lists from 'gamehost:sdk/lists@0.1.0';
import { log } from 'gamehost:sdk/logging@0.1.0';
import * as metadata from 'gamehost:sdk/metadata@0.1.0';
import * as players from 'gamehost:sdk/players@0.1.0';
import * as process from 'gamehost:sdk/process@0.1.0';
import * as sessions from 'gamehost:sdk/sessions@0.1.0';
import { check, equals, fails, ok, phase, same, skip } from './check.js';

const KEY = 'conformance';
const TICKET = 'conformance-ticket';

let watched = false;

// componentize-js 0.23 lowers an `s64` argument only from a BigInt in
// [0, 2^63): a negative one traps, ending the game server. The checks that
// pass a negative amount are reported as skipped, with this reason.
const NEGATIVE_S64 = 'componentize-js 0.23 cannot pass a negative s64 argument (the call traps)';

const label = (gs, key) => gs.objectMeta.labels.find((l) => l.key === key)?.value;
const annotation = (gs, key) => gs.objectMeta.annotations.find((a) => a.key === key)?.value;
const state = () => configuration.getGameServer().status.state;
const describe = (request) => () => sessions.describePlayerSessions(request);

/** `on-process-start`. */
export function start() {
  const gs = configuration.getGameServer();
  if (label(gs, 'conformance-ending') === 'shutdown') {
    shutdownFlow();
    return;
  }
  const version = process.getSdkVersion();
  check('get-sdk-version is 0.1.0', version === '0.1.0', version);
  fails('a GameLift call before init-sdk', sessions.getGameSessionId, 'not-initialized');
  const params = ok('init-sdk', process.initSdk);
  if (params) {
    check('init-sdk names this game server', params.processId === gs.objectMeta.name, params);
  }
  check('a new game server is Scheduled', gs.status.state === 'scheduled', gs.status.state);
  check('game server has a uid', gs.objectMeta.uid !== '', gs.objectMeta.uid);
  configuration.watchGameServer();
  metadataChecks(gs);
  counterChecks();
  listChecks();
  playerChecks();
  gatewayChecks();
  lifecycleChecks();
  processChecks();
  idleSessionChecks();
  log('debug', 'conformance structured log', [
    { key: 'a', value: '1' },
    { key: 'b', value: 'two' },
  ]);
  phase('start');
}

function shutdownFlow() {
  ok('ready', lifecycle.ready);
  ok('shutdown', lifecycle.shutdown);
  check('shutdown makes it Shutdown', state() === 'shutdown', state());
  fails('ready after shutdown', lifecycle.ready, 'failed-precondition');
  fails('shutdown twice', lifecycle.shutdown, 'failed-precondition');
  phase('shutdown');
}

function metadataChecks(gs) {
  const stamp = String(gs.objectMeta.creationTimestamp);
  ok('set-label', () => metadata.setLabel('creation-timestamp', stamp));
  fails('set-label with an invalid key', () => metadata.setLabel('not a key', 'v'), 'invalid-argument');
  fails('set-label with an invalid value', () => metadata.setLabel('k', 'not a value'), 'invalid-argument');
  fails(
    'set-label with a key too long for the prefix',
    () => metadata.setLabel('k'.repeat(60), 'v'),
    'invalid-argument',
  );
  ok('set-annotation', () => metadata.setAnnotation('note', 'any text, with spaces'));
  fails('set-annotation with an empty key', () => metadata.setAnnotation('', 'v'), 'invalid-argument');
  const after = configuration.getGameServer();
  const stored = label(after, 'agones.dev/sdk-creation-timestamp');
  check('labels are stored under agones.dev/sdk-', stored === stamp, stored);
  const note = annotation(after, 'agones.dev/sdk-note');
  check('annotations are stored under agones.dev/sdk-', note === 'any text, with spaces', note);
}

function counterChecks() {
  equals('get-counter-count', () => counters.getCounterCount(KEY), 0n);
  fails('an undeclared counter', () => counters.getCounterCount('undeclared'), 'not-found');
  fails('increment an undeclared counter', () => counters.incrementCounter('undeclared', 1n), 'not-found');
  ok('set-counter-count', () => counters.setCounterCount(KEY, 5n));
  equals('the count was set', () => counters.getCounterCount(KEY), 5n);
  fails('set-counter-count above capacity', () => counters.setCounterCount(KEY, 11n), 'out-of-range');
  skip('set-counter-count below zero', NEGATIVE_S64);
  ok('increment-counter', () => counters.incrementCounter(KEY, 2n));
  fails('increment-counter past capacity', () => counters.incrementCounter(KEY, 4n), 'out-of-range');
  ok('increment-counter to capacity', () => counters.incrementCounter(KEY, 3n));
  fails('increment-counter at capacity', () => counters.incrementCounter(KEY, 1n), 'out-of-range');
  skip('increment-counter by a negative amount', NEGATIVE_S64);
  ok('decrement-counter', () => counters.decrementCounter(KEY, 10n));
  fails('decrement-counter at zero', () => counters.decrementCounter(KEY, 1n), 'out-of-range');
  equals('get-counter-capacity', () => counters.getCounterCapacity(KEY), 10n);
  ok('set-counter-capacity', () => counters.setCounterCapacity(KEY, 20n));
  equals('the capacity was set', () => counters.getCounterCapacity(KEY), 20n);
  skip('set-counter-capacity below zero', NEGATIVE_S64);
  equals('get-counter', () => counters.getCounter(KEY), { name: KEY, count: 0n, capacity: 20n });
  const update = { capacity: 10n, count: 4n, countDiff: 1n };
  equals('update-counter', () => counters.updateCounter(KEY, update), {
    name: KEY,
    count: 5n,
    capacity: 10n,
  });
  const tooFar = { capacity: undefined, count: undefined, countDiff: 6n };
  fails('update-counter out of range', () => counters.updateCounter(KEY, tooFar), 'out-of-range');
  equals('a failed update changes nothing', () => counters.getCounterCount(KEY), 5n);
}

function listChecks() {
  equals('get-list-length', () => lists.getListLength(KEY), 0);
  ok('append-list-value', () => lists.appendListValue(KEY, 'a'));
  ok('append-list-value again', () => lists.appendListValue(KEY, 'b'));
  fails('append-list-value duplicate', () => lists.appendListValue(KEY, 'a'), 'already-exists');
  ok('append-list-value to capacity', () => lists.appendListValue(KEY, 'c'));
  fails('append-list-value at capacity', () => lists.appendListValue(KEY, 'd'), 'at-capacity');
  fails(
    'append-list-value oversized',
    () => lists.appendListValue(KEY, 'v'.repeat(1025)),
    'invalid-argument',
  );
  equals('list-contains', () => lists.listContains(KEY, 'b'), true);
  equals('list-contains a missing value', () => lists.listContains(KEY, 'z'), false);
  equals('get-list-values', () => lists.getListValues(KEY), ['a', 'b', 'c']);
  ok('delete-list-value', () => lists.deleteListValue(KEY, 'b'));
  fails('delete-list-value missing', () => lists.deleteListValue(KEY, 'b'), 'not-found');
  equals('get-list-capacity', () => lists.getListCapacity(KEY), 3n);
  ok('set-list-capacity truncates', () => lists.setListCapacity(KEY, 1n));
  fails('set-list-capacity above 1000', () => lists.setListCapacity(KEY, 1001n), 'out-of-range');
  skip('set-list-capacity below zero', NEGATIVE_S64);
  equals('get-list', () => lists.getList(KEY), { name: KEY, capacity: 1n, values: ['a'] });
  const update = { capacity: 5n, values: ['x', 'y'] };
  equals('update-list', () => lists.updateList(KEY, update), {
    name: KEY,
    capacity: 5n,
    values: ['x', 'y'],
  });
  const duplicates = { capacity: undefined, values: ['x', 'x'] };
  fails('update-list with duplicates', () => lists.updateList(KEY, duplicates), 'invalid-argument');
  fails('an undeclared list', () => lists.getList('undeclared'), 'not-found');
  fails('append to an undeclared list', () => lists.appendListValue('undeclared', 'v'), 'not-found');
}

/** The gateway before any player has connected over it. */
function gatewayChecks() {
  const hello = new TextEncoder().encode('hello');
  const connected = gateway.connected();
  check('gateway connected, before any player', connected.length === 0, connected);
  equals('gateway broadcast to no player', () => gateway.broadcast(hello), 0);
  equals('gateway send-many to players not connected', () => gateway.sendMany(['psess-none'], hello), 0);
  fails('gateway send to a player not connected', () => gateway.send('psess-none', hello), 'not-found');
  fails('gateway disconnect of a player not connected', () => gateway.disconnect('psess-none', 'bye'), 'not-found');
}

function playerChecks() {
  let capacity = players.getPlayerCapacity();
  check('get-player-capacity', capacity === 2n, capacity);
  equals('player-connect', () => players.playerConnect('p1'), true);
  equals('player-connect twice', () => players.playerConnect('p1'), false);
  equals('player-connect another', () => players.playerConnect('p2'), true);
  fails('player-connect at capacity', () => players.playerConnect('p3'), 'at-capacity');
  fails('player-connect with an empty id', () => players.playerConnect(''), 'invalid-argument');
  const count = players.getPlayerCount();
  check('get-player-count', count === 2n, count);
  check('is-player-connected', players.isPlayerConnected('p1'), 'p1');
  check('is-player-connected for a stranger', !players.isPlayerConnected('p3'), 'p3');
  const connected = players.getConnectedPlayers();
  check('get-connected-players', same(connected, ['p1', 'p2']), connected);
  equals('player-disconnect', () => players.playerDisconnect('p1'), true);
  equals('player-disconnect twice', () => players.playerDisconnect('p1'), false);
  ok('set-player-capacity', () => players.setPlayerCapacity(5n));
  capacity = players.getPlayerCapacity();
  check('the player capacity was set', capacity === 5n, capacity);
  skip('set-player-capacity below zero', NEGATIVE_S64);
}

function lifecycleChecks() {
  ok('health', lifecycle.health);
  ok('reserve until changed', () => lifecycle.reserve(0));
  let gs = configuration.getGameServer();
  check('reserve makes it Reserved', gs.status.state === 'reserved', gs.status.state);
  check('reserve(0) has no end', gs.status.reservedUntil === undefined, gs.status.reservedUntil);
  ok('reserve for an hour', () => lifecycle.reserve(3600));
  const until = configuration.getGameServer().status.reservedUntil;
  check('reserve(3600) ends in an hour', until !== undefined, until);
  ok('allocate', lifecycle.allocate);
  gs = configuration.getGameServer();
  check('allocate makes it Allocated', gs.status.state === 'allocated', gs.status.state);
  const stamp = annotation(gs, 'agones.dev/last-allocated');
  check('allocate stamps agones.dev/last-allocated', stamp?.endsWith('Z') === true, stamp);
  ok('ready from Allocated', lifecycle.ready);
  check('ready reads RequestReady within the call', state() === 'request-ready', state());
}

function processChecks() {
  fails('get-termination-time before a termination', process.getTerminationTime, 'failed-precondition');
  ok('process-ready', () => process.processReady({ port: 0 }));
  fails('process-ready twice', () => process.processReady({ port: 0 }), 'failed-precondition');
  const cert = ok('get-compute-certificate', process.getComputeCertificate);
  if (cert) {
    check('the certificate names the host', cert.hostName !== '', cert);
    check('the certificate path is empty in a sandbox', cert.certificatePath === '', cert);
  }
  fails(
    'get-fleet-role-credentials for an unknown role',
    () => process.getFleetRoleCredentials({ roleArn: 'arn:unknown', roleSessionName: undefined }),
    'not-found',
  );
  const creds = ok('get-fleet-role-credentials', () =>
    process.getFleetRoleCredentials({ roleArn: 'arn:conformance', roleSessionName: 's' }),
  );
  if (creds) {
    check("the credentials are the fleet's", creds.accessKeyId === 'AKIACONFORMANCE', creds.accessKeyId);
  }
  equals('get-game-session-id when idle', sessions.getGameSessionId, '');
  ok('destroy', process.destroy);
  fails('a GameLift call after destroy', sessions.getGameSessionId, 'not-initialized');
  fails('destroy twice', process.destroy, 'not-initialized');
  ok('init-sdk again', process.initSdk);
}

/** A describe-player-sessions request; `selector` names the fields to set. */
function request(selector) {
  return {
    gameSessionId: undefined,
    playerSessionId: undefined,
    playerId: undefined,
    playerSessionStatusFilter: undefined,
    limit: undefined,
    nextToken: undefined,
    ...selector,
  };
}

function idleSessionChecks() {
  fails('activate-game-session without one', sessions.activateGameSession, 'failed-precondition');
  fails('terminate-game-session without one', sessions.terminateGameSession, 'failed-precondition');
  fails(
    'creation policy without a game session',
    () => sessions.updatePlayerSessionCreationPolicy('accept-all'),
    'failed-precondition',
  );
  fails(
    'accept-player-session without a game session',
    () => sessions.acceptPlayerSession('ps'),
    'failed-precondition',
  );
  fails(
    'start-match-backfill without a game session',
    () => sessions.startMatchBackfill(backfillRequest(TICKET, 'none')),
    'failed-precondition',
  );
  fails(
    'stop-match-backfill without a game session',
    () => sessions.stopMatchBackfill(stopRequest(TICKET, 'none')),
    'failed-precondition',
  );
  fails('describe-player-sessions without a selector', describe(request({})), 'invalid-argument');
  const page = ok('describe-player-sessions of an unknown player', describe(request({ playerId: 'nobody' })));
  check('an unknown player has no player sessions', page?.playerSessions.length === 0, null);
}

function backfillRequest(ticket, gameSession) {
  return {
    ticketId: ticket,
    matchmakingConfigurationArn: 'arn:matchmaker',
    gameSessionArn: gameSession,
    players: [
      {
        playerId: 'p1',
        team: 'red',
        playerAttributes: [['skill', '10']],
        latencyInMs: [['eu', 20]],
      },
    ],
  };
}

function stopRequest(ticket, gameSession) {
  return { ticketId: ticket, matchmakingConfigurationArn: 'arn:matchmaker', gameSessionArn: gameSession };
}

/** `on-start-game-session`. */
export function startGameSession(session) {
  const id = session.gameSessionId;
  check('the game session is ACTIVATING', session.status === 'activating', session.status);
  check(
    'maximum players as created',
    session.maximumPlayerSessionCount === 3,
    session.maximumPlayerSessionCount,
  );
  const mode = session.gameProperties.find((p) => p.key === 'mode')?.value;
  check('game properties as created', mode === 'conformance', mode);
  check('game session data as created', session.gameSessionData === 'data', session.gameSessionData);
  equals('get-game-session-id', sessions.getGameSessionId, id);
  check('a game session allocates the game server', state() === 'allocated', state());
  fails('accept-player-session of an unknown id', () => sessions.acceptPlayerSession('ps-unknown'), 'not-found');
  ok('activate-game-session', sessions.activateGameSession);
  fails('activate-game-session twice', sessions.activateGameSession, 'failed-precondition');
  ok('deny new players', () => sessions.updatePlayerSessionCreationPolicy('deny-all'));
  ok('accept new players', () => sessions.updatePlayerSessionCreationPolicy('accept-all'));
  const page = ok('describe-player-sessions of the game session', describe(request({ gameSessionId: id })));
  check('no player sessions yet', page?.playerSessions.length === 0, null);
  fails('describe another game session', describe(request({ gameSessionId: 'other' })), 'not-found');
  fails('describe with limit 0', describe(request({ gameSessionId: id, limit: 0 })), 'out-of-range');
  equals('start-match-backfill', () => sessions.startMatchBackfill(backfillRequest(TICKET, id)), TICKET);
  fails(
    'a second backfill',
    () => sessions.startMatchBackfill(backfillRequest('t2', id)),
    'failed-precondition',
  );
  fails(
    'stop-match-backfill of another ticket',
    () => sessions.stopMatchBackfill(stopRequest('t2', id)),
    'not-found',
  );
  ok('stop-match-backfill', () => sessions.stopMatchBackfill(stopRequest(TICKET, id)));
  fails(
    'backfill for another game session',
    () => sessions.startMatchBackfill(backfillRequest(undefined, 'other')),
    'not-found',
  );
  const ticket = ok('start-match-backfill without a ticket id', () =>
    sessions.startMatchBackfill(backfillRequest(undefined, id)),
  );
  if (ticket !== undefined) {
    check('the host made a ticket id', ticket !== '', ticket);
    ok('stop the generated ticket', () => sessions.stopMatchBackfill(stopRequest(ticket, id)));
  }
  ok('start-match-backfill left running', () => sessions.startMatchBackfill(backfillRequest(TICKET, id)));
  phase('start-game-session');
}

/** How many player sessions `req` finds, or null when the call fails. */
function countOf(req) {
  try {
    return sessions.describePlayerSessions(req).playerSessions.length;
  } catch {
    return null;
  }
}

/** `on-player-connect`. */
export function playerConnect(playerSessionId) {
  ok('accept-player-session', () => sessions.acceptPlayerSession(playerSessionId));
  fails(
    'accept-player-session twice',
    () => sessions.acceptPlayerSession(playerSessionId),
    'failed-precondition',
  );
  let gameSession = '';
  try {
    gameSession = sessions.getGameSessionId();
  } catch {
    // Checked elsewhere; the describe calls below then fail their checks.
  }
  const one = ok('describe one player session', describe(request({ playerSessionId })));
  const mine = one?.playerSessions[0];
  check('the accepted player session is ACTIVE', mine?.status === 'active', mine);
  const seen = [];
  let token;
  for (let i = 0; i < 4; i += 1) {
    const page = ok(
      'describe a page',
      describe(request({ gameSessionId: gameSession, limit: 1, nextToken: token })),
    );
    if (!page) break;
    check('a page holds at most the limit', page.playerSessions.length <= 1, page.playerSessions.length);
    seen.push(...page.playerSessions.map((s) => s.playerSessionId));
    token = page.nextToken;
    if (token === undefined) break;
  }
  check('paging visits all three player sessions once', seen.length === 3, seen);
  let count = countOf(request({ gameSessionId: gameSession, playerSessionStatusFilter: 'reserved' }));
  check('the status filter finds the two RESERVED', count === 2, count);
  if (mine) {
    count = countOf(request({ playerId: mine.playerId }));
    check('describe by player id', count === 1, count);
  }
  fails(
    'describe with a forged token',
    describe(request({ gameSessionId: gameSession, nextToken: 'x' })),
    'invalid-argument',
  );
  phase('player-connect');
}

/** `on-update-game-session`. */
export function updateGameSession(update) {
  check('the update reason', update.updateReason === 'matchmaking-data-updated', update.updateReason);
  check('the update answers the backfill', update.backfillTicketId === TICKET, update.backfillTicketId);
  const data = update.gameSession.matchmakerData;
  check('the update carries matchmaker data', data.includes('conformance'), data);
  const id = update.gameSession.gameSessionId;
  ok('the answered backfill has ended', () => sessions.startMatchBackfill(backfillRequest('second', id)));
  ok('stop-match-backfill', () => sessions.stopMatchBackfill(stopRequest('second', id)));
  phase('update-game-session');
}

/** `on-player-disconnect`. */
export function playerDisconnect(playerSessionId) {
  ok('remove-player-session', () => sessions.removePlayerSession(playerSessionId));
  fails(
    'remove-player-session twice',
    () => sessions.removePlayerSession(playerSessionId),
    'failed-precondition',
  );
  fails('remove-player-session of an unknown id', () => sessions.removePlayerSession('ps-unknown'), 'not-found');
  phase('player-disconnect');
}

/** `on-game-server-update`: checks the first update only. */
export function gameServerUpdate(gs) {
  if (watched) return;
  watched = true;
  check('watch delivers the game server', gs.objectMeta.name !== '', gs.objectMeta.name);
  ok('set-annotation from the watch', () => metadata.setAnnotation('uid', gs.objectMeta.uid));
  phase('watch');
}

/** `on-health-check`. */
export function healthCheck() {
  try {
    lifecycle.health();
    return true;
  } catch {
    return false;
  }
}

/** `on-process-terminate`. */
export function processTerminate(terminationTime) {
  equals('get-termination-time', process.getTerminationTime, terminationTime);
  ok('terminate-game-session', sessions.terminateGameSession);
  equals('no game session after terminating it', sessions.getGameSessionId, '');
  ok('process-ending', process.processEnding);
  check('process-ending makes it Shutdown', state() === 'shutdown', state());
  fails('process-ending twice', process.processEnding, 'failed-precondition');
  fails('ready after process-ending', lifecycle.ready, 'failed-precondition');
  phase('process-terminate');
}
