//! Serializable views for the page: plain data, snake_case, every number below 2^53.

use crate::config::LinkConfig;
use crate::json::{FromJson, JsonResult, Obj, Value};
use crate::monitor::MonitorState;
use crate::vocab::vocab;
use crate::wire::{Endpoint, MsgKind};
use crate::world::{InFlight, Sim};
use raft::{EntryPayload, LogIndex, NodeId, ReplicationState, Role, Term};
use serde::Serialize;
use util::SmallMap;

/// At most this many log entries (the last ones) appear in a node view.
pub const VIEW_LOG_ENTRIES_MAX: usize = 256;

/// What a view includes: the page asks for less on every animation frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ViewOptions {
    /// At most this many log entries (the last ones) per node; capped at
    /// [`VIEW_LOG_ENTRIES_MAX`]. `log_len` and `log_first_index` stay exact.
    pub log_tail: usize,
    /// Include each node's state machine (`kv`); when false, `kv` is empty.
    pub kv: bool,
    /// Include each message's one-line `summary`; when false, it is empty (formatting
    /// hundreds of them is a good part of a busy frame's view).
    pub summaries: bool,
}

impl Default for ViewOptions {
    /// Everything: what [`crate::World::view`] returns.
    fn default() -> Self {
        ViewOptions {
            log_tail: VIEW_LOG_ENTRIES_MAX,
            kv: true,
            summaries: true,
        }
    }
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryInfo {
    /// Index.
    pub index: LogIndex,
    /// Term.
    pub term: Term,
    /// `noop` or the command (`c1#3 put x=1`).
    pub text: String,
    /// The current leader will overwrite this entry: it is past this node's commit index
    /// and differs in term from the leader's entry at its index, or lies past the leader's
    /// log with an older term (the leader writes its own term there). "The current leader"
    /// is the live leader with the highest term. Absent from JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overwritten: bool,
}

/// A leader's view of one follower.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgressInfo {
    /// Follower.
    pub node: NodeId,
    /// Match index.
    pub match_index: LogIndex,
    /// Next index.
    pub next_index: LogIndex,
    /// `probe` or `replicate`.
    pub state: String,
    /// AppendEntries in flight.
    pub inflight_msgs: u64,
    /// Heard from recently.
    pub recent_active: bool,
    /// Consecutive heartbeat rounds the follower was caught up (the learners' catch-up
    /// meter: promotion needs [`NodeInfo::learner_caught_up_rounds_min`]).
    pub caught_up_rounds: u32,
}

/// The configuration in force on a node (the latest in its log, committed or not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MembershipInfo {
    /// Voters of the configuration being entered (of the only one when simple).
    pub voters: Vec<NodeId>,
    /// Voters of the configuration being left (empty unless joint): while joint, a
    /// quorum needs a majority of `voters` and a majority of `outgoing`.
    pub outgoing: Vec<NodeId>,
    /// Non-voting members that receive the log.
    pub learners: Vec<NodeId>,
    /// Joint consensus (C_old,new) in force.
    pub joint: bool,
    /// The log index of the configuration's entry (0 for the bootstrap configuration).
    pub index: LogIndex,
    /// The entry is committed on this node.
    pub committed: bool,
}

/// A node's snapshot boundary: the log before it is compacted away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    /// Last entry the snapshot replaces.
    pub last_included_index: LogIndex,
    /// Its term.
    pub last_included_term: Term,
    /// State machine bytes.
    pub size_bytes: u64,
}

