// The logs view: an index × node grid, entries coloured by term, commit/applied markers, and
// uncommitted entries the current leader will overwrite. A fixed pool of cells is reused, so a
// frame only rewrites cells whose content changed.

import { attr, cls, h, text } from "./dom.js";
import { logWindow, termColor } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {{ evidenceNodes?: Set<number>, evidenceIndexes?: Set<number>, dark?: boolean, columns?: number }} LogMarks
 */

const ROLE_SHORT = { follower: "F", pre_candidate: "P", candidate: "C", leader: "L" };

/** Builds the logs view. */
export function createLogsView() {
  const root = h("div", { class: "logs", role: "table", "aria-label": "Replicated logs" });
  const grid = h("div", { class: "lgrid" });
  const legend = h(
    "p",
    { class: "legend" },
    h("span", { class: "cell applied sw" }),
    " applied ",
    h("span", { class: "cell committed sw" }),
    " committed ",
    h("span", { class: "cell uncommitted sw" }),
    " not committed ",
    h("span", { class: "cell conflict sw" }),
    " will be overwritten",
  );
  root.append(grid, legend);
  let shapeKey = "";
  let lastKey = "";
  /** @type {HTMLElement[]} */
  let heads = [];
  /** @type {{ label: HTMLElement, cells: HTMLElement[] }[]} */
  let rows = [];

  /**
   * @param {WorldView} view
   * @param {LogMarks} [marks]
   */
  function render(view, marks = {}) {
    const columns = Math.max(4, marks.columns ?? 20);
    const ids = view.nodes.map((n) => n.id);
    const key = `${columns}|${ids.join(",")}`;
    if (key !== shapeKey) {
      shapeKey = key;
      grid.replaceChildren();
      grid.style.gridTemplateColumns = `minmax(5.5em, auto) repeat(${columns}, minmax(1.6em, 1fr))`;
      const corner = h("div", { class: "lhead corner", role: "columnheader" }, "index");
      heads = [];
      grid.append(corner);
      for (let c = 0; c < columns; c++) {
        const hd = h("div", { class: "lhead", role: "columnheader" });
        heads.push(hd);
        grid.append(hd);
      }
      rows = ids.map(() => {
        const label = h("div", { class: "llabel", role: "rowheader" });
        const cells = [];
        grid.append(label);
        for (let c = 0; c < columns; c++) {
          const cell = h("div", { class: "cell", role: "cell" });
          cells.push(cell);
          grid.append(cell);
        }
        return { label, cells };
      });
    }

    const { first } = logWindow(view.nodes, columns);
    // Skip the frame when nothing drawn here changed: the window, the marks, and per node its
    // role, term, commit/applied and the terms of the entries in the window.
    let drawKey = `${key}|${first}|${!!marks.dark}|${[...(marks.evidenceNodes ?? [])]}|${[...(marks.evidenceIndexes ?? [])]}`;
    for (const n of view.nodes) {
      drawKey += `|${n.role}${n.crashed ? "x" : ""}${n.paused ? "p" : ""}${n.term},${n.commit},${n.applied},${n.log_len},${n.log_first_index}:`;
      for (let i = Math.max(0, first - n.log_first_index); i < n.log.length; i++) {
        drawKey += `${n.log[i].term}${n.log[i].overwritten ? "!" : ""},`;
      }
    }
    if (drawKey === lastKey) return;
    lastKey = drawKey;
    heads.forEach((hd, c) => {
      text(hd, String(first + c));
    });
    view.nodes.forEach((n, r) => {
      const row = rows[r];
      text(
        row.label,
        `n${n.id} ${n.crashed || !n.role ? "✕" : n.paused ? "‖" : ROLE_SHORT[n.role]} c${n.commit}`,
      );
      attr(
        row.label,
        "title",
        `node ${n.id}: ${n.crashed ? "crashed" : `${n.role}${n.paused ? " (paused)" : ""}`}, term ${n.term}, commit ${n.commit}, applied ${n.applied}, ${n.log_len} entries`,
      );
      cls(row.label, "evidence", !!marks.evidenceNodes?.has(n.id));
      const offset = n.log_first_index;
      row.cells.forEach((cell, c) => {
        const idx = first + c;
        const e = n.log[idx - offset];
        const entry = e && e.index === idx ? e : undefined;
        let state = "empty";
        if (entry) {
          if (entry.overwritten) state = "conflict";
          else if (idx <= n.applied) state = "applied";
          else if (idx <= n.commit) state = "committed";
          else state = "uncommitted";
        }
        const edge = idx === n.commit ? " commit-edge" : "";
        const evid =
          entry && marks.evidenceIndexes?.has(idx) && marks.evidenceNodes?.has(n.id)
            ? " evidence"
            : "";
        attr(cell, "class", `cell ${state}${edge}${evid}`);
        attr(cell, "style", entry ? `--term:${termColor(entry.term, marks.dark)}` : null);
        text(cell, entry ? String(entry.term) : "");
        attr(
          cell,
          "title",
          entry
            ? `n${n.id} #${idx} term ${entry.term}: ${entry.text}${state === "conflict" ? " (will be overwritten)" : ""}`
            : null,
        );
      });
    });
  }

  return { el: root, render };
}
