// The data that crosses the Wasm boundary, exactly as crates/wasm returns it: the serde forms
// of the simulator's types (crates/sim: view.rs, monitor.rs, trace.rs, action.rs, config.rs,
// scenario.rs, history.rs) and of the checker's report (crates/check: lib.rs, linear.rs,
// sequential.rs, session.rs, convergence.rs). The Rust side is the source of truth; the
// comment on each type names the Rust type it mirrors. All numbers are integers below 2^53;
// times are virtual microseconds since the start of the run (`_us`). Ids of nodes and
// clients start at 1.

// The vocabularies (message kinds, monitors, toggles, read paths, ...) are generated from
// their Rust declarations into vocab.d.ts / vocab.js (`raftlab schema`); they are re-exported
// from here.
import type {
  ByzantineMode,
  EventText,
  MessageState,
  MonitorId,
  MsgKind,
  OpKind,
  Outcome,
  RaftToggle,
  ReadPath,
  TraceCategory,
  TraceLineCase,
  TraceMarker,
  ViolationCase,
} from "./vocab.js";

export type {
  ActionType,
  ByzantineMode,
  DropReason,
  EventText,
  ExpectationType,
  Labelled,
  MessageState,
  MonitorId,
  MsgKind,
  OpKind,
  Outcome,
  RaftToggle,
  ReadPath,
  TraceCategory,
  TraceLineCase,
  TraceMarker,
  ViolationCase,
} from "./vocab.js";

// ---------------------------------------------------------------------------------------------
// Views (crates/sim/src/view.rs)
// ---------------------------------------------------------------------------------------------

/** A server's role (raft::Role). */
export type Role = "follower" | "pre_candidate" | "candidate" | "leader";

/** One end of a message (sim::trace::Endpoint), serialized externally tagged:
 * `{"node": 2}` or `{"client": 1}`. */
export type Endpoint = { node: number } | { client: number };

/** One log entry (EntryInfo). */
export interface EntryInfo {
  index: number;
  term: number;
  /** `noop` or the command, e.g. `c1#3 put x=1`. */
  text: string;
  /** Present (true) when the current leader (the live leader with the highest term) will
   * overwrite this entry: past the node's commit index, and differing in term from the
   * leader's entry at its index or lying past the leader's log with an older term. */
  overwritten?: true;
}

/** Why an entry is (or is not) committed on a node (`Playground.entry_status`, from
 * crates/sim/src/entry_status.rs). */
export interface EntryStatus {
  node: number;
  index: number;
  term: number;
  /** The first reason that holds, in this order. */
  state:
    | "applied"
    | "committed"
    | "overwritten"
    | "committed_elsewhere"
    | "no_leader"
    | "needs_replicas"
    | "old_term"
    | "committing";
  /** Nodes holding this entry (same index and term), this one included. */
  replicas: number;
  /** Nodes needed to commit (a majority). */
  quorum: number;
  /** The sentence in English, e.g. `not committed: on 2 of 5 nodes; needs 3`. */
  why: string;
  /** Which sentence `why` is (`why_<case>` in the label tables). */
  case?: import("./vocab.js").WhyCase;
  /** Which sentence fills its `{on}` hole (`why_on_<on>`). */
  on?: import("./vocab.js").OnCase;
  /** The values of the holes, by name. */
  params?: Record<string, string>;
}

/** A window over the client history (`Playground.history_window`). */
export interface HistoryWindow {
  /** Operations in the whole history. */
  operations_total: number;
  /** Operations with an outcome (ok or failed) in the whole history. */
  operations_completed: number;
  /** The window's operations, in invocation order. */
  operations: HistoryOp[];
}

/** One expectation's result in a run's summary (`Playground.run_scenario`). */
export interface ExpectationResult {
  /** The expectation, one line. */
  expectation: string;
  ok: boolean;
  /** What was observed, in English (`observed_case`'s label, holes filled). */
  observed: string;
  /** How the observation is worded (OBSERVED_CASES in vocab.js). */
  observed_case: import("./vocab.js").ObservedCase;
  /** The holes of `observed_case`, in its label's order. */
  observed_params: string[];
  /** For `observed_case` "violation": the violation. */
  violation?: Violation;
}

/** The parts of `Playground.run_scenario`'s summary the page reads. */
export interface RunSummary {
  /** In the order of the scenario's `expect`. */
  expectations: ExpectationResult[];
  /** Every expectation met and no action skipped. */
  passed: boolean;
}

/** A leader's view of one follower (ProgressInfo). */
export interface ProgressInfo {
  node: number;
  match_index: number;
  next_index: number;
  state: "probe" | "replicate" | "snapshot";
  /** AppendEntries in flight. */
  inflight_msgs: number;
  /** Heard from recently. */
  recent_active: boolean;
  /** Consecutive caught-up heartbeat rounds: a learner's catch-up meter (full at
   * `NodeInfo.learner_caught_up_rounds_min`). */
  caught_up_rounds: number;
}

/** The configuration in force on a node (MembershipInfo): the latest in its log. */
export interface MembershipInfo {
  /** Voters of the configuration being entered (of the only one when simple). */
  voters: number[];
  /** Voters of the configuration being left (empty unless joint): while joint, a quorum
   * needs a majority of `voters` and one of `outgoing`. */
  outgoing: number[];
  /** Non-voting members that receive the log. */
  learners: number[];
  joint: boolean;
  /** Log index of the configuration's entry (0: the bootstrap configuration). */
  index: number;
  committed: boolean;
}

