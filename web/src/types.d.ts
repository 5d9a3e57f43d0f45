// The data that crosses the Wasm boundary: views of the simulated world, events, actions and
// verdicts. The Rust binding crate (crates/wasm) produces exactly these shapes; renderers are
// pure functions of them. All numbers are integers below 2^53; times are virtual
// microseconds since the start of the run (`_us`). Ids of nodes and clients start at 1.

/** A server's role. */
export type Role = "follower" | "pre_candidate" | "candidate" | "leader";

/** Message kinds, for styling. `client_*` travel between clients and servers. */
export type MessageKind =
  | "vote"
  | "vote_response"
  | "pre_vote"
  | "pre_vote_response"
  | "append"
  | "append_response"
  | "heartbeat"
  | "heartbeat_response"
  | "timeout_now"
  | "client_request"
  | "client_response";

/** How clients read: through the log, ReadIndex, a leader lease, or any replica (stale). */
export type ReadPath = "log" | "read_index" | "lease" | "stale";

/** One log entry as drawn in the logs grid. */
export interface EntryView {
  term: number;
  index: number;
  /** Short text: `noop`, `put x=1`, `append x+=ab`, `cas x 1->2`, `get x`. */
  text: string;
  /** Client and sequence number of a command entry (absent for noop). */
  client?: number;
  seq?: number;
}

/** The leader's replication state for one follower. */
export interface ProgressView {
  node: number;
  match_index: number;
  next_index: number;
  state: "probe" | "replicate";
  inflight_msgs: number;
  recent_active: boolean;
}

/** One server. */
export interface NodeView {
  id: number;
  status: "up" | "crashed" | "paused";
  role: Role;
  term: number;
  vote: number | null;
  leader: number | null;
  log: EntryView[];
  commit: number;
  applied: number;
  /** Global virtual time when the election timer fires, and when it was last reset (for the draining arc). */
  election_deadline_us: number | null;
  election_reset_us: number | null;
  heartbeat_deadline_us: number | null;
  /** Global virtual time the leader lease ends (lease read path), if leading with a lease. */
  lease_until_us: number | null;
  progress: ProgressView[];
  /** Votes received in the current (pre-)election: [voter, granted]. */
  votes: [number, boolean][];
  /** Clock drift rate, parts per million (positive: the node's clock runs fast). */
  drift_ppm: number;
  /** The node's replicated key-value state (its applied state machine). */
  kv: Record<string, string>;
}

/** A message in flight. */
export interface MessageView {
  /** Stable id, used to drop / delay / duplicate / hold / release it. */
  id: number;
  /** Sender and receiver: node ids, or for client messages a client is `-client_id`. */
  from: number;
  to: number;
  kind: MessageKind;
  /** One line, e.g. `2->5 AppendEntries t3 prev=3/7 [3/8,3/9] commit=7`. */
  summary: string;
  sent_at_us: number;
  deliver_at_us: number;
  /** Held by the user: it will not be delivered until released. */
  held: boolean;
}

/** A directed link's state, listed only when it differs from the network defaults. */
export interface LinkView {
  from: number;
  to: number;
  up: boolean;
  latency_us_min: number;
  latency_us_max: number;
  loss_ppm: number;
  duplicate_ppm: number;
}

/** A client and its outstanding operation. */
export interface ClientView {
  id: number;
  pending: {
    op_id: number;
    /** e.g. `put x=1`. */
    text: string;
    invoke_us: number;
    attempts: number;
    /** The node the latest attempt went to. */
    target: number;
  } | null;
}

/** The Raft safety properties watched after every event. */
export type MonitorName =
  | "election_safety"
  | "leader_append_only"
  | "log_matching"
  | "leader_completeness"
  | "state_machine_safety"
  | "committed_entry_lost";

/** A monitor's state; `violation` is set once, at the first violation. */
export interface MonitorView {
  name: MonitorName;
  ok: boolean;
  violation: {
    at_us: number;
    description: string;
    nodes: number[];
    terms: number[];
    indexes: number[];
  } | null;
}

/** The whole world, fetched once per animation frame. */
export interface WorldView {
  now_us: number;
  /** The run's seed (below 2^53). */
  seed: number;
  nodes: NodeView[];
  messages: MessageView[];
  links: LinkView[];
  /** Current partition groups when the network is partitioned, else null. */
  partitions: number[][] | null;
  clients: ClientView[];
  monitors: MonitorView[];
  /** 16 hex digits: a stable hash of the whole trace so far. */
  trace_hash: string;
}

/** A trace event since the last `events()` call, for animation and the timeline markers. */
export interface TraceEvent {
  at_us: number;
  /** The node it happened on, if any. */
  node: number | null;
  /** Category for styling and timeline markers. */
  kind:
    | "send"
    | "deliver"
    | "drop"
    | "timer"
    | "role"
    | "persist"
    | "commit"
    | "apply"
    | "client"
    | "fault"
    | "action"
    | "violation";
  /** The compact one-line text form. */
  text: string;
  /** For send/deliver/drop: the message id. */
  message?: number;
}

/** A user action on the world. Every applied action is logged with its time (for share links,
 * export and seek). Bad input throws an Error naming the field; the world is then unchanged. */
