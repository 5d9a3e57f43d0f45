// The experiments page (www/experiments.html) in headless Chromium with the REAL lab module:
// a small Figure 16 batch runs on the workers and is plotted, its CSV export is the records,
// a point opens its trial in the playground (replayed to the crash), and a long run is
// cancelled part way. REQUIRES the built site in dist/ (scripts/build.sh); skips, saying why,
// when it is missing. Screenshots: test-results/e2e-experiments-*.png — look at them.
//   node --test tests/e2e/experiments.test.mjs
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { collectProblems, openExperimentSpec, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}web/pkg-lab/raftlab_wasm_lab.js`)
  ? null
  : `${dist}web/pkg-lab/raftlab_wasm_lab.js is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP experiments e2e: ${missing}`);

/** Trials per range of the small batch: 11 ranges, so 220 trials (CI time stays small). */
const SMALL_TRIALS = 20;

/** Console errors/warnings (and uncaught errors) of every page. */
const problems = [];

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("experiments page (needs dist/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  test("a small batch is plotted, exported, opened in the playground; a long one cancelled", async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1100, height: 1400 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    collectProblems(page, "experiments", problems);
    await openExperimentSpec(page, site.url);

    // ---- a small batch ----
    await page.fill("#trials", String(SMALL_TRIALS));
    await page.click("#run");
    await page.waitForSelector("body[data-run=done]", { timeout: 60_000 });
    const total = 11 * SMALL_TRIALS;
    assert.match(
      await page.textContent("#status"),
      new RegExp(`^${total} trials in .* workers \\(.* in the workers\\)\\.$`),
    );
    // Two charts (the top and bottom graphs), each with every range's curve drawn, and the
    // ARC reproduction's legend entry after them.
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll("#charts figure")].map((f) => {
        const u = /** @type {any} */ (f).chart;
        return { series: u.series.length - 1, xs: u.data[0].length };
      }),
    );
    assert.equal(charts.length, 2);
    assert.deepEqual(
      charts.map((c) => c.series),
      [7, 6],
    );
    for (const c of charts) assert.ok(c.xs > SMALL_TRIALS, `every range's points: ${c.xs}`);

    // ---- the ARC reproduction drawn beside the runs, as its data file says ----
    const arc = JSON.parse(
      readFileSync(`${dist}experiments/reference/howard-arc-2014.json`, "utf8"),
    );
    const overlay = await page.evaluate(() =>
      [...document.querySelectorAll("#charts figure")].map((f) => {
        const u = /** @type {any} */ (f).chart;
        const m = /** @type {any} */ (f).markers;
        const last = u.series.length - 1;
        const legend = u.root.querySelectorAll(".u-legend .u-series")[last];
        return {
          label: u.series[last].label,
          legendTitle: legend?.title ?? "",
          note: f.querySelector(".ref-note")?.textContent ?? "",
          lines: m.reference.map((/** @type {any[]} */ line) =>
            line.map((p) => ({
              x: p.x,
              y: p.y,
              // Where it is drawn, CSS px inside the plot area.
              px: u.valToPos(p.x, "x"),
              py: u.valToPos(p.y, "y"),
            })),
          ),
          width: u.over.clientWidth,
          height: u.over.clientHeight,
        };
      }),
    );
    // The top graph has no 150-150 in the reproduction: five lines in each graph.
    assert.deepEqual(
      overlay.map((c) => c.lines.length),
      [5, 5],
    );
    for (const c of overlay) {
      assert.equal(c.label, "ARC reproduction (Howard 2014)");
      assert.equal(c.label, arc.label);
      assert.ok(c.legendTitle.includes("UCAM-CL-TR-857"), c.legendTitle);
      assert.ok(c.note.includes(arc.note), c.note);
      for (const line of c.lines)
        for (const p of line) {
          assert.ok(p.px >= 0 && p.px <= c.width, `x ${p.x} ms on the axis: ${p.px}`);
          assert.ok(p.py >= 0 && p.py <= c.height, `y ${p.y} % on the axis: ${p.py}`);
        }
    }
    // The bottom graph's first line is 12-24 ms: its points are the file's.
    const arc1224 = arc.series.find(
      (/** @type {any} */ s) => s.timeout_ms_min === 12 && s.timeout_ms_max === 24,
    );
    assert.deepEqual(
      overlay[1].lines[0].map((p) => [p.y, p.x]),
      Object.entries(arc1224.cdf_ms).map(([pct, ms]) => [Number(pct), ms]),
    );
    // Hovering its median marker names the reproduction, the number and its source.
    const median = overlay[1].lines[0].find((p) => p.y === 50);
    const over = await page.evaluate(() => {
      const u = /** @type {any} */ (document.querySelector("#charts figure:nth-of-type(2)")).chart;
      const b = u.over.getBoundingClientRect();
      return { left: b.left, top: b.top };
    });
    await page.mouse.move(over.left + median.px, over.top + median.py);
    const tip = await page.evaluate(
      () =>
        /** @type {any} */ (document.querySelector("#charts figure:nth-of-type(2)")).chart.over
          .title,
    );
    assert.ok(
      tip.startsWith(
        `ARC reproduction (Howard 2014), 12-24 ms: 50 % of 100 trials by ${median.x} ms`,
      ),
      tip,
    );
    assert.ok(tip.includes(arc1224.source), tip);
    // Its legend entry hides the markers (the canvas changes, the tooltip goes) and shows
    // them again (the canvas as before).
    const canvas = () =>
      page.evaluate(() =>
        /** @type {any} */ (
          document.querySelector("#charts figure:nth-of-type(2)")
        ).chart.ctx.canvas.toDataURL(),
      );
    const drawn = await canvas();
    // Its label: uPlot toggles a series on a click there.
    const entry = page.locator("#charts figure:nth-of-type(2) .u-legend .u-series th").last();
    await entry.click();
    assert.notEqual(await canvas(), drawn, "hiding the reproduction redraws without it");
    await page.mouse.move(over.left + median.px, over.top + median.py + 1);
    assert.ok(
      !(
        await page.evaluate(
          () =>
            /** @type {any} */ (document.querySelector("#charts figure:nth-of-type(2)")).chart.over
              .title,
        )
      ).startsWith("ARC"),
    );
    await entry.click();
    assert.equal(await canvas(), drawn, "showing it again draws it as before");
    // The summary table gives its median beside ours.
    const row1224 = await page.$$eval("#summary tr", (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)).find((r) => r[1] === "12-24"),
    );
    assert.equal(
      row1224?.[9],
      `${arc1224.cdf_ms["50"]} (${arc1224.median_ci95_ms[0]}–${arc1224.median_ci95_ms[1]})`,
    );
    assert.equal(await page.locator("#summary tr").count(), 12);
    await page.screenshot({ path: `${out}e2e-experiments-figure16.png`, fullPage: true });
    // No critical or serious accessibility issue with the results on screen (axe-core, a dev
    // dependency injected here only).
    await page.addScriptTag({
      path: createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    });
    const serious = await page.evaluate(async () => {
      const r = await /** @type {any} */ (globalThis).axe.run(document, {
        resultTypes: ["violations"],
      });
      return r.violations
        .filter((/** @type {any} */ v) => v.impact === "critical" || v.impact === "serious")
        .map((/** @type {any} */ v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(" ")})`);
    });
    assert.deepEqual(serious, []);

    // ---- the CSV export: the header and one row per trial ----
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#export-csv"),
    ]);
    assert.equal(download.suggestedFilename(), "figure16.csv");
    const csv = readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\n");
    assert.equal(csv.length, total + 1);
    assert.ok(csv[0].startsWith("range,label,group,trial,seed,"), csv[0]);
    assert.ok(csv[1].startsWith("0,150-150,top,0,"), csv[1]);

    // ---- a point opens its trial in the playground, at the crash ----
    const point = await page.evaluate(() => {
      const u = /** @type {any} */ (document.querySelector("#charts figure:nth-of-type(2)")).chart;
      // The median point of the first bottom range (12-24): where its curve crosses 50 %.
      const k = u.data[1].findIndex((/** @type {number} */ y) => y >= 50);
      const box = u.over.getBoundingClientRect();
      return {
        x: box.left + u.valToPos(u.data[0][k], "x"),
        y: box.top + u.valToPos(u.data[1][k], "y"),
      };
    });
    await page.mouse.move(point.x, point.y);
    const [playground] = await Promise.all([
      context.waitForEvent("page"),
      page.mouse.click(point.x, point.y),
    ]);
    collectProblems(playground, "playground", problems);
    await page.waitForFunction(() =>
      document.getElementById("status")?.textContent?.startsWith("Opened 12-24 trial"),
    );
    const opened = await page.textContent("#status");
    const [, trial, seed] = /** @type {RegExpMatchArray} */ (
      opened.match(/^Opened 12-24 trial (\d+) \(seed (\d+)\)/)
    );
    const row = csv.find((l) => l.startsWith(`6,12-24,bottom,${trial},${seed},`));
    assert.ok(row, `the opened trial is in the export: ${opened}`);
    const crashUs = Number(row.split(",")[13]);
    assert.ok(playground.url().includes("index.html#s="), playground.url());
    await playground.waitForFunction(
      (t) => {
        const el = /** @type {any} */ (document.querySelector("raft-playground"));
        return el?.handle && el.handle.view().now_us === t;
      },
      crashUs,
      { timeout: 20_000 },
    );
    await playground.screenshot({ path: `${out}e2e-experiments-opened.png` });
    await playground.close();

    // ---- a long run, cancelled part way ----
    await page.fill("#trials", "2000");
    await page.click("#run");
    await page.waitForFunction(
      () => /** @type {HTMLProgressElement} */ (document.getElementById("progress")).value > 0,
    );
    await page.click("#cancel");
    await page.waitForSelector("body[data-run=cancelled]");
    const [, done] = /** @type {RegExpMatchArray} */ (
      (await page.textContent("#status")).match(/^Cancelled after (\d+) of 22000 trials/)
    );
    assert.ok(Number(done) > 0 && Number(done) < 22_000, done);
    assert.equal(await page.isEnabled("#run"), true);
    await page.screenshot({ path: `${out}e2e-experiments-cancelled.png`, fullPage: true });
    await context.close();
    assert.deepEqual(problems, []);
  });
});
