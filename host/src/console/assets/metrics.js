// The host's Prometheus metrics, sampled every few seconds into the figures
// the charts plot: rates from counters, totals from gauges, tick lateness
// from its histogram.

import { api } from "./api.js";

/** How often /metrics is read. */
export const PERIOD_MS = 3000;
/** How many samples are kept (six minutes' worth). */
const KEEP = 120;

/** Parses the Prometheus text format into `{name, labels, value}` entries. */
export function parse(text) {
  const entries = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[2] || "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, "$1");
    }
    entries.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return entries;
}

function sum(entries, name, by) {
  const totals = {};
  let total = 0;
  for (const entry of entries) {
    if (entry.name !== name) continue;
    total += entry.value;
    if (by) totals[entry.labels[by]] = (totals[entry.labels[by]] ?? 0) + entry.value;
  }
  return by ? totals : total;
}

function buckets(entries, name) {
  return entries
    .filter((e) => e.name === name)
    .map((e) => ({ le: Number(e.labels.le), count: e.value }))
    .sort((a, b) => a.le - b.le);
}

/** The raw figures of one read of /metrics. */
function reading(entries, at) {
  return {
    at,
    created: sum(entries, "gamehost_game_sessions_created_total"),
    cpu: sum(entries, "gamehost_guest_cpu_seconds_total"),
    latenessSum: sum(entries, "gamehost_tick_lateness_seconds_sum"),
    latenessCount: sum(entries, "gamehost_tick_lateness_seconds_count"),
    latenessBuckets: buckets(entries, "gamehost_tick_lateness_seconds_bucket"),
    gameServers: sum(entries, "gamehost_game_servers", "state"),
    gameSessions: sum(entries, "gamehost_game_sessions", "status"),
    faults: sum(entries, "gamehost_guest_faults_total", "kind"),
    players: sum(entries, "gamehost_player_connections"),
  };
}

/** The upper bound under which a fraction `q` of the new observations fell. */
function quantile(before, after, q) {
  const deltas = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const total = deltas.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const wanted = q * total;
  const found = deltas.find((b) => b.count >= wanted);
  return found && Number.isFinite(found.le) && found.le < 1e300 ? found.le : null;
}

/** The figures between two readings: rates over the interval, levels at its end. */
function sample(before, now) {
  const seconds = (now.at - before.at) / 1000;
  const rate = (a, b) => (b >= a && seconds > 0 ? (b - a) / seconds : null);
  const ticks = now.latenessCount - before.latenessCount;
  const sameBuckets = before.latenessBuckets.length === now.latenessBuckets.length;
  return {
    at: now.at,
    createdPerSecond: rate(before.created, now.created),
    cpuCores: rate(before.cpu, now.cpu),
    latenessMeanMs: ticks > 0 ? ((now.latenessSum - before.latenessSum) / ticks) * 1000 : null,
    latenessP99Ms: sameBuckets ? scale(quantile(before.latenessBuckets, now.latenessBuckets, 0.99)) : null,
    gameServers: now.gameServers,
    gameSessions: now.gameSessions,
    faults: now.faults,
    faultsTotal: Object.values(now.faults).reduce((a, b) => a + b, 0),
    players: now.players,
  };
}

function scale(seconds) {
  return seconds === null ? null : seconds * 1000;
}

/** Reads /metrics every few seconds while started; views subscribe to its samples. */
class Sampler {
  constructor() {
    this.samples = [];
    this.listeners = new Set();
    /** The latest read's figures (levels such as players connected). */
    this.last = null;
    this.timer = null;
    this.error = null;
  }

  start() {
    if (this.timer !== null) return;
    const tick = async () => {
      try {
        const text = await api.get("/metrics");
        const now = reading(parse(text), Date.now());
        if (this.last) this.samples.push(sample(this.last, now));
        if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP);
        this.last = now;
        this.error = null;
      } catch (error) {
        this.error = error;
      }
      for (const listener of this.listeners) listener(this);
      this.timer = setTimeout(tick, PERIOD_MS);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    this.samples = [];
    this.last = null;
  }

  /** Calls `listener` after every read; returns the function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The console's one sampler. */
export const sampler = new Sampler();
