// Settings: the next world's config (New world), the live network and read path, and the
// teaching toggles. Live settings are actions; the form only forwards them.

import { h } from "../../render/dom.js";
import { RAFT_TOGGLES, READ_PATHS } from "../../vocab.js";
import { btn } from "./popover.js";

/** @param {import("../context.js").Ctx} ctx */
export function createSettings(ctx) {
  const { id, tr, labels } = ctx;
  /** @typedef {import("../../i18n.js").StringKey} StringKey */
  /** @param {StringKey} label @param {string} key @param {Record<string, string | number>} at */
  const field = (label, key, at) => {
    const input = /** @type {HTMLInputElement} */ (
      h("input", { id: `${id}-${key}`, name: key, ...at })
    );
    const words = labels.bind(h("span", {}), label);
    return { input, row: h("label", { for: `${id}-${key}` }, words, input) };
  };
  const fNodes = field("set_nodes", "nodes", { type: "number", min: 1, max: 9 });
  const fEmin = field("set_emin", "emin", { type: "number", min: 1 });
  const fEmax = field("set_emax", "emax", { type: "number", min: 1 });
  const fHb = field("set_heartbeat", "hb", { type: "number", min: 1 });
  const fClients = field("set_clients", "clients", { type: "number", min: 0, max: 64 });
  const fPre = field("set_prevote", "prevote", { type: "checkbox" });
  const fCq = field("set_checkquorum", "cq", { type: "checkbox" });
  const fSeed = field("set_seed", "seed", { type: "number", min: 0, step: 1 });
  const fLmin = field("set_lmin", "lmin", { type: "number", min: 0, step: "any" });
  const fLmax = field("set_lmax", "lmax", { type: "number", min: 0, step: "any" });
  const fLoss = field("set_loss", "loss", { type: "number", min: 0, max: 100, step: "any" });
  const fDup = field("set_dup", "dup", { type: "number", min: 0, max: 100, step: "any" });
  const fRead = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-read` },
      ...READ_PATHS.map(({ name }) =>
        labels.bind(h("option", { value: name }), /** @type {StringKey} */ (`read_${name}`)),
      ),
    )
  );
  fRead.addEventListener("change", () => {
    const read_path = /** @type {import("../../types.d.ts").ReadPath} */ (fRead.value);
    if (ctx.apply({ type: "set_read_path", read_path })) ctx.config.read_path = read_path;
    else fRead.value = ctx.ui.worldConfig?.read_path ?? "log";
  });
  const toggleInputs = RAFT_TOGGLES.map(({ name }) => {
    const key = /** @type {StringKey} */ (`toggle_${name}`);
    const input = /** @type {HTMLInputElement} */ (
      h("input", { type: "checkbox", id: `${id}-t-${name}` })
    );
    input.addEventListener("change", () => {
      if (ctx.apply({ type: "set_toggle", toggle: name, on: input.checked })) {
        ctx.config.toggles = { ...(ctx.config.toggles ?? {}), [name]: input.checked };
        ctx.say(tr(input.checked ? "set_toggle_on" : "set_toggle_off", { toggle: tr(key) }));
      } else input.checked = !input.checked;
    });
    return {
      name,
      input,
      row: h(
        "label",
        { for: `${id}-t-${name}`, class: "check" },
        input,
        labels.bind(h("span", {}), key),
      ),
    };
  });
  // Client de-duplication is a state-machine setting (kv_dedup / set_dedup), shown with the
  // toggles as "rule switched off" like the others.
  const fNoDedup = /** @type {HTMLInputElement} */ (
    h("input", { type: "checkbox", id: `${id}-t-nodedup` })
  );
  fNoDedup.addEventListener("change", () => {
    if (ctx.apply({ type: "set_dedup", on: !fNoDedup.checked }))
      ctx.config.kv_dedup = !fNoDedup.checked;
    else fNoDedup.checked = !fNoDedup.checked;
  });
  const noDedupRow = h(
    "label",
    { for: fNoDedup.id, class: "check" },
    fNoDedup,
    labels.bind(h("span", {}), "set_nodedup"),
  );
  const netForm = () => ({
    latency_us_min: Math.round(Number(fLmin.input.value) * 1000),
    latency_us_max: Math.round(Number(fLmax.input.value) * 1000),
    loss_ppm: Math.round(Number(fLoss.input.value) * 10_000),
    duplicate_ppm: Math.round(Number(fDup.input.value) * 10_000),
  });
  const netBtn = btn("", () => {
    const net = netForm();
    if (ctx.apply({ type: "set_link", ...net }))
      ctx.config.network = { ...(ctx.config.network ?? {}), ...net };
  });
  const newWorldBtn = btn("", () => {
    /** @type {import("../../types.d.ts").ConfigInput} */
    const next = {
      ...ctx.config,
      node_count: Number(fNodes.input.value),
      election_timeout_us_min: Math.round(Number(fEmin.input.value) * 1000),
      election_timeout_us_max: Math.round(Number(fEmax.input.value) * 1000),
      heartbeat_interval_us: Math.round(Number(fHb.input.value) * 1000),
      pre_vote: fPre.input.checked,
      check_quorum: fCq.input.checked,
      read_path: /** @type {import("../../types.d.ts").ReadPath} */ (fRead.value),
      network: { ...(ctx.config.network ?? {}), ...netForm() },
      clients: { ...(ctx.config.clients ?? {}), count: Number(fClients.input.value) },
      toggles: Object.fromEntries(toggleInputs.map((t) => [t.name, t.input.checked])),
      kv_dedup: !fNoDedup.checked,
    };
    const s = fSeed.input.value === "" ? undefined : Number(fSeed.input.value);
    ctx.newWorld(next, s).catch(ctx.fail);
  });
  const randomSeedBtn = btn("", () => {
    fSeed.input.value = String(Math.floor(Math.random() * 2 ** 32));
  });
  labels.bind(netBtn, "set_apply_links");
  labels.bind(newWorldBtn, "set_new_world_btn");
  labels.bind(randomSeedBtn, "set_random_seed");
  const legend = (/** @type {StringKey} */ key) => labels.bind(h("legend", {}), key);
  const el = h(
    "div",
    { class: "settings" },
    h(
      "fieldset",
      {},
      legend("set_new_world"),
      fNodes.row,
      fEmin.row,
      fEmax.row,
      fHb.row,
      fClients.row,
      fPre.row,
      fCq.row,
      fSeed.row,
      h("div", { class: "pop-row" }, randomSeedBtn, newWorldBtn),
    ),
    h(
      "fieldset",
      {},
      legend("set_network"),
      fLmin.row,
      fLmax.row,
      fLoss.row,
      fDup.row,
      netBtn,
      h("label", { for: fRead.id }, labels.bind(h("span", {}), "set_read_path"), fRead),
    ),
    h("fieldset", {}, legend("set_toggles"), ...toggleInputs.map((t) => t.row), noDedupRow),
  );

  return {
    el,
    /** Fills the form from the world's config. @param {import("../../types.d.ts").SimConfig} c @param {number} seed */
    fill(c, seed) {
      fNodes.input.value = String(c.node_count);
      fEmin.input.value = String(c.election_timeout_us_min / 1000);
      fEmax.input.value = String(c.election_timeout_us_max / 1000);
      fHb.input.value = String(c.heartbeat_interval_us / 1000);
      fClients.input.value = String(c.clients.count);
      fPre.input.checked = c.pre_vote;
      fCq.input.checked = c.check_quorum;
      fLmin.input.value = String(c.network.latency_us_min / 1000);
      fLmax.input.value = String(c.network.latency_us_max / 1000);
      fLoss.input.value = String(c.network.loss_ppm / 10_000);
      fDup.input.value = String(c.network.duplicate_ppm / 10_000);
      fRead.value = c.read_path;
      for (const t of toggleInputs) t.input.checked = c.toggles[t.name];
      fNoDedup.checked = !c.kv_dedup;
      fSeed.input.value = String(seed);
    },
    /** @param {import("../../types.d.ts").WorldView} _view */
    sync(_view) {},
  };
}
