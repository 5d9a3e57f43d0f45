// The history playground's own words (www/history.html), in every language of the page.
// They are kept out of the shared string table (web/src/i18n/), which every page loads, so
// that the playground does not carry them; the CAP page borrows the models' names.

/** @type {Record<"en" | "zh", Record<string, string>>} */
export const HISTORY_TEXT = {
  en: {
    hp_page_title: "Raftlab — history playground",
    hp_heading: "Raftlab history playground",
    hp_intro:
      "Each row is a client; each box is one operation, from the moment it was sent to the moment its answer came back. Drag a box (or focus it and press ← →) and watch which consistency model the history still satisfies.",
    hp_history: "History",
    hp_start_from: "Start from",
    hp_client: "Client",
    hp_op: "Op",
    hp_key: "Key",
    hp_value_written: "Value written",
    hp_value_returned: "Value returned",
    hp_add: "Add operation",
    hp_add_help:
      "For a get, the value is what it returned (nil: nothing). Focus a box and press Delete to remove it.",
    hp_models: "Consistency models",
    hp_models_help:
      "From strongest to weakest. Each model allows everything the one above it allows, and more; the first one that holds is the strongest this history satisfies.",
    hp_sessions: "Session guarantees",
    hp_status: "{ops} operations, {clients} clients, {keys} keys; strongest model: {model}",
    hp_none: "none",
    hp_moved_back: "{error} (moved back)",
    hp_ops_max: "The page holds at most {n} operations.",
    hp_strongest: "strongest",
    hp_rung_linearizable:
      "Linearizable (strict): every operation takes effect at one instant between its call and its answer",
    hp_rung_sequential:
      "Sequential: one order for everybody, each client's own order kept, real time ignored",
    hp_rung_causal:
      "Causal: everybody sees causally related writes in causal order; concurrent ones in any order",
    hp_rung_sessions:
      "Session guarantees: each client reads its own writes, never goes back in time, and its writes stay in order",
    hp_rung_eventual: "Eventual: the replicas end up equal",
    hp_model_linearizable: "linearizable",
    hp_model_sequential: "sequential",
    hp_model_causal: "causal",
    hp_model_sessions: "session guarantees",
    hp_model_eventual: "eventual",
    hp_guarantee_read_your_writes: "read your writes",
    hp_guarantee_monotonic_reads: "monotonic reads",
    hp_guarantee_monotonic_writes: "monotonic writes",
    hp_guarantee_writes_follow_reads: "writes follow reads",
    hp_timelines: "client timelines",
    hp_lane: "client {client}",
    hp_op_aria:
      "{label}, client {client}, {from} to {to} ms; arrow keys move it, Delete removes it",
  },
  zh: {
    hp_page_title: "Raftlab — 历史演练场",
    hp_heading: "Raftlab 历史演练场",
    hp_intro:
      "每一行是一个客户端；每个方框是一次操作，从发出请求到收到回答。拖动方框（或选中后按 ← →），看这段历史还满足哪种一致性模型。",
    hp_history: "历史",
    hp_start_from: "从这里开始",
    hp_client: "客户端",
    hp_op: "操作",
    hp_key: "键",
    hp_value_written: "写入的值",
    hp_value_returned: "返回的值",
    hp_add: "添加操作",
    hp_add_help: "对 get 来说，值是它返回的结果（nil：没有值）。选中方框后按 Delete 删除它。",
    hp_models: "一致性模型",
    hp_models_help:
      "从最强到最弱。每个模型允许上一级允许的一切，并且更多；第一个成立的就是这段历史满足的最强模型。",
    hp_sessions: "会话保证",
    hp_status: "{ops} 个操作，{clients} 个客户端，{keys} 个键；最强模型：{model}",
    hp_none: "无",
    hp_moved_back: "{error}（已移回）",
    hp_ops_max: "本页最多容纳 {n} 个操作。",
    hp_strongest: "最强",
    hp_rung_linearizable: "可线性化（严格一致）：每个操作都在调用和回答之间的某一瞬间生效",
    hp_rung_sequential: "顺序一致：所有人看到同一个顺序，保持每个客户端自己的顺序，不管真实时间",
    hp_rung_causal: "因果一致：有因果关系的写，所有人都按因果顺序看到；并发的写可以任意顺序",
    hp_rung_sessions: "会话保证：每个客户端读到自己的写，不会读回过去，自己的写保持顺序",
    hp_rung_eventual: "最终一致：各副本最终相同",
    hp_model_linearizable: "可线性化",
    hp_model_sequential: "顺序一致",
    hp_model_causal: "因果一致",
    hp_model_sessions: "会话保证",
    hp_model_eventual: "最终一致",
    hp_guarantee_read_your_writes: "读自己的写",
    hp_guarantee_monotonic_reads: "单调读",
    hp_guarantee_monotonic_writes: "单调写",
    hp_guarantee_writes_follow_reads: "读后写",
    hp_timelines: "客户端时间线",
    hp_lane: "客户端 {client}",
    hp_op_aria: "{label}，客户端 {client}，{from} 到 {to} 毫秒；方向键移动，Delete 删除",
  },
};
