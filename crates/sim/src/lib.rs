//! Raftlab's deterministic simulator: the world the playground shows.
//!
//! # Contract
//!
//! A [`World`] is a pure function of `(config, seed, action log)`: virtual time in integer
//! microseconds, one discrete-event queue ordered by `(time, sequence number)`, one
//! `ChaCha8Rng` seeded with the seed, integer arithmetic only (no floats in any decision,
//! no wall clock, no hash-ordered iteration). The same inputs give the same trace hash on
//! every platform (native and wasm32).
//!
//! ```text
//!   Action (serde) ──apply/validate──┐          ┌── views (serde): nodes, messages,
//!   Scenario.actions ──schedule──────┤          │   network, clients, monitors
//!                                    ▼          │
//!   ┌──────────────────────── World ────────────┴──────────────────────────────┐
//!   │ event queue (time, seq) ── Deliver(msg) ─▶ network: links up/down, latency,│
//!   │        │                  Timer(node)       loss, duplication, rules, hold │
//!   │        ▼                  ClientTimer         │                             │
//!   │ node n: raft::Node (volatile) ─ take_ready ─▶ persist to disk ─▶ send ─▶    │
//!   │         clock with drift         apply to KvStore ─▶ answer clients         │
//!   │ monitors (after every ready) · trace (bounded ring + FNV hash) · history    │
//!   │ timeline: action log + checkpoints (clones) ─▶ seek(t)                      │
//!   └─────────────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! Driving a node: each input (message, timer at `next_deadline_us`, proposal, read) is
//! given in the node's local clock (`local = f(global)` by its drift rate). Then every
//! ready is drained obeying the persistence rule: hard state, truncation and appends go to
//! the node's disk first; then messages are sent; then committed entries are applied to
//! the node's KV state machine and waiting clients answered; then read states are served.
//! Persistence is synchronous (no modelled fsync delay): whatever a ready asked to persist
//! survives a crash that happens after that instant. A crash drops the `raft::Node`, its
//! state machine and its pending client work; messages to a crashed node are lost;
//! restart rebuilds the node from its disk with `Node::restart`.
//!
//! Clients sit outside the partitioned network: client↔node messages have their own
//! latency and are listed in flight (`client_request`/`client_response`), can be dropped,
//! held, delayed, duplicated, and are lost at a crashed node, but partitions and link
//! settings do not touch them.
//!
//! Bounds, each named: `link_inflight_msgs_max` (overflow is a `link_overflow` drop in the
//! trace), [`trace::TRACE_RECORDS_MAX`] records in memory, [`timeline::CHECKPOINTS_MAX`]
//! checkpoints, [`timeline::DRAIN_EVENTS_MAX`] lines per drain, [`view::VIEW_LOG_ENTRIES_MAX`]
//! log entries per node view, [`timeline::LOG_RANGE_ENTRIES_MAX`] entries per `log_range`,
//! `clients.queued_ops_max` manual operations per client,
//! [`monitor::quorums::ELECTION_TERMS_KEPT_MAX`] terms of votes and elections in the
//! `disjoint_quorums` monitor, [`ap::PENDING_REQUESTS_MAX`] requests per AP replica,
//! [`side_by_side::LAG_SAMPLES_MAX`] lag samples of a side-by-side pair.
//!
//! The nodes run Raft, or with `SimConfig.ap` the AP store ([`ap`], the `ap` feature),
//! hosted through the same seam (`docs/protocol-seam.md`); [`side_by_side`] runs both in
//! lock step.
//!
//! # Example
//!
//! ```
//! use sim::{Action, NodeId, SimConfig, World};
//!
//! let mut world = World::new(SimConfig::default(), 42).unwrap();
//! world.run_until(1_000_000); // one virtual second: a leader is elected
//! let leader = world.leaders()[0].node;
//! world.apply(Action::Put { client: 1, key: "x".into(), value: "1".into(), node: Some(leader) }).unwrap();
//! world.apply(Action::Crash { node: leader }).unwrap();
//! world.advance(2_000_000);
//! assert!(world.violations().is_empty());
//! assert_eq!(world.history().operations[0].call.name(), "put");
//! // Bad input is refused with the field named, and nothing changes.
//! let err = world.apply(Action::Crash { node: NodeId(9) }).unwrap_err();
//! assert_eq!(err.to_string(), "node: no node 9 (nodes are 1..5)");
//! // Rewind and replay: the same trace.
//! let hash = world.trace_hash();
//! world.seek(500_000);
//! world.run_until(3_000_000);
//! assert_eq!(world.trace_hash(), hash);
//! ```
//!
//! Scenarios ([`Scenario`], documented in `SCENARIOS.md`) hold a config, a seed, timed
//! actions and expectations; [`run_scenario`] runs one and returns a [`RunSummary`].
//! Campaigns ([`campaign`]) turn a seed into a randomized fault scenario with safety and
//! liveness expectations.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod action;
pub mod action_sizes;
pub mod ap;
pub mod byzantine;
pub mod campaign;
pub mod clock;
pub mod config;
pub mod entry_status;
pub mod experiment;
pub mod grade;
pub mod history;
pub mod history_window;
pub mod json;
pub mod kv;
pub mod kv_snapshot;
pub mod limits;
pub mod monitor;
pub mod runner;
pub mod scenario;
pub mod side_by_side;
pub mod timeline;
pub mod trace;
pub mod view;
pub mod vocab;
pub mod wire;
mod world;

pub use action::{Action, ActionError};
pub use config::{RaftToggle, ReadPath, SimConfig};
/// The protocol's identifiers, which the simulator's actions, views and traces carry.
pub use raft::{LogIndex, NodeId, Term};
pub use runner::{run_scenario, run_scenario_with, RunSummary};
pub use scenario::{Expectation, Scenario, ScenarioError, TimedAction};
pub use timeline::{EventBatch, Leader, LoggedAction, NodeProgress, World};
pub use view::ViewOptions;
pub use wire::{ClientRequest, ClientResponse, Endpoint, MsgKind, Payload};
pub use world::InFlight;
