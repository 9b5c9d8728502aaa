// Charts of the host's metrics, read every few seconds: game sessions
// created per second, game servers by state, tick lateness, guest faults,
// guest CPU and players connected.

import { lineChart } from "../chart.js";
import { h, replace, showError } from "../dom.js";
import { PERIOD_MS, sampler } from "../metrics.js";

/** The time the charts span. */
const WINDOW_MS = 5 * 60 * 1000;

const STATES = ["Scheduled", "RequestReady", "Ready", "Reserved", "Allocated"];

function series(samples, name, pick) {
  return { name, points: samples.map((s) => [s.at, pick(s)]) };
}

/** Keys seen in any sample's `field` map, in the order given first. */
function keys(samples, field, preferred = []) {
  const seen = new Set(preferred.filter((k) => samples.some((s) => k in s[field])));
  for (const s of samples) for (const k of Object.keys(s[field])) seen.add(k);
  return [...seen];
}

function charts(samples) {
  const now = Date.now();
  const options = (unit) => ({ now, windowMs: WINDOW_MS, unit });
  const states = keys(samples, "gameServers", STATES);
  const faultKinds = keys(samples, "faults");
  return [
    ["Game sessions created per second", "chart-sessions",
      lineChart([series(samples, "created/s", (s) => s.createdPerSecond)], options(""))],
    ["Game servers by state", "chart-game-servers",
      lineChart(states.length ? states.map((k) => series(samples, k, (s) => s.gameServers[k] ?? 0)) : [series(samples, "running", () => 0)], options(""))],
    ["Tick lateness", "chart-lateness",
      lineChart([series(samples, "mean", (s) => s.latenessMeanMs), series(samples, "p99", (s) => s.latenessP99Ms)], options(" ms"))],
    ["Guest faults (total)", "chart-faults",
      lineChart(faultKinds.length ? faultKinds.map((k) => series(samples, k, (s) => s.faults[k] ?? 0)) : [series(samples, "faults", (s) => s.faultsTotal)], options(""))],
    ["Guest CPU (cores)", "chart-cpu",
      lineChart([series(samples, "cores", (s) => s.cpuCores)], options(""))],
    ["Players connected", "chart-players",
      lineChart([series(samples, "players", (s) => s.players)], options(""))],
  ];
}

/** Renders the view into `root`; returns what stops it. */
export function render(root) {
  const error = h("p", { class: "error", hidden: true });
  const grid = h("div", { class: "chart-grid-layout" });
  const note = h("span", { class: "muted" }, `/metrics read every ${PERIOD_MS / 1000} s; the last 5 minutes`);
  root.append(h("header", { class: "view-head" }, h("h1", {}, "Charts"), note), error, grid);
  const draw = () => {
    showError(error, sampler.error);
    if (sampler.samples.length === 0) {
      replace(grid, h("p", { class: "muted" }, "Reading the metrics… the first figures come after two reads."));
      return;
    }
    replace(grid, charts(sampler.samples).map(([title, id, chart]) =>
      h("section", { class: "panel chart-panel", id }, h("h2", {}, title), chart)));
  };
  draw();
  return sampler.subscribe(draw);
}
