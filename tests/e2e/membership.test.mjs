// Membership from the page, against the REAL Wasm in headless Chromium: a joint change 3→5
// from the cluster's Membership… control (the joint drawing: C_old and C_new rings, the
// legend), a refused change showing the world's reason, a learner added with its catch-up
// meter filling and then promoted from its node menu, the leader removed from its node menu,
// an InstallSnapshot opened in the message popover, and the same controls in Chinese.
// REQUIRES the built site in dist/ (scripts/build.sh). Screenshots go to
// test-results/membership-*.png — look at them.
//   node --test tests/e2e/membership.test.mjs

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { onEl, openPlayground, seekUntil, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const PKG = `${dist}web/pkg/raftlab_wasm.js`;
const missing = existsSync(PKG) ? null : `${PKG} is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP membership e2e: ${missing}`);

const problems = [];

const P = "raft-playground";
const shot = (page, name) => page.screenshot({ path: `${out}membership-${name}.png` });
const view = (page) => onEl(page, (el) => el.handle.view());
const redraw = (page) => onEl(page, (el) => el.controller.redraw());
/** The configuration on the current leader (serialized into the page: self-contained). */
const leaderConfig = (v) => v.nodes.find((n) => n.id === v.leader)?.membership ?? null;

/** Opens the page in `lang`, waits for a leader that committed an entry of its term. */
async function open(lang) {
  const page = await openPlayground(site.browser, `${site.url}index.html`, {
    label: `index.html (${lang})`,
    problems,
    prepare: async (p) => {
      await p.addInitScript((l) => localStorage.setItem("raftlab:lang", l), lang);
      // Three nodes to grow from (the page's default is five): the element's `nodes`.
      await p.route("**/index.html", async (route) => {
        const res = await route.fetch();
        const body = (await res.text()).replace("<raft-playground ", '<raft-playground nodes="3" ');
        await route.fulfill({ response: res, body });
      });
    },
  });
  const at = await seekUntil(
    page,
    (v) => {
      const l = v.nodes.find((n) => n.id === v.leader);
      return !!l && l.commit > 0 && l.log.some((e) => e.index === l.commit && e.term === l.term);
    },
    { until_us: 20_000_000 },
  );
  assert.ok(at !== null, "a leader with an entry of its term committed");
  await redraw(page);
  return page;
}

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("membership from the page (Chromium, real Wasm; needs dist/)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out });

  test("grow 3→5 jointly, a refusal, a learner promoted, the leader removed", async () => {
    const page = await open("en");
    // 1. The joint change from the cluster-level control.
    await page.locator(`${P} button`, { hasText: "Membership…" }).click();
    await page.locator(`${P} .pop select[data-node="4"]`).selectOption("voter");
    await page.locator(`${P} .pop select[data-node="5"]`).selectOption("voter");
    await page.locator(`${P} .pop button`, { hasText: "Change by joint consensus" }).click();
    let v = await view(page);
    const joint = leaderConfig(v);
    assert.ok(joint?.joint, `the leader is in C_old,new: ${JSON.stringify(joint)}`);
    assert.deepEqual([...joint.outgoing].sort(), [1, 2, 3]);
    assert.deepEqual([...joint.voters].sort(), [1, 2, 3, 4, 5]);
    assert.equal(v.nodes.length, 5, "two new servers hosted");
    await redraw(page);
    assert.equal(await page.locator(`${P} .node.m-both`).count(), 3, "old servers in both");
    assert.equal(await page.locator(`${P} .node.m-new`).count(), 2, "new servers in C_new only");
    assert.equal(await page.locator(`${P} .node .cfg-old.on`).count(), 3, "C_old rings");
    assert.equal(await page.locator(`${P} .node .cfg-new.on`).count(), 5, "C_new rings");
    const legend = (await page.locator(`${P} .config`).textContent()) ?? "";
    assert.match(legend, /Joint consensus/);
    assert.match(legend, /C_old: 1, 2, 3/);
    await shot(page, "joint");

    // 2. A second change while the first is under way: refused, with the core's reason.
    await page.locator(`${P} button`, { hasText: "Membership…" }).click();
    await page.locator(`${P} .pop button`, { hasText: "Change by joint consensus" }).click();
    const why = (await page.locator(`${P} .pop .mem-why`).textContent()) ?? "";
    assert.match(why, /^Refused: action\.\w+: .*still changing/, why);
    assert.ok(await page.locator(`${P} .pop`).isVisible(), "the popover stays open");
    const disabled = await page.locator(`${P} .pop button:disabled`).count();
    assert.ok(disabled >= 2, "adding is disabled while the change is under way");
    assert.match((await page.locator(`${P} .pop .why`).first().textContent()) ?? "", /^Not now: /);
    await shot(page, "refused");
    await page.keyboard.press("Escape");

    // 3. The joint change completes: C_new alone, committed.
    assert.ok(
      (await seekUntil(page, (v) => {
        const m = v.nodes.find((n) => n.id === v.leader)?.membership;
        return !!m && !m.joint && m.committed && m.voters.length === 5;
      })) !== null,
      "the cluster leaves joint consensus",
    );
    await redraw(page);
    assert.equal(await page.locator(`${P} .node .cfg-old.on`).count(), 0, "no C_old rings");

    // 4. A learner: its meter, the promotion refused (disabled, saying why), then done.
    await page.locator(`${P} button`, { hasText: "Membership…" }).click();
    await page.locator(`${P} .pop button`, { hasText: "Add n6 as learner" }).click();
    v = await view(page);
    assert.deepEqual(leaderConfig(v)?.learners, [6]);
    await redraw(page);
    await page.locator(`${P} .node[data-node="6"].m-learner .meter.on`).waitFor();
    assert.match((await page.locator(`${P} .logs`).textContent()) ?? "", /n6 follower \(learner\)/);
    await page.locator(`${P} .node[data-node="6"]`).click();
    const promote = page.locator(`${P} .pop button`, { hasText: "Promote to voter" });
    assert.ok(await promote.isDisabled(), "not caught up yet");
    assert.match(
      (await page.locator(`${P} .pop .why`).first().textContent()) ?? "",
      /not caught up|still changing/,
    );
    await shot(page, "learner-new");
    await page.keyboard.press("Escape");
    // Half-way: the meter shows part of the rounds.
    const part = await seekUntil(
      page,
      (v) => {
        const l = v.nodes.find((n) => n.id === v.leader);
        const p = l?.progress.find((x) => x.node === 6);
        return !!p && p.caught_up_rounds > 0 && p.caught_up_rounds < l.learner_caught_up_rounds_min;
      },
      { step_us: 2_000 },
    );
    assert.ok(part !== null, "the meter fills step by step");
    await redraw(page);
    const w = async (c) =>
      Number(await page.locator(`${P} .node[data-node="6"] .meter .${c}`).getAttribute("width"));
    assert.ok((await w("fill")) > 0 && (await w("fill")) < (await w("track")), "part-filled meter");
    await shot(page, "learner-filling");
    assert.ok(
      (await seekUntil(page, (v) => {
        const l = v.nodes.find((n) => n.id === v.leader);
        const p = l?.progress.find((x) => x.node === 6);
        return !!p && p.caught_up_rounds >= l.learner_caught_up_rounds_min;
      })) !== null,
      "the learner catches up",
    );
    await redraw(page);
    assert.equal(await w("fill"), await w("track"), "full meter");
    await page.locator(`${P} .node[data-node="6"]`).click();
    await shot(page, "learner-caught-up");
    assert.ok(await promote.isEnabled(), "promotion allowed once caught up");
    await promote.click();
    v = await view(page);
    assert.ok(leaderConfig(v)?.voters.includes(6), "n6 is a voter");
    assert.ok(
      (await seekUntil(page, (v) => {
        const m = v.nodes.find((n) => n.id === v.leader)?.membership;
        return !!m && m.committed && m.voters.includes(6);
      })) !== null,
      "the promotion commits",
    );

    // 5. Remove the leader from its own node menu: it steps down, the rest elect another.
    v = await view(page);
    const old = v.leader;
    await redraw(page);
    await page.locator(`${P} .node[data-node="${old}"]`).click();
    await page.locator(`${P} .pop button`, { hasText: "Remove from the cluster" }).click();
    assert.ok(
      (await seekUntil(page, (v) => {
        const m = v.nodes.find((n) => n.id === v.leader)?.membership;
        return v.leader !== null && !!m && m.committed && m.voters.length === 5;
      })) !== null,
      "another leader leads without the removed one",
    );
    v = await view(page);
    assert.notEqual(v.leader, old);
    await redraw(page);
    await page.locator(`${P} .node[data-node="${old}"].m-none`).waitFor();
    assert.match(
      (await page.locator(`${P} .config`).textContent()) ?? "",
      new RegExp(`not members ${old}`),
    );
    await shot(page, "leader-removed");
    await page.close();
  });

  test("an InstallSnapshot is drawn and its popover shows the snapshot", async () => {
    const page = await openPlayground(
      site.browser,
      `${site.url}embed.html?scenario=scenarios/snapshot_install_after_partition.json&controls=full&autoplay=0`,
      { label: "snapshot embed", problems },
    );
    const at = await seekUntil(page, (v) => v.messages.some((m) => m.kind === "install_snapshot"), {
      step_us: 1_000,
      until_us: 4_000_000,
    });
    assert.ok(at !== null, "an install_snapshot in flight");
    await redraw(page);
    const m = (await view(page)).messages.find((x) => x.kind === "install_snapshot");
    const r = await onEl(page, (el, i) => el.controller.messageRect(i)?.toJSON() ?? null, m.id);
    assert.ok(r, "the snapshot message is drawn");
    await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
    const text = (await page.locator(`${P} .pop`).textContent()) ?? "";
    assert.match(text, /install snapshot/);
    const s = m.snapshot;
    assert.ok(s, "the view carries the snapshot");
    assert.ok(
      text.includes(
        `Snapshot through index ${s.last_included_index} (term ${s.last_included_term}), ${s.size_bytes} B`,
      ),
      text,
    );
    await shot(page, "install-snapshot");
    await page.close();
  });

  test("the membership controls in Chinese", async () => {
    const page = await open("zh");
    await page.locator(`${P} button`, { hasText: "成员变更……" }).click();
    const pop = (await page.locator(`${P} .pop`).textContent()) ?? "";
    for (const s of ["以学习者身份加入 n4", "用联合共识变更", "投票成员", "当前配置"]) {
      assert.ok(pop.includes(s), `shows ${s}: ${pop}`);
    }
    // A new voter and a new learner in one joint change (the next two ids).
    await page.locator(`${P} .pop select[data-node="4"]`).selectOption("voter");
    await page.locator(`${P} .pop select[data-node="5"]`).selectOption("learner");
    await page.locator(`${P} .pop button`, { hasText: "用联合共识变更" }).click();
    await redraw(page);
    const legend = (await page.locator(`${P} .config`).textContent()) ?? "";
    assert.match(legend, /联合共识/);
    assert.match(legend, /C_new：1, 2, 3, 4/);
    assert.match(legend, /学习者 5/);
    assert.equal(await page.locator(`${P} .node[data-node="5"] .role`).textContent(), "学习者");
    await shot(page, "zh");
    await page.locator(`${P} button`, { hasText: "成员变更……" }).click();
    await page.locator(`${P} .pop button`, { hasText: "用联合共识变更" }).click();
    assert.match((await page.locator(`${P} .pop .mem-why`).textContent()) ?? "", /^被拒绝：/);
    await page.close();
  });

  test("the membership lesson's joint step draws C_old and C_new", async () => {
    const page = await openPlayground(
      site.browser,
      `${site.url}index.html#lesson=membership&step=2`,
      {
        label: "membership lesson",
        problems,
        prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "en")),
      },
    );
    await page.locator(`${P} .node.m-new`).first().waitFor();
    assert.equal(await page.locator(`${P} .node.m-both`).count(), 3);
    assert.equal(await page.locator(`${P} .node.m-new`).count(), 2);
    assert.match((await page.locator(`${P} .config`).textContent()) ?? "", /Joint consensus/);
    await shot(page, "lesson-joint");
    await page.close();
  });

  test("no console errors or warnings", () => {
    assert.deepEqual(problems, []);
  });
});
