// The logs view: an index × node table. Each cell shows its entry's term as a number and its
// state by one legend (applied, committed, not committed, will be overwritten); each row is
// headed by the node, its role and its commit and applied indexes. Clicking an entry asks the
// world why it is (not) committed. A fixed pool of cells is reused, so a frame only rewrites
// cells whose content changed.

import { t } from "../i18n.js";
import { shownMembership } from "./cluster/membership.js";
import { attr, cls, h, text } from "./dom.js";
import { logWindow } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {{ evidenceNodes?: Set<number>, evidenceIndexes?: Set<number>, dark?: boolean, columns?: number, spotCells?: Set<string> }} LogMarks
 *   spotCells: the cells a lesson step points at, as `node/index`
 */

/** @typedef {import("../i18n.js").StringKey} StringKey */

/**
 * Why an entry is (not) committed, in the reader's words: its case's sentence
 * (`why_<case>`) with the `{on}` hole from its on-case (`why_on_<on>`) and the others from
 * its params; the simulator's English `why` for a status without a case (an older package).
 * @param {import("../types.d.ts").EntryStatus} s
 * @param {import("../app/labels.js").Tr} tr
 */
export function entryWhyText(s, tr) {
  if (!s.case || !s.on) return s.why;
  const p = s.params ?? {};
  const on = tr(/** @type {import("../i18n.js").StringKey} */ (`why_on_${s.on}`), p);
  return tr(/** @type {import("../i18n.js").StringKey} */ (`why_${s.case}`), { ...p, on });
}

/**
 * Index headers label every `step`-th column, so that wide numbers never overlap.
 * @param {number} lastIndex the largest index shown
 */
export function headerStep(lastIndex) {
  const digits = String(Math.max(1, lastIndex)).length;
  return digits <= 3 ? 1 : digits === 4 ? 2 : 5;
}

/**
 * Builds the logs view.
 * @param {{ onEntry?: (node: number, index: number) => void, tr?: import("../app/labels.js").Tr }} [handlers]
 *   onEntry: an entry was clicked (or chosen with Enter); tr: the labels in the page's
 *   language (English when absent)
 */
