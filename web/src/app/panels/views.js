// The read-only panels: the logs grid, the safety monitors and the space-time diagram, each a
// renderer wrapped as `{ el, sync(view) }` with what it needs from the composition.

import { h } from "../../render/dom.js";
import { formatUs } from "../../render/geom.js";
import { createLogsView, entryWhyText } from "../../render/logs.js";
import { createMonitorsView, violationText } from "../../render/monitors.js";
import { createSpacetimeView } from "../../render/spacetime.js";
import { spacetimeSpan } from "../derive.js";

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ columns: () => number }} deps
 */
export function createLogsPanel(ctx, deps) {
  /** The entry asked about (its explanation is kept current while shown). */
  let asked = /** @type {{ node: number, index: number } | null} */ (null);
  const why = h("p", { class: "why-entry", hidden: true, "aria-live": "polite" });
  const explain = () => {
    if (!asked) return;
    const s = ctx.ctrl.entryStatus(asked.node, asked.index);
    why.hidden = false;
    const next = s
      ? ctx.tr("logs_why", {
          node: s.node,
          index: s.index,
          term: s.term,
          why: entryWhyText(s, ctx.tr),
        })
      : ctx.tr("logs_gone", { node: asked.node, index: asked.index });
    if (why.textContent !== next) why.textContent = next;
  };
  const logs = createLogsView({
    onEntry: (node, index) => {
      asked = { node, index };
      explain();
    },
    tr: ctx.tr,
  });
  ctx.labels.onChange(logs.relabel);
  const el = h("div", {}, logs.el, why);
  return {
    el,
    /** The element whose width sets the column count. */
    gridEl: logs.el,
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      explain();
      logs.render(view, {
        dark: ctx.dark(),
        columns: deps.columns(),
        evidenceNodes: ctx.ui.evidence?.nodes,
        evidenceIndexes: ctx.ui.evidence?.indexes,
        spotCells: ctx.ui.spot?.cells,
      });
    },
  };
}

/** @param {import("../context.js").Ctx} ctx */
export function createMonitorsPanel(ctx) {
  const monitors = createMonitorsView({
    tr: ctx.tr,
    onViolation: (m) => {
      const v = m.first;
      if (!v) return;
      ctx.setPlaying(false);
      ctx.seek(v.time_us);
      ctx.ui.evidence = { nodes: new Set(v.nodes), indexes: new Set(v.indexes) };
      ctx.say(
        ctx.tr("mon_violated_at", {
          monitor: ctx.tr(/** @type {import("../../i18n.js").StringKey} */ (`mon_${m.monitor}`)),
          at: formatUs(v.time_us),
          what: violationText(v, ctx.tr),
        }),
      );
    },
  });
  ctx.labels.onChange(monitors.relabel);
  return {
    el: monitors.el,
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      monitors.render(view.monitors, ctx.ui.spot?.monitors);
    },
  };
}

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ flights: () => Map<number, import("../../render/spacetime.js").Flight>,
 *   width: () => number }} deps
 */
export function createSpacetimePanel(ctx, deps) {
  const st = createSpacetimeView(ctx.tr);
  ctx.labels.onChange(st.relabel);
  st.el.addEventListener("st-pick", () => {
    ctx.invalidate();
    const p = st.picked;
    ctx.say(p ? ctx.tr("st_picked", { node: p.node, at: formatUs(p.t_us) }) : ctx.tr("st_cleared"));
  });
  let span_us = 0;
  return {
    el: st.el,
    /** The diagram view (tests read `picked`). */
    view: st,
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      const c = ctx.ui.worldConfig;
      if (!c) return;
      const flights = deps.flights();
      span_us = spacetimeSpan(span_us, flights.values(), view.now_us, {
        latency_us_max: c.network.latency_us_max,
        election_timeout_us_max: c.election_timeout_us_max,
      });
      st.render(
        view.nodes.map((n) => n.id),
        [...flights.values()],
        view.now_us,
        span_us,
        deps.width(),
        `${ctx.dark()}`,
      );
    },
  };
}
