// The page's visual time: how fast virtual time plays and how slow the free-play network is,
// chosen together so that messages stay on screen long enough to read and click.

/**
 * The page's visual time: the default speed and the free-play network are chosen together.
 * A message between two nodes takes 20–30 ms of virtual time (the simulator's own default is
 * 1–5 ms), so at 0.04× it is on screen for 0.5–0.75 s of wall time, long enough to read and
 * click. Elections keep the simulator's timeouts (150–300 ms): at 0.04× a follower times out
 * after 3.75–7.5 s and a vote round trip takes ~1.25 s, so an election is watched start to
 * finish in under ten seconds. Latency stays well below the election timeout (a round trip is
 * at most 60 ms of the 150 ms minimum), so the preset does not cause spurious elections.
 */
export const SPEED_DEFAULT = 0.04;
/** The free-play network preset (see SPEED_DEFAULT); a config that names latency wins. */
export const VISUAL_LATENCY = Object.freeze({ latency_us_min: 20_000, latency_us_max: 30_000 });

/**
 * The free-play config: the visual latency preset unless the config sets latency itself.
 * @param {import("../types.d.ts").ConfigInput} c
 * @returns {import("../types.d.ts").ConfigInput}
 */
export function withVisualLatency(c) {
  const net = c.network ?? {};
  if ("latency_us_min" in net || "latency_us_max" in net) return c;
  return { ...c, network: { ...net, ...VISUAL_LATENCY } };
}
