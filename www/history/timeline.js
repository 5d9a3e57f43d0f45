// The history as an SVG timeline: one lane per client, one box per operation from its
// invocation to its answer. Pure rendering plus pointer and keyboard intents: a drag or an
// arrow key reports the operation's new invocation time; the page re-checks in Rust.

const SVG = "http://www.w3.org/2000/svg";
const LANE_PX = 46;
const LEFT_PX = 70;
const WIDTH_PX = 900;
/** Keyboard steps, microseconds (Shift: the large one). */
export const KEY_STEP_US = 250;
export const KEY_STEP_US_LARGE = 1000;

/** @param {string} tag @param {Record<string, string | number>} attrs */
function el(tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** `put x=4`, `get x → 4` (`nil` for an absent value). @param {any} op */
export function label(op) {
  if (op.op === "put") return `put ${op.key}=${op.value}`;
  if (op.op === "get") return `get ${op.key} → ${op.output ?? "nil"}`;
  return `${op.op} ${op.key}`;
}

/**
 * Draws `history` into `host`.
 * @param {HTMLElement} host
 * @param {any} history the history object (docs/history-format.md)
 * @param {{ blamed: Set<number>, onMove: (id: number, invokeUs: number, done: boolean) => void,
 *   onDelete: (id: number) => void, focusId?: number | null,
 *   tr: (key: any, vars?: Record<string, string | number>) => string }} opts
 */
export function drawTimeline(host, history, opts) {
  const ops = history.operations;
  const clients = [...new Set(ops.map((/** @type {any} */ o) => o.client))].sort((a, b) => a - b);
  const endUs = Math.max(1000, ...ops.map((/** @type {any} */ o) => o.complete_us ?? o.invoke_us));
  // A margin on the right so that an operation can be dragged later.
  const spanUs = Math.ceil((endUs * 1.25) / 1000) * 1000;
  const pxPerUs = (WIDTH_PX - LEFT_PX - 10) / spanUs;
  const height = clients.length * LANE_PX + 28;
  const svg = el("svg", { viewBox: `0 0 ${WIDTH_PX} ${height}`, role: "group" });
  const { tr } = opts;
  svg.setAttribute("aria-label", tr("hp_timelines"));
  const x = (/** @type {number} */ us) => LEFT_PX + us * pxPerUs;
  const stepUs = spanUs > 20000 ? 5000 : 1000;
  // The last tick stops short of the right edge, where its label would be cut.
  for (let t = 0; x(t) < WIDTH_PX - 24; t += stepUs) {
    const tick = el("text", { x: x(t), y: height - 6, class: "tick", "text-anchor": "middle" });
    tick.textContent = `${t / 1000} ms`;
    svg.append(tick);
  }
  clients.forEach((c, lane) => {
    const y = lane * LANE_PX + LANE_PX / 2;
    svg.append(el("line", { x1: LEFT_PX, x2: WIDTH_PX, y1: y, y2: y, class: "lane" }));
    const name = el("text", { x: 4, y: y + 4, class: "lane-label" });
    name.textContent = tr("hp_lane", { client: c });
    svg.append(name);
  });
  for (const op of ops) {
    const lane = clients.indexOf(op.client);
    const y = lane * LANE_PX + 8;
    const lenUs = (op.complete_us ?? spanUs) - op.invoke_us;
    const g = el("g", {
      class: `op ${op.op}${opts.blamed.has(op.id) ? " blamed" : ""}`,
      tabindex: 0,
      role: "button",
      "data-id": op.id,
      transform: `translate(${x(op.invoke_us)} ${y})`,
    });
    g.setAttribute(
      "aria-label",
      // It starts with the box's own text, as a screen reader's user sees and says it.
      tr("hp_op_aria", {
        label: `#${op.id} ${label(op)}`,
        client: op.client,
        from: op.invoke_us / 1000,
        to: (op.complete_us ?? spanUs) / 1000,
      }),
    );
    const w = Math.max(4, lenUs * pxPerUs);
    g.append(el("rect", { width: w, height: LANE_PX - 16, rx: 4 }));
    // The label is clipped to its box (a nested svg clips): a narrow box shows what fits, and
    // the whole label is in the tooltip and the aria-label.
    const clip = el("svg", { width: w, height: LANE_PX - 16 });
    const t = el("text", { x: 5, y: (LANE_PX - 16) / 2 + 4 });
    t.textContent = `#${op.id} ${label(op)}`;
    clip.append(t);
    g.append(clip);
    const title = el("title");
    title.textContent = `#${op.id} ${tr("hp_lane", { client: op.client })}: ${label(op)} [${op.invoke_us}, ${op.complete_us ?? "?"}] µs`;
    g.append(title);
    let drag = /** @type {{ startX: number, startUs: number, scale: number } | null} */ (null);
    g.addEventListener("pointerdown", (e) => {
      const box = svg.getBoundingClientRect();
      drag = { startX: e.clientX, startUs: op.invoke_us, scale: WIDTH_PX / box.width };
      g.setPointerCapture(e.pointerId);
      g.focus();
    });
    const moved = (/** @type {PointerEvent} */ e) => {
      if (!drag) return 0;
      const us = drag.startUs + ((e.clientX - drag.startX) * drag.scale) / pxPerUs;
      // Snap to 50 µs: times stay readable.
      return Math.max(0, Math.round(us / 50) * 50);
    };
    g.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const us = moved(e);
      g.setAttribute("transform", `translate(${x(us)} ${y})`);
      opts.onMove(op.id, us, false);
    });
    const end = (/** @type {PointerEvent} */ e) => {
      if (!drag) return;
      const us = moved(e);
      drag = null;
      opts.onMove(op.id, us, true);
    };
    g.addEventListener("pointerup", end);
    g.addEventListener("pointercancel", end);
    g.addEventListener("keydown", (e) => {
      const step = e.shiftKey ? KEY_STEP_US_LARGE : KEY_STEP_US;
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.preventDefault();
        const us = Math.max(0, op.invoke_us + (e.key === "ArrowLeft" ? -step : step));
        opts.onMove(op.id, us, true);
      } else if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        opts.onDelete(op.id);
      }
    });
    svg.append(g);
  }
  host.replaceChildren(svg);
  if (opts.focusId != null) {
    /** @type {SVGGElement | null} */ (svg.querySelector(`[data-id="${opts.focusId}"]`))?.focus();
  }
}

/** Marks the blamed operations without redrawing (during a drag). @param {HTMLElement} host @param {Set<number>} blamed */
export function markBlamed(host, blamed) {
  for (const g of host.querySelectorAll(".op")) {
    g.classList.toggle("blamed", blamed.has(Number(g.getAttribute("data-id"))));
  }
}
