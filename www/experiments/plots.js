// The experiments page's charts, drawn with uPlot (loaded by this page only): cumulative
// distributions of election time per group of ranges, as in Figure 16 of the Raft paper (log
// or linear time axis), and availability curves against a sweep. Charts are redrawn from all
// records so far whenever the page asks (records arrive slice by slice); a click near a point
// hands that point's trial to `onPick`.
import uPlot from "../vendor/uplot/uPlot.esm.js";
import { percentile } from "./records.js";
import { cdfPoints } from "./reference.js";

/** Series colours (a palette that stays apart in light and dark themes). */
const COLORS = ["#2160d8", "#d8452b", "#1f9d55", "#9b51e0", "#c98a00", "#0aa5b5", "#e0559b"];
/** How near (CSS px) a click must be to a point to pick it. */
const PICK_RADIUS_PX = 24;
/** How near (CSS px) the pointer must be to a reference marker for its tooltip. */
const TIP_RADIUS_PX = 10;

/**
 * @typedef {object} ChartSet
 * @property {(records: any[]) => void} update redraw from every record so far
 * @property {() => void} destroy
 */

/**
 * A chart whose series points each carry a trial; a click picks the nearest one.
 * @param {HTMLElement} el
 * @param {any} opts uPlot options
 * @param {any[]} data
 * @param {() => { x: number, y: number, rec: any }[][]} points per series (index 1..), in data units
 * @param {(rec: any) => void} onPick
 */
function pickable(el, opts, data, points, onPick) {
  const u = new uPlot(opts, data, el);
  // The instance on its figure, for scripts and tests (to find where a point is drawn).
  /** @type {any} */ (el).chart = u;
  u.over.addEventListener("click", () => {
    const { left, top } = u.cursor;
    if (left === undefined || top === undefined || left < 0) return;
    let best = null;
    let bestD = PICK_RADIUS_PX * PICK_RADIUS_PX;
    points().forEach((pts, i) => {
      if (!u.series[i + 1]?.show) return;
      for (const p of pts) {
        const dx = u.valToPos(p.x, "x") - left;
        const dy = u.valToPos(p.y, "y") - top;
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          bestD = d;
          best = p.rec;
        }
      }
    });
    if (best) onPick(best);
  });
  return u;
}

/** Width of a chart in its container. */
function widthOf(/** @type {HTMLElement} */ el) {
  return Math.max(320, Math.min(900, el.clientWidth || 640));
}

/**
 * The paper's reported figures for a range as markers (median: a circle at 50 %, worst: at
 * 100 %, mean: a dashed line), each with its tooltip.
 * @param {any} paper
 * @param {string} label the range's
 * @param {string} color
 */
function paperMarkers(paper, label, color) {
  const p = paper ?? {};
  const tip = (/** @type {string} */ what, /** @type {number} */ ms) =>
    `Raft paper (Ongaro & Ousterhout 2014, §9.3), ${label} ms: ${what} ${ms} ms, as its text states`;
  return [
    p.median_ms != null && {
      x: p.median_ms,
      y: 50,
      color,
      text: `paper median ${p.median_ms}`,
      tip: tip("median", p.median_ms),
    },
    p.max_ms != null && {
      x: p.max_ms,
      y: 100,
      color,
      text: `paper worst ${p.max_ms}`,
      tip: tip("worst", p.max_ms),
    },
    p.mean_ms != null && {
      x: p.mean_ms,
      y: null,
      color,
      text: `paper mean ${p.mean_ms}`,
      tip: tip("mean", p.mean_ms),
    },
  ].filter(Boolean);
}

/**
 * A reproduction's points of a range's cumulative distribution as diamond markers, joined by
 * a dotted line, each with a tooltip naming the reproduction and the point's source.
 * @param {import("./reference.js").ReferenceSeries} s
 * @param {string} refLabel
 * @param {string} label the range's
 * @param {string} color
 */
