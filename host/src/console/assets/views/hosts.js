// Hosts: this host's id, version, uptime and capacity, its game servers by
// state, and the figures of its latest metrics.

import { api, every } from "../api.js";
import { badge, facts, fmt, h, panel, replace, showError, stat, table } from "../dom.js";
import { sampler } from "../metrics.js";

const STATES = ["Scheduled", "RequestReady", "Ready", "Reserved", "Allocated"];

/** Renders the view into `root`; returns what stops it. */
export function render(root) {
  const error = h("p", { class: "error", hidden: true });
  const summary = h("div", { class: "stats" });
  const about = h("div");
  const capacity = h("div");
  const sessions = h("div");
  const fleets = h("div");
  root.append(
    h("header", { class: "view-head" }, h("h1", {}, "Hosts")),
    error,
    summary,
    h("div", { class: "columns" }, panel("This host", about), panel("Capacity", capacity)),
    h("div", { class: "columns" }, panel("Fleets on this host", fleets), panel("Game sessions by status", sessions)),
  );
  const update = async () => {
    const [host, list] = await Promise.all([api.get("/v1/host"), api.get("/v1/fleets")]);
    const byState = host.gameServersByState;
    replace(
      summary,
      stat("Running game servers", fmt.number(host.runningGameServers), "host-running"),
      stat("Fleets", fmt.number(host.fleets)),
      stat("Uptime", fmt.duration(host.uptimeSeconds)),
      stat("Players connected", fmt.number(sampler.last?.players)),
    );
    replace(
      about,
      facts([
        ["Host id", h("span", { id: "host-id" }, host.hostId)],
        ["Version", host.version],
        ["Players reach it at", `${host.address}:${host.port}${host.tls ? " (TLS)" : ""}`],
        ["Started", fmt.dateTime(host.startedAt)],
        ["Uptime", fmt.duration(host.uptimeSeconds)],
      ]),
    );
    const used = host.runningGameServers / Math.max(1, host.maxGameServers);
    const meter = h("div", { class: "meter" }, h("div", { class: "meter-fill" }));
    meter.firstChild.style.width = `${Math.min(100, used * 100).toFixed(1)}%`;
    replace(
      capacity,
      h("p", {}, `${fmt.number(host.runningGameServers)} of ${fmt.number(host.maxGameServers)} game servers (${fmt.number(used * 100, 1)}%)`),
      meter,
      table(
        [
          { title: "State", cell: (s) => badge(s) },
          { title: "Game servers", cell: (s) => fmt.number(byState[s] ?? 0), class: "num" },
        ],
        STATES,
      ),
    );
    replace(
      fleets,
      table(
        [
          { title: "Fleet", cell: (f) => h("a", { href: `#/fleets/${encodeURIComponent(f.name)}` }, f.name) },
          { title: "Desired", cell: (f) => fmt.number(f.replicas), class: "num" },
          { title: "Ready", cell: (f) => fmt.number(f.status.ready), class: "num" },
          { title: "Allocated", cell: (f) => fmt.number(f.status.allocated), class: "num" },
          { title: "Update", cell: (f) => (f.update ? badge(f.update.state) : "—") },
        ],
        list.fleets,
        { empty: "no fleets" },
      ),
    );
    const statuses = sampler.last?.gameSessions ?? {};
    replace(
      sessions,
      table(
        [
          { title: "Status", cell: ([s]) => badge(s) },
          { title: "Game sessions", cell: ([, n]) => fmt.number(n), class: "num" },
        ],
        Object.entries(statuses),
        { empty: sampler.last ? "no game sessions" : "reading the metrics…" },
      ),
    );
  };
  return every(2000, update, (e) => showError(error, e));
}
