// What the learner e2e suites read off a <raft-playground>: the status bar, whether there is a
// leader, and share links packed by hand.
import { onEl } from "./browser.mjs";

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
