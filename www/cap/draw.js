// Drawing for the CAP page: one cluster per side, the report table, the lag chart. Only
// renders what the Rust worlds report (crates/wasm-cap); no protocol logic here.

const SVG = "http://www.w3.org/2000/svg";

/** @param {string} tag @param {Record<string, string | number>} attrs @param {string} [text] */
function el(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Node `i` of `n` on a circle. @param {number} i @param {number} n */
function spot(i, n) {
  const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return { x: 160 + 100 * Math.cos(a), y: 125 + 95 * Math.sin(a) };
}

/** The colour of a message kind (the playground's palette, by family). @param {string} kind */
function kindColour(kind) {
  if (kind.startsWith("ap_sync")) return "#7048e8";
  if (kind === "ap_repair") return "#d6336c";
  if (kind.startsWith("ap_read") || kind.startsWith("pre_vote")) return "#b5a23c";
  if (kind.startsWith("vote")) return "#d79b00";
  if (kind.startsWith("heartbeat")) return "#7b8ca0";
  return "#2a66d9";
}

/**
 * One side's cluster: nodes on a circle (role, crash, values held), links (dashed when
 * down), messages in flight between nodes.
 * @param {SVGSVGElement} svg
 * @param {any} view a WorldView
 * @param {(key: any, vars?: Record<string, string | number>) => string} tr
 */
export function drawCluster(svg, view, tr) {
  const nodes = view.nodes;
  const n = nodes.length;
  const at = (/** @type {number} */ id) => spot(id - 1, n);
  const parts = [];
  const up = new Map();
  for (const l of view.network.links) up.set(`${l.from}-${l.to}`, l.up);
  for (let a = 1; a <= n; a++)
    for (let b = a + 1; b <= n; b++) {
      const on = up.get(`${a}-${b}`) !== false && up.get(`${b}-${a}`) !== false;
      const p = at(a);
      const q = at(b);
      parts.push(
        el("line", { class: on ? "link" : "link down", x1: p.x, y1: p.y, x2: q.x, y2: q.y }),
      );
    }
  for (const m of view.messages) {
    if (!m.from.node || !m.to.node) continue;
    const span = Math.max(1, m.deliver_at_us - m.sent_at_us);
    const f = Math.min(1, Math.max(0, (view.now_us - m.sent_at_us) / span));
    const p = at(m.from.node);
    const q = at(m.to.node);
    parts.push(
      el("circle", {
        class: "msg",
        r: 3.5,
        cx: p.x + (q.x - p.x) * f,
        cy: p.y + (q.y - p.y) * f,
        fill: kindColour(m.kind),
      }),
    );
  }
  for (const node of nodes) {
    const p = at(node.id);
    const role = node.crashed ? "crashed" : (node.role ?? "replica");
    const g = el("g", { class: `node ${role}` });
    g.append(el("circle", { cx: p.x, cy: p.y, r: 22 }));
    g.append(el("text", { class: "id", x: p.x, y: p.y + 5 }, `n${node.id}`));
    const word = node.crashed
      ? tr("status_crashed")
      : node.role
        ? tr(/** @type {any} */ (`role_${node.role}`))
        : tr("cap_replica");
    g.append(el("text", { x: p.x, y: p.y + 36 }, word));
    // Appends make long values: the last characters tell the replicas apart.
    const short = (/** @type {string} */ v) => (v.length > 8 ? `…${v.slice(-7)}` : v);
    const values = Object.entries(node.kv ?? {})
      .map(([k, v]) => `${k}=${short(String(v))}`)
      .join(" ");
    g.append(el("text", { x: p.x, y: p.y + 50 }, values || "∅"));
    const title = el("title", {}, `n${node.id}: ${word}; ${values || "∅"}`);
    g.append(title);
    parts.push(g);
  }
  svg.replaceChildren(...parts);
  svg.setAttribute("aria-label", nodes.map((x) => `n${x.id}`).join(", "));
}

/**
 * The two sides' reports as one table.
 * @param {HTMLTableElement} table
 * @param {any} report a SideBySideReport
 * @param {(key: any, vars?: Record<string, string | number>) => string} tr
 */
export function drawReport(table, report, tr) {
  const answered = (/** @type {any} */ r) =>
    r.ops_in_partitions === 0
      ? tr("cap_no_ops")
      : tr("cap_answered", {
          ok: r.ops_ok_in_partitions,
          all: r.ops_in_partitions,
          pct: Math.floor((100 * r.ops_ok_in_partitions) / r.ops_in_partitions),
        });
  const yes = (/** @type {boolean} */ b) => tr(b ? "cap_yes" : "cap_no");
  const model = (/** @type {string | null} */ m) =>
    m ? tr(/** @type {any} */ (`hp_model_${m}`)) : tr("hp_none");
  /** @type {[string, (r: any) => string, (r: any) => boolean | null][]} */
  const rows = [
    [
      "cap_row_answered",
      answered,
      (r) => (r.ops_in_partitions ? r.ops_ok_in_partitions === r.ops_in_partitions : null),
    ],
    ["cap_row_unanswered", (r) => String(r.clients_unanswered), (r) => r.clients_unanswered === 0],
    ["cap_row_ops", (r) => String(r.ops), () => null],
    [
      "cap_row_lin",
      (r) => tr(/** @type {any} */ (`hist_verdict_${r.linearizability}`)),
      (r) => r.linearizability === "ok",
    ],
    ["cap_row_model", (r) => model(r.strongest_model), () => null],
    ["cap_row_behind", (r) => String(r.stale_replicas), (r) => r.stale_replicas === 0],
    ["cap_row_converged", (r) => yes(r.converged), (r) => r.converged],
  ];
  const head = document.createElement("tr");
  for (const k of ["", "cap_raft_short", "cap_ap_short"]) {
    const th = document.createElement("th");
    th.textContent = k ? tr(/** @type {any} */ (k)) : "";
    head.append(th);
  }
  const body = rows.map(([key, text, good]) => {
    const tr_ = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = tr(/** @type {any} */ (key));
    tr_.append(th);
    for (const side of [report.raft, report.ap]) {
      const td = document.createElement("td");
      td.textContent = text(side);
      const g = good(side);
      if (g !== null) td.className = g ? "good" : "bad";
      tr_.append(td);
    }
    return tr_;
  });
  table.replaceChildren(head, ...body);
}

/**
 * The lag samples as two lines over time (seconds), 0 to the node count.
 * @param {SVGSVGElement} svg
 * @param {{ at_us: number, raft: number, ap: number }[]} lag
 * @param {[number, number][]} partitions when a partition stood (shaded)
 * @param {number} nodes
 * @param {number} endUs the time axis' end
 * @param {(key: any, vars?: Record<string, string | number>) => string} tr
 */
export function drawLag(svg, lag, partitions, nodes, endUs, tr) {
  const W = 640;
  const H = 140;
  const left = 30;
  const bottom = H - 20;
  const x = (/** @type {number} */ us) => left + ((W - left - 24) * us) / Math.max(1, endUs);
  const y = (/** @type {number} */ v) => bottom - ((bottom - 10) * v) / Math.max(1, nodes);
  const line = (/** @type {"raft" | "ap"} */ side) =>
    lag.map((s) => `${x(s.at_us).toFixed(1)},${y(s[side]).toFixed(1)}`).join(" ");
  const parts = [
    ...partitions.map(([a, b]) =>
      el("rect", {
        class: "cut",
        x: x(a),
        y: 10,
        width: Math.max(1, x(b) - x(a)),
        height: bottom - 10,
      }),
    ),
    el("line", { class: "axis", x1: left, y1: bottom, x2: W - 24, y2: bottom }),
    el("line", { class: "axis", x1: left, y1: 10, x2: left, y2: bottom }),
    el("text", { x: 4, y: y(nodes) + 4 }, String(nodes)),
    el("text", { x: 16, y: bottom + 4 }, "0"),
  ];
  for (let s = 0; s * 1e6 <= endUs; s += Math.max(1, Math.round(endUs / 1e6 / 8)))
    parts.push(el("text", { x: x(s * 1e6) - 6, y: H - 4 }, tr("cap_clock", { t: s })));
  parts.push(el("polyline", { class: "raft", points: line("raft") }));
  parts.push(el("polyline", { class: "ap", points: line("ap") }));
  // The legend: a stroke of each line (a patch of the shading) beside its name.
  for (const [i, side, key] of /** @type {const} */ ([
    [0, "raft", "cap_raft_short"],
    [1, "ap", "cap_ap_short"],
    [2, "cut", "cap_partitioned_span"],
  ])) {
    const lx = W - 340 + i * 100;
    parts.push(
      side === "cut"
        ? el("rect", { class: side, x: lx, y: 10, width: 20, height: 10 })
        : el("line", { class: side, x1: lx, y1: 16, x2: lx + 20, y2: 16 }),
    );
    parts.push(el("text", { x: lx + 26, y: 20 }, tr(key)));
  }
  svg.replaceChildren(...parts);
  svg.setAttribute("aria-label", tr("cap_lag"));
}