function referenceMarkers(s, refLabel, label, color) {
  return cdfPoints(s).map(({ pct, ms }) => ({
    x: ms,
    y: pct,
    color,
    tip:
      `${refLabel}, ${label} ms: ${pct === 100 ? "slowest of" : `${pct} % of`} ${s.trials} trials ` +
      `by ${ms} ms${pct === 50 ? ` (median; 95 % interval ${s.median_ci95_ms.join("–")} ms)` : ""}. ` +
      `Source: ${s.source}; ${s.how_read}.`,
  }));
}

/** Draws a hollow diamond of half-width `r` (canvas px) at (x, y). */
function diamond(/** @type {CanvasRenderingContext2D} */ c, x, y, r) {
  c.beginPath();
  c.moveTo(x, y - r);
  c.lineTo(x + r, y);
  c.lineTo(x, y + r);
  c.lineTo(x - r, y);
  c.closePath();
  c.stroke();
}

/**
 * Election time: one chart per group, the cumulative distribution of each of its ranges, the
 * paper's reported figures as markers (see paperMarkers) and, for ranges a reproduction covers,
 * its points (see referenceMarkers) behind one legend entry that shows or hides them all.
 * Hovering a marker shows where its number comes from.
 * @param {HTMLElement} root
 * @param {{ label: string, group: string, paper: any,
 *   reference: import("./reference.js").ReferenceSeries | null }[]} ranges
 * @param {{ log: boolean, onPick: (rec: any) => void,
 *   reference: import("./reference.js").Reference | null }} o
 * @returns {ChartSet}
 */