/** A node's snapshot boundary (SnapshotInfo). */
export interface SnapshotInfo {
  last_included_index: number;
  last_included_term: number;
  size_bytes: number;
}

/** One server (NodeInfo). */
export interface NodeInfo {
  id: number;
  /** Crashed: no volatile state; `role`, `leader`, timers are null, commit/applied 0. */
  crashed: boolean;
  /** Paused (stop-the-world): timers and arriving messages wait. */
  paused: boolean;
  /** Null when crashed. */
  role: Role | null;
  /** Current term (from disk when crashed). */
  term: number;
  /** Vote in `term`. */
  vote: number | null;
  /** Known leader. */
  leader: number | null;
  commit: number;
  applied: number;
  /** Index of the last entry: the number of entries in the whole log, counting those a
   * snapshot compacted (`snapshot.last_included_index` and before). */
  log_len: number;
  /** Index of `log[0]`: the view keeps only the last 256 entries (or `log_tail`, see
   * `ViewOptions`); `log_len` and `log_first_index` stay exact either way. */
  log_first_index: number;
  /** The (tail of the) log. */
  log: EntryInfo[];
  /** When the election timer fires, global µs (null: not armed, e.g. a leader or crashed).
   * The randomized timeout of this node is `election_deadline_us - election_timer_armed_us`. */
  election_deadline_us: number | null;
  /** When the current election timer was armed, global µs (null exactly when
   * `election_deadline_us` is null). */
  election_timer_armed_us: number | null;
  /** Next heartbeat, global µs (leaders). */
  heartbeat_deadline_us: number | null;
  /** Lease end, global µs (lease read path). */
  lease_until_us: number | null;
  /** The leader's replication state per follower (empty unless leader). */
  progress: ProgressInfo[];
  /** Votes in the current (pre-)election: [voter, granted]. */
  votes: [number, boolean][];
  /** Leadership transfer target. */
  transfer_target: number | null;
  /** Clock drift rate, parts per million (positive: the node's clock runs fast). */
  drift_ppm: number;
  /** The node's local clock now, µs. */
  local_time_us: number;
  /** The node's applied key-value state machine (empty when crashed, and always empty in a
   * view asked for with `{ kv: false }`). */
  kv: Record<string, string>;
  /** Times restarted. */
  restarts: number;
  /** Configuration in force; null when crashed. */
  membership: MembershipInfo | null;
  /** Latest snapshot (the log's compaction point); null when none. */
  snapshot: SnapshotInfo | null;
  /** Caught-up rounds a learner needs before promotion. */
  learner_caught_up_rounds_min: number;
  /** How the node lies (`set_byzantine`); null when honest. */
  byzantine: ByzantineMode | null;
  /** An AP store replica's versions (the CAP page's module only); absent in a Raft world. */
  ap?: ApReplicaInfo;
}

/** An AP store replica in a view (ApReplicaInfo). */
export interface ApReplicaInfo {
  /** Every version it holds (its disk's while crashed), by key. */
  versions: { key: string; value: string; stamp_us: number; stamp_node: number }[];
  /** Client requests it is coordinating. */
  pending_requests: number;
}

/** A message in flight (MessageInfo). */
export interface MessageInfo {
  /** Stable id, used by drop / delay / duplicate / hold / release. */
  id: number;
  from: Endpoint;
  to: Endpoint;
  kind: MsgKind;
  /** One line, e.g. `n2->n5 AppendEntries …` / `c1->n1 ClientRequest c1#1 put x=1`. */
  summary: string;
  sent_at_us: number;
  /** Planned arrival. */
  deliver_at_us: number;
  /** `held` by the user until released, or `waiting` at a paused node. */
  state: MessageState;
  /** An `install_snapshot`'s snapshot (last included index and term, `size_bytes`); absent
   * for every other kind. */
  snapshot?: SnapshotInfo;
}

/** The behaviour of a directed link (config.rs LinkConfig; also `SimConfig.network`). */
export interface LinkConfig {
  /** Messages pass (true) or are dropped (false). */
  up: boolean;
  latency_us_min: number;
  latency_us_max: number;
  /** Loss probability, parts per million. */
  loss_ppm: number;
  /** Duplication probability, parts per million. */
  duplicate_ppm: number;
  /** Probability, parts per million, that a message is held back by one more
   * `latency_us_max` (reordering, even on a link without jitter). Absent when 0. */
  reorder_ppm?: number;
}

/** One directed link between distinct nodes (LinkInfo: LinkConfig flattened in). */
export interface LinkInfo extends LinkConfig {
  from: number;
  to: number;
  /** Messages in flight on it. */
  in_flight: number;
}

/** The network (NetworkInfo). */
export interface NetworkInfo {
  /** Every directed link between distinct nodes (n·(n−1) of them). */
  links: LinkInfo[];
  /** The last partition applied (until `heal`), else null. */
  partition: number[][] | null;
  /** Active `drop_next`/`hold_next` rules: [hold, remaining]. */
  rules: [boolean, number][];
  /** Messages refused because a link was full. */
  link_overflows: number;
}