/// One node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeInfo {
    /// Id.
    pub id: NodeId,
    /// Crashed (no volatile state; role is `null`).
    pub crashed: bool,
    /// Paused (stop-the-world).
    pub paused: bool,
    /// Role, `null` when crashed.
    pub role: Option<Role>,
    /// Current term (from disk when crashed).
    pub term: Term,
    /// Vote in `term`.
    pub vote: Option<NodeId>,
    /// Known leader.
    pub leader: Option<NodeId>,
    /// Commit index.
    pub commit: LogIndex,
    /// Applied index.
    pub applied: LogIndex,
    /// Index of the last entry: the number of entries in the log, counting the ones a
    /// snapshot compacted (`snapshot.last_included_index` and before).
    pub log_len: u64,
    /// Index of `log[0]` (the view keeps the last `VIEW_LOG_ENTRIES_MAX`).
    pub log_first_index: LogIndex,
    /// The (tail of the) log.
    pub log: Vec<EntryInfo>,
    /// Election timer, global µs.
    pub election_deadline_us: Option<u64>,
    /// Global µs at which the current election timer was armed (when the node's reported
    /// election deadline last changed); `null` when no election timer runs.
    pub election_timer_armed_us: Option<u64>,
    /// Next heartbeat, global µs.
    pub heartbeat_deadline_us: Option<u64>,
    /// Lease end, global µs.
    pub lease_until_us: Option<u64>,
    /// Leader's progress per follower.
    pub progress: Vec<ProgressInfo>,
    /// Votes in the current (pre-)election: (voter, granted).
    pub votes: Vec<(NodeId, bool)>,
    /// Leadership transfer target.
    pub transfer_target: Option<NodeId>,
    /// Clock drift, ppm.
    pub drift_ppm: i32,
    /// The node's local clock now, µs.
    pub local_time_us: u64,
    /// The state machine.
    pub kv: SmallMap<String, String>,
    /// Times restarted.
    pub restarts: u32,
    /// The configuration in force, `null` when crashed.
    pub membership: Option<MembershipInfo>,
    /// The latest snapshot (the log's compaction point), `null` when none (from disk when
    /// crashed).
    pub snapshot: Option<SnapshotInfo>,
    /// Caught-up rounds a learner needs before promotion (the meter's full scale).
    pub learner_caught_up_rounds_min: u32,
    /// How the node lies (`set_byzantine`), `null` when honest.
    pub byzantine: Option<crate::byzantine::ByzantineMode>,
    /// An AP store replica's versions (left out in a Raft world; `kv` holds its values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ap: Option<ApReplicaInfo>,
}

/// An AP store replica in a view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApReplicaInfo {
    /// Every version it holds (its disk's while crashed), by key.
    pub versions: Vec<ApVersionInfo>,
    /// Client requests it is coordinating.
    pub pending_requests: usize,
}

/// One key's version at a replica.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApVersionInfo {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
    /// The write's stamp: its coordinator's local µs (Lamport-raised) ...
    pub stamp_us: u64,
    /// ... and the coordinator.
    pub stamp_node: NodeId,
}

vocab! {
    /// Where an in-flight message is.
    pub enum MessageState {
        /// On its way: arrives at `deliver_at_us`.
        InFlight = "in_flight",
        /// Held by the user until released.
        Held = "held",
        /// Arrived at a paused node, waiting for it to resume.
        Waiting = "waiting",
    }
    impl Serialize;
}

/// One in-flight message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageInfo {
    /// Stable id.
    pub id: u64,
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// Kind.
    pub kind: MsgKind,
    /// One line.
    pub summary: String,
    /// Send time.
    pub sent_at_us: u64,
    /// Planned arrival.
    pub deliver_at_us: u64,
    /// Where it is.
    pub state: MessageState,
    /// An InstallSnapshot's snapshot: last included index and term, data size in bytes.
    /// Left out of JSON for every other kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotInfo>,
}

/// One directed link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkInfo {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Settings (including `up`).
    #[serde(flatten)]
    pub config: LinkConfig,
    /// Messages in flight on it.
    pub in_flight: u32,
}

/// A client's outstanding operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PendingInfo {
    /// History id.
    pub op: u64,
    /// Sequence number.
    pub seq: u64,
    /// `put x=1`.
    pub text: String,
    /// Node of the current attempt.
    pub target: NodeId,
    /// Attempts so far.
    pub attempts: u32,
    /// First invocation.
    pub invoke_us: u64,
}

/// One client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientInfo {
    /// Id.
    pub id: u32,
    /// Where it thinks the leader is.
    pub leader_guess: Option<NodeId>,
    /// Outstanding operation.
    pub pending: Option<PendingInfo>,
    /// Manual operations waiting.
    pub queued: u32,
    /// Operations finished ok / failed / unknown.
    pub done_ok: u64,
    /// See `done_ok`.
    pub done_failed: u64,
    /// See `done_ok`.
    pub done_unknown: u64,
}

