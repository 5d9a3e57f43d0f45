// The ladder as a list: linearizable, sequential, causal, sessions, eventual, each with its
// verdict and, when it fails, the checker's sentence (English: it is made in Rust); the four
// session guarantees beside. Pure rendering of the report's `ladder` (crates/check/src/ladder.rs)
// in the page's words (`tr`).

/**
 * @param {HTMLElement} list @param {HTMLElement} sessions @param {any} ladder
 * @param {(key: any, vars?: Record<string, string | number>) => string} tr
 */
export function drawLadder(list, sessions, ladder, tr) {
  list.replaceChildren(
    ...ladder.rungs.map((/** @type {any} */ r) => {
      const li = document.createElement("li");
      li.dataset.rung = r.name;
      li.dataset.verdict = r.verdict;
      if (ladder.strongest === r.name) li.classList.add("strongest");
      const v = document.createElement("span");
      v.className = `verdict ${r.verdict}`;
      v.textContent =
        ladder.strongest === r.name ? tr("hp_strongest") : tr(`hist_verdict_${r.verdict}`);
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = ` ${tr(`hp_rung_${r.name}`)}`;
      li.append(v, name);
      if (r.why) {
        const why = document.createElement("span");
        why.className = "why";
        why.textContent = r.why;
        why.lang = "en";
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
      v.textContent = tr(`hist_verdict_${g.verdict}`);
      li.append(v, ` ${tr(`hp_guarantee_${g.name}`)}`);
      if (g.why) li.title = g.why;
      return li;
    }),
  );
}
