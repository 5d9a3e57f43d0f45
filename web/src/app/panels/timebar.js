// The time bar: Play/Pause, Step, the speed slider with the "running at …×" warning, and the
// timeline scrubber with its markers.

import { attr, h, text } from "../../render/dom.js";
import { sliderFromSpeed, speedFromSlider } from "../../render/geom.js";
import { createTimelineView } from "../../render/timeline.js";
import { btn } from "./popover.js";

/** @param {number} x */
const fmtSpeed = (x) => (x < 1 ? x.toFixed(x < 0.1 ? 3 : 2) : x.toFixed(x < 10 ? 1 : 0));

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ markers: () => import("../derive.js").Markers, step: () => void }} deps
 */
export function createTimebar(ctx, deps) {
  const { id, tr, labels } = ctx;
  const playBtn = btn("", () => ctx.setPlaying(!ctx.ui.playing));
  const stepBtn = labels.bind(btn("", deps.step), "bar_step");
  labels.bind(stepBtn, "bar_step_title", "title");
  const speedIn = /** @type {HTMLInputElement} */ (
    h("input", { type: "range", min: 0, max: 1000, id: `${id}-speed` })
  );
  const speedOut = h("output", { for: `${id}-speed`, class: "speed" });
  // Shown only when the world cannot keep up with the requested speed.
  const slowOut = h("output", { class: "slow", hidden: true });
  speedIn.addEventListener("input", () => {
    ctx.ui.speed = speedFromSlider(Number(speedIn.value) / 1000);
    showSpeed();
  });
  labels.bind(speedIn, "bar_speed", "aria-label");
  const showSpeed = () => text(speedOut, `${fmtSpeed(ctx.ui.speed)}×`);
  const timeline = createTimelineView({
    onSeek: (t) => {
      ctx.setPlaying(false);
      ctx.seek(t);
    },
    onStep: deps.step,
    prevEventAt: (t) => ctx.ctrl.prevEventAt(t),
    tr,
  });
  labels.onChange(() => {
    timeline.relabel();
    text(playBtn, tr(ctx.ui.playing ? "bar_pause" : "bar_play"));
    slowOut.hidden = true;
  });
  const el = h(
    "div",
    { class: "bar" },
    playBtn,
    stepBtn,
    h("span", { class: "speedbox" }, speedIn, speedOut, slowOut),
    timeline.el,
  );

  return {
    el,
    /** Shows the play state. */
    showPlaying() {
      const on = ctx.ui.playing;
      if (!on) slowOut.hidden = true;
      text(playBtn, tr(on ? "bar_pause" : "bar_play"));
      attr(playBtn, "aria-pressed", on ? "true" : "false");
    },
    /** Shows the speed (after it was set from outside the slider). */
    showSpeed() {
      speedIn.value = String(Math.round(sliderFromSpeed(ctx.ui.speed) * 1000));
      showSpeed();
    },
    /**
     * The speed achieved over the last window: the warning shows whenever it fell short.
     * @param {number} achieved
     * @param {number} requested
     */
    showAchieved(achieved, requested) {
      // NaN: time was slowed on purpose (a hovered message); no warning then.
      const short = ctx.ui.playing && achieved < requested * 0.9;
      slowOut.hidden = !short;
      if (short)
        text(
          slowOut,
          tr("bar_slow", { achieved: fmtSpeed(achieved), requested: fmtSpeed(requested) }),
        );
    },
    /** @param {import("../../types.d.ts").WorldView} view */
    sync(view) {
      timeline.render(view.now_us, ctx.ui.frontier_us, deps.markers().list);
    },
  };
}
