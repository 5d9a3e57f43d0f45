// The cluster drawing's reading of membership (render/cluster/membership.js): which
// configuration is shown, each node's place in it, a learner's catch-up meter.

import assert from "node:assert/strict";
import { test } from "node:test";
import { catchUp, placeOf, shownMembership } from "../src/render/cluster/membership.js";

const cfg = (voters, outgoing = [], learners = [], index = 0) => ({
  voters,
  outgoing,
  learners,
  joint: outgoing.length > 0,
  index,
  committed: false,
});
const node = (id, membership, progress = []) => ({
  id,
  membership,
  progress,
  learner_caught_up_rounds_min: 4,
});

test("the leader's configuration is shown, else the latest among live nodes", () => {
  const old = cfg([1, 2, 3], [], [], 1);
  const next = cfg([1, 2, 3, 4], [1, 2, 3], [], 5);
  const nodes = [node(1, old), node(2, next), node(3, null)];
  assert.equal(shownMembership({ leader: 1, nodes }), old);
  assert.equal(shownMembership({ leader: null, nodes }), next);
  assert.equal(shownMembership({ leader: null, nodes: [node(1, null)] }), null);
});

test("each node's place: both, old or new while joint; learner; outside", () => {
  const joint = cfg([1, 2, 4], [1, 2, 3], [5]);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((id) => placeOf(joint, id)),
    ["both", "both", "old", "new", "learner", "none"],
  );
  const simple = cfg([1, 2, 3], [], [4]);
  assert.deepEqual(
    [1, 4, 5].map((id) => placeOf(simple, id)),
    ["voter", "learner", "none"],
  );
  assert.equal(placeOf(null, 7), "voter", "no configuration known: drawn as before");
});

test("the catch-up meter reads the leader's progress against the caught-up rule", () => {
  const c = cfg([1, 2, 3], [], [4]);
  const p = (rounds) => [{ node: 4, caught_up_rounds: rounds }];
  const view = (rounds) => ({ leader: 1, nodes: [node(1, c, p(rounds)), node(4, c)] });
  assert.deepEqual(catchUp(view(1), 4), { rounds: 1, rounds_min: 4, fill: 0.25 });
  assert.equal(catchUp(view(9), 4)?.fill, 1, "capped when full");
  assert.equal(catchUp({ leader: null, nodes: [node(4, c)] }, 4), null, "no leader tracks it");
});