export function createLogsView(handlers = {}) {
  const tr = handlers.tr ?? ((k, v) => t("en", k, v));
  /** A cell state's words (`cell_<state>`). @param {string} state */
  const stateText = (state) => tr(/** @type {StringKey} */ (`cell_${state}`));
  /** The learners of the configuration the cluster view shows (set per render). */
  let learners = /** @type {number[]} */ ([]);
  /** A learner: it receives the log without a vote. @param {{ id: number }} n */
  const isLearner = (n) => learners.includes(n.id);
  /** A node's role or state in the row header. @param {import("../types.d.ts").NodeInfo} n */
  const roleText = (n) =>
    n.crashed || !n.role
      ? tr("status_crashed")
      : `${tr(/** @type {StringKey} */ (`role_${n.role}`))}${isLearner(n) ? tr("logs_learner") : ""}${n.paused ? tr("logs_paused") : ""}`;
  const root = h("div", { class: "logs" });
  const grid = h("div", { class: "lgrid", role: "table" });
  const legend = h("p", { class: "legend" });
  const relabel = () => {
    grid.setAttribute("aria-label", tr("logs_table"));
    const sw = (/** @type {string} */ state) => h("span", { class: `cell ${state} sw` });
    legend.replaceChildren(
      sw("applied"),
      ` ${stateText("applied")} `,
      sw("committed"),
      ` ${stateText("committed")} `,
      sw("uncommitted"),
      ` ${stateText("uncommitted")} `,
      sw("conflict"),
      ` ${stateText("conflict")} `,
      sw("compacted"),
      ` ${stateText("compacted")} · ${tr("logs_legend")}`,
    );
    shapeKey = "";
    lastKey = "";
  };
  root.append(grid, legend);
  grid.addEventListener("click", (e) => {
    const cell = /** @type {HTMLElement | null} */ (
      /** @type {Element} */ (e.target).closest?.("[data-index]")
    );
    if (cell?.dataset.index)
      handlers.onEntry?.(Number(cell.dataset.node), Number(cell.dataset.index));
  });
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
      grid.style.gridTemplateColumns = `minmax(9.5em, auto) repeat(${columns}, minmax(1.6em, 1fr))`;
      // Rows are `display: contents` wrappers: the table's structure for assistive technology,
      // the flat grid for layout.
      const headRow = h("div", { class: "lrow", role: "row" });
      headRow.append(h("div", { class: "lhead corner", role: "columnheader" }, tr("logs_corner")));
      heads = [];
      for (let c = 0; c < columns; c++) {
        const hd = h("div", { class: "lhead", role: "columnheader" });
        heads.push(hd);
        headRow.append(hd);
      }
      grid.append(headRow);
      rows = ids.map(() => {
        const tr = h("div", { class: "lrow", role: "row" });
        const label = h("div", { class: "llabel", role: "rowheader" });
        const cells = [];
        tr.append(label);
        for (let c = 0; c < columns; c++) {
          const cell = h("div", { class: "cell", role: "cell" });
          cells.push(cell);
          tr.append(cell);
        }
        grid.append(tr);
        return { label, cells };
      });
    }

    learners = shownMembership(view)?.learners ?? [];
    const { first } = logWindow(view.nodes, columns);
    // Skip the frame when nothing drawn here changed: the window, the marks, and per node its
    // role, term, commit/applied and the terms of the entries in the window.
    let drawKey = `${key}|${first}|${!!marks.dark}|${[...(marks.evidenceNodes ?? [])]}|${[...(marks.evidenceIndexes ?? [])]}|${[...(marks.spotCells ?? [])]}`;
    for (const n of view.nodes) {
      drawKey += `|${n.role}${isLearner(n) ? "l" : ""}${n.crashed ? "x" : ""}${n.paused ? "p" : ""}${n.term},${n.commit},${n.applied},${n.log_len},${n.log_first_index},${n.snapshot?.last_included_index ?? 0}:`;
      for (let i = Math.max(0, first - n.log_first_index); i < n.log.length; i++) {
        drawKey += `${n.log[i].term}${n.log[i].overwritten ? "!" : ""},`;
      }
    }
    if (drawKey === lastKey) return;
    lastKey = drawKey;
    const step = headerStep(first + columns - 1);
    heads.forEach((hd, c) => {
      const idx = first + c;
      text(hd, idx % step === 0 || c === 0 ? String(idx) : "");
      attr(hd, "aria-label", tr("logs_index", { index: idx }));
    });
    view.nodes.forEach((n, r) => {
      const row = rows[r];
      const role = roleText(n);
      const nums = { commit: n.commit, applied: n.applied };
      row.label.replaceChildren(
        h("span", { class: "lname" }, `n${n.id} ${role}`),
        h("span", { class: "lidx" }, tr("logs_commit_applied", nums)),
      );
      attr(
        row.label,
        "title",
        tr("logs_row_title", { node: n.id, role, term: n.term, ...nums, len: n.log_len }),
      );
      cls(row.label, "evidence", !!marks.evidenceNodes?.has(n.id));
      const offset = n.log_first_index;
      row.cells.forEach((cell, c) => {
        const idx = first + c;
        const e = n.log[idx - offset];
        const entry = e && e.index === idx ? e : undefined;
        const snap = n.snapshot;
        let state = "empty";
        if (!entry && snap && idx <= snap.last_included_index) state = "compacted";
        else if (entry) {
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
        const spot = entry && marks.spotCells?.has(`${n.id}/${idx}`) ? " spot" : "";
        attr(cell, "class", `cell ${state}${edge}${evid}${spot}`);
        const boundary = state === "compacted" && idx === snap?.last_included_index;
        text(cell, entry ? String(entry.term) : boundary ? String(snap.last_included_term) : "");
        attr(cell, "data-node", entry ? n.id : null);
        attr(cell, "data-index", entry ? idx : null);
        attr(
          cell,
          "title",
          entry
            ? tr("logs_cell_title", {
                node: n.id,
                index: idx,
                term: entry.term,
                text: entry.text,
                state: stateText(state),
              })
            : state === "compacted"
              ? tr("logs_compacted_title", {
                  node: n.id,
                  index: idx,
                  term: snap?.last_included_term,
                  last: snap?.last_included_index,
                  bytes: snap?.size_bytes,
                })
              : null,
        );
      });
    });
  }

  relabel();
  return { el: root, render, relabel };
}
