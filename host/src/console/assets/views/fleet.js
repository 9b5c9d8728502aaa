// One fleet: its replicas and game servers by state, its update in
// progress, and the operator's actions: scale, upload a version, hot swap
// to a version, roll back.

import { api, every, withQuery } from "../api.js";
import { badge, facts, fmt, h, panel, refill, replace, showError, stat, table } from "../dom.js";
import { moduleName } from "./fleets.js";

/** The largest module the control plane takes (64 MiB). */
const MAX_MODULE_BYTES = 64 << 20;

/** Renders the fleet `name` into `root`; returns what stops it. */
export function render(root, { name }) {
  const path = `/v1/fleets/${encodeURIComponent(name)}`;
  const error = h("p", { class: "error", hidden: true });
  const message = h("p", { id: "fleet-message", class: "message", role: "status" });
  const title = h("span", { id: "fleet-module", class: "muted" });
  const stats = h("div", { class: "stats" });
  const progress = h("div", { id: "fleet-update" });
  const servers = h("div");
  const replicas = h("input", { id: "scale-replicas", type: "number", min: 0, max: 10000, required: true });
  const modules = h("select", { id: "swap-module" });
  const strategy = h("select", { id: "swap-strategy" },
    h("option", { value: "rolling" }, "rolling: new game servers, old ones retired"),
    h("option", { value: "inPlace" }, "in place: every game server switches, state kept"));
  const rollback = h("button", { id: "rollback-button", type: "button", class: "danger" }, "Roll back");
  const file = h("input", { id: "upload-file", type: "file", accept: ".wasm,application/wasm" });
  const uploadName = h("input", { id: "upload-name", type: "text", required: true, maxlength: 63 });
  const uploadVersion = h("input", { id: "upload-version", type: "text", required: true, maxlength: 63 });
  let state = { fleet: null, modules: [] };

  const act = async (what, action) => {
    message.textContent = `${what}…`;
    message.className = "message";
    try {
      const result = await action();
      message.textContent = `${what}: done.`;
      await refresh();
      return result;
    } catch (e) {
      message.textContent = `${what} failed: ${e.message}`;
      message.className = "message error";
      return null;
    }
  };

  const scale = h("form", { id: "scale-form", onsubmit: (event) => {
    event.preventDefault();
    const count = Number(replicas.value);
    act(`Scaling to ${count}`, () => api.patch(path, { replicas: count }));
  } }, h("label", {}, "Replicas ", replicas), h("button", { id: "scale-button", type: "submit" }, "Scale"));

  const swap = h("form", { id: "swap-form", onsubmit: (event) => {
    event.preventDefault();
    const target = modules.value;
    const label = moduleName(state.modules, target);
    act(`Hot swap to ${label}`, () => api.patch(path, { module: target, strategy: strategy.value }));
  } },
  h("label", {}, "Version ", modules),
  h("label", {}, "Strategy ", strategy),
  h("div", { class: "buttons" },
    h("button", { id: "swap-button", type: "submit" }, "Hot swap"),
    rollback));
  rollback.addEventListener("click", () => act("Rolling back", () => api.post(`${path}/rollback`, {})));

  const upload = h("form", { id: "upload-form", onsubmit: async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > MAX_MODULE_BYTES) {
      message.textContent = `${chosen.name} is ${fmt.bytes(chosen.size)}; modules are at most 64 MiB.`;
      message.className = "message error";
      return;
    }
    const target = withQuery("/v1/modules", { name: uploadName.value.trim(), version: uploadVersion.value.trim() });
    const module = await act(`Uploading ${uploadName.value}@${uploadVersion.value}`, async () => api.upload(target, await chosen.arrayBuffer()));
    if (module) {
      modules.value = module.id;
      file.value = "";
    }
  } },
  h("label", {}, "Component ", file),
  h("div", { class: "inline" }, h("label", {}, "Name ", uploadName), h("label", {}, "Version ", uploadVersion)),
  h("button", { id: "upload-button", type: "submit" }, "Upload"));

  root.append(
    h("header", { class: "view-head" }, h("h1", {}, h("a", { href: "#/fleets" }, "Fleets"), " / ", name), title),
    error,
    stats,
    h("div", { class: "columns wide-left" },
      h("div", {},
        panel("Update", progress),
        panel("Game servers", h("p", {}, h("a", { href: `#/gameservers?fleet=${encodeURIComponent(name)}` }, "All of this fleet's game servers")), servers)),
      h("div", {},
        panel("Scale", scale),
        panel("Hot swap", swap),
        panel("Upload a version", upload))),
    message,
  );

  const fillModules = (list, current) => {
    const ids = list.map((m) => m.id).join();
    if (modules.dataset.ids !== ids) {
      const chosen = modules.value;
      replace(modules, list.map((m) => h("option", { value: m.id }, `${m.name}@${m.version}${m.id === current ? " (current)" : ""}`)));
      modules.dataset.ids = ids;
      modules.value = chosen && list.some((m) => m.id === chosen) ? chosen : current;
    }
  };

  const refresh = async () => {
    const [fleet, { modules: list }, { gameServers }] = await Promise.all([
      api.get(path),
      api.get("/v1/modules"),
      api.get(withQuery("/v1/gameservers", { fleet: name })),
    ]);
    const first = state.fleet === null;
    state = { fleet, modules: list };
    if (first) {
      replicas.value = fleet.replicas;
      const current = list.find((m) => m.id === fleet.module);
      uploadName.value = current?.name ?? name;
    }
    title.textContent = ` runs ${moduleName(list, fleet.module)}`;
    fillModules(list, fleet.module);
    rollback.disabled = !fleet.previousModule;
    rollback.textContent = fleet.previousModule ? `Roll back to ${moduleName(list, fleet.previousModule)}` : "Roll back";
    const s = fleet.status;
    replace(stats,
      stat("Desired replicas", fmt.number(fleet.replicas), "fleet-desired"),
      stat("Running", fmt.number(s.replicas), "fleet-running"),
      stat("Starting", fmt.number(s.starting)),
      stat("Ready", fmt.number(s.ready), "fleet-ready"),
      stat("Reserved", fmt.number(s.reserved)),
      stat("Allocated", fmt.number(s.allocated)));
    refill(progress, [fleet.update, list], () => renderUpdate(fleet.update, list));
    const running = gameServers.filter((g) => !["Shutdown", "Unhealthy", "Error"].includes(g.status.state));
    refill(servers, running, () => table(
      [
        { title: "Game server", cell: (g) => h("a", { href: `#/gameservers/${encodeURIComponent(g.objectMeta.name)}` }, g.objectMeta.name) },
        { title: "State", cell: (g) => badge(g.status.state) },
        { title: "Players", cell: (g) => `${g.status.players.count}/${g.status.players.capacity}`, class: "num" },
        { title: "Module", cell: (g) => g.objectMeta.annotations["gamehost.dev/module"] ?? "—" },
      ],
      running,
      { key: (g) => g.objectMeta.name, onRow: (g) => (location.hash = `#/gameservers/${encodeURIComponent(g.objectMeta.name)}`), empty: "no running game servers" },
    ));
  };

  return every(2000, refresh, (e) => showError(error, e));
}

function renderUpdate(update, modules) {
  if (!update) {
    return h("p", { class: "muted" }, "No update yet: this fleet runs the module it was created with.");
  }
  const meter = h("div", { class: "meter" }, h("div", { class: "meter-fill" }));
  meter.firstChild.style.width = `${update.total ? (100 * update.updated) / update.total : 100}%`;
  return [
    facts([
      ["State", h("span", { id: "fleet-update-state" }, badge(update.state))],
      ["Strategy", update.strategy],
      ["From", moduleName(modules, update.from)],
      ["To", moduleName(modules, update.to)],
      ["Progress", `${update.updated} of ${update.total} game servers`],
      ["Started", fmt.dateTime(update.startedAt)],
      ["Finished", fmt.dateTime(update.finishedAt)],
      ["Reason", update.reason],
    ]),
    meter];
}