/** A client's outstanding operation (PendingInfo). */
export interface PendingInfo {
  /** History id. */
  op: number;
  /** Sequence number. */
  seq: number;
  /** e.g. `put x=1`. */
  text: string;
  /** Node of the current attempt. */
  target: number;
  attempts: number;
  /** First invocation. */
  invoke_us: number;
}

/** One client (ClientInfo). */
export interface ClientInfo {
  id: number;
  /** Where it thinks the leader is. */
  leader_guess: number | null;
  pending: PendingInfo | null;
  /** Manual operations waiting behind the pending one. */
  queued: number;
  done_ok: number;
  done_failed: number;
  done_unknown: number;
}

/** The whole world, fetched once per animation frame (WorldView). */
export interface WorldView {
  /** The world's seed (below 2^53), as `Playground.seed()`. */
  seed: number;
  now_us: number;
  nodes: NodeInfo[];
  /** The current leader: the live leader with the highest term (null when none). Its log
   * decides what the others keep (`EntryInfo.overwritten`). */
  leader: number | null;
  messages: MessageInfo[];
  network: NetworkInfo;
  clients: ClientInfo[];
  monitors: MonitorState[];
  /** 16 hex digits: a stable hash of the whole trace so far. */
  trace_hash: string;
  /** Events processed so far. */
  events: number;
}

// ---------------------------------------------------------------------------------------------
// Monitors (crates/sim/src/monitor.rs)
// ---------------------------------------------------------------------------------------------

/** The evidence of a violation (Violation). */
export interface Violation {
  monitor: MonitorId;
  /** When, virtual µs. */
  time_us: number;
  nodes: number[];
  terms: number[];
  indexes: number[];
  /** How it was broken (its label in vocab.js is the English sentence with `{hole}`s). */
  case: ViolationCase;
  /** The values of the case's holes, by name (node ids as `n3`, entries as `term/index`). */
  params: Record<string, string>;
  /** One line, in English: the case's sentence with the params filled in. */
  description: string;
  /** `disjoint_quorums` only (absent otherwise): the two elections of one term. */
  elections?: Election[];
}

/** One election, the evidence of a `disjoint_quorums` violation (monitor::quorums::Election). */
export interface Election {
  leader: number;
  term: number;
  /** The configuration the leader held when it won (raft::Configuration): voters of the
   * configuration entered (`incoming`), of the one left when joint (`outgoing`), learners. */
  configuration: { incoming: number[]; outgoing: number[]; learners: number[] };
  /** The voters that granted it a vote of `term` by then, its own included, sorted. */
  votes: number[];
  /** When it became leader, virtual µs. */
  at_us: number;
}

/** One monitor's state (MonitorState). */
export interface MonitorState {
  monitor: MonitorId;
  /** Violated at least once. */
  violated: boolean;
  /** How many times it fired. */
  violations: number;
  /** The first violation's evidence. */
  first: Violation | null;
}

// ---------------------------------------------------------------------------------------------
// Events (crates/sim/src/trace.rs TraceLine, timeline.rs EventBatch)
// ---------------------------------------------------------------------------------------------

/** One trace line (TraceLine). */
export interface TraceLine {
  /** Position in the whole trace, from 0. */
  seq: number;
  time_us: number;
  category: TraceCategory;
  /** The node concerned, if any. */
  node: number | null;
  /** The message concerned, if any. */
  message: number | null;
  /** The compact one-line text, e.g. `send #12 n1->n2 append t3`, `n3 follower -> leader in t2`;
   * empty on unmarked lines when `events({ text: "markers" })` asked for marker text only. */
  text: string;
  /** What the timeline marks this line as, if anything (TraceKind::marker). */
  marker: TraceMarker | null;
  /** What the line says, as data (`line_<case>` in the label tables); null when `text` is
   * empty. */
  case?: TraceLineCase | null;
  /** The holes of `case`'s label, in order (empty when `text` is). */
  params?: string[];
}

/** Options of `events()`. */
export interface EventsOptions {
  /** "all" (default): every line carries its text; "markers": only marked lines do (the
   * page's per-frame call: formatting every line is most of a busy frame's events cost). */
  text?: EventText;
}

/** What one `events()` call returns (EventBatch). */
export interface EventBatch {
  /** Oldest first, at most 2000. */
  lines: TraceLine[];
  /** Lines evicted from the bounded trace before they could be fetched. */
  missed: number;
  /** More lines are waiting (the batch hit its bound). */
  more: boolean;
}

// ---------------------------------------------------------------------------------------------
// Actions (crates/sim/src/action.rs) — `{"type": "<snake_case variant>", ...fields}`,
// unknown fields are refused.
// ---------------------------------------------------------------------------------------------

/** Relative weights of the automatic workload's operations (OpMix). */
export interface OpMix {
  put: number;
  get: number;
  append: number;
  cas: number;
}

/** A user action on the world (Action). Every applied action is logged with its time (for
 * share links, export and seek). Bad input throws an Error naming the field
 * (`action.node: no node 9 (nodes are 1..5)`); the world is then unchanged. */
