// Takes the README's screenshot (docs/screenshot.png) from the built page: Figure 8 with the
// current-term commit rule off, at the violation: Leader Completeness red with its evidence
// highlighted, and the history's operations labelled with the node they were sent to (one
// pointed at, so its node is ringed in the cluster). REQUIRES dist/ (scripts/build.sh).
//   node tests/e2e/readme-screenshot.mjs [out.png]
import { serve } from "../../scripts/serve.mjs";
import { launchChromium, openPlayground, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const outFile = process.argv[2] ?? `${root}docs/screenshot.png`;
const server = await serve(`${root}dist/`, 0);
const browser = await launchChromium();
const problems = [];
try {
  const page = await openPlayground(browser, `${server.url}index.html`, {
    label: "readme",
    problems,
    width: 1366,
    height: 900,
  });
  // Picked from the Scenarios menu and played at 10x until the violation (the timeline then
  // carries its markers).
  await page.locator("raft-playground select#rl1-scenario").selectOption("toggle_figure8.json");
  await page.locator("raft-playground .scennote").waitFor({ state: "visible" });
  await until(page, (v) => v.monitors.some((m) => m.violated), 10, { timeout: 60_000 });
  // The violation's "at … ↦" button shows its evidence in the cluster and the logs.
  const at = page.locator("raft-playground .monitors button.mon-go:not(.hidden)").first();
  await at.click();
  await page.locator("raft-playground button", { hasText: "Check now" }).click();
  // The operations are still out at that moment: each names the node it was last sent to.
  const op = page.locator("raft-playground .op").first();
  await op.waitFor({ timeout: 15_000 });
  await op.hover();
  await page.waitForFunction(() =>
    document.querySelector("raft-playground").shadowRoot.querySelector(".node.served"),
  );
  await page.evaluate(() =>
    /** @type {any} */ (document.querySelector("raft-playground")).controller.redraw(),
  );
  await page.screenshot({ path: outFile, fullPage: true });
  console.log(`wrote ${outFile}${problems.length ? `; problems: ${problems.join("; ")}` : ""}`);
} finally {
  await browser.close();
  await server.close();
}
