// The Colyseus peer: an authoritative rock-paper-scissors room with Arena's
// rules (guest-examples/rust/arena), served by Colyseus with its `ws`
// transport on the port given as the first argument.
//
// Players send "throw" messages of rock, paper or scissors. When every
// connected player has thrown, the round is scored: if exactly two shapes
// were thrown, everyone who threw the winning one scores a point. A round
// lasts 10 seconds from its first throw; when it runs out, everyone who threw
// scores a point. The first to the target score (the option `targetScore`, 3
// by default, 1 to 100) wins: the room broadcasts the final state,
// disconnects everyone and is disposed. Every change is broadcast as the
// match's state in Arena's JSON.
import { Room, Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";

const BEATS = { rock: "scissors", paper: "rock", scissors: "paper" };
const ROUND_MS = 10_000;
const TICK_HZ = 10;

class ArenaRoom extends Room {
  maxClients = 2;

  onCreate(options) {
    const target = Number.parseInt(options?.targetScore ?? "3", 10);
    this.target = Math.min(Math.max(Number.isFinite(target) ? target : 3, 1), 100);
    this.players = new Map();
    this.rounds = 0;
    this.roundLeftMs = null;
    this.onMessage("throw", (client, shape) => this.throw(client, shape));
    this.setSimulationInterval((elapsed) => this.tick(elapsed), 1000 / TICK_HZ);
  }

  onJoin(client, options) {
    this.players.set(client.sessionId, { id: options?.playerId ?? client.sessionId, score: 0, throw: null });
    this.broadcastState(null);
  }

  onLeave(client) {
    this.players.delete(client.sessionId);
    if (this.players.size > 0 && this.allThrown()) {
      this.endRound(false);
    }
    this.broadcastState(null);
  }

  throw(client, shape) {
    const player = this.players.get(client.sessionId);
    if (!player || !(shape in BEATS)) return;
    player.throw = shape;
    this.roundLeftMs ??= ROUND_MS;
    if (this.allThrown()) {
      this.endRound(false);
    } else {
      this.broadcastState(null);
    }
  }

  tick(elapsed) {
    if (this.roundLeftMs === null) return;
    const before = Math.ceil(this.roundLeftMs / 1000);
    this.roundLeftMs -= elapsed;
    if (this.roundLeftMs <= 0) {
      this.endRound(true);
    } else if (Math.ceil(this.roundLeftMs / 1000) !== before) {
      this.broadcastState(null);
    }
  }

  allThrown() {
    for (const player of this.players.values()) {
      if (player.throw === null) return false;
    }
    return true;
  }

  // Scores the round: on time, everyone who threw scores; otherwise the
  // winning shape of exactly two scores.
  endRound(timedOut) {
    const shapes = new Set([...this.players.values()].map((p) => p.throw).filter((t) => t !== null));
    let winning = null;
    if (!timedOut && shapes.size === 2) {
      const [a, b] = [...shapes];
      winning = BEATS[a] === b ? a : b;
    }
    for (const player of this.players.values()) {
      if (player.throw !== null && (timedOut || player.throw === winning)) player.score += 1;
      player.throw = null;
    }
    this.rounds += 1;
    this.roundLeftMs = null;
    const winner = [...this.players.values()].find((p) => p.score >= this.target);
    if (winner) {
      this.broadcastState(winner.id);
      this.disconnect();
    } else {
      this.broadcastState(null);
    }
  }

  broadcastState(winner) {
    const players = [...this.players.entries()].map(([session, p]) => ({
      session,
      id: p.id,
      score: p.score,
      thrown: p.throw !== null,
    }));
    const secondsLeft = this.roundLeftMs === null ? null : Math.ceil(this.roundLeftMs / 1000);
    this.broadcast("state", JSON.stringify({ players, target: this.target, rounds: this.rounds, secondsLeft, winner }));
  }
}

const port = Number.parseInt(process.argv[2] ?? "2567", 10);
const server = new Server({ transport: new WebSocketTransport({}), greet: false });
server.define("arena", ArenaRoom);
await server.listen(port, "127.0.0.1");
console.log(`listening on ${port}`);