/// Network: links and the partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkInfo {
    /// Every directed link between distinct nodes.
    pub links: Vec<LinkInfo>,
    /// The last partition applied (until `heal`).
    pub partition: Option<Vec<Vec<NodeId>>>,
    /// Active `drop_next`/`hold_next` rules: (hold, remaining).
    pub rules: Vec<(bool, u32)>,
    /// Messages refused because a link was full.
    pub link_overflows: u64,
}

/// Everything at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorldView {
    /// Virtual time.
    pub now_us: u64,
    /// The world's seed.
    pub seed: u64,
    /// Nodes.
    pub nodes: Vec<NodeInfo>,
    /// The current leader: the live leader with the highest term (`null` when none). Its
    /// log decides what the others keep ([`EntryInfo::overwritten`]).
    pub leader: Option<NodeId>,
    /// Messages.
    pub messages: Vec<MessageInfo>,
    /// Network.
    pub network: NetworkInfo,
    /// Clients.
    pub clients: Vec<ClientInfo>,
    /// Monitors.
    pub monitors: Vec<MonitorState>,
    /// Trace hash, 16 hex digits.
    pub trace_hash: String,
    /// Events processed.
    pub events: u64,
}

pub(crate) fn message_info(m: &InFlight, opts: &ViewOptions) -> MessageInfo {
    MessageInfo {
        id: m.id,
        from: m.from,
        to: m.to,
        kind: m.payload.kind(),
        summary: if opts.summaries {
            format!("{}->{} {}", m.from, m.to, m.payload)
        } else {
            String::new()
        },
        sent_at_us: m.sent_at_us,
        deliver_at_us: m.deliver_at_us,
        state: if m.held {
            MessageState::Held
        } else if m.waiting {
            MessageState::Waiting
        } else {
            MessageState::InFlight
        },
        snapshot: match &m.payload {
            crate::wire::Payload::Raft(raft::Message::InstallSnapshot(i)) => {
                Some(snapshot_info(&i.snapshot))
            }
            _ => None,
        },
    }
}

fn snapshot_info(s: &raft::Snapshot) -> SnapshotInfo {
    SnapshotInfo {
        last_included_index: s.last_included.index,
        last_included_term: s.last_included.term,
        size_bytes: s.data.len() as u64,
    }
}

