// The time scrubber: a range input over [0, the furthest time reached] with event markers
// (elections, faults, violations, client errors). Markers live in an SVG whose viewBox is in
// microseconds, so as time grows only the viewBox changes, not every marker.

import { t } from "../i18n.js";
import { attr, h, keyedList, svg, text } from "./dom.js";
import { formatUs } from "./geom.js";
import { lineText } from "./line.js";

/**
 * @typedef {import("../types.d.ts").TraceMarker} MarkerKind
 * @typedef {{ id: number, at_us: number, kind: MarkerKind, text: string, pos?: number,
 *   case?: import("../types.d.ts").TraceLineCase | null, params?: string[] }} Marker
 *   pos: the line's position in the whole trace (`TraceLine.seq`); case, params: the line as
 *   data (render/line.js words it)
 */

/** The timeline draws markers in at most this many time bins. */
const MARKER_BINS = 240;

/**
 * Builds the timeline.
 * @param {{
 *   onSeek?: (t_us: number) => void,
 *   onStep?: () => void,
 *   prevEventAt?: (t_us: number) => number | undefined,
 *   tr?: import("../app/labels.js").Tr,
 * }} handlers
 *   onStep: process the next event (the Right arrow key); prevEventAt: the time of the latest
 *   event before a time (the Left arrow key seeks there), undefined when unknown; tr: the
 *   labels in the page's language (English when absent)
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
    })
  );
  const tr = handlers.tr ?? ((/** @type {import("../i18n.js").StringKey} */ k) => t("en", k));
  let markersKey = "";
  const relabel = () => {
    range.setAttribute("aria-label", tr("bar_time"));
    markersKey = ""; // the markers' titles are in the page's language too
  };
  relabel();
  const label = h("output", { class: "tnow" });
  root.append(h("div", { class: "ttrack" }, marks, range), label);
  range.addEventListener("input", () => handlers.onSeek?.(Number(range.value)));
  // Keys move by meaningful amounts, not the input's 1 µs: the next event (Right without a
  // modifier), the previous event (Left; 1/1000 of the range back when the world cannot say,
  // e.g. its kept trace no longer reaches back), 1/100 with Shift either way; Home and End.
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
    } else if (e.key === "ArrowLeft" || e.key === "ArrowDown") {
      const prev = e.shiftKey ? undefined : handlers.prevEventAt?.(now);
      to = prev ?? now - (e.shiftKey ? coarse : fine);
    } else if (e.key === "PageUp") to = now + coarse;
    else if (e.key === "PageDown") to = now - coarse;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = max;
    if (to === null) return;
    e.preventDefault();
    handlers.onSeek?.(Math.max(0, Math.min(max, to)));
  });
  const list = keyedList(marks, (/** @type {{ kind: string }} */ m) => {
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
    // Markers are binned on a fixed time grid (one line per kind per bin, at most
    // MARKER_BINS bins over the range; the bin width doubles as the range does), so the
    // timeline's DOM stays bounded over an hour. They sit at fixed times in a µs viewBox:
    // redraw only when the list or the grid changed.
    const bin_us = 2 ** Math.ceil(Math.log2(Math.max(1, end / MARKER_BINS)));
    const key = `${markers.length}|${markers[0]?.id}|${markers.at(-1)?.id}|${bin_us}`;
    if (key === markersKey) return;
    markersKey = key;
    /** @type {Map<string, { key: string, kind: string, at_us: number, n: number, text: string }>} */
    // The text in the page's language, of the last marker of each bin.
    const bins = new Map();
    for (const m of markers) {
      const k = `${m.kind}:${Math.floor(m.at_us / bin_us)}`;
      const b = bins.get(k);
      if (b) {
        b.n++;
        b.text = lineText(m, tr);
      } else bins.set(k, { key: k, kind: m.kind, at_us: m.at_us, n: 1, text: lineText(m, tr) });
    }
    list.update(
      [...bins.values()],
      (b) => b.key,
      (ln, b) => {
        attr(ln, "class", `tm tm-${b.kind}`);
        attr(ln, "x1", b.at_us);
        attr(ln, "x2", b.at_us);
        text(
          /** @type {Node} */ (ln.firstChild),
          b.n > 1
            ? tr("tl_events", {
                at: formatUs(b.at_us),
                n: b.n,
                kind: tr(/** @type {import("../i18n.js").StringKey} */ (`marker_${b.kind}`)),
                last: b.text,
              })
            : `${formatUs(b.at_us)} ${b.text}`,
        );
      },
    );
  }

  return { el: root, render, relabel };
}
