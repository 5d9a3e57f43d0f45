// Takes the README's screenshot (docs/screenshot.png) from the built page: Figure 8 with the
// current-term commit rule off, at the end of its run, Leader Completeness red with its
// evidence highlighted (marked at the violation, then back to the end), and the history's operations labelled with the node that served them
// (one pointed at, so its node is ringed in the cluster). REQUIRES dist/ (scripts/build.sh).
//   node tests/e2e/readme-screenshot.mjs [out.png]
import { readFileSync } from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium, openPlayground } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const outFile = process.argv[2] ?? `${root}docs/screenshot.png`;
const sc = JSON.parse(readFileSync(`${root}scenarios/toggle_figure8.json`, "utf8"));
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
  await page.evaluate(async (s) => {
    const el = /** @type {any} */ (document.querySelector("raft-playground"));
    el.controller.pause();
    await el.controller.loadScenario(s);
    el.controller.pause();
    el.controller.seek(s.duration_us);
  }, sc);
  // The violation's "at … ↦" button shows its evidence in the cluster and the logs.
  const at = page.locator("raft-playground .monitors button.mon-go:not(.hidden)").first();
  await at.click();
  // Back to the end of the run (the evidence stays marked), where the operations are answered.
  await page.evaluate(
    (t) => /** @type {any} */ (document.querySelector("raft-playground")).controller.seek(t),
    sc.duration_us,
  );
  await page.locator("raft-playground button", { hasText: "Check now" }).click();
  const op = page.locator("raft-playground .op.o-ok").last();
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