export type Action =
  | { type: "crash"; node: number }
  | { type: "restart"; node: number }
  | { type: "pause"; node: number }
  | { type: "resume"; node: number }
  /** Within ±500000 ppm. */
  | { type: "set_drift"; node: number; drift_ppm: number }
  /** Nodes not listed form one more group. */
  | { type: "partition"; groups: number[][] }
  | { type: "isolate"; node: number }
  /** Cut the one-way link `from -> to`. */
  | { type: "cut"; from: number; to: number }
  /** Restore the one-way link `from -> to`. */
  | { type: "repair"; from: number; to: number }
  /** Bring every link up. */
  | { type: "heal" }
  /** Change the links matching `from`/`to` (omitted = all); omitted settings unchanged. */
  | {
      type: "set_link";
      from?: number | null;
      to?: number | null;
      latency_us_min?: number | null;
      latency_us_max?: number | null;
      loss_ppm?: number | null;
      duplicate_ppm?: number | null;
    }
  | { type: "drop_message"; id: number }
  | { type: "delay_message"; id: number; delay_us: number }
  | { type: "duplicate_message"; id: number }
  | { type: "hold_message"; id: number }
  | { type: "release_message"; id: number }
  | {
      type: "drop_next" | "hold_next";
      from?: Endpoint | null;
      to?: Endpoint | null;
      kind?: MsgKind | null;
      count: number;
    }
  | { type: "release_all" }
  | { type: "clear_rules" }
  /** Client operations: `node` is the first node to try (default: the client's leader guess). */
  | { type: "put"; client: number; key: string; value: string; node?: number | null }
  | { type: "get"; client: number; key: string; node?: number | null }
  | { type: "append"; client: number; key: string; value: string; node?: number | null }
  | {
      type: "cas";
      client: number;
      key: string;
      /** null: the key must be absent. */
      expected?: string | null;
      value: string;
      node?: number | null;
    }
  /** Omitted fields unchanged. */
  | {
      type: "set_workload";
      enabled?: boolean | null;
      rate_ops_per_s?: number | null;
      key_count?: number | null;
      mix?: OpMix | null;
    }
  /** Make a node's election timer fire now. */
  | { type: "campaign"; node: number }
  /** Ask leader `from` to hand leadership to `to`. */
  | { type: "transfer_leader"; from: number; to: number }
  | { type: "set_read_path"; read_path: ReadPath }
  /** Client de-duplication in the KV state machines. */
  | { type: "set_dedup"; on: boolean }
  /** `on`: the rule is broken. Reaches every live node at once. */
  | { type: "set_toggle"; toggle: RaftToggle; on: boolean }
  | { type: "set_election_timeout"; election_timeout_us_min: number; election_timeout_us_max: number }
  /** Propose `key := value` straight to `node`'s Raft, no client (see `start()`). */
  | { type: "start"; node: number; key: string; value: string }
  /** Reordering on the links matching `from`/`to` (omitted: all); see LinkConfig.reorder_ppm. */
  | { type: "set_reorder"; from?: number | null; to?: number | null; reorder_ppm: number }
  /** Add a server through a leader (default: the current one), as a learner or a voter;
   * the id one past the hosted nodes starts a new server. */
  | { type: "add_node"; node: number; voter: boolean; leader?: number | null }
  /** Remove a server (the leader included) from the configuration. */
  | { type: "remove_node"; node: number; leader?: number | null }
  /** Make a caught-up learner a voter. */
  | { type: "promote_learner"; node: number; leader?: number | null }
  /** Move to `voters` + `learners` by joint consensus. */
  | { type: "change_membership"; voters: number[]; learners: number[]; leader?: number | null }
  /** Every node snapshots its KV store and compacts its log once this many entries are
   * applied since its last snapshot; 0 turns compaction off (at most 1000000). */
  | { type: "set_snapshot_threshold"; snapshot_threshold_entries: number }
  /** Make one node Byzantine (its host rewrites what it sends); null: honest again. */
  | { type: "set_byzantine"; node: number; mode: ByzantineMode | null };

// ---------------------------------------------------------------------------------------------
// The tester's API (crates/sim/src/timeline/tester.rs; docs/testing-guide.md).
// ---------------------------------------------------------------------------------------------

/** What `start()` reports, as 6.824's `Start()`. */
export interface StartReply {
  /** The entry's index; 0 when the node did not take the command. */
  index: number;
  /** The node's current term. */
  term: number;
  /** The node was a live leader and appended the command. */
  is_leader: boolean;
}

/** A range of one node's log (`log()`). */
export interface LogRange {
  node: number;
  /** The first index still in the log (later than 1 after a snapshot). */
  first_index: number;
  last_index: number;
  /** At most 1,000 (LOG_RANGE_ENTRIES_MAX) per call. */
  entries: EntryInfo[];
}

/** One message kind's counters (`msg_counts()`). */
export interface KindCounts {
  kind: MsgKind;
  /** Messages sent (a network duplicate is not a send). */
  sent: number;
  /** Estimated bytes of those sends (docs/testing-guide.md: 48 per message, 24 per entry,
   * plus keys, values and snapshot data). */
  bytes_sent: number;
  /** Arrivals, copies included. */
  delivered: number;
  /** Losses for any reason, copies included. */
  dropped: number;
  /** Copies the network made. */
  duplicated: number;
}

/** Message counters since time 0 (restored with the world by a seek). */
export interface MsgCounts {
  /** Only the kinds with any traffic, in MsgKind order. */
  kinds: KindCounts[];
  sent: number;
  bytes_sent: number;
  delivered: number;
  dropped: number;
}

