// The playground's stylesheet, adopted once into every shadow root. Colours are CSS custom
// properties; a page themes an embed by setting --rl-* on the element (they inherit into the
// shadow tree), e.g. `raft-playground { --rl-accent: #c026d3 }`.

export const STYLE = `
:host { display: block; }
.failed { padding: 12px; color: #b42318; font: 14px system-ui, sans-serif; }
.rl {
  --bg: var(--rl-bg, #ffffff); --fg: var(--rl-fg, #1b1f24); --muted: var(--rl-muted, #5b6470);
  --panel: var(--rl-panel, #f5f6f8); --line: var(--rl-line, #d5dae1); --accent: var(--rl-accent, #2160d8);
  --bad: var(--rl-bad, #d0312d); --ok: var(--rl-ok, #1f9d55); --warn: #d97706;
  --follower: #b9c9dc; --pre: #f5dc9a; --cand: #f2a65a; --leader: #48c07a; --crashed: #c4c7cc;
  --m-vote: #d79b00; --m-pre: #b5a23c; --m-append: #2a66d9; --m-hb: #7b8ca0; --m-tn: #d6336c; --m-snap: #7048e8; --m-client: #14946b;
  --part0: #3b82f6; --part1: #f97316; --part2: #a855f7; --part3: #10b981;
  --c-applied: #17683a; --c-committed: #7fd3a0; --c-conflict: #c0262d;
  /* Contrast on --bg: text >= 4.5:1, graphics >= 3:1 (links, pre-vote messages). */
  --ok-text: #17683a; --warn-text: #9a4b00; --link: #7a8594; --m-pre: #8a7a1c;
  color-scheme: light;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); container-type: inline-size;
  display: flex; flex-direction: column; gap: 8px; padding: 8px; box-sizing: border-box; min-height: 100%;
}
.rl.t-dark {
  --bg: var(--rl-bg-dark, #14171c); --fg: var(--rl-fg-dark, #e4e8ee); --muted: #9aa4b1;
  --panel: var(--rl-panel-dark, #1c2027); --line: #343b46; --accent: var(--rl-accent-dark, #6ea8fe);
  --bad: #ff6b66; --ok: #4ade80; --follower: #4b5d75; --pre: #8a7634; --cand: #b86a2a; --leader: #23834b;
  --crashed: #3a3f47; --m-vote: #f0b429; --m-pre: #cdbb5a; --m-append: #5b93ff; --m-hb: #8a9bb0;
  --m-tn: #ff6b9a; --m-snap: #b197fc; --m-client: #3ccf9c; color-scheme: dark;
  --c-applied: #17683a; --c-committed: #9be2b6; --c-conflict: #ff6b66;
  --ok-text: #4ade80; --warn-text: #f0a53a; --link: #6b7788; --m-pre: #cdbb5a;
}
@media (prefers-color-scheme: dark) {
  .rl.t-auto {
    --bg: var(--rl-bg-dark, #14171c); --fg: var(--rl-fg-dark, #e4e8ee); --muted: #9aa4b1;
    --panel: var(--rl-panel-dark, #1c2027); --line: #343b46; --accent: var(--rl-accent-dark, #6ea8fe);
    --bad: #ff6b66; --ok: #4ade80; --follower: #4b5d75; --pre: #8a7634; --cand: #b86a2a; --leader: #23834b;
    --crashed: #3a3f47; --m-vote: #f0b429; --m-pre: #cdbb5a; --m-append: #5b93ff; --m-hb: #8a9bb0;
    --m-tn: #ff6b9a; --m-snap: #b197fc; --m-client: #3ccf9c; color-scheme: dark;
    --c-applied: #17683a; --c-committed: #9be2b6; --c-conflict: #ff6b66;
  --ok-text: #4ade80; --warn-text: #f0a53a; --link: #6b7788; --m-pre: #cdbb5a;
  }
}
* { box-sizing: border-box; }
button, select, input { font: inherit; color: inherit; }
button, .filebtn {
  background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px;
  cursor: pointer; min-height: 32px; white-space: nowrap;
}
button:hover, .filebtn:hover { border-color: var(--accent); }
button.on { background: var(--accent); color: var(--bg); border-color: var(--accent); }
button.x { min-height: 0; padding: 0 6px; border: none; background: none; }
input, select { background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 3px 6px; min-height: 30px; }
input[type=range] { padding: 0; accent-color: var(--accent); }
input[type=checkbox] { min-height: 0; accent-color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.hidden { display: none; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.speedbox { display: inline-flex; align-items: center; gap: 4px; }
.speedbox input { width: 110px; }
.speed { min-width: 3.5em; font-variant-numeric: tabular-nums; }
.slow { color: var(--warn-text); font-size: 12px; font-variant-numeric: tabular-nums; }
.timeline { flex: 1 1 220px; display: flex; align-items: center; gap: 8px; min-width: 200px; }
.ttrack { position: relative; flex: 1; height: 36px; }
.ttrack input { position: absolute; left: 0; top: 10px; width: 100%; height: 26px; margin: 0; background: transparent; }
.tmarks { position: absolute; left: 8px; top: 0; width: calc(100% - 16px); height: 12px; }
.tm { stroke-width: 2; vector-effect: non-scaling-stroke; }
.tm-election { stroke: var(--ok); } .tm-fault { stroke: var(--warn); }
.tm-violation { stroke: var(--bad); stroke-width: 3; } .tm-client_error { stroke: var(--m-tn); }
.tm-action { stroke: var(--muted); stroke-dasharray: 2 2; }
.tnow { min-width: 6.5em; text-align: right; font-variant-numeric: tabular-nums; }
.main { display: grid; grid-template-columns: 1fr; gap: 8px; }
@container (min-width: 880px) { .main { grid-template-columns: minmax(0, 11fr) minmax(0, 10fr); } }
.col { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.pane { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 8px; min-width: 0; }
details.pane > summary { cursor: pointer; font-weight: 600; padding: 2px 0; }
.cpane { position: relative; padding: 4px; }
.c-none .cpane, .c-minimal .cpane { background: none; border: none; }
/* Embeds fill the element when it has a height (e.g. an iframe page), else size naturally. */
.c-none, .c-minimal { height: 100%; }
.c-none .cpane, .c-minimal .cpane { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.c-none svg.cluster, .c-minimal svg.cluster { flex: 1 1 auto; min-height: 120px; }
.tools { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; padding: 2px; }
.seed { margin-left: auto; color: var(--muted); font-size: 12px; }
.msgs { pointer-events: none; overflow: visible; }
svg.cluster { display: block; width: 100%; height: var(--rl-height, auto); max-height: 80vh; user-select: none; }
.c-full svg.cluster { height: auto; }
.part { --pc: var(--part0); } .part.p1 { --pc: var(--part1); }
.part.p2 { --pc: var(--part2); } .part.p3 { --pc: var(--part3); }
.part .hull { fill: var(--pc); stroke: var(--pc); opacity: .13; stroke-linejoin: round; stroke-linecap: round; }
.part .halo { fill: var(--pc); opacity: .38; }
.link .base { stroke: var(--link); stroke-width: 1.5; }
.link .lane { stroke: transparent; stroke-width: 2; }
.link .lane.cut { stroke: var(--bad); stroke-dasharray: 5 4; }
.link .lane.degraded { stroke: var(--warn); stroke-dasharray: 2 3; }
.link.has-cut .base { stroke-opacity: .25; }
.link.cut-both .base { stroke: var(--bad); stroke-opacity: .3; stroke-dasharray: 5 4; }
.link .hit { stroke: transparent; stroke-width: 14; cursor: pointer; }
.link:hover .base, .link:focus-visible .base { stroke: var(--accent); }
.node { cursor: pointer; }
.node .body { fill: var(--follower); stroke: var(--fg); stroke-opacity: .25; stroke-width: 1.5; }
.node.r-pre_candidate .body { fill: var(--pre); }
.node.r-candidate .body { fill: var(--cand); }
.node.r-leader .body { fill: var(--leader); stroke-opacity: .6; stroke-width: 2.5; }
.node.s-crashed .body { fill: var(--crashed); stroke-dasharray: 4 3; }
.node.s-crashed .nid, .node.s-crashed .role { fill: var(--muted); }
.node.s-paused .body { fill-opacity: .45; stroke-dasharray: 2 2; }
.node .timer { fill: none; stroke: var(--fg); stroke-opacity: .55; stroke-width: 3; transform: rotate(-90deg); }
.node .lease { fill: none; stroke: var(--leader); stroke-width: 3; stroke-dasharray: 2 3; opacity: 0; }
.node .lease.on { opacity: 1; }
/* Membership: C_new a solid ring, C_old a dashed one (joint consensus); a learner's body is
   dashed with a catch-up meter; a node outside the configuration is faded. */
.node .cfg-new, .node .cfg-old { fill: none; stroke-width: 2.5; opacity: 0; }
.node .cfg-new { stroke: var(--part0); }
.node .cfg-old { stroke: var(--part1); stroke-dasharray: 5 3; }
.node .cfg-new.on, .node .cfg-old.on { opacity: 1; }
.node.m-learner .body { fill-opacity: .55; stroke-dasharray: 5 3; stroke-opacity: .8; stroke-width: 2; }
.node.m-none { opacity: .5; }
.node.m-none .body { fill: var(--crashed); stroke-dasharray: 2 3; }
.node .meter { display: none; }
.node .meter.on { display: inline; }
.node .meter .track { fill: var(--bg); stroke: var(--fg); stroke-opacity: .5; stroke-width: 1; }
.node .meter .fill { fill: var(--m-append); }
.node .meter.full .fill { fill: var(--ok); }
.config text { font-size: 11px; fill: var(--fg); paint-order: stroke; stroke: var(--panel); stroke-width: 3px; }
.config .sample { stroke-width: 2.5; stroke: none; }
.config .sample.new { stroke: var(--part0); }
.config .sample.old { stroke: var(--part1); stroke-dasharray: 5 3; }
.node text { fill: var(--fg); text-anchor: middle; }
.node .nid { font-size: 20px; font-weight: 700; }
.node .role { font-size: 10px; }
.node .info, .node .info2 { font-size: 12px; }
.node .info2 { fill: var(--muted); }
/* A halo in the background colour keeps labels readable over links and messages. */
.node .info, .node .info2 { paint-order: stroke; stroke: var(--panel); stroke-width: 4px; stroke-linejoin: round; }
.c-none .node .info, .c-none .node .info2, .c-minimal .node .info, .c-minimal .node .info2 { stroke: var(--bg); }
/* Before evidence: a violation's mark wins over the hovered operation's node. */
.node.served .body { stroke: var(--accent); stroke-width: 5; stroke-opacity: 1; stroke-dasharray: 5 3; }
/* A lying node (set_byzantine): a warning-coloured dash-dot ring that stays under evidence. */
.node.liar .body { stroke: var(--warn); stroke-width: 5; stroke-opacity: 1; stroke-dasharray: 9 3 2 3; }
.node.evidence .body { stroke: var(--bad); stroke-width: 5; stroke-opacity: 1; }
.node.selected .body { stroke: var(--part0); stroke-width: 5; stroke-opacity: 1; }
.node:focus, .link:focus { outline: none; }
.node:focus-visible .body { stroke: var(--accent); stroke-width: 4; stroke-opacity: 1; }
.client rect { fill: var(--panel); stroke: var(--m-client); stroke-width: 1.5; }
.client.busy rect { fill: var(--m-client); fill-opacity: .25; }
.client text { font-size: 11px; text-anchor: middle; dominant-baseline: central; fill: var(--fg); }
.pop {
  position: absolute; z-index: 5; background: var(--bg); border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 6px 24px rgb(0 0 0 / .22); padding: 8px; display: flex; flex-direction: column; gap: 6px;
}
.pop[hidden] { display: none; }
.scenpick:not([hidden]) { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.scenpick select { flex: 1 1 12em; min-width: 0; font: inherit; }
.scennote { border-left: 4px solid var(--accent); }
.scennote p { margin: 2px 0 4px; line-height: 1.4; }
.pop.list { max-height: 320px; overflow-y: auto; }
.pop.list > button { text-align: left; white-space: normal; font: 12px/1.3 ui-monospace, Menlo, monospace; min-height: 28px; }
.pop-head { display: flex; justify-content: space-between; align-items: center; gap: 6px; }
.pop-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pop-row input[type=number] { width: 6em; }
.pop p { margin: 0; }
button:disabled { opacity: .5; cursor: not-allowed; border-style: dashed; }
.pop .why { white-space: pre-line; }
.pop .mem-why:empty, .pop .why:empty { display: none; }
.pop .mem-why { color: var(--bad); font-size: 13px; }
.mem-grid { display: grid; grid-template-columns: repeat(2, 1fr); gap: 4px 8px; }
.mem-grid label { display: flex; align-items: center; justify-content: space-between; gap: 4px; font-size: 13px; }
.summary { font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.muted, .kv { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.status {
  position: sticky; bottom: 0; z-index: 5; margin: 0; min-height: 1.4em; padding: 4px 8px;
  font-size: 13px; color: var(--fg); background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; box-shadow: 0 -2px 6px rgb(0 0 0 / 0.12);
}
.status[data-empty] { visibility: hidden; }
.notice {
  position: absolute; left: 50%; top: 30%; transform: translateX(-50%); z-index: 6;
  width: min(420px, calc(100% - 16px)); padding: 10px 12px; background: var(--bg);
  border: 2px solid var(--accent); border-radius: 8px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
}
.notice[hidden] { display: none; }
.notice-text { margin: 0 0 6px; }
.notice progress { width: 100%; }
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
.status.err { border-color: var(--bad); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; margin: 0; }
.hint-row { flex-basis: 100%; }
.hint[hidden] { display: none; }
.hint { display: block; font-size: 13px; padding: 4px 8px; border-left: 3px solid var(--accent); background: var(--panel); }
.logs { overflow-x: auto; contain: content; } /* its repaints stay inside it */
.lgrid { display: grid; gap: 2px; font-size: 11px; font-variant-numeric: tabular-nums; }
.lhead { color: var(--muted); text-align: center; }
.lhead.corner { text-align: left; }
.lrow { display: contents; }
.llabel { white-space: nowrap; padding-right: 4px; display: flex; flex-direction: column; line-height: 11px; justify-content: center; }
.llabel .lname { font-weight: 600; }
.llabel .lidx { color: var(--muted); font-size: 10px; }
.llabel.evidence .lname { color: var(--bad); }
/* One legend: the fill says the state, the number is the term. */
.cell { height: 24px; border-radius: 3px; text-align: center; line-height: 22px; border: 1px solid transparent; cursor: pointer; font-weight: 600; }
.cell.empty { background: none; border: 1px dashed var(--line); cursor: default; }
.cell.applied { background: var(--c-applied); color: #fff; }
.cell.committed { background: var(--c-committed); color: #0b2a17; }
.cell.uncommitted { background: var(--bg); border: 1px dashed var(--fg); color: var(--fg); }
.cell.conflict {
  background: repeating-linear-gradient(135deg, var(--bg) 0 4px, var(--c-conflict) 4px 7px);
  border: 2px solid var(--c-conflict); line-height: 20px; color: var(--fg);
}
.cell.compacted {
  background: repeating-linear-gradient(90deg, var(--c-applied) 0 2px, transparent 2px 5px);
  color: var(--fg); cursor: default; opacity: 0.7;
}
.cell.commit-edge { box-shadow: 3px 0 0 var(--fg); }
.cell.evidence { outline: 3px solid var(--bad); outline-offset: -1px; }
.cell.sw { display: inline-block; width: 14px; height: 12px; vertical-align: middle; cursor: default; }
.expects { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
/* Lessons: the player, its exercise, and what a step points at (a ring in the accent colour). */
.lesson:not([hidden]) { border-left: 4px solid var(--accent); display: flex; flex-direction: column; gap: 6px; }
.lesson select { flex: 1 1 10em; min-width: 0; }
.lcard:not([hidden]) { display: flex; flex-direction: column; gap: 6px; }
.ltitle { font-size: 16px; margin: 0; }
.ltext { line-height: 1.5; }
.ltext p { margin: 0 0 6px; }
.ltext code { font-size: 12.5px; background: var(--panel); padding: 0 3px; border-radius: 3px; }
.lnav { justify-content: space-between; }
.lcount { color: var(--muted); font-variant-numeric: tabular-nums; }
.exercise { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; background: var(--panel); }
.exhead { font-weight: 600; font-size: 13px; margin-top: 4px; }
.exercise .expects .ex-not-yet { color: var(--muted); }
.exsuccess { margin: 6px 0; padding: 6px 8px; border-radius: 5px; background: var(--ok); color: #04210f; font-weight: 600; }
.exreasons { margin: 6px 0; font-size: 13px; color: var(--bad); }
.hints { margin: 4px 0; padding-left: 20px; font-size: 13px; }
.node.spot .body { stroke: var(--accent); stroke-width: 5; stroke-opacity: 1; }
.cell.spot { outline: 3px solid var(--accent); outline-offset: -1px; }
.mon.spot { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
.expects .ex-met { color: var(--ok-text); } .expects .ex-failed { color: var(--bad); font-weight: 600; }
.why-entry { margin: 4px 0 0; font-size: 13px; padding: 4px 8px; border-left: 3px solid var(--accent); background: var(--panel); }
.why-entry[hidden] { display: none; }
.legend { margin: 4px 0 0; font-size: 12px; color: var(--muted); }
.monitors { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.mon { display: grid; grid-template-columns: 14px 12.5em 1fr auto; gap: 6px; align-items: center; }
.mon .dot { width: 12px; height: 12px; border-radius: 50%; background: var(--ok); }
.mon.bad .dot { background: var(--bad); box-shadow: 0 0 0 3px rgb(208 49 45 / .25); }
.mon .mdesc { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.mon.bad .mdesc { color: var(--bad); }
.mon-go { min-height: 26px; padding: 1px 8px; font-size: 12px; }
.form-row { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; margin: 4px 0; }
.form-row label { color: var(--muted); font-size: 12px; }
.form-row .pair { display: inline-flex; align-items: center; gap: 4px; }
.form-row input[type=range] { width: 120px; }
.verdict { margin: 6px 0; font-size: 13px; }
.verdict.v-stale { border-left: 3px solid var(--warn); padding-left: 6px; }
.verdict.v-ok { color: var(--ok-text); } .verdict.v-bad { color: var(--bad); font-weight: 600; }
.why { font-size: 12px; margin: 0 0 6px; } .why > summary { cursor: pointer; color: var(--muted); }
.why-text { white-space: pre-wrap; margin: 4px 0 0; max-height: 12em; overflow-y: auto; overflow-wrap: anywhere; }
.hchart { display: block; width: 100%; }
.lane line { stroke: var(--line); }
.lane text, .axis { font-size: 11px; fill: var(--muted); }
.axis { text-anchor: end; }
.op { cursor: pointer; }
.op rect { fill: var(--ok); fill-opacity: .75; }
.op.o-failed rect { fill: var(--muted); fill-opacity: .5; }
.op.o-unknown rect { fill: var(--warn); fill-opacity: .45; stroke: var(--warn); stroke-dasharray: 3 2; }
.op text { font-size: 11px; fill: var(--fg); pointer-events: none; }
.op.bad rect { stroke: var(--bad); stroke-width: 3; fill-opacity: .9; }
.op.retried rect { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 3; }
.op text.srv { font-weight: 600; }
.op:focus-visible rect { stroke: var(--accent); stroke-width: 3; }
.hmark line, .hlegend line { stroke-width: 2; }
.hm-fault { stroke: var(--bad); stroke-dasharray: 4 3; }
.hm-election { stroke: var(--accent); }
.hmark { pointer-events: stroke; }
.hl-text { font-size: 11px; fill: var(--muted); }
.order { fill: none; stroke: var(--accent); stroke-width: 2; stroke-dasharray: 4 3; }
.spacetime { position: relative; }
.spacetime canvas { display: block; width: 100%; }
.st-ticks span { position: absolute; left: 0; width: 48px; white-space: nowrap; text-align: right; font-size: 10px; line-height: 12px; color: var(--muted); margin-top: 0; }
.st-ticks { position: absolute; left: 0; top: 0; }
.st-sw { display: inline-block; width: 14px; height: 4px; vertical-align: middle; border-radius: 2px; }
.spacetime canvas { cursor: crosshair; }
.st-labels span { position: absolute; top: 0; transform: translateX(-50%); font-size: 11px; line-height: 14px; color: var(--muted); }
.settings { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 8px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; display: flex; flex-direction: column; gap: 4px; margin: 0; }
fieldset label { display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 13px; }
fieldset label input[type=number] { width: 7em; }
fieldset label.check { justify-content: flex-start; }
.filebtn { display: inline-flex; align-items: center; }
.filebtn input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.filebtn:focus-within { outline: 2px solid var(--accent); }
input.link { width: 100%; margin-top: 6px; font-size: 12px; }
@container (max-width: 520px) {
  .node .nid { font-size: 28px; } .node .role { font-size: 14px; }
  .node .info { font-size: 19px; } .node .info2 { display: none; }
  .client text { font-size: 15px; }
  .bar { gap: 6px; }
  .speedbox input { width: 80px; }
  .timeline { flex-basis: 100%; }
  .mon { grid-template-columns: 14px 1fr auto; }
  .mon .mdesc { grid-column: 2 / 4; }
}
`;

let sheet = /** @type {CSSStyleSheet | null} */ (null);
/** One constructed stylesheet shared by every instance on the page. */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}
