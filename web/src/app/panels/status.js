// The status bar: every action's confirmation and every error, pinned to the bottom of the
// viewport while the playground is on screen (CSS `position: sticky`), and a polite live region
// for screen readers, written at most once per ANNOUNCE_MS (the last message wins) so that a
// burst of actions is not read out as a queue.

import { cls, h, text } from "../../render/dom.js";

/** Shortest spacing of screen-reader announcements. */
export const ANNOUNCE_MS = 700;

/** @param {{ setTimeout?: typeof setTimeout, now?: () => number }} [env] */
export function createStatus(env = {}) {
  const later = env.setTimeout ?? setTimeout;
  const now = env.now ?? (() => performance.now());
  const msg = h("span", { class: "status-text" });
  const el = h("div", { class: "status", "data-empty": "" }, msg);
  const live = h("p", { class: "sr-only", "aria-live": "polite", role: "status" });
  let lastAnnounce_ms = Number.NEGATIVE_INFINITY;
  /** @type {string | null} */
  let queued = null;
  let timer = /** @type {ReturnType<typeof setTimeout> | null} */ (null);
  const announce = () => {
    timer = null;
    if (queued === null) return;
    text(live, queued);
    queued = null;
    lastAnnounce_ms = now();
  };
  return {
    el,
    live,
    /**
     * Shows `message` (an error when `error`) and announces it.
     * @param {string} message
     * @param {boolean} [error]
     */
    say(message, error = false) {
      text(msg, message);
      el.removeAttribute("data-empty");
      cls(el, "err", error);
      queued = message;
      const wait = lastAnnounce_ms + ANNOUNCE_MS - now();
      if (wait <= 0 && !timer) announce();
      else if (!timer) timer = later(announce, Math.max(0, wait));
    },
    /** The message shown. */
    get text() {
      return msg.textContent ?? "";
    },
  };
}
