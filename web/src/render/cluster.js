// The cluster view: nodes on a ring, links, partitions, clients and the messages in flight.
// A pure map from a WorldView (plus UI marks) to one persistent SVG, updated in place.

import { t } from "../i18n.js";
import { attr, cls, keyedList, svg, text } from "./dom.js";
import {
  contiguousOnRing,
  endpointClient,
  endpointNode,
  KIND_VAR,
  kindVar,
  lanePoint,
  messageProgress,
  ringLayout,
  timerRemaining,
  trimSegment,
} from "./geom.js";

/**
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../types.d.ts").NodeInfo} NodeInfo
 * @typedef {import("../types.d.ts").MessageInfo} MessageInfo
 * @typedef {import("../types.d.ts").Endpoint} Endpoint
 * @typedef {import("../types.d.ts").LinkConfig} LinkConfig
 * @typedef {import("./geom.js").Point} Point
 * @typedef {{
 *   evidence?: Set<number>, selected?: Set<number>, focusMessage?: number | null, served?: number | null,
 *   network?: LinkConfig, theme?: string, spot?: Set<number>, spotKinds?: Set<string>,
 * }} ClusterMarks
 *   network: the default link settings (links that differ are marked);
 *   theme: any string that changes when the theme's colours do (messages are drawn on a canvas);
 *   spot, spotKinds: the nodes and message kinds a lesson step points at.
 * @typedef {{
 *   onNode?: (id: number, at: DOMRect) => void,
 *   onMessage?: (m: MessageInfo, at: DOMRect) => void,
 *   onLink?: (a: number, b: number, at: DOMRect) => void,
 *   onHover?: (id: number | null) => void,
 *   tr?: import("../app/labels.js").Tr,
 * }} ClusterHandlers
 *   onHover: the message under the pointer changed (null: none); tr: the labels in the page's
 *   language (English when absent)
 */

const W = 640;
const H = 480;
const CX = 350;
const CY = 240;
/** Lane offset: each direction of a link gets its own side. */
const LANE_PX = 4;
/** The role's word inside a node (the string table's keys). */
const ROLE_LETTER = /** @type {const} */ ({
  follower: "role_follower",
  pre_candidate: "role_pre_candidate_short",
  candidate: "role_candidate",
  leader: "role_leader",
});

/**
 * `up`, `crashed` or `paused`, for classes and labels.
 * @param {NodeInfo} n
 */
export function nodeStatus(n) {
  return n.crashed ? "crashed" : n.paused ? "paused" : "up";
}

/** @param {number} n */
function geometry(n) {
  const node_r = n > 7 ? 25 : n > 5 ? 28 : 31;
  const ring_r = n > 7 ? 180 : 165;
  return { node_r, ring_r, pts: ringLayout(n, CX, CY, ring_r) };
}

/**
 * Where client `i` (0-based) of `count` sits: a column on the left.
 * @param {number} i
 * @param {number} count
 * @returns {Point}
 */
function clientPoint(i, count) {
  const gap = Math.min(56, (H - 80) / Math.max(1, count));
  return { x: 34, y: CY - ((count - 1) * gap) / 2 + i * gap };
}

/**
 * Builds the cluster view.
 * @param {ClusterHandlers} handlers
 */
