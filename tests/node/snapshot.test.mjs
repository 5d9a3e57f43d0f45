// Log compaction through the Wasm API: the config field and the action, each node's
// snapshot boundary in the view, an InstallSnapshot inspectable in the message list, and
// refusals that name the field and leave the world unchanged.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Playground, snapshot } from "./wasm.mjs";

const WORKLOAD = { enabled: true, rate_ops_per_s: 20 };

describe("snapshots through the API", () => {
  it("compacts each node's log behind a snapshot boundary the view shows", () => {
    const p = new Playground(
      { node_count: 3, snapshot_threshold_entries: 5, workload: WORKLOAD },
      3,
    );
    p.advance(3_000_000);
    for (const n of p.view().nodes) {
      assert.ok(n.snapshot, `n${n.id} compacted`);
      assert.ok(n.snapshot.last_included_index >= 5);
      assert.ok(n.snapshot.size_bytes > 0);
      assert.ok(n.log_first_index > n.snapshot.last_included_index);
      assert.equal(n.log_len, n.log_first_index + n.log.length - 1, "log_len is the last index");
    }
  });

  it("turns compaction on in a running world with set_snapshot_threshold", () => {
    const p = new Playground({ node_count: 3, workload: WORKLOAD }, 4);
    p.advance(2_000_000);
    assert.ok(
      p.view().nodes.every((n) => n.snapshot === null),
      "off by default",
    );
    p.apply({ type: "set_snapshot_threshold", snapshot_threshold_entries: 4 });
    p.advance(2_000_000);
    assert.ok(p.view().nodes.every((n) => n.snapshot !== null));
  });

  it("shows an InstallSnapshot's boundary and size in the message list", () => {
    const p = new Playground(
      { node_count: 3, snapshot_threshold_entries: 5, workload: WORKLOAD },
      5,
    );
    p.advance(1_000_000);
    const leader = p.view().nodes.find((n) => n.role === "leader").id;
    const f = leader === 3 ? 1 : 3;
    p.apply({ type: "isolate", node: f });
    p.advance(3_000_000);
    p.apply({
      type: "hold_next",
      from: { node: leader },
      to: { node: f },
      kind: "install_snapshot",
      count: 1,
    });
    p.apply({ type: "heal" });
    p.advance(1_000_000);
    const m = p.view().messages.find((x) => x.kind === "install_snapshot");
    assert.ok(m, "the held InstallSnapshot");
    assert.ok(m.snapshot.last_included_index >= 5 && m.snapshot.size_bytes > 0);
    assert.ok(
      p
        .view()
        .messages.filter((x) => x.kind !== "install_snapshot")
        .every((x) => !("snapshot" in x)),
    );
  });

  it("refuses a threshold past its bound, naming the field, world unchanged", () => {
    const p = new Playground({ node_count: 3 }, 6);
    p.advance(500_000);
    const before = snapshot(p);
    assert.throws(
      () => p.apply({ type: "set_snapshot_threshold", snapshot_threshold_entries: 1_000_001 }),
      (e) => e instanceof Error && /snapshot_threshold_entries/.test(e.message),
    );
    assert.throws(
      () => p.apply({ type: "set_snapshot_threshold", snapshot_threshold_entries: -1 }),
      (e) => e instanceof Error && /snapshot_threshold_entries/.test(e.message),
    );
    assert.equal(snapshot(p), before, "a failed call changed the world");
    assert.throws(
      () => new Playground({ snapshot_threshold_entries: 2_000_000 }, 1),
      (e) => e instanceof Error && /snapshot_threshold_entries/.test(e.message),
    );
  });
});
