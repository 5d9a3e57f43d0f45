// The worked test of docs/testing-guide.md, run against the real Wasm: a 6.824-style test
// of leader election, agreement and a partitioned leader. Deterministic: one fixed seed
// per world (the loop below prints each), so a failure replays exactly.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Playground } from "./wasm.mjs";

const MS = 1_000;

/** The live leaders now, from the view. */
function leaders(p) {
  return p
    .view({ log_tail: 0, kv: false, summaries: false })
    .nodes.filter((n) => !n.crashed && n.role === "leader");
}

/** Runs until exactly one leader is up (at most `ms` virtual ms); returns its id. */
function checkOneLeader(p, ms = 5_000) {
  for (let t = 0; t < ms; t += 50) {
    const ls = leaders(p);
    if (ls.length === 1) return ls[0].id;
    p.advance(50 * MS);
  }
  assert.fail(`no single leader within ${ms} ms (seed ${p.seed()})`);
}

/** How many nodes hold entry `index` with the same term, and that term. */
function nCommitted(p, index) {
  let count = 0;
  let term = null;
  for (const n of p.view({ log_tail: 0, kv: false, summaries: false }).nodes) {
    if (n.crashed || n.commit < index) continue;
    const [e] = p.log(n.id, index, index).entries;
    assert.ok(e, `n${n.id} committed ${index} but does not hold it`);
    if (term !== null) assert.equal(e.term, term, `committed entries differ at ${index}`);
    term = e.term;
    count++;
  }
  return { count, term };
}

/** 6.824's `one()`: start `value` at the leader and wait until `expected` nodes commit it. */
function one(p, value, expected) {
  const leader = checkOneLeader(p);
  const r = p.start(leader, "k", value);
  assert.equal(r.is_leader, true, `n${leader} took the command`);
  for (let t = 0; t < 2_000; t += 10) {
    if (nCommitted(p, r.index).count >= expected) return r.index;
    p.advance(10 * MS);
  }
  assert.fail(`${value} at ${r.index} not committed on ${expected} nodes (seed ${p.seed()})`);
}

describe("the testing guide's worked test", () => {
  for (const seed of [1, 2, 3]) {
    it(`elects, agrees, and a partitioned leader cannot commit (seed ${seed})`, () => {
      const p = new Playground({ node_count: 5 }, seed);
      try {
        // 1. A leader is elected, and only one.
        const leader = checkOneLeader(p);
        p.skip_events(); // the election's thousands of lines are of no interest

        // 2. Three commands commit on all five nodes, at consecutive indexes.
        const idx = ["a", "b", "c"].map((v) => one(p, v, 5));
        assert.deepEqual(idx, [idx[0], idx[0] + 1, idx[0] + 2]);

        // 3. The leader, cut off with one follower, takes a command it cannot commit.
        const follower = (leader % 5) + 1;
        const rest = [1, 2, 3, 4, 5].filter((n) => n !== leader && n !== follower);
        p.apply({ type: "partition", groups: [[leader, follower], rest] });
        const stale = p.start(leader, "k", "lost");
        assert.equal(stale.is_leader, true, "the old leader does not know yet");
        p.advance(2_000 * MS);
        const after = nCommitted(p, stale.index);
        assert.ok(after.count === 0 || after.term !== stale.term, "a minority cannot commit");

        // 4. The majority elects its own leader and commits; the old leader's entry goes.
        const fresh = one(p, "d", 3);
        p.skip_events();
        p.apply({ type: "heal" });
        const truncated = [];
        for (let t = 0; t < 1_000; t += 10) {
          p.advance(10 * MS); // and read the lines as they come: the trace keeps the newest
          const b = p.events();
          assert.equal(b.missed, 0);
          for (const l of b.lines)
            if (l.node === leader && /truncate log/.test(l.text)) truncated.push(l.text);
        }
        assert.ok(
          truncated.some((t) => t.startsWith(`n${leader} truncate log from ${stale.index} `)),
          `the old leader dropped its entry at ${stale.index}: ${truncated}`,
        );
        assert.ok(nCommitted(p, fresh).count === 5, "all five agree after the heal");
        const [e] = p.log(leader, stale.index, stale.index).entries;
        assert.ok(!e.text.endsWith("lost"), `the minority's entry was overwritten: ${e.text}`);

        // What it all cost, by kind.
        const counts = p.msg_counts();
        const append = counts.kinds.find((k) => k.kind === "append");
        assert.ok(append.sent > 0 && append.bytes_sent > append.sent * 48);
      } finally {
        p.free();
      }
    });
  }
});
