// The one load generator of the match-path benchmark, for Gamehost and for
// Colyseus alike. It runs the steps given as JSON in the first argument
// against one server and prints one JSON line per step:
//
//   node load.mjs '{"system": "gamehost" | "colyseus", "url": "http://127.0.0.1:PORT",
//                   "pid": SERVER_PID, "steps": [STEP, ...]}'
//
// A match set-up: a match is created (Gamehost: a game session, then both
// player sessions reserved in one request; Colyseus: the first player's
// matchmaking request creates the room, the second joins it by id), both
// players connect over WebSocket, each waits to see the other, throws (one
// rock, one paper) and receives the final state: with a target score of 1
// the round decides the match, and the server then disconnects both players
// and tears the match down. A Gamehost game session that finds no Ready game
// server at that moment is retried after 2 ms (for up to 10 s), within the
// set-up's time; each step's line counts those retries.
//
// Steps:
//   {"kind": "setups", "count": N, "concurrency": C}
//       N set-ups, C at a time: latency, set-ups per second, server CPU
//       per set-up, failures.
//   {"kind": "steady", "seconds": S, "concurrency": C, "windows": W}
//       set-ups for S seconds, C at a time: set-ups per second in each of W
//       windows, failures.
//   {"kind": "hold", "matches": [M1, M2, ...], "concurrency": C}
//       matches set up and held with both players connected and idle, up
//       to each M in turn: the server's resident memory per match, as the
//       resident set size and as the proportional set size.
//   {"kind": "messages", "matches": M, "seconds": S}
//       M matches whose players each throw and wait for the next state, for
//       S seconds: messages per second, round trip, server CPU per message.
//
// Against Gamehost, set-ups and messages also say how much of the server's
// CPU time its store writer thread took.
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { Client as ColyseusClient } from "colyseus.js";
import WebSocket from "ws";

const config = JSON.parse(process.argv[2]);
const base = new URL(config.url);
// Pooled connections left idle for 5 s are closed: Gamehost closes a
// keep-alive connection idle for 10 s, and a request sent on one at that
// moment would fail with "socket hang up".
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, timeout: 5000 });
const TICKS_PER_SECOND = 100;

