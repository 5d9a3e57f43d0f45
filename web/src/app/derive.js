// Pure reducers for the UI state derived from what the world reports: the timeline's markers,
// the messages remembered for the space-time diagram (flights), the history's change signature
// and the diagram's time span. Each takes the previous state and new input and returns the next
// state; none touches the DOM or the world, so they are unit-tested in Node.

import { endpointNode } from "../render/geom.js";

/**
 * @typedef {import("../types.d.ts").TraceLine} TraceLine
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../render/timeline.js").Marker} Marker
 * @typedef {import("../render/spacetime.js").Flight} Flight
 * @typedef {{ list: Marker[], seq: number, last: number }} Markers the markers, the last id given,
 *   and the trace position (`TraceLine.seq`) of the last line looked at
 */

/** Timeline markers kept (oldest dropped first). */
export const MARKERS_MAX = 2000;
/** Messages remembered for the space-time diagram. */
export const FLIGHTS_MAX = 600;

/** @returns {Markers} */
export const emptyMarkers = () => ({ list: [], seq: 0, last: -1 });

/**
 * Adds the marked lines of a batch to the markers (at most MARKERS_MAX, oldest dropped). Lines
 * at trace positions already looked at are skipped: the same run replayed after a backward
 * seek gives the same lines, which are marked already.
 * @param {Markers} m
 * @param {TraceLine[]} lines
 * @returns {Markers}
 */
export function addMarkers(m, lines) {
  let seq = m.seq;
  let last = m.last;
  /** @type {Marker[]} */
  const added = [];
  for (const e of lines) {
    if (e.seq <= last) continue;
    last = e.seq;
    if (e.marker)
      added.push({
        id: ++seq,
        at_us: e.time_us,
        kind: e.marker,
        text: e.text,
        case: e.case,
        params: e.params,
        pos: e.seq,
      });
  }
  if (!added.length) return last === m.last ? m : { ...m, last };
  let list = m.list.concat(added);
  if (list.length > MARKERS_MAX) list = list.slice(list.length - MARKERS_MAX);
  return { list, seq, last };
}

/**
 * The markers up to `t_us` (an action in the past rewrote what came after). The rewritten
 * lines take trace positions after the last marker kept, so that is the last looked at.
 * @param {Markers} m
 * @param {number} t_us
 * @returns {Markers}
 */
export function cutMarkers(m, t_us) {
  const list = m.list.filter((x) => x.at_us <= t_us);
  if (list.length === m.list.length) return m;
  return { list, seq: m.seq, last: list.length ? (list[list.length - 1].pos ?? -1) : -1 };
}

/**
 * Records the deliveries and drops of a batch on the flights they end.
 * @param {Map<number, Flight>} flights
 * @param {TraceLine[]} lines
 * @returns {Map<number, Flight>}
 */
export function endFlights(flights, lines) {
  for (const e of lines) {
    if ((e.category === "deliver" || e.category === "drop") && e.message !== null) {
      const f = flights.get(e.message);
      if (f) {
        f.fate = e.category === "drop" ? "dropped" : "delivered";
        f.end_us = e.time_us;
      }
    }
  }
  return flights;
}

/**
 * Adds the messages of a view to the flights; a flight gone from the view without an event (a
 * batch was missed) is taken as delivered on time. Keeps at most FLIGHTS_MAX, dropping the
 * oldest finished ones first.
 * @param {Map<number, Flight>} flights
 * @param {WorldView} view
 * @returns {Map<number, Flight>}
 */
export function trackFlights(flights, view) {
  const inView = new Set();
  for (const m of view.messages) {
    inView.add(m.id);
    const from = endpointNode(m.from);
    const to = endpointNode(m.to);
    if (from === null || to === null) continue;
    const f = flights.get(m.id);
    if (!f) {
      flights.set(m.id, {
        id: m.id,
        from,
        to,
        kind: m.kind,
        sent_at_us: m.sent_at_us,
        deliver_at_us: m.deliver_at_us,
        fate: "flight",
        end_us: m.deliver_at_us,
      });
    } else if (f.fate === "flight") {
      f.deliver_at_us = m.deliver_at_us;
    }
  }
  for (const f of flights.values()) {
    if (f.fate === "flight" && !inView.has(f.id)) {
      f.fate = "delivered";
      f.end_us = Math.min(view.now_us, f.deliver_at_us);
    }
  }
  if (flights.size > FLIGHTS_MAX) {
    let drop = flights.size - FLIGHTS_MAX;
    for (const [k, f] of flights) {
      if (drop <= 0) break;
      if (f.fate !== "flight") {
        flights.delete(k);
        drop--;
      }
    }
  }
  return flights;
}

/**
 * What changes exactly when the client history does: per client, the operations completed and
 * the one outstanding.
 * @param {WorldView} v
 */
export function historySignature(v) {
  let sig = "";
  for (const c of v.clients) {
    sig += `${c.done_ok + c.done_failed + c.done_unknown}:${c.pending?.op ?? ""}:${c.queued},`;
  }
  return sig;
}

/**
 * The space-time diagram's time span: two election timeouts, or less when the flights
 * remembered cover less (busy worlds would otherwise crowd them at the bottom); the previous
 * span is kept while within 25% of the target, so the diagram does not rescale every frame.
 * @param {number} prev_us the span drawn last (0: none)
 * @param {Iterable<Flight>} flights
 * @param {number} now_us
 * @param {{ latency_us_max: number, election_timeout_us_max: number }} c
 */
export function spacetimeSpan(prev_us, flights, now_us, c) {
  let oldest = now_us;
  for (const f of flights) if (f.sent_at_us < oldest) oldest = f.sent_at_us;
  const covered = Math.max(4 * c.latency_us_max, now_us - oldest);
  const target = Math.max(1000, Math.min(2 * c.election_timeout_us_max, covered));
  if (!prev_us || Math.abs(target - prev_us) > prev_us / 4) return target;
  return prev_us;
}