impl Sim {
    /// Node `n`'s view; `leader` is [`Sim::current_leader`], found once per view.
    pub(crate) fn node_info(
        &self,
        n: NodeId,
        opts: &ViewOptions,
        leader: Option<NodeId>,
    ) -> NodeInfo {
        let node = &self.nodes[n.0 as usize - 1];
        let g = |l: Option<u64>| l.map(|l| node.clock.global_at_or_after(l));
        let tail = opts.log_tail.min(VIEW_LOG_ENTRIES_MAX);
        // The log in memory (or on disk when crashed) holds the entries after the
        // snapshot's last included index.
        let (entries, snapshot_index) = match node.raft.as_ref() {
            Some(r) => {
                let v = r.view();
                let at = v.snapshot.map_or(0, |s| s.last_included.index.0);
                (v.log, at)
            }
            None => (&node.disk.log, node.disk.snapshot_index().0),
        };
        let first = entries.len().saturating_sub(tail);
        let mut log: Vec<EntryInfo> = entries.range(first, usize::MAX).map(entry_info).collect();
        self.mark_overwritten(n, leader, &mut log);
        let log_len = snapshot_index + entries.len() as u64;
        let log_first_index = LogIndex(snapshot_index + first as u64 + 1);
        let learner_caught_up_rounds_min = self.config.raft_config().learner_caught_up_rounds_min;
        let byzantine = self
            .byzantine
            .filter(|(liar, _)| *liar == n)
            .map(|(_, m)| m);
        let mut info = match node.raft.as_ref() {
            Some(r) => {
                let v = r.view();
                NodeInfo {
                    id: n,
                    crashed: false,
                    paused: node.paused,
                    role: Some(v.role),
                    term: v.term,
                    vote: v.vote,
                    leader: v.leader,
                    commit: v.commit,
                    applied: v.applied,
                    log_len,
                    log_first_index,
                    log,
                    election_deadline_us: g(v.election_deadline_us),
                    election_timer_armed_us: v.election_deadline_us.and(node.election_armed_us),
                    heartbeat_deadline_us: g(v.heartbeat_deadline_us),
                    lease_until_us: g(v.lease_until_us),
                    progress: v
                        .progress
                        .iter()
                        .map(|p| ProgressInfo {
                            node: p.node,
                            match_index: p.match_index,
                            next_index: p.next_index,
                            state: match p.state {
                                ReplicationState::Probe => "probe",
                                ReplicationState::Replicate => "replicate",
                                ReplicationState::Snapshot => "snapshot",
                            }
                            .to_string(),
                            inflight_msgs: p.inflight_msgs() as u64,
                            recent_active: p.recent_active,
                            caught_up_rounds: p.caught_up_rounds(),
                        })
                        .collect(),
                    votes: v.votes.to_vec(),
                    transfer_target: v.transfer_target,
                    drift_ppm: node.clock.drift_ppm(),
                    local_time_us: node.clock.local(self.now_us),
                    kv: if opts.kv {
                        node.kv.data().clone()
                    } else {
                        SmallMap::default()
                    },
                    restarts: node.restarts,
                    membership: Some(MembershipInfo {
                        voters: v.configuration.voters().to_vec(),
                        outgoing: v.configuration.outgoing().to_vec(),
                        learners: v.configuration.learners().to_vec(),
                        joint: v.configuration.is_joint(),
                        index: v.configuration_index,
                        committed: v.configuration_index <= v.commit,
                    }),
                    snapshot: v.snapshot.map(snapshot_info),
                    learner_caught_up_rounds_min,
                    byzantine,
                    ap: None,
                }
            }
            None => NodeInfo {
                id: n,
                crashed: true,
                paused: false,
                role: None,
                term: node.disk.hard_state.term,
                vote: node.disk.hard_state.vote,
                leader: None,
                commit: LogIndex(0),
                applied: LogIndex(0),
                log_len,
                log_first_index,
                log,
                election_deadline_us: None,
                election_timer_armed_us: None,
                heartbeat_deadline_us: None,
                lease_until_us: None,
                progress: Vec::new(),
                votes: Vec::new(),
                transfer_target: None,
                drift_ppm: node.clock.drift_ppm(),
                local_time_us: node.clock.local(self.now_us),
                kv: SmallMap::default(),
                restarts: node.restarts,
                membership: None,
                snapshot: node.disk.snapshot.as_ref().map(snapshot_info),
                learner_caught_up_rounds_min,
                byzantine,
                ap: None,
            },
        };
        if let Some(a) = node.ap.as_ref().filter(|_| self.is_ap()) {
            let (durable, pending_requests) = match &a.replica {
                Some(r) => (r.durable(), r.pending_requests()),
                None => (&a.disk, 0),
            };
            info.crashed = a.replica.is_none();
            info.paused = node.paused;
            if opts.kv && a.replica.is_some() {
                info.kv = a.values().unwrap_or_default();
            }
            info.ap = Some(ApReplicaInfo {
                versions: durable
                    .store
                    .iter()
                    .map(|(k, v)| ApVersionInfo {
                        key: k.clone(),
                        value: v.value.clone(),
                        stamp_us: v.stamp.time_us,
                        stamp_node: v.stamp.node,
                    })
                    .collect(),
                pending_requests,
            });
        }
        info
    }

    /// The current leader: the live leader with the highest term (the lowest id among
    /// equals, which only a teaching toggle allows). Its log decides what the others keep.
    pub(crate) fn current_leader(&self) -> Option<NodeId> {
        self.live_leaders()
            .max_by_key(|x| (x.term, std::cmp::Reverse(x.id)))
            .map(|x| x.id)
    }

