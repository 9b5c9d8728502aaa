// Game servers: the host's game servers, running and recently ended,
// filtered by fleet, state and name, with their players, game session and
// CPU use; a row opens the game server.

import { api, every, withQuery } from "../api.js";
import { badge, fmt, h, refill, replace, showError, table } from "../dom.js";

/** Agones' game-server states. */
export const STATES = ["Scheduled", "RequestReady", "Ready", "Reserved", "Allocated", "Shutdown", "Unhealthy", "Error"];
/** Most rows shown at once. */
const MAX_ROWS = 200;

/**
 * Follows CPU seconds between readings: `percent(name, seconds)` answers
 * the share of one core used since the last reading of `name`.
 */
export function cpuMeter() {
  const last = new Map();
  return (name, seconds) => {
    const now = performance.now();
    const before = last.get(name);
    last.set(name, { seconds, at: now });
    if (!before || now <= before.at || seconds < before.seconds) return null;
    return ((seconds - before.seconds) / ((now - before.at) / 1000)) * 100;
  };
}

/** CPU use as a percentage of one core (and the total time used). */
export function cpuText(percent, seconds) {
  const share = percent === null || percent === undefined ? "…" : `${fmt.number(percent, percent < 10 ? 1 : 0)}%`;
  return `${share} (${fmt.number(seconds, 2)} s)`;
}

/** Renders the view into `root`; returns what stops it. */
export function render(root, { params }) {
  const error = h("p", { class: "error", hidden: true });
  const fleet = h("select", { id: "filter-fleet" }, h("option", { value: "" }, "every fleet"));
  const state = h("select", { id: "filter-state" }, h("option", { value: "" }, "every state"), STATES.map((s) => h("option", { value: s }, s)));
  const search = h("input", { id: "filter-name", type: "search", placeholder: "name contains…", maxlength: 100 });
  const count = h("span", { class: "muted" });
  const list = h("div", { id: "game-server-list" });
  state.value = STATES.includes(params.state) ? params.state : "";
  const cpu = cpuMeter();
  let wanted = params.fleet ?? "";

  const refresh = async () => {
    const [{ fleets }, { gameServers }] = await Promise.all([
      api.get("/v1/fleets"),
      api.get(withQuery("/v1/gameservers", { fleet: fleet.value || wanted, state: state.value })),
    ]);
    const names = fleets.map((f) => f.name).join();
    if (fleet.dataset.names !== names) {
      replace(fleet, h("option", { value: "" }, "every fleet"), fleets.map((f) => h("option", { value: f.name }, f.name)));
      fleet.dataset.names = names;
      fleet.value = wanted;
    }
    wanted = fleet.value;
    const needle = search.value.trim().toLowerCase();
    const shown = gameServers.filter((g) => g.objectMeta.name.toLowerCase().includes(needle));
    const usage = new Map(shown.map((g) => [g.objectMeta.name, cpu(g.objectMeta.name, g.status.cpu.seconds)]));
    count.textContent = shown.length > MAX_ROWS ? `${MAX_ROWS} of ${shown.length} shown` : `${shown.length} game servers`;
    const rows = shown.slice(0, MAX_ROWS);
    const cpuShown = rows.map((g) => cpuText(usage.get(g.objectMeta.name), g.status.cpu.seconds));
    refill(list, [rows.map((g) => [g.objectMeta, g.status.state, g.status.players.count, g.process.gameSession?.status]), cpuShown], () => table(
      [
        { title: "Game server", cell: (g) => h("a", { href: `#/gameservers/${encodeURIComponent(g.objectMeta.name)}` }, g.objectMeta.name) },
        { title: "Fleet", cell: (g) => g.objectMeta.namespace },
        { title: "State", cell: (g) => badge(g.status.state) },
        { title: "Players", cell: (g) => `${g.status.players.count}/${g.status.players.capacity}`, class: "num" },
        { title: "Game session", cell: (g) => sessionText(g.process.gameSession) },
        { title: "Module", cell: (g) => g.objectMeta.annotations["gamehost.dev/module"] ?? "—" },
        { title: "CPU", cell: (g) => cpuText(usage.get(g.objectMeta.name), g.status.cpu.seconds), class: "num" },
        { title: "Created", cell: (g) => fmt.time(g.objectMeta.creationTimestamp * 1000), class: "num" },
      ],
      rows,
      { key: (g) => g.objectMeta.name, onRow: (g) => (location.hash = `#/gameservers/${encodeURIComponent(g.objectMeta.name)}`), empty: "no game servers match" },
    ));
  };
  for (const control of [fleet, state]) control.addEventListener("change", () => { wanted = fleet.value; refresh().catch((e) => showError(error, e)); });
  search.addEventListener("input", () => refresh().catch((e) => showError(error, e)));

  root.append(
    h("header", { class: "view-head" }, h("h1", {}, "Game servers"), count),
    h("div", { class: "filters" }, h("label", {}, "Fleet ", fleet), h("label", {}, "State ", state), h("label", {}, "Name ", search)),
    error,
    list,
  );
  return every(2000, refresh, (e) => showError(error, e));
}

/** A game session in a few words. */
export function sessionText(session) {
  if (!session) return "—";
  return h("span", { title: session.gameSessionId }, fmt.short(session.gameSessionId, 14), " ", badge(session.status));
}