export function createClusterView(handlers = {}) {
  const root = /** @type {SVGSVGElement} */ (
    svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "cluster", role: "group" })
  );
  const tr = handlers.tr ?? ((k, v) => t("en", k, v));
  const gParts = svg("g", { class: "partitions" });
  const gLinks = svg("g", { class: "links" });
  const gClients = svg("g", { class: "clients" });
  const gNodes = svg("g", { class: "nodes" });
  // Messages are the hot path (hundreds in flight, all moving every frame): they are drawn on a
  // canvas laid over the drawing in the same viewBox units (a foreignObject), so a frame costs
  // a few hundred canvas calls and no SVG layout. Clicks are hit-tested here.
  const fo = svg("foreignObject", { x: 0, y: 0, width: W, height: H, class: "msgs" });
  const canvas = /** @type {HTMLCanvasElement} */ (
    document.createElementNS("http://www.w3.org/1999/xhtml", "canvas")
  );
  canvas.setAttribute("aria-hidden", "true");
  fo.append(canvas);
  root.append(gParts, gLinks, gClients, gNodes, fo);
  const msgLayer = createMessageLayer(
    canvas,
    (m, at) => handlers.onMessage?.(m, at),
    (id) => handlers.onHover?.(id),
  );
  // Messages sit on top, so a click on one wins over the node or link beneath it.
  root.addEventListener(
    "click",
    (e) => {
      const m = msgLayer.hit(e.clientX, e.clientY, root);
      if (m) {
        e.stopPropagation();
        e.preventDefault();
        msgLayer.open(m, root);
      }
    },
    true,
  );
  root.addEventListener("pointermove", (e) => {
    const m = msgLayer.hit(e.clientX, e.clientY, root);
    msgLayer.hover(m?.id ?? null);
    const cursor = m ? "pointer" : "";
    if (root.style.cursor !== cursor) root.style.cursor = cursor;
  });
  root.addEventListener("pointerleave", () => {
    msgLayer.hover(null);
    root.style.cursor = "";
  });
  new ResizeObserver(() => msgLayer.resize(root.clientWidth, root.clientHeight)).observe(root);

  /** @type {Map<number, Point>} */
  let pos = new Map();
  let node_r = 30;
  let ring_r = 165;
  let layoutKey = "";
  let layoutVersion = 0;

  /** @type {WeakMap<Element, string>} what each link was last drawn from */
  const linkKeys = new WeakMap();
  /** @type {WeakMap<Element, string>} what each partition group was last drawn from */
  const partKeys = new WeakMap();
  const parts = keyedList(gParts, () => svg("g", { class: "part" }));
  const links = keyedList(gLinks, (/** @type {[number, number]} */ [a, b]) => {
    const g = svg("g", { class: "link", tabindex: 0, role: "button" });
    g.append(
      svg("line", { class: "base" }),
      svg("line", { class: "lane ab" }),
      svg("line", { class: "lane ba" }),
      svg("line", { class: "hit" }),
    );
    const fire = () => handlers.onLink?.(a, b, g.getBoundingClientRect());
    g.addEventListener("click", fire);
    g.addEventListener("keydown", (e) => {
      if (/** @type {KeyboardEvent} */ (e).key === "Enter") fire();
    });
    return g;
  });
  const nodes = keyedList(gNodes, (/** @type {NodeInfo} */ n) => {
    const g = svg("g", { class: "node", tabindex: 0, role: "button", "data-node": n.id });
    g.append(
      svg("circle", { class: "lease" }),
      svg("circle", { class: "timer" }),
      svg("circle", { class: "body" }),
      // Spaces between the labels, so that the node's text reads as words (its accessible
      // name starts with it).
      svg("text", { class: "nid" }),
      " ",
      svg("text", { class: "role" }),
      " ",
      svg("text", { class: "info" }),
      " ",
      svg("text", { class: "info2" }),
    );
    const fire = () => handlers.onNode?.(n.id, g.getBoundingClientRect());
    g.addEventListener("click", fire);
    g.addEventListener("keydown", (e) => {
      const k = /** @type {KeyboardEvent} */ (e).key;
      if (k === "Enter" || k === " ") {
        e.preventDefault();
        fire();
      }
    });
    return g;
  });
  const clients = keyedList(gClients, () => {
    const g = svg("g", { class: "client" });
    g.append(svg("rect", { width: 30, height: 22, x: -15, y: -11, rx: 5 }), svg("text", {}));
    return g;
  });
  /**
   * @param {Endpoint} e
   * @param {Map<number, Point>} cpos
   */
  const endpoint = (e, cpos) => {
    const n = endpointNode(e);
    return n !== null ? pos.get(n) : cpos.get(/** @type {number} */ (endpointClient(e)));
  };

  /**
   * Draws one frame.
   * @param {WorldView} view
   * @param {ClusterMarks} [marks]
   */
  function render(view, marks = {}) {
    const now = view.now_us;
    const ids = view.nodes.map((n) => n.id);
    const key = ids.join(",");
    const relayout = key !== layoutKey;
    if (relayout) {
      layoutKey = key;
      layoutVersion++;
      const g = geometry(ids.length);
      node_r = g.node_r;
      ring_r = g.ring_r;
      pos = new Map(ids.map((id, i) => [id, g.pts[i]]));
    }

    // Partitions: each group's nodes sit on a halo in the group's colour; a group that is one
    // arc of the ring also gets a rounded hull (a fat round-joined outline, drawn with one
    // opacity so overlaps do not darken). Interleaved groups get halos only: their hulls would
    // cross each other.
    const groups = view.network.partition ?? [];
    const slot = new Map(ids.map((id, i) => [id, i]));
    parts.update(
      groups.map((g, i) => ({ g, i })),
      (x) => x.i,
      (el, { g, i }) => {
        const members = g
          .filter((id) => slot.has(id))
          .sort(
            (a, b) => /** @type {number} */ (slot.get(a)) - /** @type {number} */ (slot.get(b)),
          );
        const key = `${layoutVersion}|${members.join(",")}`;
        if (partKeys.get(el) === key) return;
        partKeys.set(el, key);
        attr(el, "class", `part p${i % 4}`);
        // A labelled graphic: aria-label needs a role on a <g>.
        attr(el, "role", "img");
        attr(el, "aria-label", tr("cl_group", { i: i + 1, nodes: members.join(", ") }));
        const pts = members.map((id) => /** @type {Point} */ (pos.get(id)));
        /** @type {Element[]} */
        const shapes = [];
        if (
          pts.length &&
          contiguousOnRing(
            members.map((id) => /** @type {number} */ (slot.get(id))),
            ids.length,
          )
        ) {
          // Ring order is angle order: a convex polygon. A lone node repeats its point.
          const poly = pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
          if (poly.length === 1) poly.push(poly[0]);
          shapes.push(
            svg("polygon", {
              class: "hull",
              points: poly.join(" "),
              "stroke-width": node_r * 2 + 30,
            }),
          );
        }
        for (const p of pts) {
          shapes.push(
            svg("circle", {
              class: "halo",
              cx: p.x.toFixed(1),
              cy: p.y.toFixed(1),
              r: node_r + 14,
            }),
          );
        }
        el.replaceChildren(...shapes);
      },
    );

    // Links between every pair; a cut direction shows as a dashed red lane.
    /** @type {Map<string, import("../types.d.ts").LinkInfo>} */
    const linkState = new Map();
    for (const l of view.network.links) linkState.set(`${l.from}>${l.to}`, l);
    const net = marks.network;
    /** Up, but lossy, duplicating or with other latency than the network's default. */
    const degraded = (/** @type {import("../types.d.ts").LinkInfo | undefined} */ l) =>
      !!l &&
      l.up &&
      (l.loss_ppm > 0 ||
        l.duplicate_ppm > 0 ||
        (!!net &&
          (l.latency_us_min !== net.latency_us_min || l.latency_us_max !== net.latency_us_max)));
    /** @type {[number, number][]} */
    const pairs = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i], ids[j]]);
    }
    links.update(
      pairs,
      ([a, b]) => `${a}-${b}`,
      (g, [a, b]) => {
        const lab = linkState.get(`${a}>${b}`);
        const lba = linkState.get(`${b}>${a}`);
        const dab = degraded(lab);
        const dba = degraded(lba);
        const state = `${layoutVersion}|${lab?.up}|${lba?.up}|${dab}|${dba}`;
        if (linkKeys.get(g) === state) return;
        linkKeys.set(g, state);
        attr(g, "aria-label", tr("cl_link", { a, b }));
        const pa = /** @type {Point} */ (pos.get(a));
        const pb = /** @type {Point} */ (pos.get(b));
        const [base, ab, ba, hit] = /** @type {SVGLineElement[]} */ ([...g.children]);
        const [s, e] = trimSegment(pa, pb, node_r, node_r);
        for (const ln of [base, hit]) setLine(ln, s, e, 0);
        setLine(ab, s, e, LANE_PX);
        setLine(ba, e, s, LANE_PX);
        // Cut both ways reads as one faint line (a partition is already shaded); a one-way
        // cut is the interesting case and gets a strong lane.
        const both = lab?.up === false && lba?.up === false;
        cls(ab, "cut", !both && lab?.up === false);
        cls(ba, "cut", !both && lba?.up === false);
        cls(g, "cut-both", both);
        cls(ab, "degraded", dab);
        cls(ba, "degraded", dba);
        cls(g, "has-cut", lab?.up === false || lba?.up === false);
      },
    );

    // Clients in a column on the left.
    /** @type {Map<number, Point>} */
    const cpos = new Map();
    const clientKey = view.clients.map((c) => c.id).join(",");
    view.clients.forEach((c, i) => {
      cpos.set(c.id, clientPoint(i, view.clients.length));
    });
    clients.update(
      view.clients,
      (c) => c.id,
      (g, c) => {
        const p = /** @type {Point} */ (cpos.get(c.id));
        attr(g, "transform", `translate(${p.x} ${p.y})`);
        text(/** @type {Element} */ (g.lastChild), `c${c.id}`);
        cls(g, "busy", !!c.pending);
        const who = tr("client_n", { n: c.id });
        attr(g, "aria-label", c.pending ? `${who}: ${c.pending.text}` : who);
      },
    );

    const ev = marks.evidence;
    const sel = marks.selected;
    const served = marks.served ?? null;
    const spot = marks.spot;
    nodes.update(
      view.nodes,
      (n) => n.id,
      (g, n) => {
        const p = /** @type {Point} */ (pos.get(n.id));
        attr(g, "transform", `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`);
        const status = nodeStatus(n);
        attr(
          g,
          "class",
          `node r-${n.role ?? "none"} s-${status}${ev?.has(n.id) ? " evidence" : ""}${sel?.has(n.id) ? " selected" : ""}${served === n.id ? " served" : ""}${spot?.has(n.id) ? " spot" : ""}${n.byzantine ? " liar" : ""}`,
        );
        const [lease, timer, body, nid, role, info, info2] = /** @type {SVGElement[]} */ ([
          ...g.children,
        ]);
        attr(body, "r", node_r);
        text(nid, String(n.id));
        attr(nid, "y", -2);
        const roleKey = n.crashed || !n.role ? "status_crashed" : ROLE_LETTER[n.role];
        text(role, tr(n.paused && !n.crashed ? "status_paused" : roleKey));
        attr(role, "y", 13);

        // Election timer: a full circle when armed, draining clockwise from the top to close
        // exactly at the deadline (the node's own randomized timeout).
        const rem = n.crashed
          ? null
          : timerRemaining(now, n.election_timer_armed_us, n.election_deadline_us);
        const timer_r = node_r + 5;
        const circ = 2 * Math.PI * timer_r;
        attr(timer, "r", timer_r);
        attr(
          timer,
          "stroke-dasharray",
          rem === null ? "0 1000" : `${(rem * circ).toFixed(1)} ${circ.toFixed(1)}`,
        );

        const leased = n.lease_until_us !== null && n.lease_until_us > now && !n.crashed;
        attr(lease, "r", node_r + 10);
        cls(lease, "on", leased);

        // Info text goes above nodes on the upper part of the ring and below the others, centred,
        // so it never runs into the client column or off the view.
        const above = p.y < CY - ring_r * 0.5;
        attr(info, "y", above ? -(node_r + 24) : node_r + 17);
        attr(info2, "y", above ? -(node_r + 10) : node_r + 31);
        // Crowded rings (8–9 nodes) get the short form so neighbouring labels do not collide.
        text(
          info,
          view.nodes.length > 7
            ? `t${n.term}${n.vote !== null ? ` v${n.vote}` : ""}`
            : tr(n.vote !== null ? "cl_term_voted" : "cl_term", {
                term: n.term,
                vote: n.vote ?? "",
              }),
        );
        const extra = [];
        if (n.role === "candidate" || n.role === "pre_candidate") {
          extra.push(
            tr("cl_votes", { n: n.votes.filter((v) => v[1]).length, m: view.nodes.length }),
          );
        }
        if (leased)
          extra.push(
            tr("cl_lease", { ms: Math.max(0, Math.round(((n.lease_until_us ?? 0) - now) / 1000)) }),
          );
        if (n.drift_ppm)
          extra.push(tr("cl_clock", { ppm: `${n.drift_ppm > 0 ? "+" : ""}${n.drift_ppm}` }));
        if (n.byzantine) extra.push(tr("cl_liar", { mode: tr(`byz_${n.byzantine}`) }));
        text(info2, extra.join(" · "));
        // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
        const what = status === "up" ? `role_${n.role}` : `status_${status}`;
        const shown = [nid, role, info, info2].map((t) => t.textContent).filter(Boolean);
        attr(
          g,
          "aria-label",
          tr("cl_node", { shown: shown.join(" "), n: n.id, what: tr(/** @type {any} */ (what)) }),
        );
      },
    );

    // Messages: positioned by how much of their flight time has elapsed.
    msgLayer.spotKinds = marks.spotKinds ?? null;
    msgLayer.draw(view.messages, now, layoutVersion, clientKey, marks.theme ?? "", (m) => {
      const a = endpoint(m.from, cpos);
      const b = endpoint(m.to, cpos);
      if (!a || !b) return null;
      const [s, e] = trimSegment(
        a,
        b,
        "client" in m.from ? 14 : node_r,
        "client" in m.to ? 14 : node_r,
      );
      const q0 = lanePoint(s, e, 0, LANE_PX);
      const q1 = lanePoint(s, e, 1, LANE_PX);
      return { sx: q0.x, sy: q0.y, dx: q1.x - q0.x, dy: q1.y - q0.y };
    });
  }

  /** Writes the labels in the current language (the rest at the next render). */
  function relabel() {
    root.setAttribute("aria-label", tr("cl_label"));
    layoutKey = "";
  }
  relabel();
  return {
    el: root,
    render,
    relabel,
    /**
     * Where message `id` is drawn, in client coordinates (null when it is not drawn).
     * @param {number} id
     */
    messageRect: (id) => msgLayer.rect(id, root),
  };
}