// ---------------------------------------------------------------------------------------------
// Configuration (crates/sim/src/config.rs SimConfig). Every field is optional when creating
// a world; missing fields take these defaults. Unknown fields are refused.
// ---------------------------------------------------------------------------------------------

/** raft::TeachingToggles: one boolean per RaftToggle, all false (rules enforced) by default. */
export type TeachingToggles = { [T in RaftToggle]: boolean };

/** Clients (ClientConfig). */
export interface ClientConfig {
  /** Default 2; at most 64. */
  count: number;
  /** Retry after this long without an answer. Default 500000. */
  timeout_us: number;
  /** Default 10. */
  attempts_max: number;
  /** Client↔node latency. Defaults 500 / 2000. */
  latency_us_min: number;
  latency_us_max: number;
  /** Default 16. */
  queued_ops_max: number;
  /** Each client talks only to its home node `(c - 1) mod n + 1` and the nodes its links
   * reach. Default false (absent from a serialized config). */
  home_side_only?: boolean;
}

/** The automatic workload (WorkloadConfig). */
export interface WorkloadConfig {
  /** Default false. */
  enabled: boolean;
  /** Per client. Default 10. */
  rate_ops_per_s: number;
  /** Keys `k0 .. k{key_count-1}`. Default 3; at most 10000. */
  key_count: number;
  /** Default put 30, get 40, append 20, cas 10. */
  mix: OpMix;
}

/** World configuration (SimConfig). */
export interface SimConfig {
  /** 1..=9, default 5. */
  node_count: number;
  /** Election timeouts drawn from [min, max), node-local µs. Defaults 150000 / 300000. */
  election_timeout_us_min: number;
  election_timeout_us_max: number;
  /** Default 50000. */
  heartbeat_interval_us: number;
  /** Default true. */
  pre_vote: boolean;
  /** Default true. */
  check_quorum: boolean;
  /** Default "log". */
  read_path: ReadPath;
  /** Default 15000. */
  lease_clock_drift_us_max: number;
  /** Default 64. */
  entries_per_msg_max: number;
  /** Default 16. */
  inflight_msgs_max: number;
  toggles: TeachingToggles;
  /** De-duplicate retried client commands. Default true. */
  kv_dedup: boolean;
  /** Default link behaviour (up, 1000–5000 µs, no loss, no duplication). */
  network: LinkConfig;
  /** Default 1024. */
  link_inflight_msgs_max: number;
  clients: ClientConfig;
  workload: WorkloadConfig;
  /** Initial drift per node (index 0 is node 1). */
  drift_ppm: number[];
  /** Snapshot and compact once this many entries are applied since the last snapshot;
   * default 0 (off), at most 1000000. Absent from a serialized config when 0. */
  snapshot_threshold_entries?: number;
  /** Run the AP store instead of Raft (only the CAP page's module has it; the playground's
   * refuses it, field `ap`). Absent for Raft. */
  ap?: ApConfig;
}

/** The AP store's settings (sim::ap::ApConfig). */
export interface ApConfig {
  /** Replicas that must hold a write before it is answered, 1..=node_count. Default 1. */
  write_quorum: number;
  /** Replies a read waits for, 1..=node_count. Default 1. */
  read_quorum: number;
  /** A coordinator's wait for its quorum, local µs. Default 100000. */
  request_timeout_us: number;
  /** Anti-entropy period, local µs; 0 turns it off. Default 200000. */
  anti_entropy_interval_us: number;
}

/** What a constructor accepts: any subset of the config (nested objects may be partial too). */
export type ConfigInput = Partial<
  Omit<SimConfig, "toggles" | "network" | "clients" | "workload" | "ap"> & {
    ap: Partial<ApConfig>;
    toggles: Partial<TeachingToggles>;
    network: Partial<LinkConfig>;
    clients: Partial<ClientConfig>;
    workload: Partial<Omit<WorkloadConfig, "mix">> & { mix?: Partial<OpMix> };
  }
>;

// ---------------------------------------------------------------------------------------------
// Scenarios (crates/sim/src/scenario.rs)
// ---------------------------------------------------------------------------------------------

/** An action at a virtual time (TimedAction). */
export interface TimedAction {
  at_us: number;
  action: Action;
}

/** Something a grader checks (Expectation). */
export type Expectation =
  | { type: "leader_exists"; at_us: number; node?: number | null }
  | { type: "leaders_at"; at_us: number; count: number }
  | { type: "committed"; index: number; nodes_min: number; at_us?: number | null }
  | { type: "commit_at_most"; node: number; index: number; at_us?: number | null }
  | { type: "key_value"; key: string; value: string | null; nodes_min?: number | null }
  | { type: "op_outcome"; op: number; outcome: Outcome }
  | { type: "linearizable" }
  | { type: "not_linearizable" }
  | { type: "monitor_violated"; monitor: MonitorId }
  | { type: "no_violation" }
  | { type: "converged"; at_us?: number | null };

/** A scenario file (Scenario): what `export_scenario()` returns and `from_scenario()` takes.
 * Unknown fields are refused. */
export interface Scenario {
  /** One or two sentences. */
  description?: string;
  /** Default 0. */
  seed?: number;
  config?: ConfigInput;
  /** How long to run, 1..=10^12 µs; every action's `at_us` must be within it. Required. */
  duration_us: number;
  actions?: TimedAction[];
  expect?: Expectation[];
}