export function electionCharts(root, ranges, o) {
  const groups = [...new Set(ranges.map((r) => r.group))];
  const charts = groups.map((g) => {
    const mine = ranges.map((r, i) => ({ ...r, i })).filter((r) => r.group === g);
    const box = document.createElement("figure");
    box.className = "chart";
    const cap = document.createElement("figcaption");
    cap.textContent = `${g || "ranges"}: time without a leader after the crash (cumulative % of trials)`;
    box.append(cap);
    root.append(box);
    /** @type {{ x: number, y: number, rec: any }[][]} */
    let pts = mine.map(() => []);
    const refs = mine.flatMap((r, k) => paperMarkers(r.paper, r.label, COLORS[k % COLORS.length]));
    // One line of markers per range the reproduction covers.
    const repro = o.reference
      ? mine.flatMap((r, k) =>
          r.reference
            ? [referenceMarkers(r.reference, o.reference.label, r.label, COLORS[k % COLORS.length])]
            : [],
        )
      : [];
    // The legend entry that shows or hides the reproduction's markers: after the ranges.
    const reproIdx = repro.length ? mine.length + 1 : -1;
    const marks = [...refs, ...repro.flat()];
    // The time axis spans the markers as well as the trials, so that none falls off it.
    const markLo = Math.min(...marks.map((m) => m.x));
    const markHi = Math.max(...marks.map((m) => m.x));
    const opts = {
      width: widthOf(root),
      height: 300,
      scales: {
        x: {
          time: false,
          distr: o.log ? 3 : 1,
          log: 10,
          range: (
            /** @type {any} */ _u,
            /** @type {number | null} */ lo,
            /** @type {number | null} */ hi,
          ) => {
            if (lo == null || hi == null) return [lo, hi];
            const a = Math.min(lo, markLo);
            const b = Math.max(hi, markHi);
            return o.log ? uPlot.rangeLog(a, b, 10, false) : [a, b];
          },
        },
        y: { range: [0, 100] },
      },
      axes: [
        { label: `election time after the crash, ms (${o.log ? "log" : "linear"})` },
        { label: "cumulative % of trials" },
      ],
      series: [
        { label: "ms" },
        ...mine.map((r, k) => ({
          label: `${r.label} ms`,
          stroke: COLORS[k % COLORS.length],
          width: 1.5,
          paths: uPlot.paths.stepped({ align: 1 }),
          points: { show: false },
          value: (/** @type {any} */ _u, /** @type {number | null} */ v) =>
            v == null ? "–" : `${v.toFixed(1)} %`,
        })),
        ...(o.reference && repro.length
          ? [
              {
                label: o.reference.label,
                stroke: "#777",
                dash: [2, 3],
                width: 1.5,
                points: { show: false },
                value: () => "◇ markers",
              },
            ]
          : []),
      ],
      hooks: {
        draw: [
          (/** @type {any} */ u) => {
            const c = u.ctx;
            c.save();
            c.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
            for (const r of refs) {
              const [lo, hi] = [u.scales.x.min, u.scales.x.max];
              if (r.x < lo || r.x > hi) continue;
              const x = u.valToPos(r.x, "x", true);
              c.strokeStyle = r.color;
              c.fillStyle = r.color;
              if (r.y === null) {
                c.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
                c.beginPath();
                c.moveTo(x, u.bbox.top);
                c.lineTo(x, u.bbox.top + u.bbox.height);
                c.stroke();
                c.setLineDash([]);
                c.fillText(r.text, x + 4, u.bbox.top + u.bbox.height - 6 * devicePixelRatio);
              } else {
                const y = u.valToPos(r.y, "y", true);
                c.beginPath();
                c.arc(x, y, 5 * devicePixelRatio, 0, 2 * Math.PI);
                c.lineWidth = 2 * devicePixelRatio;
                c.stroke();
                c.fillText(
                  r.text,
                  x + 8 * devicePixelRatio,
                  y + (r.y === 100 ? 14 : -6) * devicePixelRatio,
                );
              }
            }
            if (reproIdx > 0 && u.series[reproIdx].show) {
              const r = 4.5 * devicePixelRatio;
              c.lineWidth = 1.5 * devicePixelRatio;
              for (const line of repro) {
                const xy = line.map((m) => [
                  u.valToPos(m.x, "x", true),
                  u.valToPos(m.y, "y", true),
                ]);
                c.strokeStyle = line[0].color;
                c.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
                c.beginPath();
                c.moveTo(xy[0][0], xy[0][1]);
                for (const [x, y] of xy.slice(1)) c.lineTo(x, y);
                c.stroke();
                c.setLineDash([]);
                for (const [x, y] of xy) diamond(c, x, y, r);
              }
            }
            c.restore();
          },
        ],
        // The tooltip of the marker under the pointer: where its number comes from.
        setCursor: [
          (/** @type {any} */ u) => {
            const { left, top } = u.cursor;
            let tip = "";
            if (left != null && top != null && left >= 0) {
              let best = TIP_RADIUS_PX * TIP_RADIUS_PX;
              const reproShown = reproIdx > 0 && u.series[reproIdx].show;
              const shown = [...refs, ...(reproShown ? repro.flat() : [])];
              for (const m of shown) {
                if (m.y === null) continue;
                const dx = u.valToPos(m.x, "x") - left;
                const dy = u.valToPos(m.y, "y") - top;
                if (dx * dx + dy * dy <= best) {
                  best = dx * dx + dy * dy;
                  tip = m.tip;
                }
              }
            }
            if (u.over.title !== tip) u.over.title = tip;
          },
        ],
      },
    };
    const empty = [[], ...mine.map(() => []), ...(reproIdx > 0 ? [[]] : [])];
    const u = pickable(box, opts, empty, () => pts, o.onPick);
    // The markers on the figure, for scripts and tests (where each is, what its tooltip says).
    /** @type {any} */ (box).markers = { paper: refs, reference: repro };
    if (o.reference && reproIdx > 0) {
      const ref = o.reference;
      const legend = u.root.querySelectorAll(".u-legend .u-series")[reproIdx];
      if (legend) legend.title = `${ref.reproduction} ${ref.source} ${ref.how_read}`;
      const first = /** @type {import("./reference.js").ReferenceSeries} */ (
        mine.find((r) => r.reference)?.reference
      );
      const pcts = cdfPoints(first).filter((p) => p.pct < 100);
      const at = `${pcts
        .slice(0, -1)
        .map((p) => p.pct)
        .join(", ")} and ${pcts.at(-1)?.pct} %`;
      const note = document.createElement("p");
      note.className = "ref-note";
      note.textContent =
        `◇ ${ref.label}: the ${at} points of each range and its slowest trial, dotted. ${ref.note}` +
        (refs.length ? " ○ The Raft paper's figures, as its text states them." : "") +
        " Hover a marker for its source.";
      box.append(note);
    }
    return {
      u,
      update(/** @type {any[][]} */ byRange) {
        // Each range's sorted election times; the x grid is their union, and each series is
        // its empirical distribution evaluated on the grid (so every series has every x).
        const sorted = mine.map((r) =>
          byRange[r.i]
            .filter((rec) => rec.election_us != null)
            .map((rec) => ({ v: rec.election_us / 1000, rec }))
            .sort((a, b) => a.v - b.v),
        );
        const xs = [...new Set(sorted.flatMap((s) => s.map((p) => p.v)))].sort((a, b) => a - b);
        const ys = sorted.map((s) => {
          const n = byRange[mine[sorted.indexOf(s)].i].length || 1;
          const out = new Array(xs.length);
          let j = 0;
          xs.forEach((x, k) => {
            while (j < s.length && s[j].v <= x) j++;
            out[k] = s.length ? (100 * j) / n : null;
          });
          return out;
        });
        pts = sorted.map((s, k) => {
          const n = byRange[mine[k].i].length || 1;
          return s.map((p, j) => ({ x: p.v, y: (100 * (j + 1)) / n, rec: p.rec }));
        });
        u.setData([xs, ...ys, ...(reproIdx > 0 ? [xs.map(() => null)] : [])]);
      },
    };
  });
  return {
    update(records) {
      const byRange = ranges.map(() => /** @type {any[]} */ ([]));
      for (const r of records) byRange[r.range]?.push(r);
      for (const c of charts) c.update(byRange);
    },
    destroy() {
      for (const c of charts) c.u.destroy();
      root.replaceChildren();
    },
  };
}

