// web/src/vocab.js is generated from the Rust vocabularies (`raftlab schema`; a Rust test
// keeps the checked-in copy fresh). This checks it against what the real Wasm returns and
// accepts: the names the views use are listed, and every listed choice is accepted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ACTION_TYPES,
  MESSAGE_STATES,
  MONITORS,
  MSG_KINDS,
  OP_KINDS,
  OUTCOMES,
  RAFT_TOGGLES,
  READ_PATHS,
  TRACE_CATEGORIES,
} from "../../web/src/vocab.js";
import { Playground } from "./wasm.mjs";

describe("vocab.js matches the Wasm", () => {
  const p = new Playground({ node_count: 3, workload: { enabled: true, rate_ops_per_s: 50 } }, 5);
  p.advance(1_000_000);
  p.apply({ type: "hold_next", count: 1 });
  p.advance(100_000);
  const view = p.view();

  it("monitors in report order, toggles as the config's fields", () => {
    assert.deepEqual(
      view.monitors.map((m) => m.monitor),
      MONITORS,
    );
    assert.deepEqual(
      Object.keys(p.config().toggles).sort(),
      RAFT_TOGGLES.map((t) => t.name).sort(),
    );
  });

  it("message kinds and states, trace categories, history ops and outcomes are listed", () => {
    assert.ok(view.messages.length > 0);
    for (const m of view.messages) {
      assert.ok(MSG_KINDS.includes(m.kind), m.kind);
      assert.ok(MESSAGE_STATES.includes(m.state), m.state);
    }
    for (const line of p.events().lines) {
      assert.ok(TRACE_CATEGORIES.includes(line.category), line.category);
    }
    for (const op of p.history().operations) {
      assert.ok(OP_KINDS.includes(op.op), op.op);
      assert.ok(OUTCOMES.includes(op.outcome), op.outcome);
      assert.ok(ACTION_TYPES.includes(op.op), op.op);
    }
  });

  it("every read path and toggle is accepted", () => {
    for (const { name } of READ_PATHS) {
      p.apply({ type: "set_read_path", read_path: name });
      assert.equal(p.config().read_path, name);
    }
    for (const { name } of RAFT_TOGGLES) {
      p.apply({ type: "set_toggle", toggle: name, on: true });
      assert.equal(p.config().toggles[name], true);
    }
    for (const kind of MSG_KINDS) p.apply({ type: "drop_next", kind, count: 1 });
  });
});
