// A trace line and a log entry's status worded from their cases: holes filled by name in
// order, vocabulary values worded by the tables, English when the data is missing.

import assert from "node:assert/strict";
import { test } from "node:test";
import { t } from "../src/i18n.js";
import { lineText } from "../src/render/line.js";
import { entryWhyText } from "../src/render/logs.js";

const zh = (/** @type {any} */ k, /** @type {any} */ v) => t("zh", k, v);
const en = (/** @type {any} */ k, /** @type {any} */ v) => t("en", k, v);

test("a trace line in Chinese and in English", () => {
  const line = {
    text: "n3 candidate -> leader in t2",
    case: "role_changed",
    params: ["n3", "candidate", "leader", "t2"],
  };
  assert.equal(lineText(line, en), line.text);
  assert.equal(lineText(line, zh), "n3 候选人 -> 领袖（任期 t2）");
  const pre = { ...line, params: ["n3", "follower", "pre-candidate", "t2"] };
  assert.match(lineText(pre, zh), /^n3 \S+ -> \S+（任期 t2）$/);
  assert.doesNotMatch(lineText(pre, zh), /pre|follower/);
  // A line without a case (an older package) keeps its English text.
  assert.equal(lineText({ text: "x", case: null, params: [] }, zh), "x");
});

test("a refused vote's and an ignored message's reason in Chinese", () => {
  const vote = {
    text: "n1 reject vote for n2 in t4: already voted for n3 in t4",
    case: "vote_already_voted",
    params: ["n1", "n2", "t4", "n3", "t4"],
  };
  assert.equal(lineText(vote, en), vote.text);
  assert.equal(lineText(vote, zh), "n1 在 t4 拒绝给 n2 投票：已在 t4 投票给 n3");
  const ignored = {
    text: "n1 ignore message from n4: unexpected by a candidate: vote_response",
    case: "ignored_unexpected_in_role",
    params: ["n1", "n4", "candidate", "vote_response"],
  };
  assert.equal(lineText(ignored, en), ignored.text);
  assert.equal(lineText(ignored, zh), "n1 忽略来自 n4 的消息：候选人不应收到：vote_response");
});

test("a log entry's status in Chinese, with its {on} hole", () => {
  const s = /** @type {any} */ ({
    why: "not committed: on 2 of 5 nodes; needs 3",
    case: "needs_replicas",
    on: "simple",
    params: { node: "n2", replicas: "2", count: "5", quorum: "3" },
  });
  assert.equal(entryWhyText(s, en), s.why);
  assert.equal(entryWhyText(s, zh), "未提交：5 个节点中有 2 个持有；需要 3 个");
  assert.equal(entryWhyText({ ...s, case: undefined }, zh), s.why);
});