    /// The live nodes whose last reported role is leader (`World::leaders` lists them).
    pub(crate) fn live_leaders(&self) -> impl Iterator<Item = &crate::world::SimNode> {
        self.nodes
            .iter()
            .filter(|x| x.raft.is_some() && x.role == Role::Leader)
    }

    /// Sets [`EntryInfo::overwritten`] on node `n`'s shown entries (the rule is on the
    /// field), given the [`Sim::current_leader`].
    fn mark_overwritten(&self, n: NodeId, leader: Option<NodeId>, log: &mut [EntryInfo]) {
        let Some(leader) = leader.filter(|&l| l != n) else {
            return;
        };
        let Some(leader) = self.nodes[leader.0 as usize - 1]
            .raft
            .as_ref()
            .map(|r| r.view())
        else {
            return;
        };
        let commit = self.nodes[n.0 as usize - 1]
            .raft
            .as_ref()
            .map_or(LogIndex(0), |r| r.view().commit);
        let compacted = leader.snapshot.map_or(0, |s| s.last_included.index.0);
        for e in log.iter_mut().filter(|e| e.index > commit) {
            // An index the leader compacted is committed, and so is its own entry there.
            let Some(pos) = e.index.0.checked_sub(compacted + 1) else {
                let t = leader.snapshot.map(|s| s.last_included);
                e.overwritten = t.is_some_and(|t| t.index == e.index && t.term != e.term);
                continue;
            };
            e.overwritten = match leader.log.get(pos as usize) {
                Some(l) => l.id.term != e.term,
                None => e.term < leader.term,
            };
        }
    }

    pub(crate) fn network_info(&self) -> NetworkInfo {
        let n = self.node_count();
        let mut links = Vec::new();
        for a in 1..=n {
            for b in 1..=n {
                if a != b {
                    let li = ((a - 1) * n + (b - 1)) as usize;
                    links.push(LinkInfo {
                        from: NodeId(a),
                        to: NodeId(b),
                        config: self.links[li],
                        in_flight: self.link_inflight[li],
                    });
                }
            }
        }
        NetworkInfo {
            links,
            partition: self.partition.clone(),
            rules: self.rules.iter().map(|r| (r.hold, r.remaining)).collect(),
            link_overflows: self.link_overflows,
        }
    }

    pub(crate) fn client_infos(&self) -> Vec<ClientInfo> {
        let mut done = vec![(0u64, 0u64, 0u64); self.clients.len()];
        for op in &self.history {
            let i = op.client as usize - 1;
            let pending = self.clients[i]
                .current
                .as_ref()
                .is_some_and(|p| p.hist as u64 == op.id);
            if pending {
                continue;
            }
            match op.outcome {
                crate::history::Outcome::Ok => done[i].0 += 1,
                crate::history::Outcome::Failed => done[i].1 += 1,
                crate::history::Outcome::Unknown => done[i].2 += 1,
            }
        }
        self.clients
            .iter()
            .map(|c| ClientInfo {
                id: c.id,
                leader_guess: c.guess,
                pending: c.current.as_ref().map(|p| PendingInfo {
                    op: p.hist as u64,
                    seq: p.seq,
                    text: p.op.to_string(),
                    target: p.target,
                    attempts: p.attempts,
                    invoke_us: self.history[p.hist].invoke_us,
                }),
                queued: c.queue.len() as u32,
                done_ok: done[c.id as usize - 1].0,
                done_failed: done[c.id as usize - 1].1,
                done_unknown: done[c.id as usize - 1].2,
            })
            .collect()
    }
}

pub(crate) fn entry_info(e: &raft::Entry<crate::kv::KvCommand>) -> EntryInfo {
    EntryInfo {
        index: e.id.index,
        term: e.id.term,
        text: match &e.payload {
            EntryPayload::Command(c) => c.to_string(),
            _ => "noop".to_string(),
        },
        overwritten: false,
    }
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

impl FromJson for ViewOptions {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct ViewOptions", &["log_tail", "kv", "summaries"])?;
        let d = ViewOptions::default();
        Ok(ViewOptions {
            log_tail: o.or("log_tail", d.log_tail)?,
            kv: o.or("kv", d.kv)?,
            summaries: o.or("summaries", d.summaries)?,
        })
    }
}