function cpuMillis() {
  const stat = readFileSync(`/proc/${config.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

// The proportional set size: resident memory in which a page mapped more
// than once (every Gamehost game server maps its module's memory image)
// counts once, not once per mapping as in the resident set size.
function pssBytes() {
  const rollup = readFileSync(`/proc/${config.pid}/smaps_rollup`, "utf8");
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)[1]) * 1024;
}

function rssBytes() {
  const status = readFileSync(`/proc/${config.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

// Gamehost only: the CPU milliseconds of the daemon's store writer thread,
// which commits and flushes what the daemon stores (durability's own cost;
// the records it is handed are serialized on the other threads).
function storeMillis() {
  if (config.system !== "gamehost") return null;
  let millis = 0;
  for (const task of readdirSync(`/proc/${config.pid}/task`)) {
    const path = `/proc/${config.pid}/task/${task}`;
    try {
      if (readFileSync(`${path}/comm`, "utf8").trim() !== "gamehost-store") continue;
      const stat = readFileSync(`${path}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      millis += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return millis;
}

// The store writer thread's CPU since `before`, per `count`, times `scale`.
function storePer(before, count, scale) {
  if (before === null) return undefined;
  return ((storeMillis() - before) * scale) / Math.max(1, count);
}

// Gamehost only: the milliseconds its game servers, running and ended, have
// spent in calls into their game mode (its code, the SDK calls it makes and
// the sandbox's crossings), as their records count them.
async function guestMillis() {
  if (config.system !== "gamehost") return null;
  const { gameServers } = await requestJson("GET", "/v1/gameservers");
  return gameServers.reduce((sum, record) => sum + record.status.cpu.seconds * 1000, 0);
}

// The game mode's milliseconds since `before`, per `count`, times `scale`.
async function guestPer(before, count, scale) {
  if (before === null) return undefined;
  return (((await guestMillis()) - before) * scale) / Math.max(1, count);
}

function postJson(path, body) {
  return requestJson("POST", path, body);
}

function requestJson(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? "" : JSON.stringify(body);
    const request = http.request(
      { host: base.hostname, port: base.port, path, method, agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (response) => {
        const chunks = [];
        response.on("data", (c) => chunks.push(c));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (response.statusCode >= 300) reject(new Error(`${method} ${path}: ${response.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    request.setNoDelay(true);
    request.on("error", reject);
    request.end(data);
  });
}

// One player's connection, as both systems carry it: JSON states in, throws out.
class Player {
  constructor() {
    this.waiters = [];
    this.closed = new Promise((resolve) => (this.onClosed = resolve));
  }
  deliver(text) {
    this.latest = JSON.parse(text);
    this.waiters = this.waiters.filter((w) => !w(this.latest));
  }
  // Resolves with the first state, the latest one received included, that
  // satisfies `test`.
  until(test) {
    if (this.latest !== undefined && test(this.latest)) return Promise.resolve(this.latest);
    return this.next(test);
  }
  // Resolves with the first state received from now on that satisfies `test`.
  next(test) {
    return new Promise((resolve, reject) => {
      this.waiters.push((state) => (test(state) ? (resolve(state), true) : false));
      this.closed.then((reason) => reject(new Error(`closed: ${reason}`)));
    });
  }
}

class GamehostPlayer extends Player {
  static async join(seat) {
    const player = new GamehostPlayer();
    const url = `ws://${base.host}/v1/play/${seat}`;
    player.socket = new WebSocket(url, { perMessageDeflate: false });
    player.socket.on("message", (data) => player.deliver(data.toString()));
    player.socket.on("close", (code, reason) => player.onClosed(`${code} ${reason}`));
    player.socket.on("error", (error) => player.onClosed(error.message));
    await new Promise((resolve, reject) => {
      player.socket.once("open", resolve);
      player.socket.once("error", reject);
      player.closed.then((reason) => reject(new Error(`closed: ${reason}`)));
    });
    player.socket._socket.setNoDelay(true);
    return player;
  }
  throw(shape) {
    this.socket.send(shape);
  }
  leave() {
    this.socket.terminate();
  }
}

class ColyseusPlayer extends Player {
  static async join(room) {
    const player = new ColyseusPlayer();
    player.room = room;
    room.onMessage("state", (text) => player.deliver(text));
    room.onLeave((code) => player.onClosed(`${code}`));
    return player;
  }
  throw(shape) {
    this.room.send("throw", shape);
  }
  leave() {
    this.room.leave(true);
  }
}

const colyseus = new ColyseusClient(config.url);
// How long a game session's creation waits for a Ready game server when the
// fleet has none at the moment (it starts one whenever one is allocated).
const CAPACITY_WAIT_MS = 10_000;
let capacityRetries = 0;

async function createGameSession(targetScore) {
  const body = { maximumPlayerSessionCount: 2, gameProperties: [{ key: "target-score", value: String(targetScore) }] };
  const deadline = performance.now() + CAPACITY_WAIT_MS;
  for (;;) {
    try {
      return await postJson("/v1/fleets/arena/gamesessions", body);
    } catch (error) {
      if (!error.message.includes("NO_CAPACITY") || performance.now() > deadline) throw error;
      capacityRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

// Creates a match of two players with `targetScore`; resolves once both are
// connected and have seen each other.
async function match(n, targetScore) {
  let players;
  if (config.system === "gamehost") {
    const session = await createGameSession(targetScore);
    const seats = await postJson(`/v1/gamesessions/${session.gameSessionId}/playersessions`, {
      playerIds: [`a${n}`, `b${n}`],
    });
    players = await Promise.all(seats.playerSessions.map((seat) => GamehostPlayer.join(seat.playerSessionId)));
  } else {
    const first = await colyseus.create("arena", { targetScore, playerId: `a${n}` });
    const second = colyseus.joinById(first.roomId, { playerId: `b${n}` });
    players = await Promise.all([ColyseusPlayer.join(first), second.then((r) => ColyseusPlayer.join(r))]);
  }
  // Every state from the moment each connected: wait for one with both.
  await Promise.all(players.map((p) => p.until((s) => s.players.length === 2)));
  return players;
}

// One match set-up, torn down by the server once the round is won.
async function setup(n) {
  const players = await match(n, 1);
  const shapes = ["rock", "paper"];
  await Promise.all(
    players.map((player, i) => {
      const won = player.until((s) => s.winner !== null);
      player.throw(shapes[i]);
      return won;
    }),
  );
  for (const player of players) player.leave();
}

function spread(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, medianMs: at(0.5), p99Ms: at(0.99) };
}

// Runs `work(n)` for n = 0.. with `concurrency` at once until `more()` says
// stop; returns each one's latency and the failures.
async function closedLoop(concurrency, more, work, onDone) {
  const latencies = [];
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (more(next)) {
      const n = next++;
      const start = performance.now();
      try {
        await work(n);
        latencies.push(performance.now() - start);
        onDone?.();
      } catch (error) {
        failures.push(String(error.message ?? error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, failures };
}

const steps = {
  async setups({ count, concurrency }) {
    const guest = await guestMillis();
    const store = storeMillis();
    const cpu = cpuMillis();
    const start = performance.now();
    const { latencies, failures } = await closedLoop(concurrency, (n) => n < count, setup);
    const seconds = (performance.now() - start) / 1000;
    return {
      ...spread(latencies),
      perSecond: latencies.length / seconds,
      cpuMsPerSetup: (cpuMillis() - cpu) / Math.max(1, latencies.length),
      storeMsPerSetup: storePer(store, latencies.length, 1),
      guestMsPerSetup: await guestPer(guest, latencies.length, 1),
      failures: failures.length,
      firstFailures: failures.slice(0, 3),
    };
  },

  async steady({ seconds, concurrency, windows }) {
    const counts = Array(windows).fill(0);
    const start = performance.now();
    const end = start + seconds * 1000;
    const window = () => Math.min(windows - 1, Math.floor(((performance.now() - start) / (seconds * 1000)) * windows));
    const { latencies, failures } = await closedLoop(concurrency, () => performance.now() < end, setup, () => {
      counts[window()] += 1;
    });
    return {
      perSecondByWindow: counts.map((c) => c / (seconds / windows)),
      setups: latencies.length,
      failures: failures.length,
      firstFailures: failures.slice(0, 3),
    };
  },

  async hold({ matches, concurrency }) {
    const held = [];
    const before = rssBytes();
    const pssBefore = pssBytes();
    const steps = [];
    let started = 0;
    let failures = 0;
    for (const target of matches) {
      const { failures: failed } = await closedLoop(
        concurrency,
        () => started < target && failures < 100,
        async () => {
          const n = started++;
          held.push(...(await match(n, 100)));
        },
      );
      failures += failed.length;
      // Let the server settle (a fleet replaces what was allocated).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const rss = rssBytes();
      const pss = pssBytes();
      const heldMatches = held.length / 2;
      steps.push({
        matches: heldMatches,
        rssBytes: rss,
        bytesPerMatch: (rss - before) / heldMatches,
        pssBytesPerMatch: (pss - pssBefore) / heldMatches,
      });
    }
    for (const player of held) player.leave();
    return { baselineRssBytes: before, steps, failures };
  },

  async messages({ matches, seconds }) {
    const all = await Promise.all(Array.from({ length: matches }, (_, n) => match(n, 100)));
    const roundTrips = [];
    const guest = await guestMillis();
    const store = storeMillis();
    const cpu = cpuMillis();
    const start = performance.now();
    const end = start + seconds * 1000;
    // Both players throw the same shape: no round is ever won.
    const loop = async (player) => {
      while (performance.now() < end) {
        const sent = performance.now();
        const reply = player.next(() => true);
        player.throw("rock");
        await reply;
        roundTrips.push(performance.now() - sent);
      }
    };
    await Promise.all(all.flat().map(loop));
    const took = (performance.now() - start) / 1000;
    const cpuMs = cpuMillis() - cpu;
    const storeUs = storePer(store, roundTrips.length, 1000);
    const guestUs = await guestPer(guest, roundTrips.length, 1000);
    for (const player of all.flat()) player.leave();
    const rtt = spread(roundTrips);
    return {
      perSecond: roundTrips.length / took,
      roundTripMedianMs: rtt.medianMs,
      roundTripP99Ms: rtt.p99Ms,
      cpuUsPerMessage: (cpuMs * 1000) / Math.max(1, roundTrips.length),
      storeUsPerMessage: storeUs,
      guestUsPerMessage: guestUs,
    };
  },
};

for (const step of config.steps) {
  const result = await steps[step.kind](step);
  console.log(JSON.stringify({ kind: step.kind, ...result, capacityRetries }));
  capacityRetries = 0;
}
agent.destroy();
process.exit(0);