/** What a share link (URL fragment) carries: a scenario and the moment to show. `t_us` is
 * the page's, not part of the Rust Scenario: strip it before `from_scenario`. */
export interface SharedState extends Scenario {
  t_us?: number;
}

// ---------------------------------------------------------------------------------------------
// History (crates/sim/src/history.rs, docs/history-format.md)
// ---------------------------------------------------------------------------------------------

/** One logical client request, retries folded in (Operation). */
export interface HistoryOp {
  id: number;
  client: number;
  op: OpKind;
  key: string;
  /** Argument of put, append and cas (absent for get). */
  value?: string;
  /** cas only: the required value, null for absent. */
  expected?: string | null;
  invoke_us: number;
  /** null when `outcome` is unknown. */
  complete_us: number | null;
  outcome: Outcome;
  /** get: the value read (null: absent); cas: swapped; absent otherwise and when not ok. */
  output?: string | null | boolean;
  /** The node that served it: the one whose answer completed it (ok), else the last node
   * the client sent it to. Optional in the format (histories from elsewhere lack it). */
  node?: number;
}

/** What `history()` returns (History). */
export interface History {
  version: 1;
  model: "kv" | "register";
  operations: HistoryOp[];
  /** Per live node id (as a string), its key → value map. */
  final_states?: Record<string, Record<string, string>>;
  /**
   * Per live node id (as a string), the index of the last log entry it applied. Replicas
   * that differ in it are not compared: convergence is unknown ("not settled").
   */
  final_applied?: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// The check report (crates/check: Report and its parts)
// ---------------------------------------------------------------------------------------------

export type Verdict = "ok" | "violated" | "unknown";

/** One operation of a partial linearization (PlacedOp). */
export interface PlacedOp {
  id: number;
  /** `put x=1`, `get x -> 1`. */
  op: string;
  /** The model state after it. */
  state_after: string;
}

/** An operation that cannot come next (StuckOp). */
export interface StuckOp {
  id: number;
  op: string;
  /** e.g. `get x returned 1 but the state is 2`. */
  reason: string;
}

/** Why a partition (key) is not linearizable (Explanation). */
export interface Explanation {
  partition: string;
  initial_state: string;
  /** The longest partial linearization found, in order. */
  longest: PlacedOp[];
  ok_ops: number;
  ops: number;
  /** The operations that could come next in real-time order, and why each cannot. */
  stuck: StuckOp[];
  /** The ok operation that had to take effect first and could not. */
  deadline_op: number | null;
  deadline_us: number | null;
  /** One paragraph for people. */
  text: string;
  /** One to three plain sentences naming the operations, their clients and times, and the
   * order that cannot hold (`c3's get(x) #4 at 0.1 ms returned 1, but …`). */
  plain: string;
  /** The same as data (`plain` is its English), for the reader's language. */
  plain_words: Words | null;
}

/** A checker explanation as data (check::Words): a case, and its holes' values in the
 * order its English label names them. */
export interface Words {
  case: import("./vocab.js").WordCase;
  /** Text in no language, nested words, a list (joined by `list_sep`), or alternatives
   * (strings joined by `or`). */
  params: (string | Words | Words[] | string[])[];
}

/** The verdict for one key (PartitionResult). */
export interface PartitionResult {
  name: string;
  verdict: Verdict;
  /** Operations searched (failed ones and those set aside excluded). */
  ops: number;
  /** Unknown-outcome writes left out of the search: no answer in the history depends on them. */
  set_aside: number;
  steps: number;
  /** For `violated`. */
  explanation: Explanation | null;
  /** For `unknown`: why. */
  reason: string | null;
}

/** LinearizabilityResult. */
export interface LinearizabilityResult {
  /** violated if a partition is; else unknown if one is; else ok. */
  verdict: Verdict;
  steps: number;
  steps_max: number;
  /** Whether every partition was to be decided (the full report); else the search stopped
   * at the first violated partition. */
  all_partitions: boolean;
  /** The search stopped at a violated partition with others still undecided. */
  stopped_early: boolean;
  /** Partitions with a verdict (ok or violated); the others are unknown with a reason. */
  partitions_decided: number;
  /** The partitions the search never reached (names, sorted). */
  partitions_not_searched: string[];
  /** Per key, sorted by name. */
  partitions: PartitionResult[];
}

/** SequentialResult. */
export interface SequentialResult {
  verdict: Verdict;
  steps: number;
  order: number[];
  longest: PlacedOp[];
  stuck: StuckOp[];
  reason: string | null;
  /** For `violated` found by one client's own order: that client (`stuck` then holds its
   * operation that cannot come, `longest` its earlier ones); otherwise null. */
  refuted_by_client: number | null;
  /** For `violated`: one to three plain sentences naming the operations, their clients and
   * times. */
  plain: string | null;
  /** The same as data, for the reader's language. */
  plain_words: Words | null;
}

/** One session guarantee (GuaranteeResult). */
export interface GuaranteeResult {
  name: "read_your_writes" | "monotonic_reads" | "monotonic_writes" | "writes_follow_reads";
  verdict: Verdict;
  violations: { client: number; key: string; ops: number[]; text: string }[];
  reason: string | null;
}

/** SessionResult. */
export interface SessionResult {
  verdict: Verdict;
  guarantees: GuaranteeResult[];
}

/** ConvergenceResult. */
export interface ConvergenceResult {
  verdict: Verdict;
  nodes: string[];
  differing: { key: string; values: Record<string, string | null> }[];
  differing_count: number;
  /** False while the replicas have applied different prefixes: not compared yet (unknown). */
  settled: boolean;
  /** Why unknown. */
  reason: string | null;
}

/** CausalResult: causal memory of a put/get history (crates/check/src/causal.rs). */
export interface CausalResult {
  verdict: Verdict;
  /** Operations placed in client views. */
  steps: number;
  steps_max: number;
  /** For `violated`: the client whose view cannot be ordered (null for a causal cycle or a
   * value nobody wrote). */
  client: number | null;
  /** For `violated`: the operations of the evidence (ids). */
  ops: number[];
  /** For `unknown` (not put/get only, values not unique, too large, budget; "not checked
   * here" in the playground module's `check()`), or `ok`
   * "implied by sequential consistency". */
  reason: string | null;
  /** For `violated`: plain sentences naming the operations, clients and times. */
  plain: string | null;
}

/** The ladder (crates/check/src/ladder.rs): the strongest of linearizable ⊂ sequential ⊂
 * causal ⊂ sessions (all four guarantees) ⊂ eventual that holds, each failing rung with its
 * reason. */
export interface Ladder {
  strongest: "linearizable" | "sequential" | "causal" | "sessions" | "eventual" | null;
  rungs: {
    name: "linearizable" | "sequential" | "causal" | "sessions" | "eventual";
    verdict: Verdict;
    /** For a rung that is not ok: why, in plain words. */
    why: string | null;
  }[];
  sessions: { name: GuaranteeResult["name"]; verdict: Verdict; why: string | null }[];
}

/** What `check()` returns (Report). */
export interface CheckReport {
  summary: {
    model: "kv" | "register";
    ops: number;
    ops_ok: number;
    ops_failed: number;
    ops_unknown: number;
    clients: number;
    keys: number;
  };
  linearizability: LinearizabilityResult;
  sequential: SequentialResult;
  sessions: SessionResult;
  causal: CausalResult;
  convergence: ConvergenceResult;
  ladder: Ladder;
}

/** One key's progress in the live check (crates/check/src/incremental.rs PartitionProgress). */
export interface LivePartition {
  /** The key. */
  name: string;
  /** `ok`: every operation invoked before `cut_us` fits; `violated`: they do not (final);
   * `unknown`: the step budget ran out (see `reason`). */
  verdict: Verdict;
  /** Operations of this key invoked before it are covered. */
  cut_us: number;
  ops_covered: number;
  ops_open: number;
  /** Possible states carried at the cut. */
  configurations: number;
  /** Unknown-outcome operations that may still take effect. */
  unknown_carried: number;
  /** For `violated`: the operations no carried state explains. */
  violated_ops: number[];
  reason: string | null;
  /** `incremental` (carried states) or `whole` (every check searches the key's operations). */
  mode: "incremental" | "whole";
}

/** What `check_incremental()` returns (crates/wasm/src/live.rs LiveReport). */
export interface LiveReport {
  /** The virtual time of the world checked. */
  now_us: number;
  ops_total: number;
  /** Operations a client is still working on (not covered yet). */
  ops_pending: number;
  /** Failed operations (no effect, ignored). */
  ops_failed: number;
  /** `violated` if a key is, else `unknown` if one is, else `ok`. */
  verdict: Verdict;
  /** Settled operations the verdict covers. */
  ops_covered: number;
  /** Settled operations after their key's cut, not covered yet. */
  ops_open: number;
  /** Every operation invoked before it had settled (the earliest pending invocation, or now). */
  settled_us: number;
  /** Every settled operation invoked before it is covered. */
  covered_through_us: number;
  /** Steps this call and since the checker was made. */
  steps: number;
  steps_total: number;
  /** Per key, by name. */
  partitions: LivePartition[];
}

// ---------------------------------------------------------------------------------------------
// The handle (crates/wasm/src/lib.rs `Playground`)
// ---------------------------------------------------------------------------------------------

/** What `view()` includes: a page drawing every frame asks for less. Omitted fields take
 * their defaults (everything). */
export interface ViewOptions {
  /** At most this many log entries per node, the last ones (default and cap: 256).
   * `log_len` and `log_first_index` stay exact. */
  log_tail?: number;
  /** Include each node's state machine `kv` (default true); false leaves every `kv` empty. */
  kv?: boolean;
  /** Include each message's one-line `summary` (default true); false leaves them empty. */
  summaries?: boolean;
}

/*
 * Named limits (crates/sim/src/limits.rs, documented in crates/sim/SCENARIOS.md). Each
 * refusal is an Error naming the field and the limit; the world is then unchanged.
 * - VIRTUAL_TIME_US_MAX = 86_400_000_000 µs (24 h): `advance`, `seek`, scenarios.
 * - KEY_BYTES_MAX = 256, VALUE_BYTES_MAX = 65_536 (UTF-8 bytes): put/get/append/cas.
 * - DESCRIPTION_BYTES_MAX = 4_096: scenario descriptions, `export_scenario`.
 * - JSON_TEXT_BYTES_MAX = 1 MiB (config, action, options), SCENARIO_JSON_BYTES_MAX = 16 MiB:
 *   the JSON text (or the JSON.stringify of an object), refused before it enters Wasm.
 * - JSON nesting at most 127 levels; SCENARIO_ACTIONS_MAX = 100_000 actions.
 * - QUEUED_OPS_MAX = 1_024: `clients.queued_ops_max`.
 * - WORLD_MEMORY_BYTES_MAX = 256 MiB by a running estimate: past it client actions and
 *   forward runs are refused (`memory: ...`); seek back or start a new world.
 */

/** How far a budgeted `advance_budgeted` / `seek_budgeted` call got (RunProgress). */
export interface RunProgress {
  /** Virtual time reached, µs. */
  now_us: number;
  /** Virtual time asked for, µs. */
  target_us: number;
  /** Events processed (and scheduled actions applied) by this call. */
  events: number;
  /** `now_us == target_us` and nothing due by then is left. */
  done: boolean;
}

/** The handle on one simulated world. Every method that takes input throws an Error naming
 * the argument or field on bad input and leaves the world unchanged. */
export interface PlaygroundHandle {
  /** The seed (below 2^53). */
  seed(): number;
  /** Current virtual time. */
  now_us(): number;
  /** Runs the world forward by `us` microseconds of virtual time. Refused past
   * `VIRTUAL_TIME_US_MAX` (24 virtual hours: 86_400_000_000 µs), the world unchanged. */
  advance(us: number): void;
  /** As `advance`, stopping after about `events_max` (>= 1) events; go on with
   * `seek_budgeted(progress.target_us, events_max)` until `done`: the same world as one
   * `advance`. Lets a caller spread a long run over frames, show progress and cancel. */
  advance_budgeted(us: number, events_max: number): RunProgress;
  /** Processes exactly the next event or scheduled action; false when nothing is pending. */
  step(): boolean;
  /** The time of the latest event (trace record) before `t_us`: the time slider's step
   * back by one event. `undefined` when there is none or the kept trace (the newest
   * records only) no longer reaches back that far; exact whenever it is a number. */
  prev_event_at(t_us: number): number | undefined;
  /** With true, running no longer pauses to copy the world at each checkpoint time; the host
   * calls `checkpoint()` when it has time to spare (the page: in idle time between frames). */
  defer_checkpoints(on: boolean): void;
  /** A checkpoint is due. */
  checkpoint_due(): boolean;
  /** Takes the checkpoint that is due, if one is; true when it did. */
  checkpoint(): boolean;
  /** Moves to `t_us`: backward restores a checkpoint and replays the action log. Refused
   * past `VIRTUAL_TIME_US_MAX` (24 h), the world unchanged. */
  seek(t_us: number): void;
  /** As `seek`, replaying at most about `events_max` (>= 1) events per call; call again
   * with the same `t_us` until `done`. Stopping early (cancel) leaves a consistent world
   * at `now_us`, on the same timeline. */
  seek_budgeted(t_us: number, events_max: number): RunProgress;
  /** The whole world, for one frame; `options` trims it (see ViewOptions). */
  view(options?: ViewOptions): WorldView;
  /** The current configuration (actions may have changed it since the start). */
  config(): SimConfig;
  /** One message in flight with its summary; null when it is no longer in flight. */
  message(id: number): MessageInfo | null;
  /** Why entry `index` of node `node` is or is not committed; null when there is none. */
  entry_status(node: number, index: number): EntryStatus | null;
  /** Trace lines since the last call (bounded). */
  events(options?: EventsOptions): EventBatch;
  /** Applies a user action (object or JSON text) now. */
  apply(action: Action | string): void;
  /** Why `apply` would refuse the action now (its error message), or null when it would be
   * applied (undefined); the world is unchanged. */
  refusal(action: Action | string): string | undefined;
  /** The client history so far (pending operations as unknown). */
  history(): History;
  /** The operations invoked at or after `from_us` (the latest `ops_max`, at most 2,000). */
  history_window(from_us: number, ops_max: number): HistoryWindow;
  /** Runs every checker over the history so far. */
  check(): CheckReport;
  /** The live linearizability verdict: feeds what settled since the last call to an incremental
   * checker (cost about the new operations). `steps_max`: 1..=50,000,000 (default 5,000,000). */
  check_incremental(options?: { steps_max?: number }): LiveReport;
  /** Initial config + seed + the action log, running to now (`duration_us` = now). */
  export_scenario(description?: string): Required<Omit<Scenario, "config">> & { config: SimConfig };
  /** 16 hex digits. */
  trace_hash(): string;
  /** The last `limit` trace lines kept in memory, oldest first, as text. */
  trace(limit: number): string[];
  /** Proposes `key := value` straight to `node`'s Raft, without a client (6.824's
   * `Start()`); logged as a `start` action. Not the leader: `{ is_leader: false, index: 0 }`. */
  start(node: number, key: string, value: string): StartReply;
  /** Entries `from..=to` of any node's log, at most 1,000 per call (page on). */
  log(node: number, from: number, to: number): LogRange;
  /** Messages and estimated bytes by kind since time 0. */
  msg_counts(): MsgCounts;
  /** Moves the `events()` cursor to now (the backlog neither returned nor missed); returns
   * the lines skipped. */
  skip_events(): number;
  /** Frees the Wasm memory behind the handle. */
  free(): void;
}
