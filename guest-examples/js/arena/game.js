// The rules of the match, free of any SDK call.

const BEATS = { rock: 'scissors', paper: 'rock', scissors: 'paper' };

/** The shape a message names ('rock', 'paper' or 'scissors'), or null. */
export function parseShape(message) {
  const text = new TextDecoder().decode(message).trim();
  return Object.hasOwn(BEATS, text) ? text : null;
}

/** A match to `target` points, its players keyed by player session id. */
export class Match {
  constructor(target) {
    this.target = target;
    this.players = new Map();
  }

  join(playerSessionId, playerId) {
    this.players.set(playerSessionId, { id: playerId, score: 0, throw: null });
  }

  leave(playerSessionId) {
    this.players.delete(playerSessionId);
  }

  /**
   * A player throws; once everyone has, the round is scored. Returns null,
   * `{ scoreboard }` for a scored round, or `{ winner, scoreboard }`.
   */
  throw(playerSessionId, shape) {
    const player = this.players.get(playerSessionId);
    if (!player) return null;
    player.throw = shape;
    const players = this.ordered();
    if (players.length < 2 || players.some((p) => p.throw === null)) return null;
    const thrown = [...new Set(players.map((p) => p.throw))];
    let winning = null;
    if (thrown.length === 2) {
      const [a, b] = thrown;
      winning = BEATS[a] === b ? a : b;
    }
    for (const p of players) {
      if (p.throw === winning) p.score += 1;
      p.throw = null;
    }
    const scoreboard = players.map((p) => `${p.id}=${p.score}`).join(',');
    const winner = players.find((p) => p.score >= this.target);
    return winner ? { winner: winner.id, scoreboard } : { scoreboard };
  }

  // Sorted by player session id, as the Rust game mode orders them, so the
  // scoreboard reads the same in every language.
  ordered() {
    return [...this.players.keys()].sort().map((k) => this.players.get(k));
  }
}
