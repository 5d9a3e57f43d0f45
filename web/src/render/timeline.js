// The time scrubber: a range input over [0, the furthest time reached] with event markers
// (elections, faults, violations, client errors). Markers live in an SVG whose viewBox is in
// microseconds, so as time grows only the viewBox changes, not every marker.

import { attr, h, keyedList, svg, text } from "./dom.js";
import { formatUs } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").TraceMarker} MarkerKind
 * @typedef {{ id: number, at_us: number, kind: MarkerKind, text: string }} Marker
 */

/**
 * Builds the timeline.
 * @param {{ onSeek?: (t_us: number) => void, onStep?: () => void }} handlers
 *   onStep: process the next event (the Right arrow key)
 */
export function createTimelineView(handlers = {}) {
  const root = h("div", { class: "timeline" });
  const marks = /** @type {SVGSVGElement} */ (
    svg("svg", { class: "tmarks", preserveAspectRatio: "none", "aria-hidden": "true" })
  );
  const range = /** @type {HTMLInputElement} */ (
    h("input", {
      type: "range",
      min: 0,
      max: 1,
      step: 1,
      value: 0,
      "aria-label": "Time (Right: next event; Left: back 1/1000; Shift: 1/100)",
    })
  );
  const label = h("output", { class: "tnow" });
  let markersKey = "";
  root.append(h("div", { class: "ttrack" }, marks, range), label);
  range.addEventListener("input", () => handlers.onSeek?.(Number(range.value)));
  // Keys move by meaningful amounts, not the input's 1 µs: the next event (Right without a
  // modifier), 1/1000 of the range back (Left), 1/100 with Shift either way; Home and End.
  range.addEventListener("keydown", (e) => {
    const max = Number(range.max) || 1;
    const now = Number(range.value);
    const fine = Math.max(1000, Math.round(max / 1000));
    const coarse = Math.max(1000, Math.round(max / 100));
    /** @type {number | null} */
    let to = null;
    if (e.key === "ArrowRight" || e.key === "ArrowUp") {
      if (!e.shiftKey && handlers.onStep) {
        e.preventDefault();
        handlers.onStep();
        return;
      }
      to = now + coarse;
    } else if (e.key === "ArrowLeft" || e.key === "ArrowDown")
      to = now - (e.shiftKey ? coarse : fine);
    else if (e.key === "PageUp") to = now + coarse;
    else if (e.key === "PageDown") to = now - coarse;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = max;
    if (to === null) return;
    e.preventDefault();
    handlers.onSeek?.(Math.max(0, Math.min(max, to)));
  });
  const list = keyedList(marks, (/** @type {Marker} */ m) => {
    const ln = svg("line", { class: `tm tm-${m.kind}`, y1: 0, y2: 10 });
    ln.append(svg("title"));
    return ln;
  });

  /**
   * @param {number} now_us
   * @param {number} end_us
   * @param {Marker[]} markers
   */
  function render(now_us, end_us, markers) {
    const end = Math.max(1, end_us, now_us);
    attr(marks, "viewBox", `0 0 ${end} 10`);
    attr(range, "max", end);
    // Do not fight the user's thumb while they drag.
    if (document.activeElement !== range || !range.matches(":active")) range.value = String(now_us);
    attr(range, "aria-valuetext", formatUs(now_us));
    text(label, `${formatUs(now_us)}`);
    // Markers sit at fixed times in a µs viewBox: redraw them only when the list changed.
    const key = `${markers.length}|${markers[0]?.id}|${markers.at(-1)?.id}`;
    if (key === markersKey) return;
    markersKey = key;
    list.update(
      markers,
      (m) => m.id,
      (ln, m) => {
        attr(ln, "x1", m.at_us);
        attr(ln, "x2", m.at_us);
        text(/** @type {Node} */ (ln.firstChild), `${formatUs(m.at_us)} ${m.text}`);
      },
    );
  }

  return { el: root, render };
}
