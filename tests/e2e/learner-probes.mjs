// What the learner e2e suites share: the built site, Chromium and the server, opening a page
// and its screenshots, and what they read off a <raft-playground> (the status bar, whether
// there is a leader) or pack by hand (share links).
import { existsSync } from "node:fs";
import { onEl, openPlayground, sharedBrowser } from "./browser.mjs";

/** The project root and where screenshots go. */
export const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
export const out = `${root}test-results/`;
/** Why the suites skip, or null. */
export const missing = existsSync(`${dist}web/pkg/raftlab_wasm.js`) ? null : "dist/ is not built";
if (missing) console.log(`# SKIP learner e2e: ${missing}`);

/** Console errors and failed loads of every page the suite opened. */
export const problems = [];

/** @type {ReturnType<typeof sharedBrowser>} */
let site;

/** Call inside the suite's `describe`: Chromium and the server for it. */
export function learnerSite() {
  site = sharedBrowser({ dist, out });
  return site;
}

/** Opens the playground at `path` of the site. */
export const openPage = (path, size = {}, prepare) =>
  openPlayground(site.browser, site.url + path, { label: path, problems, prepare, ...size });

/** Saves a screenshot as test-results/learner-<name>.png. */
export const shot = (page, name, fullPage = false) =>
  page.screenshot({ path: `${out}learner-${name}.png`, fullPage });

/** A share payload packed without validation (what a hand-made or hostile link holds). */
export async function deflateLink(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  const packed = new Uint8Array(
    await new Response(
      new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")),
    ).arrayBuffer(),
  );
  return Buffer.from(packed).toString("base64url");
}

export const hasLeader = (v) => v.nodes.some((n) => n.role === "leader" && !n.crashed);
/** The status bar's text and box. */
export const statusBox = (page) =>
  onEl(page, (el) => {
    const s = el.shadowRoot.querySelector(".status");
    const r = s.getBoundingClientRect();
    return {
      text: s.textContent,
      top: r.top,
      bottom: r.bottom,
      visible: !s.hasAttribute("data-empty"),
    };
  });
