//! A complete Raft server as a pure, synchronous state machine.
//!
//! # Contract
//!
//! A [`Node`] is one server's protocol state (the extended Raft paper's Figure 2, plus
//! PreVote, CheckQuorum, ReadIndex, lease reads, leadership transfer and membership
//! changes from Ongaro's dissertation). It does no I/O and owns no clock, RNG, thread or
//! global: the driver (the simulator, a test, a bench) feeds it inputs and drains its
//! outputs.
//!
//! - **Inputs**: [`Node::step`] (a received message), [`Node::tick`] (time passes; fires due
//!   timers), [`Node::propose`], [`Node::read`], [`Node::transfer_leadership`],
//!   [`Node::propose_membership`],
//!   [`Node::campaign`] (the UI's "force timeout"), and [`Node::restart`] from persisted
//!   state. Every input carries `now_us`.
//! - **Outputs**: one [`Ready`] per drain ([`Node::take_ready`]): hard state and log changes
//!   to persist, messages with destinations, committed entries to apply, reads that may be
//!   served, reads that never will be, role/term changes, and trace [`Event`]s.
//! - **Observation**: [`Node::view`] borrows the node's state (role, term, vote, log, commit,
//!   progress, votes, lease, deadlines) without copying — cheap enough for every frame.
//!
//! ```text
//!   step(msg) ─┐                         ┌─▶ 1. persist hard_state, truncation, log_append
//!   tick(now) ─┤                         │      (PersistentState::persist)
//!   propose  ──┼──▶  Node  ──take_ready──┼─▶ 2. send messages
//!   read     ──┤   (pure state)  Ready   ├─▶ 3. apply committed_entries in order
//!   transfer ──┘                         ├─▶ 4. serve read_states (applied >= index)
//!        ▲                               └─▶ 5. needs_election_timeout? set_election_timeout
//!        └──────── next_deadline_us(): when to tick next ◀──────────────────────────┘
//! ```
//!
//! # The persistence rule
//!
//! Make `hard_state`, then `snapshot`, then `log_truncate_from`, then `log_append` of a
//! [`Ready`] durable *before* sending any of its `messages`: a vote or an append acknowledgement promises that
//! the state behind it survives a crash. [`PersistentState::persist`] applies these
//! instructions exactly; [`Node::restart`] recovers from the result. Commit index, applied
//! index, role and leader are volatile and start over after a restart.
//!
//! # Time and timeouts
//!
//! `now_us` is the node's *local* clock in microseconds (the simulator may make it drift);
//! it must never decrease. Timers are deadlines in that local time: the election timer
//! (followers and candidates), the heartbeat, the CheckQuorum period and the transfer
//! timeout (leaders). [`Node::next_deadline_us`] reports the earliest, so an idle node costs
//! nothing until then; [`Node::tick`] fires whatever is due.
//!
//! Randomized election timeouts come from the driver: the node keeps one *staged* timeout
//! ([`Node::set_election_timeout`]), every election-timer reset uses it and sets
//! [`Ready::needs_election_timeout`], asking for a fresh random value.
//!
//! # Protocol notes
//!
//! - **Elections** (§5.2, §5.4.1): one persisted vote per term, the log up-to-date check,
//!   majority wins. With [`Config::pre_vote`] a node first probes with PreVote (§9.6): the
//!   probe carries `term + 1` without the candidate adopting it; voters grant without
//!   changing term or vote. With PreVote or CheckQuorum, a node that heard from a leader
//!   within `election_timeout_us_min` ignores vote requests unless they are part of a
//!   leadership transfer (§4.2.3) — this is also what makes lease reads safe.
//! - **Replication** (§5.3): prev-entry consistency check, truncation only from the first
//!   conflicting entry (a stale or reordered AppendEntries never removes entries), fast
//!   backtracking with a rejection hint, per-follower Probe/Replicate flow control
//!   ([`Progress`]) with an in-flight window of at most `inflight_msgs_max` messages of at
//!   most `entries_per_msg_max` entries ([`Event::InflightWindowFull`] when it fills). A
//!   rejection that is stale for the follower's current progress changes nothing (etcd's
//!   `MaybeDecrTo`); the window opens by one message per acknowledgement after a probe and
//!   closes to one on a rejection until the follower has caught up, so a link that
//!   reorders does not turn every burst into a round of rejections.
//! - **Commit** (§5.4.2): a new leader appends a no-op; only entries of the current term
//!   are committed by counting replicas ([`quorum`] holds the arithmetic).
//! - **Heartbeats** are separate messages carrying `min(leader commit, follower match)` and
//!   a round number. ReadIndex (§6.4) records the commit index (once the leader has
//!   committed an entry of its term), confirms leadership with a quorum-acknowledged round
//!   started after the request, and emits a [`ReadState`]; a single-node cluster confirms at
//!   once. Lease reads ([`ReadMode::Lease`], §6.4.1) serve at the commit index while
//!   `now < send time of the last quorum-acknowledged round + election_timeout_us_min -
//!   lease_clock_drift_us_max`, and fall back to ReadIndex otherwise; once TimeoutNow has
//!   been sent the lease is off for the rest of the term. Losing leadership moves pending
//!   reads to [`Ready::dropped_reads`].
//! - **CheckQuorum**: every `election_timeout_us_min` a leader checks that a quorum
//!   (counting itself) sent it anything since the last check; else it steps down
//!   ([`Event::CheckQuorumFailed`]).
//! - **Leadership transfer** (§3.10): proposals are refused while it runs; the target gets
//!   TimeoutNow once its log matches, campaigns at once (skipping PreVote) and its votes
//!   bypass the "heard from a leader" check; the transfer aborts after
//!   `election_timeout_us_min` ([`Event::TransferAborted`]).
//! - **Membership** (chapter 4): see the section below.
//! - **Snapshots** (chapter 5): the driver snapshots its state machine when
//!   [`Node::snapshot_due`] says so (every [`Config::snapshot_threshold_entries`] applied
//!   entries) and calls [`Node::compact`]; the log then starts after the snapshot, whose
//!   [`Snapshot`] records the last included id and the configuration in force there. A
//!   follower behind the compaction point gets [`Message::InstallSnapshot`] (whole: see
//!   [`InstallSnapshot`]) while its progress is in [`ReplicationState::Snapshot`], and
//!   the driver restores [`Ready::apply_snapshot`] before applying `committed_entries`.
//!   [`Node::restart`] takes the persisted snapshot plus the log after it.
//! - **Invariants**: [`Node::check_invariants`] runs after every input in debug builds
//!   (its table of invariants is in `invariants.rs`: log indexes, roles, each follower's
//!   [`Progress`], reads, transfer, tallies).
//! - **Reasons as data**: a refused vote carries a [`VoteRejection`], an ignored message an
//!   [`IgnoreReason`]; their English is made by `Display`, so a trace can hash a stable
//!   code.
//!
//! # Membership changes
//!
//! A [`Configuration`] is `{ incoming voters, outgoing voters (empty unless joint),
//! learners }`, carried in the log as [`EntryPayload::Config`]. The configuration in force
//! on a server is the latest one in its log, committed or not (§4.1): it takes effect when
//! the entry is appended and is rolled back when a truncation removes it
//! ([`Event::ConfigurationChanged`]). Before any configuration entry, the bootstrap
//! configuration given to [`Node::new`] / [`Node::restart`] is in force; a server joining
//! a running cluster is started with an empty one ([`Configuration::default`]).
//!
//! - **Quorums.** Votes, the commit index, ReadIndex and lease rounds and CheckQuorum need
//!   a majority of the incoming voters and, in a joint configuration, of the outgoing
//!   ones too ([`Configuration::vote_result`], [`Configuration::quorum_value`],
//!   [`Configuration::has_quorum`]). Learners count in none; vote requests go to voters
//!   only, and answers from non-voters are ignored.
//! - **Proposing** ([`Node::propose_membership`] with a [`MembershipChange`]): add a
//!   learner, add a voter, promote a learner, remove a server (single-server changes), or
//!   move to any configuration by joint consensus: the leader enters C_old,new and proposes
//!   C_new by itself once C_old,new commits ([`Event::JointLeaveProposed`]). One change at
//!   a time; the leader must have committed an entry of its own term first (the 2015 fix);
//!   a learner is promoted only once caught up. Refusals are [`MembershipError`] values.
//! - **Learners** receive the log and never campaign. *Caught up* means: the learner's
//!   match index was within [`Config::learner_caught_up_lag_entries_max`] entries of the
//!   leader's last index at each of the last [`Config::learner_caught_up_rounds_min`]
//!   heartbeat rounds ([`Progress::caught_up_rounds`], [`Node::is_caught_up`]).
//! - **Removed servers.** A leader that is not a voter of the configuration in force
//!   leads on without counting itself until that configuration commits, then steps down
//!   ([`Event::RemovedLeaderSteppedDown`]). A server that is not a voter of its
//!   configuration does not campaign — except, while that configuration is uncommitted,
//!   a voter of the previous one (it may hold the only log that can finish the change). A
//!   removed server that never learned of its removal keeps campaigning: PreVote and
//!   CheckQuorum make it harmless (its requests are refused while the leader is heard);
//!   with both off it disrupts the cluster (§4.2.3).
//!
//! ## Driving membership from a simulator
//!
//! ```text
//!   start a new server:   Node::new(id, config, Configuration::default(), timeout, now)
//!   add it as a learner:  leader.propose_membership(now, MembershipChange::AddLearner(id))
//!   catch-up meter:       leader.view().progress[..] (match_index, caught_up_rounds())
//!                         / Config::learner_caught_up_rounds_min; leader.is_caught_up(id)
//!   promote:              leader.propose_membership(now, MembershipChange::PromoteLearner(id))
//!   add a voter directly: leader.propose_membership(now, MembershipChange::AddVoter(id))
//!   remove (any member):  leader.propose_membership(now, MembershipChange::Remove(id))
//!   several at once:      leader.propose_membership(now, MembershipChange::Joint(target))
//!   draw:                 view().configuration (voters(), outgoing(), learners(),
//!                         is_joint()), view().configuration_index <= view().commit
//! ```
//!
//! A restarted server recovers its configuration from its log (the same bootstrap
//! configuration is passed again). Messages from servers outside the receiver's
//! configuration are processed as usual (a server may not yet know the configuration
//! that adds the sender), so the driver needs no routing rules of its own.
//!
//! # Teaching toggles
//!
//! [`TeachingToggles`] switch single rules off so the safety monitors can be seen catching
//! the bug: `vote_without_log_check` (a stale log can win and overwrite committed entries),
//! `commit_old_terms_by_counting` (Figure 8: a "committed" entry is overwritten),
//! `forget_vote_on_restart` (the persisted hard state carries no vote, so a restarted node
//! can vote twice in a term: two leaders), `skip_noop_on_election` (earlier-term entries
//! stay uncommitted and ReadIndex stalls until a client writes),
//! `change_membership_before_own_term_commit` (the 2015 single-server change bug: two
//! changes by leaders of different terms lead to non-overlapping majorities, two leaders
//! in one term; `testdata/membership_single_server_bug.txt`). When committed entries
//! are overwritten the node reports [`Event::CommittedEntriesTruncated`].
//!
//! # Example: a three-node cluster on a zero-latency network
//!
//! ```
//! use raft::{Config, Configuration, Node, NodeId, PersistentState, Role};
//! use std::collections::VecDeque;
//!
//! let ids = [NodeId(1), NodeId(2), NodeId(3)];
//! let conf = Configuration::new(ids);
//! // Node 1 gets the shortest election timeout, so it times out first.
//! let timeout = |id: NodeId| 160_000 + 40_000 * id.0 as u64;
//! let mut nodes: Vec<Node<String>> = ids
//!     .iter()
//!     .map(|&id| Node::new(id, Config::default(), conf.clone(), timeout(id), 0).unwrap())
//!     .collect();
//! let mut disks: Vec<PersistentState<String>> = ids
//!     .iter()
//!     .map(|_| PersistentState::default())
//!     .collect();
//! let mut applied: Vec<Vec<String>> = vec![Vec::new(); 3];
//! let mut network = VecDeque::new();
//! let mut now = 0;
//!
//! // The driving loop: persist, then send, then apply.
//! let mut drain = |i: usize, nodes: &mut Vec<Node<String>>, network: &mut VecDeque<_>| {
//!     let ready = nodes[i].take_ready();
//!     disks[i].persist(&ready);
//!     network.extend(ready.messages);
//!     for e in ready.committed_entries {
//!         if let raft::EntryPayload::Command(c) = e.payload {
//!             applied[i].push(c);
//!         }
//!     }
//!     if ready.needs_election_timeout {
//!         nodes[i].set_election_timeout(timeout(ids[i]));
//!     }
//! };
//!
//! let mut proposed = false;
//! while now < 1_000_000 {
//!     // Jump to the earliest deadline and fire it.
//!     let (t, i) = (0..3)
//!         .filter_map(|i| nodes[i].next_deadline_us().map(|t| (t, i)))
//!         .min()
//!         .unwrap();
//!     now = now.max(t);
//!     nodes[i].tick(now);
//!     drain(i, &mut nodes, &mut network);
//!     while let Some(env) = network.pop_front() {
//!         let to = env.to.0 as usize - 1;
//!         nodes[to].step(now, env.from, env.msg);
//!         drain(to, &mut nodes, &mut network);
//!     }
//!     if nodes[0].view().role == Role::Leader && !proposed {
//!         nodes[0].propose(now, "x=1".to_string()).unwrap();
//!         drain(0, &mut nodes, &mut network);
//!         proposed = true;
//!     }
//! }
//! assert_eq!(nodes[0].view().role, Role::Leader);
//! assert_eq!(disks[2].log.len(), 2); // the leader's no-op and the command
//! assert!(applied.iter().all(|a| a == &["x=1".to_string()]));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chunked;
mod config;
mod config_change;
mod config_history;
mod core;
mod entry;
mod event;
mod follower;
mod invariants;
mod leader;
mod learner;
mod log;
mod membership;
mod message;
mod node;
mod progress;
pub mod quorum;
mod reads;
mod ready;
mod reason;
mod replication;
mod role;
mod snapshot;
mod snapshot_data;
mod transfer;
mod types;
mod view;
mod vote;

pub use chunked::ChunkVec;
pub use config::{Config, ConfigError, ReadMode, TeachingToggles};
pub use config_change::{MembershipChange, MembershipError};
pub use entry::{Entry, EntryPayload};
pub use event::Event;
pub use membership::Configuration;
pub use message::{
    AppendEntries, AppendEntriesResponse, Envelope, Heartbeat, HeartbeatResponse, InstallSnapshot,
    Message, MessageKind, RequestVote, RequestVoteResponse, TimeoutNow,
};
pub use node::Node;
pub use progress::{Progress, ProgressView, ReplicationState};
pub use ready::{
    HardState, PersistentState, ProposeError, ReadError, ReadId, ReadState, Ready, SoftState,
    TransferError,
};
pub use reason::{IgnoreReason, VoteRejection};
pub use role::Role;
pub use snapshot::CompactError;
pub use snapshot_data::Snapshot;
pub use types::{EntryId, LogIndex, NodeId, Term};
pub use view::NodeView;
