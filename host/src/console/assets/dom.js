// Building the page: elements, tables, badges and how figures are written.

/**
 * An element: `attrs` sets attributes (`class`, `for`, …), `on…` handlers
 * and `dataset` entries; `children` are nodes, strings or arrays of them.
 */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, as `h` makes HTML ones. */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

function fill(element, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces `element`'s children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const shown = new WeakMap();

/**
 * Replaces `element`'s children with what `build()` makes, unless `data`
 * is what it was built from last time: rows that did not change stay put
 * (under the pointer, selected, scrolled).
 */
export function refill(element, data, build) {
  const signature = JSON.stringify(data);
  if (shown.get(element) === signature) return element;
  shown.set(element, signature);
  return replace(element, build());
}

/**
 * A table of `rows`: each column is `{title, cell(row), class?}`; `onRow`
 * makes rows clickable; `key(row)` names rows for tests and selection.
 */
export function table(columns, rows, { onRow, key, empty = "none", selected } = {}) {
  const head = h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.class }, c.title))));
  const body = h("tbody");
  if (rows.length === 0) {
    body.append(h("tr", {}, h("td", { class: "empty", colspan: columns.length }, empty)));
  }
  for (const row of rows) {
    const name = key?.(row);
    const tr = h("tr", {
      class: [onRow ? "clickable" : "", name !== undefined && name === selected ? "selected" : ""].join(" ").trim() || null,
      dataset: name !== undefined ? { key: name } : undefined,
      onclick: onRow ? (event) => {
        if (!event.target.closest("button, a, input, select")) onRow(row);
      } : undefined,
    }, columns.map((c) => {
      const content = c.cell(row);
      const title = typeof content === "string" && content.length > 24 ? content : undefined;
      return h("td", { class: c.class, title }, content);
    }));
    body.append(tr);
  }
  return h("table", { class: "grid" }, head, body);
}

/** A state or status as a coloured badge. */
export function badge(text) {
  const kind = String(text ?? "").toLowerCase().replace(/[^a-z]/g, "");
  return h("span", { class: `badge badge-${kind}` }, text ?? "—");
}

/** A labelled figure. */
export function stat(label, value, id) {
  return h("div", { class: "stat" }, h("div", { class: "stat-value", id }, value), h("div", { class: "stat-label" }, label));
}

/** Rows of label and value. */
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value ?? "—")]));
}

/** A section with a title and content. */
export function panel(title, ...content) {
  return h("section", { class: "panel" }, h("h2", {}, title), ...content);
}

/** Shows `error` (or clears it, given null) in `element`. */
export function showError(element, error) {
  element.textContent = error ? `${error.code ? error.code + ": " : ""}${error.message}` : "";
  element.hidden = !error;
}

/** How figures are written. */
export const fmt = {
  time(millis) {
    if (millis === null || millis === undefined) return "—";
    return new Date(millis).toLocaleTimeString([], { hour12: false });
  },
  dateTime(millis) {
    if (millis === null || millis === undefined) return "—";
    const date = new Date(millis);
    return `${date.toLocaleDateString()} ${date.toLocaleTimeString([], { hour12: false })}`;
  },
  duration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400);
    const hh = Math.floor((s % 86400) / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = s % 60;
    if (d) return `${d}d ${hh}h ${mm}m`;
    if (hh) return `${hh}h ${mm}m`;
    if (mm) return `${mm}m ${ss}s`;
    return `${ss}s`;
  },
  ago(millis) {
    return millis ? `${fmt.duration((Date.now() - millis) / 1000)} ago` : "—";
  },
  number(value, digits = 0) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    return value.toLocaleString([], { maximumFractionDigits: digits, minimumFractionDigits: digits });
  },
  bytes(value) {
    if (value < 1024) return `${value} B`;
    if (value < 1 << 20) return `${(value / 1024).toFixed(1)} KiB`;
    return `${(value / (1 << 20)).toFixed(1)} MiB`;
  },
  short(id, keep = 14) {
    if (!id) return "—";
    return id.length > keep ? `${id.slice(0, keep)}…` : id;
  },
};
