// The JS API against the real Wasm: every method, bad input for each (the error names the
// argument or field, and the world is unchanged), determinism, and a randomized call storm.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACTION_TYPES } from "../../web/src/vocab.js";
import { Playground, prng, snapshot } from "./wasm.mjs";

const SAFE = Number.MAX_SAFE_INTEGER;

/** A 5-node world with a leader, 2 s in. */
function elected(seed = 7) {
  const p = new Playground({ node_count: 5 }, seed);
  p.advance(2_000_000);
  return p;
}

function leaderOf(p) {
  const leaders = p.view().nodes.filter((n) => n.role === "leader");
  return leaders.length ? leaders[0].id : null;
}

/** Asserts that `call` throws an Error (never a trap) whose message matches `pattern`. */
function throwsMessage(call, pattern) {
  assert.throws(call, (e) => {
    assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Asserts that `call` throws an Error whose message matches `pattern` and leaves `p` as it was. */
function rejects(p, call, pattern) {
  const before = snapshot(p);
  assert.throws(call, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
  assert.equal(snapshot(p), before, "a failed call changed the world");
}

describe("creating a world", () => {
  it("takes a partial config and a seed, and reports the seed", () => {
    const p = new Playground({ node_count: 3 }, 12345);
    assert.equal(p.seed(), 12345);
    assert.equal(p.now_us(), 0);
    assert.equal(p.view().nodes.length, 3);
  });

  it("draws a seed below 2^53 when none is given, and shows it", () => {
    const p = new Playground(undefined);
    assert.ok(Number.isSafeInteger(p.seed()) && p.seed() >= 0);
    assert.equal(new Playground(null, p.seed()).trace_hash(), p.trace_hash());
  });

  it("accepts the config as JSON text too", () => {
    assert.equal(new Playground('{"node_count": 7}', 1).view().nodes.length, 7);
  });

  for (const [config, pattern] of [
    [{ node_count: 0 }, /^config\.node_count: /],
    [{ node_count: 10 }, /^config\.node_count: /],
    [{ node_count: "five" }, /^config\.node_count: invalid type/],
    [{ bogus: 1 }, /^config\.bogus: unknown field `bogus`/],
    [{ network: { loss_ppm: -1 } }, /^config\.network\.loss_ppm: /],
    [
      { workload: { key_count: 10001 } },
      /^config\.workload\.key_count: must be at most 10000, got 10001$/,
    ],
    [
      { election_timeout_us_min: 300000, election_timeout_us_max: 100000 },
      /^config\.election_timeout_us/,
    ],
    ["{not json", /^config: key must be a string/],
    [42, /^config: /],
  ]) {
    it(`rejects config ${JSON.stringify(config)}`, () => {
      throwsMessage(() => new Playground(config, 1), pattern);
    });
  }

  for (const seed of [-1, 1.5, Number.NaN, 2 ** 53 + 2]) {
    it(`rejects seed ${seed}`, () => {
      throwsMessage(() => new Playground({}, seed), /^seed: expected a non-negative integer/);
    });
  }
});

describe("running", () => {
  it("advance moves virtual time and elects a leader", () => {
    const p = elected();
    assert.equal(p.now_us(), 2_000_000);
    assert.notEqual(leaderOf(p), null);
  });

  it("step processes one event at a time", () => {
    const p = new Playground({}, 3);
    const t0 = p.now_us();
    assert.equal(p.step(), true);
    assert.ok(p.now_us() > t0);
  });

  it("prev_event_at names the previous event; seeking there steps back exactly one", () => {
    const p = elected();
    const last = p.prev_event_at(p.now_us() + 1);
    assert.equal(typeof last, "number");
    const prev = p.prev_event_at(last);
    assert.ok(prev < last, `${prev} < ${last}`);
    p.seek(prev);
    assert.equal(p.now_us(), prev);
    // Forward again, event by event: the first event after `prev` is at `last`.
    while (p.now_us() === prev) assert.equal(p.step(), true);
    assert.equal(p.now_us(), last);
    assert.equal(new Playground({}, 1).prev_event_at(0), undefined);
    rejects(p, () => p.prev_event_at(-1), /^t_us: expected a non-negative integer below 2\^53/);
    rejects(p, () => p.prev_event_at("1"), /^t_us: expected a number, got /);
  });

  it("seek goes back and forward to the same world", () => {
    const p = elected();
    const at1s = new Playground({ node_count: 5 }, 7);
    at1s.advance(1_000_000);
    p.seek(1_000_000);
    assert.equal(p.now_us(), 1_000_000);
    assert.equal(p.trace_hash(), at1s.trace_hash());
    p.seek(2_000_000);
    assert.equal(p.trace_hash(), elected().trace_hash());
  });

  for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, SAFE + 2]) {
    it(`advance and seek reject ${bad}`, () => {
      const p = elected();
      rejects(p, () => p.advance(bad), /^us: expected a non-negative integer below 2\^53/);
      rejects(p, () => p.seek(bad), /^t_us: expected a non-negative integer below 2\^53/);
    });
  }

  it("a refused number is shown as JS writes it (random magnitudes, both signs)", () => {
    const p = elected();
    const rand = prng(53);
    const values = [2 ** 60, -(2 ** 64), 1e20, 1e21, 1.5e300, -2.5e-8, 1e-7, 123.456];
    for (let i = 0; i < 200; i++) {
      const magnitude = 10 ** (rand() * 24 - 3);
      const v = (rand() < 0.5 ? -1 : 1) * (rand() < 0.5 ? Math.round(magnitude) : magnitude);
      if (!(Number.isSafeInteger(v) && v >= 0)) values.push(v);
    }
    for (const v of values) {
      assert.throws(
        () => p.advance(v),
        (e) => e.message === `us: expected a non-negative integer below 2^53, got ${String(v)}`,
        `shown as ${String(v)}`,
      );
    }
  });

  it("advance and seek refuse to pass VIRTUAL_TIME_US_MAX (24 h)", () => {
    const p = elected();
    rejects(
      p,
      () => p.advance(SAFE),
      /^us: virtual time \d+ µs is past the limit VIRTUAL_TIME_US_MAX = 86400000000 µs/,
    );
    rejects(
      p,
      () => p.seek(86_400_000_001),
      /^t_us: virtual time 86400000001 µs is past the limit VIRTUAL_TIME_US_MAX/,
    );
    rejects(p, () => p.advance_budgeted(SAFE, 10), /^us: virtual time \d+ µs is past the limit/);
    rejects(p, () => p.seek_budgeted(SAFE, 10), /^t_us: virtual time \d+ µs is past the limit/);
    rejects(p, () => p.seek_budgeted(1000, 0), /^events_max: must be at least 1/);
  });

  it("a budgeted seek in slices reaches the same world as one advance", () => {
    const a = elected();
    const b = elected();
    a.advance(2_000_000);
    let pr = b.advance_budgeted(2_000_000, 25);
    let calls = 1;
    while (!pr.done) {
      assert.ok(pr.now_us <= pr.target_us && pr.events >= 25);
      pr = b.seek_budgeted(pr.target_us, 25);
      calls++;
    }
    assert.ok(calls > 5, `${calls} calls`);
    assert.equal(b.trace_hash(), a.trace_hash());
    assert.equal(b.now_us(), a.now_us());
  });

  for (const bad of ["1000", true, null, {}, 10n]) {
    it(`advance, seek and trace reject the non-number ${String(bad)}`, () => {
      const p = elected();
      rejects(p, () => p.advance(bad), /^us: expected a number, got /);
      rejects(p, () => p.seek(bad), /^t_us: expected a number, got /);
      rejects(p, () => p.trace(bad), /^limit: expected a number, got /);
    });
  }
});

describe("views and events", () => {
  it("a view has nodes, messages, network, clients, monitors and the trace hash", () => {
    const v = elected().view();
    for (const key of [
      "now_us",
      "nodes",
      "messages",
      "network",
      "clients",
      "monitors",
      "trace_hash",
    ]) {
      assert.ok(key in v, `view lacks ${key}`);
    }
    assert.match(v.trace_hash, /^[0-9a-f]{16}$/);
    assert.deepEqual(v.monitors.map((m) => m.monitor).slice(0, 6), [
      "election_safety",
      "leader_append_only",
      "log_matching",
      "leader_completeness",
      "state_machine_safety",
      "committed_entry_lost",
    ]);
    for (const m of v.messages) {
      assert.ok(Number.isSafeInteger(m.id) && m.deliver_at_us >= m.sent_at_us);
    }
  });

  it("events returns each trace line once, in order", () => {
    const p = new Playground({}, 9);
    p.advance(500_000);
    const first = p.events();
    assert.ok(first.lines.length > 0);
    assert.equal(p.events().lines.length, 0);
    p.advance(100_000);
    const next = p.events();
    assert.equal(next.lines[0]?.seq, first.lines.at(-1).seq + 1);
  });

  it("events({ text: 'markers' }) keeps the text of marked lines only", () => {
    const p = new Playground({}, 9);
    p.advance(1_000_000);
    const leader = p.view().nodes.find((n) => n.role === "leader").id;
    p.apply({ type: "crash", node: leader });
    p.advance(1_000_000);
    const lines = p.events({ text: "markers" }).lines;
    const marked = lines.filter((l) => l.marker !== null);
    assert.ok(marked.some((l) => l.marker === "election" && / -> leader in /.test(l.text)));
    assert.ok(marked.some((l) => l.marker === "fault" && /crash/.test(l.text)));
    assert.ok(lines.filter((l) => l.marker === null).every((l) => l.text === ""));
    assert.ok(lines.length > marked.length);
  });

  it("events refuses bad options, naming the field, and drains nothing", () => {
    const p = new Playground({}, 9);
    p.advance(200_000);
    throwsMessage(
      () => p.events({ text: "some" }),
      /^options\.text: unknown variant `some`, expected `all` or `markers`/,
    );
    throwsMessage(() => p.events({ txt: "all" }), /^options\.txt: unknown field/);
    throwsMessage(() => p.events(7), /^options: invalid type: integer `7`/);
    assert.ok(p.events({ text: "all" }).lines.every((l) => l.text.length > 0));
  });

  it("view({ summaries: false }) leaves the message summaries out, nothing else", () => {
    const p = elected();
    while (p.view().messages.length === 0) assert.ok(p.step());
    const full = p.view();
    const lean = p.view({ summaries: false });
    assert.ok(full.messages.length > 0);
    assert.deepEqual(
      lean.messages,
      full.messages.map((m) => ({ ...m, summary: "" })),
    );
  });

  it("message, entry_status and history_window answer one thing, and refuse bad input", () => {
    const p = new Playground({ node_count: 5, workload: { enabled: true } }, 7);
    p.advance(2_000_000);
    while (p.view().messages.length === 0) assert.ok(p.step());
    const m = p.view().messages[0];
    assert.deepEqual(p.message(m.id), m);
    assert.equal(p.message(SAFE), null);
    const l = leaderOf(p);
    const st = p.entry_status(l, 1);
    assert.equal(st.state, "applied");
    assert.match(st.why, /^committed and applied/);
    assert.equal(p.entry_status(l, 10 ** 9), null);
    const win = p.history_window(0, 2);
    assert.equal(win.operations_total, p.history().operations.length);
    assert.deepEqual(win.operations, p.history().operations.slice(-2));
    rejects(p, () => p.message("x"), /^id: /);
    rejects(p, () => p.message(-1), /^id: /);
    rejects(p, () => p.entry_status(2 ** 40, 1), /^node: /);
    rejects(p, () => p.entry_status(1, 1.5), /^index: /);
    rejects(p, () => p.history_window(-5, 1), /^from_us: /);
    rejects(p, () => p.history_window(0, "all"), /^ops_max: /);
  });

  it("deferred checkpoints are taken by checkpoint() only, and seek stays exact", () => {
    const p = new Playground({}, 9);
    const q = new Playground({}, 9);
    p.defer_checkpoints(true);
    p.advance(250_000);
    q.advance(250_000);
    assert.equal(p.checkpoint_due(), true);
    assert.equal(p.checkpoint(), true);
    assert.equal(p.checkpoint_due(), false);
    assert.equal(p.checkpoint(), false);
    p.advance(250_000);
    q.advance(250_000);
    assert.equal(p.trace_hash(), q.trace_hash());
    p.seek(120_000);
    p.advance(380_000);
    assert.equal(p.trace_hash(), q.trace_hash());
    rejects(p, () => p.defer_checkpoints("yes"), /^on: expected a boolean, got string/);
    rejects(p, () => p.defer_checkpoints(), /^on: expected a boolean, got undefined/);
  });

  it("trace returns the last lines as text", () => {
    const p = elected();
    const lines = p.trace(5);
    assert.equal(lines.length, 5);
    assert.ok(lines.every((l) => typeof l === "string" && l.length > 0));
    rejects(p, () => p.trace(-1), /^limit: /);
  });
});

describe("actions", () => {
  /** One valid example of every action; ids are filled in from the live world. */
  function everyAction(p) {
    const leader = leaderOf(p);
    const other = leader === 1 ? 2 : 1;
    const msg = () => p.view().messages.find((m) => m.state === "in_flight")?.id;
    return [
      { type: "put", client: 1, key: "x", value: "1" },
      { type: "get", client: 2, key: "x" },
      { type: "append", client: 1, key: "x", value: "a", node: leader },
      { type: "cas", client: 2, key: "x", expected: "1a", value: "2" },
      { type: "set_workload", enabled: true, rate_ops_per_s: 50, key_count: 3 },
      { type: "set_read_path", read_path: "lease" },
      { type: "set_dedup", on: false },
      { type: "set_toggle", toggle: "vote_without_log_check", on: true },
      {
        type: "set_election_timeout",
        election_timeout_us_min: 150000,
        election_timeout_us_max: 300000,
      },
      {
        type: "set_link",
        from: 1,
        to: 2,
        latency_us_min: 1000,
        latency_us_max: 5000,
        loss_ppm: 1000,
      },
      { type: "drop_message", id: msg() },
      { type: "delay_message", id: msg(), delay_us: 10000 },
      { type: "duplicate_message", id: msg() },
      { type: "hold_message", id: msg() },
      { type: "release_all" },
      { type: "drop_next", kind: "heartbeat", count: 2 },
      { type: "hold_next", count: 1 },
      { type: "clear_rules" },
      { type: "cut", from: 1, to: 2 },
      { type: "repair", from: 1, to: 2 },
      {
        type: "partition",
        groups: [
          [1, 2],
          [3, 4, 5],
        ],
      },
      { type: "heal" },
      { type: "isolate", node: other },
      { type: "heal" },
      { type: "set_drift", node: 3, drift_ppm: 20000 },
      { type: "pause", node: 4 },
      { type: "resume", node: 4 },
      { type: "campaign", node: other },
      { type: "transfer_leader", from: leader, to: other },
      { type: "crash", node: 5 },
      { type: "restart", node: 5 },
    ];
  }

  it("applies every kind of action and logs it for export", () => {
    const p = elected();
    let applied = 0;
    for (const make of everyAction(p).map((a) => () => a)) {
      const a = make();
      if ("id" in a && a.id === undefined) continue; // no message in flight right now
      p.apply(a);
      p.advance(20_000);
      applied += 1;
    }
    const s = p.export_scenario("every action");
    assert.equal(s.actions.length, applied);
    assert.ok(applied >= 27, `only ${applied} actions applied`);
  });

  it("an action given as JSON text works too", () => {
    const p = elected();
    p.apply('{"type": "crash", "node": 2}');
    assert.equal(p.view().nodes[1].crashed, true);
  });

  for (const [action, pattern] of [
    [{ type: "explode" }, /^action\.type: unknown variant `explode`/],
    [{ type: "crash" }, /^action: missing field `node`/],
    [{ type: "crash", node: 9 }, /^action\.node: no node 9/],
    [{ type: "crash", node: -1 }, /^action\.node: invalid value/],
    [{ type: "crash", node: 1, extra: true }, /^action\.extra: unknown field `extra`/],
    [{ type: "put", client: 99, key: "x", value: "1" }, /^action\.client: /],
    [{ type: "drop_message", id: 999999 }, /^action\.id: /],
    [
      {
        type: "partition",
        groups: [
          [1, 2],
          [2, 3],
        ],
      },
      /^action\.groups/,
    ],
    [{ type: "set_read_path", read_path: "psychic" }, /^action\.read_path: unknown variant/],
    [{ type: "set_drift", node: 1, drift_ppm: 10_000_000 }, /^action\.drift_ppm: /],
    [null, /^action: expected an object/],
    [undefined, /^action: expected an object/],
    ["{", /^action: EOF while parsing/],
    [[1, 2], /^action: invalid type: sequence, expected internally tagged enum Action/],
  ]) {
    it(`rejects ${JSON.stringify(action)} and changes nothing`, () => {
      const p = elected();
      rejects(p, () => p.apply(action), pattern);
    });
  }
});

describe("history, check and scenarios", () => {
  it("records client operations in the documented history form and checks them", () => {
    const p = elected();
    p.apply({ type: "put", client: 1, key: "k", value: "v" });
    p.advance(1_000_000);
    p.apply({ type: "get", client: 1, key: "k" });
    p.advance(1_000_000);
    const h = p.history();
    assert.equal(h.version, 1);
    assert.equal(h.model, "kv");
    assert.deepEqual(
      h.operations.map((o) => [o.op, o.outcome]),
      [
        ["put", "ok"],
        ["get", "ok"],
      ],
    );
    assert.equal(h.operations[1].output, "v");
    // Each names the node that served it: the leader, which answered both.
    const leader = leaderOf(p);
    assert.deepEqual(
      h.operations.map((o) => o.node),
      [leader, leader],
    );
    const report = p.check();
    assert.equal(report.linearizability.verdict, "ok");
  });

  it("an exported scenario replays to the same trace", () => {
    const p = elected(21);
    p.apply({ type: "crash", node: leaderOf(p) });
    p.advance(1_000_000);
    p.apply({ type: "put", client: 1, key: "x", value: "1" });
    p.advance(1_000_000);
    const replay = Playground.from_scenario(p.export_scenario("replay"));
    replay.advance(p.now_us());
    assert.equal(replay.trace_hash(), p.trace_hash());
  });

  for (const [scenario, pattern] of [
    ["{", /^scenario: /],
    [{}, /^scenario: missing field/],
    [{ seed: -1, duration_us: 1, config: {} }, /^scenario: seed: /],
    [null, /^scenario: expected an object, got null$/],
    [undefined, /^scenario: expected an object, got undefined$/],
  ]) {
    it(`from_scenario rejects ${String(JSON.stringify(scenario))}`, () => {
      throwsMessage(() => Playground.from_scenario(scenario), pattern);
      throwsMessage(() => Playground.run_scenario(scenario), pattern);
    });
  }
});

describe("randomized calls never trap", () => {
  const seed = Number(process.env.RAFTLAB_FUZZ_SEED ?? 20261127);
  const rounds = Number(process.env.RAFTLAB_FUZZ_ROUNDS ?? 400);
  it(`${rounds} random calls (seed ${seed}; replay with RAFTLAB_FUZZ_SEED=${seed})`, () => {
    const rand = prng(seed);
    const pick = (xs) => xs[Math.floor(rand() * xs.length)];
    const values = [
      0,
      -1,
      1,
      2,
      5,
      9,
      10,
      1.5,
      2 ** 53,
      Number.NaN,
      "",
      "x",
      "{}",
      "[]",
      null,
      undefined,
      true,
      [],
      {},
      [[1], [2]],
      { node: 1 },
      -0,
      1e300,
    ];
    // Every action type Rust declares (generated from it), and one it does not.
    const types = [...ACTION_TYPES, "nope"];
    const fields = [
      "node",
      "from",
      "to",
      "id",
      "client",
      "key",
      "value",
      "expected",
      "groups",
      "count",
      "kind",
      "on",
      "toggle",
      "read_path",
      "drift_ppm",
      "delay_us",
      "rate_ops_per_s",
    ];
    const randomValue = () => (rand() < 0.5 ? pick(values) : Math.floor(rand() * 12));
    let p = new Playground({ node_count: 5 }, seed);
    let errors = 0;
    for (let i = 0; i < rounds; i++) {
      const action = { type: pick(types) };
      for (let f = 0; f < 3; f++) action[pick(fields)] = randomValue();
      const calls = [
        () => p.apply(action),
        () => p.apply(pick(values)),
        () => p.advance(rand() < 0.8 ? Math.floor(rand() * 50_000) : pick(values)),
        () => p.seek(rand() < 0.8 ? Math.floor(rand() * p.now_us()) : pick(values)),
        () => p.step(),
        () => p.view(),
        () => p.events(),
        () => p.trace(pick(values)),
        () => p.check(),
        () => {
          p = Playground.from_scenario(p.export_scenario("fuzz"));
        },
        () => new Playground(rand() < 0.5 ? { node_count: pick(values) } : pick(values), 1),
      ];
      try {
        pick(calls)();
      } catch (e) {
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `trap at round ${i}: ${e}`);
        assert.ok(e instanceof Error && e.message.length > 0, `odd exception at round ${i}: ${e}`);
        errors += 1;
      }
    }
    assert.ok(errors > 0 && errors < rounds, `errors=${errors}`);
    p.view();
  });
});
