// The ladder as a list: linearizable, sequential, causal, sessions, eventual, each with its
// verdict and, when it fails, the checker's sentence; the four session guarantees beside. Pure rendering
// of the report's `ladder` (crates/check/src/ladder.rs).

const RUNG_WORDS = /** @type {Record<string, string>} */ ({
  linearizable:
    "Linearizable (strict): every operation takes effect at one instant between its call and its answer",
  sequential:
    "Sequential: one order for everybody, each client's own order kept, real time ignored",
  causal:
    "Causal: everybody sees causally related writes in causal order; concurrent ones in any order",
  sessions:
    "Session guarantees: each client reads its own writes, never goes back in time, and its writes stay in order",
  eventual: "Eventual: the replicas end up equal",
});

/** @param {HTMLElement} list @param {HTMLElement} sessions @param {any} ladder */
export function drawLadder(list, sessions, ladder) {
  list.replaceChildren(
    ...ladder.rungs.map((/** @type {any} */ r) => {
      const li = document.createElement("li");
      li.dataset.rung = r.name;
      li.dataset.verdict = r.verdict;
      if (ladder.strongest === r.name) li.classList.add("strongest");
      const v = document.createElement("span");
      v.className = `verdict ${r.verdict}`;
      v.textContent = ladder.strongest === r.name ? "strongest" : r.verdict;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = ` ${RUNG_WORDS[r.name] ?? r.name}`;
      li.append(v, name);
      if (r.why) {
        const why = document.createElement("span");
        why.className = "why";
        why.textContent = r.why;
        li.append(why);
      }
      return li;
    }),
  );
  sessions.replaceChildren(
    ...ladder.sessions.map((/** @type {any} */ g) => {
      const li = document.createElement("li");
      li.dataset.guarantee = g.name;
      li.dataset.verdict = g.verdict;
      const v = document.createElement("span");
      v.className = `verdict ${g.verdict}`;
      v.textContent = g.verdict;
      li.append(v, ` ${g.name.replaceAll("_", " ")}`);
      if (g.why) li.title = g.why;
      return li;
    }),
  );
}