export type Action =
  | { type: "crash"; node: number }
  | { type: "restart"; node: number }
  | { type: "pause"; node: number }
  | { type: "resume"; node: number }
  | { type: "force_timeout"; node: number }
  | { type: "transfer_leadership"; to: number }
  | { type: "set_drift"; node: number; drift_ppm: number }
  | { type: "partition"; groups: number[][] }
  | { type: "isolate"; node: number }
  | { type: "heal" }
  | { type: "cut_link"; from: number; to: number; both: boolean }
  | { type: "restore_link"; from: number; to: number; both: boolean }
  | { type: "drop_message"; id: number }
  | { type: "delay_message"; id: number; by_us: number }
  | { type: "duplicate_message"; id: number }
  | { type: "hold_message"; id: number }
  | { type: "release_message"; id: number }
  | {
      type: "client_op";
      /** Which client issues it (default: the first idle one). */
      client?: number;
      op: "put" | "get" | "append" | "cas";
      key: string;
      value?: string;
      expected?: string | null;
      /** Send to this node instead of the known leader. */
      node?: number;
    }
  | { type: "set_workload"; ops_per_s: number; keys: number }
  | {
      type: "set_network";
      latency_us_min: number;
      latency_us_max: number;
      loss_ppm: number;
      duplicate_ppm: number;
    }
  | { type: "set_read_path"; path: ReadPath }
  | { type: "set_toggle"; name: TeachingToggle; on: boolean };

/** Rules that can be switched off to watch the checkers catch the bug. */
export type TeachingToggle =
  | "vote_without_log_check"
  | "commit_old_terms_by_counting"
  | "forget_vote_on_restart"
  | "skip_noop_on_election"
  | "no_client_dedup";

/** World configuration (all fields optional when creating; defaults are the playground preset). */
export interface WorldConfig {
  nodes: number;
  election_timeout_us_min: number;
  election_timeout_us_max: number;
  heartbeat_interval_us: number;
  pre_vote: boolean;
  check_quorum: boolean;
  read_path: ReadPath;
  latency_us_min: number;
  latency_us_max: number;
  loss_ppm: number;
  duplicate_ppm: number;
  clients: number;
  toggles: Partial<Record<TeachingToggle, boolean>>;
}

/** The handle on one simulated world (implemented in Rust, exposed through wasm-bindgen). */
export interface PlaygroundHandle {
  /** Current virtual time. */
  now_us(): number;
  /** Runs the world forward by `us` microseconds of virtual time. */
  advance(us: number): void;
  /** Processes exactly the next event; returns false when nothing is scheduled. */
  step(): boolean;
  /** Restores the world as it was at `t_us` (checkpoint + replay of the action log). */
  seek(t_us: number): void;
  /** The whole world, for one frame. */
  view(): WorldView;
  /** Trace events since the last call (bounded; oldest dropped first). */
  events(): TraceEvent[];
  /** Applies a user action now; throws an Error naming the bad field. */
  apply(action: Action): void;
  /** The client history so far, in the documented JSON form (docs/history-format.md). */
  history(): unknown;
  /** Runs every checker over the history so far. */
  check(): unknown;
  /** Config + seed + the action log so far, as a scenario object. */
  export_scenario(): unknown;
  /** 16 hex digits. */
  trace_hash(): string;
  /** Frees the Wasm memory behind the handle. */
  free(): void;
}

// ---- Added by the web front end (additive; the Rust side is asked to produce these shapes) ----

/** One entry of a scenario's action log: the action and the virtual time it was applied. */
export interface ScheduledAction {
  at_us: number;
  action: Action;
}

/** What `export_scenario()` returns and `Playground.from_scenario()` accepts: the world is a
 * pure function of (config, seed, actions). Extra fields (name, description, …) pass through. */
export interface Scenario {
  config?: Partial<WorldConfig>;
  seed: number;
  actions: ScheduledAction[];
  name?: string;
  description?: string;
}

/** What a share link (URL fragment) carries: a scenario and the moment to show. */
export interface SharedState extends Scenario {
  /** Virtual time to seek to after loading. */
  t_us?: number;
}

/** One operation of `history()` (docs/history-format.md). */
export interface HistoryOp {
  id: number;
  client: number;
  op: "put" | "get" | "append" | "cas";
  key?: string;
  value?: string;
  expected?: string | null;
  invoke_us: number;
  complete_us: number | null;
  outcome: "ok" | "failed" | "unknown";
  output?: string | null | boolean;
}

/** What `history()` returns (docs/history-format.md). */
export interface History {
  version: 1;
  model: "kv" | "register";
  operations: HistoryOp[];
  final_states?: Record<string, Record<string, string>>;
}

/** What `check()` returns, as far as the page reads it (other fields are shown as text). */
export interface CheckReport {
  /** null when the checker gave up (budget reached). */
  linearizable: boolean | null;
  /** One paragraph for people. */
  explanation?: string;
  /** Ids of the operations that cannot be ordered (empty when linearizable). */
  unordered_ops?: number[];
  /** Ids, in order, of the longest prefix the checker could linearize. */
  longest_partial_order?: number[];
}
