//! What every role shares: identity, configuration, term and vote, the log, commit and
//! applied indexes, the election timer, the clock and the outputs being collected.
//!
//! Role handlers borrow their own state and the `Core` at the same time (style.md,
//! "Role-owned state without `Deref`"): leader methods take `core: &mut Core<C>`.

use crate::config::Config;
use crate::config_history::ConfigHistory;
use crate::entry::Entry;
use crate::event::Event;
use crate::log::RaftLog;
use crate::membership::Configuration;
use crate::message::{
    AppendEntriesResponse, Envelope, HeartbeatResponse, Message, RequestVoteResponse,
};
use crate::ready::{HardState, Ready, SoftState};
use crate::reason::IgnoreReason;
use crate::snapshot_data::Snapshot;
use crate::types::{LogIndex, NodeId, Term};

/// Everything except the role's own state.
#[derive(Clone, Debug)]
pub(crate) struct Core<C> {
    pub(crate) id: NodeId,
    pub(crate) config: Config,
    /// The configuration in force and where it comes from (the latest configuration entry
    /// of the log).
    pub(crate) configs: ConfigHistory,
    /// The other members of the configuration in force (voters of either half and
    /// learners), in id order (the leader's progress uses the same order).
    pub(crate) peers: Vec<NodeId>,
    pub(crate) term: Term,
    pub(crate) vote: Option<NodeId>,
    pub(crate) leader: Option<NodeId>,
    pub(crate) log: RaftLog<C>,
    /// The latest snapshot (taken here or installed from a leader), sent to followers
    /// behind the compaction point.
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) commit: LogIndex,
    pub(crate) applied: LogIndex,
    /// The staged election timeout, used by the next timer reset.
    pub(crate) election_timeout_us: u64,
    pub(crate) election_deadline_us: Option<u64>,
    /// Local time of the last AppendEntries/Heartbeat from the leader of the current term.
    pub(crate) leader_contact_us: Option<u64>,
    pub(crate) now_us: u64,
    pub(crate) ready: Ready<C>,
    /// The hard state the driver has last been told to persist.
    pub(crate) persisted_hard_state: HardState,
    pub(crate) reported_soft_state: SoftState,
}

/// The members of `conf` other than `id`, in id order.
pub(crate) fn peers_of(conf: &Configuration, id: NodeId) -> Vec<NodeId> {
    let mut peers = conf.members();
    peers.retain(|&p| p != id);
    peers
}

impl<C: Clone> Core<C> {
    /// The configuration in force.
    pub(crate) fn configuration(&self) -> &Configuration {
        self.configs.current()
    }

    /// Whether this server starts elections when its timer fires: when it is a voter of
    /// the configuration in force, or — while that configuration is not known to be
    /// committed — a voter of the one before it (a leader that removed itself and lost
    /// leadership before the change committed may be the only server able to finish it:
    /// its log is the longest). Learners and servers that were never voters do not.
    pub(crate) fn may_campaign(&self) -> bool {
        let id = self.id;
        self.configuration().is_voter(id)
            || (self.configs.current_index() > self.commit
                && self.configs.previous().is_some_and(|c| c.is_voter(id)))
    }

    /// Appends an entry that directly follows the last one, to the log and to the
    /// persistence instructions; returns whether it changed the configuration in force
    /// (the caller that leads then brings its progress in step).
    pub(crate) fn append_entry(&mut self, entry: Entry<C>) -> bool {
        let changed = self.configs.on_append(&entry);
        self.ready.log_append.push(entry.clone());
        self.log.append(entry);
        if changed {
            self.configuration_changed(false);
        }
        changed
    }

    /// The configuration in force changed: recompute the peers and report it.
    pub(crate) fn configuration_changed(&mut self, rolled_back: bool) {
        self.peers = peers_of(self.configs.current(), self.id);
        let configuration = Box::new(self.configs.current().clone());
        self.event(Event::ConfigurationChanged {
            index: self.configs.current_index(),
            configuration,
            rolled_back,
        });
    }

    pub(crate) fn event(&mut self, e: Event) {
        self.ready.events.push(e);
    }

    pub(crate) fn ignore(&mut self, from: NodeId, reason: IgnoreReason) {
        self.event(Event::MessageIgnored { from, reason });
    }

    pub(crate) fn send(&mut self, to: NodeId, msg: Message<C>) {
        self.ready.messages.push(Envelope {
            from: self.id,
            to,
            msg,
        });
    }

    /// Sends `msg()` to every other voter of the configuration in force (vote requests:
    /// learners have no vote to give).
    pub(crate) fn broadcast_to_voters(&mut self, mut msg: impl FnMut() -> Message<C>) {
        for i in 0..self.peers.len() {
            let to = self.peers[i];
            if self.configs.current().is_voter(to) {
                let m = msg();
                self.send(to, m);
            }
        }
    }

    pub(crate) fn peer_index(&self, id: NodeId) -> Option<usize> {
        self.peers.iter().position(|&p| p == id)
    }

    pub(crate) fn reset_election_timer(&mut self) {
        self.election_deadline_us = Some(self.now_us.saturating_add(self.election_timeout_us));
        self.ready.needs_election_timeout = true;
    }

    pub(crate) fn heard_from_leader(&mut self, from: NodeId) {
        self.leader = Some(from);
        self.leader_contact_us = Some(self.now_us);
        self.reset_election_timer();
    }

    pub(crate) fn own_term_committed(&self) -> bool {
        self.log.term_at(self.commit) == Some(self.term)
    }

    pub(crate) fn advance_commit(&mut self, to: LogIndex) {
        if to > self.commit {
            self.event(Event::CommitAdvanced {
                from: self.commit,
                to,
            });
            self.commit = to;
        }
    }

    /// A message from an older term: answer requests with the current term so the sender
    /// steps down (§5.1); drop everything else.
    pub(crate) fn reply_to_stale(&mut self, from: NodeId, msg: Message<C>) {
        let term = self.term;
        let reply = match &msg {
            Message::AppendEntries(ae) => {
                Some(Message::AppendEntriesResponse(AppendEntriesResponse {
                    term,
                    success: false,
                    index: ae.prev.index,
                    reject_hint: None,
                }))
            }
            Message::Heartbeat(hb) => Some(Message::HeartbeatResponse(HeartbeatResponse {
                term,
                round: hb.round,
            })),
            Message::InstallSnapshot(m) => {
                Some(Message::AppendEntriesResponse(AppendEntriesResponse {
                    term,
                    success: false,
                    index: m.snapshot.last_included.index,
                    reject_hint: None,
                }))
            }
            Message::RequestVote(rv) => Some(Message::RequestVoteResponse(RequestVoteResponse {
                term,
                granted: false,
                pre_vote: rv.pre_vote,
            })),
            _ => None,
        };
        let kind = msg.kind();
        self.ignore(from, IgnoreReason::StaleTerm { kind });
        if let Some(reply) = reply {
            self.send(from, reply);
        }
    }
}
