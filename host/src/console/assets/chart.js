// A small line chart drawn as SVG: series of (time, value) points over a
// time window, a y axis from zero to a rounded maximum, and a legend.

import { h, svg } from "./dom.js";

const WIDTH = 480;
const HEIGHT = 200;
const LEFT = 58;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 20;

/** A round number at or above `value`, for the top of the y axis. */
function ceiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function label(value, unit) {
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : Number(value.toPrecision(2)).toString();
  return unit ? `${text}${unit}` : text;
}

/**
 * The chart of `series` (`[{name, points: [[millis, value|null]]}]`) over
 * the `windowMs` before `now`; `unit` follows the axis labels.
 */
export function lineChart(series, { now = Date.now(), windowMs, unit = "" }) {
  const start = now - windowMs;
  const values = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v !== null && Number.isFinite(v));
  const top = ceiling(Math.max(0, ...values));
  const x = (t) => LEFT + ((t - start) / windowMs) * (WIDTH - LEFT - RIGHT);
  const y = (v) => TOP + (1 - v / top) * (HEIGHT - TOP - BOTTOM);
  const grid = [0, 0.5, 1].map((f) => [
    svg("line", { class: "chart-grid", x1: LEFT, x2: WIDTH - RIGHT, y1: y(top * f), y2: y(top * f) }),
    svg("text", { class: "chart-axis", x: LEFT - 4, y: y(top * f) + 4, "text-anchor": "end" }, label(top * f, unit)),
  ]);
  const minutes = Math.round(windowMs / 60000);
  const times = [
    svg("text", { class: "chart-axis", x: LEFT, y: HEIGHT - 4 }, `−${minutes} min`),
    svg("text", { class: "chart-axis", x: WIDTH - RIGHT, y: HEIGHT - 4, "text-anchor": "end" }, "now"),
  ];
  const lines = series.map((s, index) => {
    // A gap (null) splits the line.
    const runs = [];
    let run = [];
    for (const [t, v] of s.points) {
      if (t < start) continue;
      if (v === null || !Number.isFinite(v)) {
        if (run.length) runs.push(run);
        run = [];
      } else {
        run.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
      }
    }
    if (run.length) runs.push(run);
    return runs.map((points) =>
      points.length === 1
        ? svg("circle", { class: `chart-line series-${index % 6}`, cx: points[0].split(",")[0], cy: points[0].split(",")[1], r: 2 })
        : svg("polyline", { class: `chart-line series-${index % 6}`, points: points.join(" ") }),
    );
  });
  const picture = svg(
    "svg",
    { class: "chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img" },
    grid,
    times,
    lines,
  );
  const legend = h(
    "div",
    { class: "legend" },
    series.map((s, index) => {
      const last = [...s.points].reverse().find((p) => p[1] !== null);
      return h("span", { class: "legend-item" }, h("i", { class: `swatch series-${index % 6}` }), s.name, last ? ` ${label(last[1], unit)}` : "");
    }),
  );
  return h("div", { class: "chart-box" }, picture, legend);
}
