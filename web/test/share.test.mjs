import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeShare,
  encodeShare,
  payloadFromFragment,
  SHARE_T_US_MAX,
  ShareError,
  toFragment,
} from "../src/share.js";

const state = {
  config: { nodes: 5, pre_vote: true, toggles: { no_client_dedup: true } },
  seed: 42,
  actions: [
    { at_us: 120_000, action: { type: "crash", node: 2 } },
    {
      at_us: 300_500,
      action: {
        type: "partition",
        groups: [
          [1, 2],
          [3, 4, 5],
        ],
      },
    },
    { at_us: 400_000, action: { type: "client_op", op: "put", key: "x", value: "é✓" } },
  ],
  t_us: 512_345,
};

test("encode then decode returns the same state", async () => {
  const text = await encodeShare(state);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeShare(text), state);
});

test("a long action log compresses well and round-trips", async () => {
  const big = { ...state, actions: [] };
  for (let i = 0; i < 2000; i++) {
    big.actions.push({ at_us: i * 1000, action: { type: "drop_message", id: i } });
  }
  const text = await encodeShare(big);
  assert.ok(text.length < 20_000, `encoded ${text.length} chars`);
  assert.deepEqual(await decodeShare(text), big);
});

test("fragment round-trip", async () => {
  const frag = await toFragment(state);
  assert.ok(frag.startsWith("#s="));
  assert.deepEqual(await decodeShare(payloadFromFragment(frag) ?? ""), state);
  assert.equal(payloadFromFragment(""), null);
  assert.equal(payloadFromFragment("#other=1"), null);
});

test("encode rejects a malformed state with a ShareError", async () => {
  await assert.rejects(encodeShare({ seed: -1, actions: [] }), ShareError);
  await assert.rejects(encodeShare({ seed: 1, actions: [{ at_us: 1 }] }), ShareError);
  await assert.rejects(encodeShare(/** @type {any} */ (null)), ShareError);
});

async function deflate(text) {
  const cs = new CompressionStream("deflate-raw");
  const out = new Response(new Blob([text]).stream().pipeThrough(cs)).arrayBuffer();
  const b = Buffer.from(await out);
  return b.toString("base64url");
}

test("garbage input always rejects with a ShareError naming the problem", async () => {
  const cases = [
    ["", /empty/],
    ["!!!", /base64url/],
    ["A", /truncated/],
    ["AAAAAAAA", /corrupt/],
    ["aGVsbG8gd29ybGQ", /corrupt/],
    [await deflate("not json"), /not JSON/],
    [await deflate("[1,2]"), /object/],
    [await deflate('{"v":9}'), /version/],
    [await deflate('{"v":1,"seed":"x","actions":[]}'), /seed/],
    [await deflate('{"v":1,"seed":1,"actions":[{"at_us":1,"action":{}}]}'), /actions\[0\]/],
    [await deflate('{"v":1,"seed":1,"actions":[],"t_us":-5}'), /t_us/],
  ];
  for (const [input, message] of cases) {
    await assert.rejects(decodeShare(input), (e) => {
      assert.ok(e instanceof ShareError, `${input}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
  await assert.rejects(decodeShare(/** @type {any} */ (42)), ShareError);
});

test("a decompression bomb is refused", async () => {
  const huge = `{"v":1,"seed":1,"actions":[],"pad":"${"a".repeat(6 * 1024 * 1024)}"}`;
  await assert.rejects(decodeShare(await deflate(huge)), /expands beyond/);
});

test("a time past SHARE_T_US_MAX is refused on encode and decode, naming the maximum", async () => {
  const late = { seed: 1, actions: [], t_us: SHARE_T_US_MAX + 1 };
  await assert.rejects(encodeShare(late), /past the maximum a link may show \(60 min/);
  const act = { seed: 1, actions: [{ at_us: SHARE_T_US_MAX + 1, action: { type: "heal" } }] };
  await assert.rejects(encodeShare(act), ShareError);
  const ok = await encodeShare({ seed: 1, actions: [], t_us: SHARE_T_US_MAX });
  assert.equal((await decodeShare(ok)).t_us, SHARE_T_US_MAX);
});
