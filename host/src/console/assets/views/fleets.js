// Fleets: every fleet with its replicas, its game servers by state and its
// update in progress; a row opens the fleet.

import { api, every } from "../api.js";
import { badge, fmt, h, refill, showError, table } from "../dom.js";

/** The `name@version` of module `id`, from the modules listed. */
export function moduleName(modules, id) {
  const module = modules.find((m) => m.id === id);
  return module ? `${module.name}@${module.version}` : fmt.short(id, 12);
}

/** An update's state and progress, in a few words. */
export function updateText(update) {
  if (!update) return "—";
  const progress = `${update.updated}/${update.total}`;
  return h("span", {}, badge(update.state), ` ${update.strategy} ${progress}`);
}

/** Renders the view into `root`; returns what stops it. */
export function render(root) {
  const error = h("p", { class: "error", hidden: true });
  const list = h("div", { id: "fleet-list" });
  root.append(h("header", { class: "view-head" }, h("h1", {}, "Fleets")), error, list);
  const update = async () => {
    const [{ fleets }, { modules }] = await Promise.all([api.get("/v1/fleets"), api.get("/v1/modules")]);
    refill(
      list,
      [fleets, modules],
      () => table(
        [
          { title: "Fleet", cell: (f) => h("a", { href: `#/fleets/${encodeURIComponent(f.name)}` }, f.name) },
          { title: "Module", cell: (f) => moduleName(modules, f.module) },
          { title: "Desired", cell: (f) => fmt.number(f.replicas), class: "num" },
          { title: "Running", cell: (f) => fmt.number(f.status.replicas), class: "num" },
          { title: "Starting", cell: (f) => fmt.number(f.status.starting), class: "num" },
          { title: "Ready", cell: (f) => fmt.number(f.status.ready), class: "num" },
          { title: "Reserved", cell: (f) => fmt.number(f.status.reserved), class: "num" },
          { title: "Allocated", cell: (f) => fmt.number(f.status.allocated), class: "num" },
          { title: "Update", cell: (f) => updateText(f.update) },
          { title: "Created", cell: (f) => fmt.dateTime(f.createdAt) },
        ],
        fleets,
        {
          key: (f) => f.name,
          onRow: (f) => (location.hash = `#/fleets/${encodeURIComponent(f.name)}`),
          empty: "no fleets: create one with gamehost deploy or POST /v1/fleets",
        },
      ),
    );
  };
  return every(2000, update, (e) => showError(error, e));
}
