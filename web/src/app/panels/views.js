// The read-only panels: the logs grid, the safety monitors and the space-time diagram, each a
// renderer wrapped as `{ el, sync(view) }` with what it needs from the composition.

import { formatUs } from "../../render/geom.js";
import { createLogsView } from "../../render/logs.js";
import { createMonitorsView } from "../../render/monitors.js";
import { createSpacetimeView } from "../../render/spacetime.js";
import { spacetimeSpan } from "../derive.js";

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ columns: () => number }} deps
 */
export function createLogsPanel(ctx, deps) {
  const logs = createLogsView();
  return {
    el: logs.el,
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      logs.render(view, {
        dark: ctx.dark(),
        columns: deps.columns(),
        evidenceNodes: ctx.ui.evidence?.nodes,
        evidenceIndexes: ctx.ui.evidence?.indexes,
      });
    },
  };
}

/** @param {import("../context.js").Ctx} ctx */
export function createMonitorsPanel(ctx) {
  const monitors = createMonitorsView({
    onViolation: (m) => {
      const v = m.first;
      if (!v) return;
      ctx.setPlaying(false);
      ctx.seek(v.time_us);
      ctx.ui.evidence = { nodes: new Set(v.nodes), indexes: new Set(v.indexes) };
      ctx.say(
        `${m.monitor.replace(/_/g, " ")} violated at ${formatUs(v.time_us)}: ${v.description}`,
      );
    },
  });
  return {
    el: monitors.el,
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      monitors.render(view.monitors);
    },
  };
}

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ flights: () => Map<number, import("../../render/spacetime.js").Flight>,
 *   width: () => number }} deps
 */
export function createSpacetimePanel(ctx, deps) {
  const st = createSpacetimeView();
  let span_us = 0;
  return {
    el: st.el,
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
