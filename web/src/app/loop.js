// The animation loop: one requestAnimationFrame callback per frame, paused while the
// playground is off-screen or the tab is hidden (so a page with several embeds only spends
// time on the visible ones).

/** Longest real-time step fed to one frame: after a stall the world does not leap ahead. */
const FRAME_DT_MS_MAX = 100;

/**
 * Runs `frame(dt_ms)` once per animation frame while `target` is visible.
 * @param {Element} target
 * @param {(dt_ms: number) => void} frame
 * @returns {{ destroy(): void }}
 */
export function startLoop(target, frame) {
  let raf = 0;
  let last = -1;
  let onScreen = true;
  let destroyed = false;

  const running = () => !destroyed && onScreen && document.visibilityState !== "hidden";

  /** @param {number} ts */
  const tick = (ts) => {
    raf = 0;
    if (!running()) return;
    const dt = last < 0 ? 0 : Math.min(FRAME_DT_MS_MAX, ts - last);
    last = ts;
    frame(dt);
    raf = requestAnimationFrame(tick);
  };
  const wake = () => {
    if (raf || !running()) return;
    last = -1;
    raf = requestAnimationFrame(tick);
  };
  const sleep = () => {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
  };

  const io =
    typeof IntersectionObserver === "function"
      ? new IntersectionObserver((entries) => {
          onScreen = entries.some((e) => e.isIntersecting);
          if (onScreen) wake();
          else sleep();
        })
      : null;
  io?.observe(target);
  const onVis = () => (document.visibilityState === "hidden" ? sleep() : wake());
  document.addEventListener("visibilitychange", onVis);
  wake();

  return {
    destroy() {
      destroyed = true;
      sleep();
      io?.disconnect();
      document.removeEventListener("visibilitychange", onVis);
    },
  };
}
