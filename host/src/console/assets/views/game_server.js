// One game server: its state, players, counters, lists, labels and CPU use,
// kept live by the control plane's watch; its log, followed as it is
// written; terminate and shut down.

import { api, every, stream, withQuery } from "../api.js";
import { badge, facts, fmt, h, panel, replace, showError, table } from "../dom.js";
import { cpuMeter, cpuText, sessionText } from "./game_servers.js";

/** Most log lines kept on the page; older ones are dropped. */
const MAX_LOG_LINES = 2000;

/** Renders the game server `name` into `root`; returns what stops it. */
export function render(root, { name }) {
  const path = `/v1/gameservers/${encodeURIComponent(name)}`;
  const stop = new AbortController();
  const error = h("p", { class: "error", hidden: true });
  const message = h("p", { class: "message", role: "status" });
  const live = h("span", { id: "watch-live", class: "live" }, "connecting…");
  const state = h("span", { id: "gs-state" });
  const status = h("div");
  const counters = h("div");
  const lists = h("div");
  const labels = h("div");
  const log = h("div", { id: "log", class: "log", role: "log" });
  const logState = h("span", { id: "log-live", class: "live" }, "connecting…");
  const follow = h("input", { type: "checkbox", checked: true });
  const cpu = cpuMeter();
  let record = null;
  let percent = null;

  const act = async (what, action) => {
    message.textContent = `${what}…`;
    try {
      await action();
      message.textContent = `${what}: asked.`;
    } catch (e) {
      message.textContent = `${what} failed: ${e.message}`;
    }
  };
  const actions = h("div", { class: "buttons" },
    h("button", { type: "button", onclick: () => act("Terminating", () => api.post(`${path}/terminate`)) }, "Terminate"),
    h("button", { type: "button", class: "danger", onclick: () => act("Shutting down", () => api.post(`${path}/shutdown`)) }, "Shut down now"));

  root.append(
    h("header", { class: "view-head" },
      h("h1", {}, h("a", { href: "#/gameservers" }, "Game servers"), " / ", name, " ", state),
      live, actions),
    error,
    message,
    h("div", { class: "columns detail" },
      h("div", { class: "stack" }, panel("Status", status), panel("Counters", counters), panel("Lists", lists), panel("Labels and annotations", labels)),
      h("section", { class: "panel log-panel" },
        h("h2", {}, "Log ", logState, h("label", { class: "follow" }, follow, " follow")),
        log)),
  );

  const show = () => {
    if (!record) return;
    const s = record.status;
    const meta = record.objectMeta;
    replace(state, badge(s.state));
    replace(status, facts([
      ["Fleet", h("a", { href: `#/fleets/${encodeURIComponent(meta.namespace)}` }, meta.namespace)],
      ["Module", meta.annotations["gamehost.dev/module"]],
      ["Address", `${s.address}:${s.ports.map((p) => p.port).join(", ")}`],
      ["Players", h("span", { id: "gs-players" }, `${s.players.count} of ${s.players.capacity}${s.players.ids.length ? `: ${s.players.ids.join(", ")}` : ""}`)],
      ["CPU", h("span", { id: "gs-cpu" }, cpuText(percent, s.cpu.seconds))],
      ["Ticks skipped (CPU budget)", fmt.number(s.cpu.ticksSkipped)],
      ["Process", `${record.process.status}${record.process.sdkInitialized ? "" : " (SDK not initialised)"}`],
      ["Game session", sessionText(record.process.gameSession)],
      ["Reserved until", s.reservedUntil ? fmt.dateTime(s.reservedUntil * 1000) : null],
      ["Unhealthy because", s.unhealthyReason],
      ["Ended", record.process.ending ? JSON.stringify(record.process.ending) : null],
      ["Created", fmt.dateTime(meta.creationTimestamp * 1000)],
    ]));
    replace(counters, table(
      [
        { title: "Counter", cell: ([key]) => key },
        { title: "Count", cell: ([, c]) => fmt.number(c.count), class: "num" },
        { title: "Capacity", cell: ([, c]) => fmt.number(c.capacity), class: "num" },
      ],
      Object.entries(s.counters), { empty: "no counters" }));
    replace(lists, table(
      [
        { title: "List", cell: ([key]) => key },
        { title: "Values", cell: ([, l]) => (l.values.length ? l.values.join(", ") : "—") },
        { title: "Capacity", cell: ([, l]) => fmt.number(l.capacity), class: "num" },
      ],
      Object.entries(s.lists), { empty: "no lists" }));
    const pairs = [
      ...Object.entries(meta.labels).map(([k, v]) => ["label", k, v]),
      ...Object.entries(meta.annotations).map(([k, v]) => ["annotation", k, v]),
    ];
    replace(labels, table(
      [
        { title: "Kind", cell: ([kind]) => kind },
        { title: "Key", cell: ([, k]) => k },
        { title: "Value", cell: ([, , v]) => v },
      ],
      pairs, { empty: "none" }));
  };

  const watch = async () => {
    while (!stop.signal.aborted) {
      try {
        live.textContent = "live";
        live.className = "live on";
        await stream(`${path}/watch`, (event) => {
          record = event.result;
          show();
        }, stop.signal);
        live.textContent = "ended";
        live.className = "live";
        return;
      } catch (e) {
        if (stop.signal.aborted) return;
        live.textContent = "reconnecting…";
        live.className = "live";
        showError(error, e);
        if (e.status === 404) return;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  };

  let next = 0;
  const append = (line) => {
    next = line.seq + 1;
    const fields = line.fields.map(([k, v]) => `${k}=${v}`).join(" ");
    log.append(h("div", { class: `log-line level-${line.level}`, dataset: { seq: line.seq } },
      h("span", { class: "log-time" }, fmt.time(line.at)),
      h("span", { class: "log-level" }, line.level),
      h("span", { class: "log-source" }, line.source),
      h("span", { class: "log-text" }, h("span", { class: "log-message" }, line.message), fields ? h("span", { class: "log-fields" }, ` ${fields}`) : null)));
    while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild.remove();
    if (follow.checked) log.scrollTop = log.scrollHeight;
  };
  const tail = async () => {
    while (!stop.signal.aborted) {
      try {
        logState.textContent = "live";
        logState.className = "live on";
        await stream(withQuery(`${path}/logs/follow`, { since: next }), append, stop.signal);
        logState.textContent = "ended";
        logState.className = "live";
        return;
      } catch (e) {
        if (stop.signal.aborted || e.status === 404) return;
        logState.textContent = "reconnecting…";
        logState.className = "live";
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  };

  watch();
  tail();
  // The watch sends changes of state; CPU time is read every few seconds.
  const stopCpu = every(3000, async () => {
    const now = await api.get(path, stop.signal);
    percent = cpu(name, now.status.cpu.seconds);
    if (!record || record.objectMeta.generation <= now.objectMeta.generation) record = now;
    show();
  }, () => {});
  return () => {
    stop.abort();
    stopCpu();
  };
}