/** How a sweep's value reads on the axis. */
const SWEEP_AXES = {
  loss_ppm: { label: "message loss, %", scale: (/** @type {number} */ v) => v / 10_000 },
  fault_duration_us: {
    label: "partition duration, ms",
    scale: (/** @type {number} */ v) => v / 1000,
  },
};

/**
 * Availability: the success fraction (mean over trials, and the worst trial) and the latency
 * (median over trials of each trial's p99, and the slowest operation) of each group, against
 * the sweep's value (or the range, without a sweep). A click opens the worst trial of a point
 * (the slowest one on the latency chart).
 * @param {HTMLElement} root
 * @param {{ label: string, group: string }[]} ranges
 * @param {{ parameter: string, values: number[] } | null} sweep
 * @param {{ onPick: (rec: any) => void }} o
 * @returns {ChartSet}
 */
export function availabilityCharts(root, ranges, sweep, o) {
  const groups = [...new Set(ranges.map((r) => r.group))];
  const axis = sweep ? SWEEP_AXES[/** @type {keyof typeof SWEEP_AXES} */ (sweep.parameter)] : null;
  // The x of range i: its sweep value (ranges are range-major over the values), else i.
  const xOf = (/** @type {number} */ i) =>
    sweep && axis ? axis.scale(sweep.values[i % sweep.values.length]) : i;
  const xs = [...new Set(ranges.map((_, i) => xOf(i)))].sort((a, b) => a - b);
  const make = (
    /** @type {string} */ caption,
    /** @type {string} */ yLabel,
    /** @type {string[]} */ kinds,
    /** @type {[number, number] | undefined} */ yRange,
  ) => {
    const box = document.createElement("figure");
    box.className = "chart";
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    box.append(cap);
    root.append(box);
    const series = groups.flatMap((g, k) =>
      kinds.map((kind, j) => ({
        label: `${g || "trials"}: ${kind}`,
        stroke: COLORS[k % COLORS.length],
        width: j === 0 ? 2 : 1,
        dash: j === 0 ? undefined : [5, 4],
        points: { show: true, size: j === 0 ? 7 : 5 },
        spanGaps: true,
      })),
    );
    const opts = {
      width: widthOf(root),
      height: 260,
      scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
      axes: [
        {
          label: axis ? axis.label : "range",
          values: axis
            ? undefined
            : (/** @type {any} */ _u, /** @type {number[]} */ ticks) =>
                ticks.map((t) => (Number.isInteger(t) ? (ranges[t]?.label ?? "") : "")),
        },
        { label: yLabel },
      ],
      series: [{ label: axis ? axis.label : "range" }, ...series],
    };
    /** @type {{ x: number, y: number, rec: any }[][]} */
    let pts = series.map(() => []);
    const u = pickable(
      box,
      opts,
      [xs, ...series.map(() => xs.map(() => null))],
      () => pts,
      o.onPick,
    );
    return {
      u,
      /** @param {(recs: any[]) => { y: number | null, rec: any }[]} f per kind, from a point's records */
      set(/** @type {any[][]} */ byRange, f) {
        const data = series.map(() => xs.map(() => /** @type {number | null} */ (null)));
        pts = series.map(() => []);
        ranges.forEach((r, i) => {
          if (byRange[i].length === 0) return;
          const k = groups.indexOf(r.group);
          const xi = xs.indexOf(xOf(i));
          f(byRange[i]).forEach((p, j) => {
            if (p.y === null) return;
            data[k * kinds.length + j][xi] = p.y;
            pts[k * kinds.length + j].push({ x: xs[xi], y: p.y, rec: p.rec });
          });
        });
        u.setData([xs, ...data]);
      },
    };
  };
  const ok = make(
    "operations that succeeded, %",
    "ok %",
    ["mean over trials", "worst trial"],
    [0, 100],
  );
  const lat = make("latency of successful operations, ms", "ms", [
    "p99 (median over trials)",
    "slowest operation",
  ]);
  return {
    update(records) {
      const byRange = ranges.map(() => /** @type {any[]} */ ([]));
      for (const r of records) if (r.ok_ppm != null) byRange[r.range]?.push(r);
      ok.set(byRange, (recs) => {
        const worst = recs.reduce((a, b) =>
          b.ok_ppm < a.ok_ppm || (b.ok_ppm === a.ok_ppm && b.latency_us_max > a.latency_us_max)
            ? b
            : a,
        );
        const mean = recs.reduce((s, r) => s + r.ok_ppm, 0) / recs.length;
        return [
          { y: mean / 10_000, rec: worst },
          { y: worst.ok_ppm / 10_000, rec: worst },
        ];
      });
      lat.set(byRange, (recs) => {
        const p99 = recs
          .map((r) => r.latency_us_p99)
          .filter((v) => v != null)
          .sort((a, b) => a - b);
        const slowest = recs.reduce((a, b) =>
          (b.latency_us_max ?? 0) > (a.latency_us_max ?? 0) ? b : a,
        );
        const med = percentile(p99, 50);
        return [
          { y: med === null ? null : med / 1000, rec: slowest },
          {
            y: slowest.latency_us_max == null ? null : slowest.latency_us_max / 1000,
            rec: slowest,
          },
        ];
      });
    },
    destroy() {
      ok.u.destroy();
      lat.u.destroy();
      root.replaceChildren();
    },
  };
}