const MSG_VARS = [...new Set(Object.values(KIND_VAR)), "--bad", "--bg", "--fg"];
/** Hit radius of a message (viewBox units): generous, so that a click near a moving message
 * picks it rather than the link beneath it (a finger is ~40 px wide). */
const HIT_R = 16;

/**
 * The messages in flight, drawn on a canvas that covers the cluster's viewBox.
 * @param {HTMLCanvasElement} canvas
 * @param {(m: MessageInfo, at: DOMRect) => void} onOpen
 * @param {(id: number | null) => void} onHover the hovered message changed (or was delivered)
 */
function createMessageLayer(canvas, onOpen, onHover) {
  const ctx = canvas.getContext("2d");
  canvas.style.cssText = `width:${W}px;height:${H}px;display:block;pointer-events:none`;
  /**
   * @typedef {{ m: MessageInfo, key: string, sx: number, sy: number, dx: number, dy: number,
   *   x: number, y: number }} Rec
   */
  /** @type {Map<number, Rec>} */
  let recs = new Map();
  /** Drawn order (bottom to top). @type {Rec[]} */
  let order = [];
  /** @type {Record<string, string>} */
  let colours = {};
  let coloursKey = "\0";
  let scale = 1;
  let hovered = /** @type {number | null} */ (null);

  /** @param {number} w @param {number} h CSS size of the svg */
  function resize(w, h) {
    // The viewBox is fitted (meet) into the svg box: the canvas needs that many pixels.
    const k = Math.min(w / W, h / H) || 1;
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    scale = Math.max(0.25, k * dpr);
    const bw = Math.round(W * scale);
    const bh = Math.round(H * scale);
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
      paint();
    }
  }

  /**
   * @param {MessageInfo[]} messages
   * @param {number} now
   * @param {number} layoutVersion
   * @param {string} clientKey
   * @param {string} theme
   * @param {(m: MessageInfo) => { sx: number, sy: number, dx: number, dy: number } | null} lane
   */
  function draw(messages, now, layoutVersion, clientKey, theme, lane) {
    if (theme !== coloursKey) {
      const cs = getComputedStyle(canvas);
      /** @type {Record<string, string>} */
      const next = {};
      for (const v of MSG_VARS) next[v] = cs.getPropertyValue(v).trim();
      if (next["--bad"]) {
        colours = next;
        coloursKey = theme;
      }
    }
    /** @type {Map<number, Rec>} */
    const next = new Map();
    order = [];
    for (const m of messages) {
      let r = recs.get(m.id);
      const key = `${layoutVersion}|${clientKey}`;
      if (!r || r.key !== key || r.m.deliver_at_us !== m.deliver_at_us) {
        const l = lane(m);
        r = { m, key, sx: 0, sy: 0, dx: 0, dy: 0, x: 0, y: 0, ...(l ?? { sx: Number.NaN }) };
      }
      r.m = m;
      next.set(m.id, r);
      if (Number.isNaN(r.sx)) continue;
      let p = messageProgress(now, m.sent_at_us, m.deliver_at_us);
      // A held message (or one waiting at a paused node) waits near its destination.
      if (m.state !== "in_flight") p = Math.min(p, 0.85);
      r.x = r.sx + r.dx * p;
      r.y = r.sy + r.dy * p;
      order.push(r);
    }
    recs = next;
    if (hovered !== null && !next.has(hovered)) {
      hovered = null;
      onHover(null);
    }
    paint();
  }

  function paint() {
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    const bad = colours["--bad"] || "#d0312d";
    const bg = colours["--bg"] || "#fff";
    for (const r of order) {
      const m = r.m;
      const k = m.kind;
      const c = colours[kindVar(k)] || "#7b8ca0";
      const resp = k.endsWith("_response");
      const x = r.x;
      const y = r.y;
      if (m.state === "held") {
        ctx.globalAlpha = 0.18;
        ctx.fillStyle = bad;
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      ctx.beginPath();
      if (k === "append" || k === "append_response") {
        ctx.roundRect(x - 5, y - 5, 10, 10, 1.5);
      } else if (k === "timeout_now") {
        ctx.moveTo(x, y - 7);
        ctx.lineTo(x + 7, y);
        ctx.lineTo(x, y + 7);
        ctx.lineTo(x - 7, y);
        ctx.closePath();
      } else if (k.startsWith("client")) {
        ctx.moveTo(x - 6, y + 5);
        ctx.lineTo(x, y - 6);
        ctx.lineTo(x + 6, y + 5);
        ctx.closePath();
      } else {
        ctx.arc(x, y, k.startsWith("heartbeat") ? 3.6 : 5, 0, 2 * Math.PI);
      }
      const waiting = m.state === "waiting";
      ctx.globalAlpha = waiting ? 0.5 : 1;
      ctx.fillStyle = resp ? bg : c;
      ctx.fill();
      ctx.globalAlpha = 1;
      const dashed = waiting || k === "pre_vote" || k === "pre_vote_response";
      if (dashed) ctx.setLineDash(waiting ? [2, 2] : [2, 1.5]);
      ctx.strokeStyle = m.id === hovered ? colours["--fg"] || "#000" : m.state === "held" ? bad : c;
      ctx.lineWidth = m.state === "held" ? 3 : m.id === hovered ? 2.5 : resp ? 2 : 1.5;
      ctx.stroke();
      if (dashed) ctx.setLineDash([]);
      if (layer.spotKinds?.has(k)) {
        // A lesson step points at this kind: a ring in the foreground colour.
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
        ctx.strokeStyle = colours["--fg"] || "#000";
        ctx.lineWidth = 2;
        ctx.stroke();
      }
    }
  }

  /**
   * The topmost message within reach of a client point.
   * @param {number} cx @param {number} cy @param {SVGSVGElement} svgEl
   * @returns {MessageInfo | null}
   */
  function hit(cx, cy, svgEl) {
    if (!order.length) return null;
    const ctm = svgEl.getScreenCTM();
    if (!ctm) return null;
    const inv = ctm.inverse();
    const x = inv.a * cx + inv.c * cy + inv.e;
    const y = inv.b * cx + inv.d * cy + inv.f;
    // The nearest within reach (the topmost among equals).
    let best = /** @type {MessageInfo | null} */ (null);
    let bestD = HIT_R * HIT_R;
    for (let i = order.length - 1; i >= 0; i--) {
      const r = order[i];
      const d = (r.x - x) ** 2 + (r.y - y) ** 2;
      if (d < bestD || (d === bestD && !best)) {
        best = r.m;
        bestD = d;
      }
    }
    return best;
  }

  /** @param {number} id @param {SVGSVGElement} svgEl @returns {DOMRect | null} */
  function rect(id, svgEl) {
    const r = recs.get(id);
    const ctm = svgEl.getScreenCTM();
    if (!r || Number.isNaN(r.sx) || !order.includes(r) || !ctm) return null;
    const x = ctm.a * r.x + ctm.c * r.y + ctm.e;
    const y = ctm.b * r.x + ctm.d * r.y + ctm.f;
    const d = 2 * HIT_R * ctm.a;
    return new DOMRect(x - d / 2, y - d / 2, d, d);
  }

  const layer = {
    /** Message kinds a lesson step points at (ringed), or null. @type {Set<string> | null} */
    spotKinds: /** @type {Set<string> | null} */ (null),
    resize,
    draw,
    hit,
    rect,
    /** @param {MessageInfo} m @param {SVGSVGElement} svgEl */
    open(m, svgEl) {
      const at = rect(m.id, svgEl);
      if (at) onOpen(m, at);
    },
    /** @param {number | null} id */
    hover(id) {
      if (id === hovered) return;
      hovered = id;
      onHover(id);
      paint();
    },
  };
  return layer;
}

/**
 * @param {Element} ln
 * @param {Point} a
 * @param {Point} b
 * @param {number} offset
 */
function setLine(ln, a, b, offset) {
  const p = lanePoint(a, b, 0, offset);
  const q = lanePoint(a, b, 1, offset);
  attr(ln, "x1", p.x.toFixed(1));
  attr(ln, "y1", p.y.toFixed(1));
  attr(ln, "x2", q.x.toFixed(1));
  attr(ln, "y2", q.y.toFixed(1));
}
