// The cluster view: nodes on a ring, links, partitions, clients and the messages in flight.
// A pure map from a WorldView (plus UI marks) to one persistent SVG, updated in place. Each
// layer is drawn by its own module under render/cluster/; this one owns the layout and the
// pointer handling of the message canvas.

import { t } from "../i18n.js";
import { clientPoint, geometry, H, LANE_PX, W } from "./cluster/layout.js";
import { createConfigLegend } from "./cluster/legend.js";
import { createLinkLayer, createPartitionLayer } from "./cluster/links.js";
import { createMessageLayer } from "./cluster/messages.js";
import { createNodeLayer, nodeStatus } from "./cluster/nodes.js";
import { attr, cls, keyedList, svg, text } from "./dom.js";
import { endpointClient, endpointNode, lanePoint, trimSegment } from "./geom.js";

export { nodeStatus };

/**
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../types.d.ts").MessageInfo} MessageInfo
 * @typedef {import("../types.d.ts").Endpoint} Endpoint
 * @typedef {import("../types.d.ts").LinkConfig} LinkConfig
 * @typedef {import("./geom.js").Point} Point
 * @typedef {import("./cluster/layout.js").Layout} Layout
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
  // Messages are drawn on a canvas laid over the drawing in the same viewBox units (a
  // foreignObject); clicks are hit-tested here.
  const fo = svg("foreignObject", { x: 0, y: 0, width: W, height: H, class: "msgs" });
  const canvas = /** @type {HTMLCanvasElement} */ (
    document.createElementNS("http://www.w3.org/1999/xhtml", "canvas")
  );
  canvas.setAttribute("aria-hidden", "true");
  fo.append(canvas);
  const gConfig = svg("g", {});
  root.append(gParts, gLinks, gConfig, gClients, gNodes, fo);
  const msgLayer = createMessageLayer(
    canvas,
    (m, at) => handlers.onMessage?.(m, at),
    (id) => handlers.onHover?.(id),
  );
  const partLayer = createPartitionLayer(gParts, tr);
  const linkLayer = createLinkLayer(gLinks, (a, b, at) => handlers.onLink?.(a, b, at), tr);
  const legend = createConfigLegend(gConfig, tr);
  const nodeLayer = createNodeLayer(gNodes, (id, at) => handlers.onNode?.(id, at), tr);
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

  /** @type {Layout} */
  let lay = { ids: [], pos: new Map(), node_r: 30, ring_r: 165, version: 0 };
  let layoutKey = "";

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
    return n !== null ? lay.pos.get(n) : cpos.get(/** @type {number} */ (endpointClient(e)));
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
    if (key !== layoutKey) {
      layoutKey = key;
      const g = geometry(ids.length);
      lay = {
        ids,
        pos: new Map(ids.map((id, i) => [id, g.pts[i]])),
        node_r: g.node_r,
        ring_r: g.ring_r,
        version: lay.version + 1,
      };
    }
    partLayer.update(view, lay);
    linkLayer.update(view, lay, marks.network);

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

    legend.update(view);
    nodeLayer.update(view, lay, marks);

    // Messages: positioned by how much of their flight time has elapsed.
    msgLayer.spotKinds = marks.spotKinds ?? null;
    const node_r = lay.node_r;
    msgLayer.draw(view.messages, now, lay.version, clientKey, marks.theme ?? "", (m) => {
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
