// web/src/types.d.ts is hand-written; this keeps it in sync with what the Wasm really returns:
// every field of a real object must be declared in the matching interface, and every
// required declared field must be present.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Playground } from "./wasm.mjs";

const source = readFileSync(new URL("../../web/src/types.d.ts", import.meta.url), "utf8");

/** Field names of `export interface Name [extends Base] { ... }`, with `?` marking optional ones. */
function fields(name) {
  const m = source.match(
    new RegExp(`export interface ${name}(?: extends (\\w+))? \\{([\\s\\S]*?)\\n\\}`),
  );
  assert.ok(m, `types.d.ts declares no interface ${name}`);
  const own = [...m[2].matchAll(/^ {2}(?:readonly )?(\w+)(\?)?:/gm)].map(([, f, opt]) => ({
    name: f,
    optional: Boolean(opt),
  }));
  return m[1] ? [...fields(m[1]), ...own] : own;
}

function assertShape(name, value) {
  const declared = fields(name);
  const names = new Set(declared.map((f) => f.name));
  for (const key of Object.keys(value)) {
    assert.ok(names.has(key), `${name}.${key} is returned but not declared in types.d.ts`);
  }
  for (const f of declared) {
    if (!f.optional) assert.ok(f.name in value, `${name}.${f.name} is declared but not returned`);
  }
}

describe("types.d.ts matches the real Wasm shapes", () => {
  const p = new Playground({ node_count: 5, workload: { enabled: true, rate_ops_per_s: 50 } }, 3);
  p.advance(1_500_000);
  assertShape("RunProgress", p.advance_budgeted(1, 1_000));
  p.apply({ type: "hold_next", count: 1 });
  p.apply({ type: "cut", from: 1, to: 2 });
  p.advance(200_000);
  const view = p.view();
  const leader = view.nodes.find((n) => n.role === "leader");

  it("WorldView and its parts", () => {
    assertShape("WorldView", view);
    assertShape("NodeInfo", view.nodes[0]);
    assertShape("EntryInfo", leader.log[0]);
    assertShape("ProgressInfo", leader.progress[0]);
    assertShape("MessageInfo", view.messages[0]);
    assertShape("NetworkInfo", view.network);
    assertShape("LinkInfo", view.network.links[0]);
    assertShape("ClientInfo", view.clients[0]);
    assertShape("MonitorState", view.monitors[0]);
    const busy = view.clients.find((c) => c.pending);
    if (busy) assertShape("PendingInfo", busy.pending);
  });

  it("one message and one entry's status", () => {
    assertShape("MessageInfo", p.message(view.messages[0].id));
    assert.equal(p.message(2 ** 52), null);
    assertShape("EntryStatus", p.entry_status(leader.id, leader.log[0].index));
    assert.equal(p.entry_status(1, 10 ** 9), null);
  });

  it("events, config, scenario, history and the check report", () => {
    const batch = p.events();
    assertShape("EventBatch", batch);
    assertShape("TraceLine", batch.lines[0]);
    assertShape("SimConfig", p.config());
    const scenario = p.export_scenario("types");
    assertShape("Scenario", scenario);
    assertShape("TimedAction", scenario.actions[0]);
    const win = p.history_window(0, 3);
    assertShape("HistoryWindow", win);
    assert.equal(win.operations.length, 3);
    assertShape("HistoryOp", win.operations[0]);
    const history = p.history();
    assertShape("History", history);
    assertShape("HistoryOp", history.operations[0]);
    assert.equal(typeof history.operations[0].node, "number", "the serving node is recorded");
    const report = p.check();
    assertShape("CheckReport", report);
    const live = p.check_incremental();
    assertShape("LiveReport", live);
    assertShape("LivePartition", live.partitions[0]);
    assertShape("LinearizabilityResult", report.linearizability);
    assertShape("SequentialResult", report.sequential);
    assertShape("SessionResult", report.sessions);
    assertShape("ConvergenceResult", report.convergence);
  });

  it("the tester's calls", () => {
    const reply = p.start(leader.id, "k", "v");
    assertShape("StartReply", reply);
    assert.equal(reply.is_leader, true);
    const range = p.log(leader.id, 1, 3);
    assertShape("LogRange", range);
    assertShape("EntryInfo", range.entries[0]);
    const counts = p.msg_counts();
    assertShape("MsgCounts", counts);
    assertShape("KindCounts", counts.kinds[0]);
    assert.equal(typeof p.skip_events(), "number");
  });

  it("a violation and an explanation", () => {
    const s = JSON.parse(
      readFileSync(new URL("../../scenarios/toggle_figure8.json", import.meta.url), "utf8"),
    );
    const w = Playground.from_scenario(s);
    w.advance(s.duration_us);
    const m = w.view().monitors.find((x) => x.violated);
    assert.ok(m, "toggle_figure8 violates a monitor");
    assertShape("Violation", m.first);
  });
});
