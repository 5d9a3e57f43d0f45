//! One server's protocol state machine: the API, [`Node::step`] with the term rule, and
//! the role changes.
//!
//! Shape (style habit 3): [`Node::step`] applies the term rule first, answers vote
//! requests (the same for every role), then dispatches to the handler of the current
//! role. The role is an enum whose variants own their state — only a leader has follower
//! progress, only a (pre-)candidate has a tally — and it changes only in the `become_*`
//! functions. Everything that is not role state lives in [`Core`], so role handlers can
//! borrow their state and the core at the same time.
//!
//! Where the rest lives:
//!
//! | file | what |
//! | --- | --- |
//! | `core.rs` | state every role shares, output helpers |
//! | `vote.rs` | RequestVote / PreVote, the "heard from a leader recently" rule |
//! | `follower.rs` | AppendEntries and heartbeats on a follower |
//! | `leader.rs` | leader state, timers, CheckQuorum, heartbeat rounds, transfer actions |
//! | `replication.rs` | sending AppendEntries, acting on answers, commit |
//! | `progress.rs` | one follower's progress and flow control |
//! | `reads.rs` | ReadIndex queue and lease |
//! | `transfer.rs` | leadership transfer bookkeeping |
//! | `config_change.rs`, `config_history.rs`, `learner.rs` | membership changes |
//! | `snapshot.rs` | compaction and InstallSnapshot |
//! | `invariants.rs` | [`Node::check_invariants`] |

use crate::config::{Config, ConfigError, ReadMode, TeachingToggles};
use crate::config_history::ConfigHistory;
use crate::core::{peers_of, Core};
use crate::entry::{Entry, EntryPayload};
use crate::event::Event;
use crate::leader::LeaderState;
use crate::log::RaftLog;
use crate::membership::Configuration;
use crate::message::{Message, RequestVote};
use crate::quorum::VoteResult;
use crate::ready::{
    HardState, PersistentState, ProposeError, ReadError, ReadId, Ready, SoftState, TransferError,
};
use crate::reason::{IgnoreReason, VoteRejection};
use crate::role::Role;
use crate::types::{EntryId, NodeId, Term};
use crate::view::NodeView;

/// A Raft server. See the crate docs for the driving loop.
///
/// Invariants (checked by [`Node::check_invariants`] after every input in debug builds;
/// the full table is in `invariants.rs`): `applied <= commit <= last log index`; the last
/// log term is at most the current term; a leader knows itself as leader, has voted for
/// itself and has no election timer; every other role has an election timer; each
/// follower's [`crate::Progress`] has `match < next <= last + 1` and at most its window of
/// messages in flight.
#[derive(Clone, Debug)]
pub struct Node<C> {
    pub(crate) core: Core<C>,
    pub(crate) role: RoleState,
}

#[derive(Clone, Debug)]
pub(crate) enum RoleState {
    Follower,
    PreCandidate(Tally),
    Candidate(Tally),
    Leader(Box<LeaderState>),
}

/// Votes received in one (pre-)election, in arrival order; the node's own vote first.
#[derive(Clone, Debug)]
pub(crate) struct Tally {
    pub(crate) votes: Vec<(NodeId, bool)>,
}

impl<C: Clone> Node<C> {
    /// A fresh server with an empty log in term 0, as a follower whose election timer fires
    /// at `now_us + election_timeout_us`.
    pub fn new(
        id: NodeId,
        config: Config,
        configuration: Configuration,
        election_timeout_us: u64,
        now_us: u64,
    ) -> Result<Self, ConfigError> {
        Self::restart(
            id,
            config,
            configuration,
            PersistentState::default(),
            election_timeout_us,
            now_us,
        )
    }

    /// A server recovering from persisted state after a crash: term, vote and log come back;
    /// commit index, applied index, role and leader are volatile and start over (the state
    /// machine is rebuilt by re-applying committed entries as the commit index is learned).
    ///
    /// `configuration` is the one the cluster was bootstrapped with, in force until the
    /// log holds a configuration entry (then the latest such entry is in force); with a
    /// persisted snapshot, the snapshot's configuration takes its place, commit and applied
    /// start at the snapshot's index, and the first ready hands the snapshot back in
    /// [`Ready::apply_snapshot`] for the driver to restore its state machine. A server
    /// joining a running cluster starts with an empty configuration (or any that does not
    /// name it as a voter): it never campaigns, and learns its configuration from the
    /// leader's log.
    pub fn restart(
        id: NodeId,
        config: Config,
        configuration: Configuration,
        persisted: PersistentState<C>,
        election_timeout_us: u64,
        now_us: u64,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        configuration.validate().map_err(|problem| ConfigError {
            field: "configuration",
            problem,
        })?;
        let snapshot_id = persisted
            .snapshot
            .as_ref()
            .map_or(EntryId::default(), |s| s.last_included);
        let log = RaftLog::new(snapshot_id, persisted.log).map_err(|problem| ConfigError {
            field: "persisted.log",
            problem,
        })?;
        let hs = persisted.hard_state;
        if log.last_id().term > hs.term {
            return Err(ConfigError {
                field: "persisted.hard_state",
                problem: format!("term {} is below the last log term", hs.term),
            });
        }
        // A snapshot's configuration replaces the bootstrap one.
        let base = persisted
            .snapshot
            .as_ref()
            .map_or(configuration, |s| s.configuration.clone());
        let configs = ConfigHistory::new(base, snapshot_id.index, &log);
        let peers = peers_of(configs.current(), id);
        let core = Core {
            id,
            config,
            configs,
            peers,
            term: hs.term,
            vote: hs.vote,
            leader: None,
            log,
            snapshot: persisted.snapshot.clone(),
            // What the snapshot holds is committed and, once restored, applied.
            commit: snapshot_id.index,
            applied: snapshot_id.index,
            election_timeout_us,
            election_deadline_us: Some(now_us.saturating_add(election_timeout_us)),
            leader_contact_us: None,
            now_us,
            ready: Ready {
                apply_snapshot: persisted.snapshot.map(Box::new),
                ..Ready::default()
            },
            persisted_hard_state: hs,
            reported_soft_state: SoftState {
                role: Role::Follower,
                term: hs.term,
                leader: None,
            },
        };
        let node = Node {
            core,
            role: RoleState::Follower,
        };
        node.debug_check();
        Ok(node)
    }

    /// Stages the next randomized election timeout. Each reset of the election timer uses the
    /// staged value and sets [`Ready::needs_election_timeout`].
    pub fn set_election_timeout(&mut self, election_timeout_us: u64) {
        self.core.election_timeout_us = election_timeout_us;
    }

    /// When the election timer fires (node-local µs); `None` while it is not armed. The same
    /// as [`NodeView::election_deadline_us`], without building a view.
    pub fn election_deadline_us(&self) -> Option<u64> {
        self.core.election_deadline_us
    }

    /// The earliest node-local time at which [`Node::tick`] has work to do; `None` when no
    /// timer is armed. A driver that calls `tick` only at this time simulates idle nodes
    /// at no cost.
    pub fn next_deadline_us(&self) -> Option<u64> {
        match &self.role {
            RoleState::Leader(ls) => Some(ls.next_deadline_us()),
            _ => self.core.election_deadline_us,
        }
    }

    /// Advances the node's clock to `now_us` and fires due timers (election timeout,
    /// heartbeat, CheckQuorum, transfer timeout). `now_us` never decreases across calls.
    pub fn tick(&mut self, now_us: u64) {
        self.advance_clock(now_us);
        let now = self.core.now_us;
        let quorum_held = match &mut self.role {
            RoleState::Leader(ls) => ls.tick(&mut self.core),
            _ => {
                if self.core.election_deadline_us.is_some_and(|d| now >= d) {
                    self.election_timeout();
                }
                true
            }
        };
        if !quorum_held {
            let term = self.core.term;
            self.core.event(Event::CheckQuorumFailed { term });
            self.become_follower(term, None);
        }
        self.after_input();
    }

    /// Handles a message from `from` received at `now_us`.
    pub fn step(&mut self, now_us: u64, from: NodeId, msg: Message<C>) {
        self.advance_clock(now_us);
        self.step_message(from, msg);
        self.after_input();
    }

    /// Proposes a command. On a leader the command is appended to the log and replicated;
    /// the returned id is where it will commit if this leader stays in power.
    pub fn propose(&mut self, now_us: u64, command: C) -> Result<EntryId, ProposeError> {
        let RoleState::Leader(ls) = &mut self.role else {
            return Err(ProposeError::NotLeader {
                leader_hint: self.core.leader,
            });
        };
        if ls.transfer.target().is_some() {
            return Err(ProposeError::TransferInProgress);
        }
        self.advance_clock(now_us);
        let id = self.append_as_leader(EntryPayload::Command(command));
        self.after_input();
        Ok(id)
    }

    /// Requests a linearizable read by the configured [`crate::ReadMode`]. When it can be
    /// served, a [`crate::ReadState`] with this `id` appears in a later (or the next) ready.
    pub fn read(&mut self, now_us: u64, id: ReadId) -> Result<(), ReadError> {
        if !matches!(self.role, RoleState::Leader(_)) {
            return Err(ReadError::NotLeader {
                leader_hint: self.core.leader,
            });
        }
        self.advance_clock(now_us);
        if let RoleState::Leader(ls) = &mut self.role {
            ls.read(&mut self.core, id);
        }
        self.after_input();
        Ok(())
    }

    /// Starts transferring leadership to `to` (§3.10): stop accepting proposals, bring `to`
    /// up to date, then send it TimeoutNow.
    pub fn transfer_leadership(&mut self, now_us: u64, to: NodeId) -> Result<(), TransferError> {
        if !matches!(self.role, RoleState::Leader(_)) {
            return Err(TransferError::NotLeader {
                leader_hint: self.core.leader,
            });
        }
        if to == self.core.id || !self.core.configuration().is_voter(to) {
            return Err(TransferError::InvalidTarget(to));
        }
        self.advance_clock(now_us);
        if let RoleState::Leader(ls) = &mut self.role {
            ls.start_transfer(&mut self.core, to);
        }
        self.after_input();
        Ok(())
    }

    /// Switches the teaching toggles of a running node (the playground's settings act at
    /// once, not at the next restart). Each toggle is consulted when its rule applies, so
    /// the change takes effect from the next input on.
    pub fn set_toggles(&mut self, toggles: TeachingToggles) {
        self.core.config.toggles = toggles;
        self.debug_check();
    }

    /// Switches the read path of a running node. Reads already accepted finish by the path
    /// they started on. Fails, changing nothing, when the lease would be empty.
    pub fn set_read_mode(&mut self, read_mode: ReadMode) -> Result<(), ConfigError> {
        let config = Config {
            read_mode,
            ..self.core.config.clone()
        };
        config.validate()?;
        self.core.config = config;
        self.debug_check();
        Ok(())
    }

    /// Makes the election timer fire now (the UI's "force timeout"). A leader ignores it.
    pub fn campaign(&mut self, now_us: u64) {
        self.advance_clock(now_us);
        if !matches!(self.role, RoleState::Leader(_)) {
            self.election_timeout();
        }
        self.after_input();
    }

    /// Whether [`Node::take_ready`] would return anything.
    pub fn has_ready(&self) -> bool {
        !self.core.ready.is_empty()
    }

    /// Drains the outputs accumulated since the last call. Obey the persistence rule on
    /// [`Ready`].
    pub fn take_ready(&mut self) -> Ready<C> {
        std::mem::take(&mut self.core.ready)
    }

    /// Like [`Node::take_ready`], but swaps the outputs into `ready`, which must be empty
    /// (drained): the node keeps its vectors' capacity, so a driver that drains in place
    /// and hands the same buffers back allocates nothing per input.
    pub fn take_ready_into(&mut self, ready: &mut Ready<C>) {
        debug_assert!(ready.is_empty(), "take_ready_into needs a drained ready");
        // Field by field: swapping the whole struct costs a memcpy-sized shuffle.
        let r = &mut self.core.ready;
        ready.soft_state = r.soft_state.take();
        ready.hard_state = r.hard_state.take();
        ready.log_truncate_from = r.log_truncate_from.take();
        ready.snapshot = r.snapshot.take();
        ready.apply_snapshot = r.apply_snapshot.take();
        ready.needs_election_timeout = std::mem::take(&mut r.needs_election_timeout);
        std::mem::swap(&mut ready.log_append, &mut r.log_append);
        std::mem::swap(&mut ready.messages, &mut r.messages);
        std::mem::swap(&mut ready.committed_entries, &mut r.committed_entries);
        std::mem::swap(&mut ready.read_states, &mut r.read_states);
        std::mem::swap(&mut ready.dropped_reads, &mut r.dropped_reads);
        std::mem::swap(&mut ready.events, &mut r.events);
    }

    /// Shares the full chunks of this node's log that equal `other`'s at the same positions
    /// (another node's log over their common prefix): storage only, the log is unchanged.
    pub fn share_log_chunks_with(&mut self, other: &crate::ChunkVec<Entry<C>>)
    where
        C: PartialEq,
    {
        self.core.log.share_chunks_with(other);
    }

    /// A read-only view of the node's state.
    pub fn view(&self) -> NodeView<'_, C> {
        let c = &self.core;
        let mut view = NodeView {
            id: c.id,
            role: self.role(),
            term: c.term,
            vote: c.vote,
            leader: c.leader,
            log: c.log.entries(),
            snapshot: c.snapshot.as_ref(),
            commit: c.commit,
            applied: c.applied,
            configuration: c.configuration(),
            configuration_index: c.configs.current_index(),
            progress: &[],
            votes: &[],
            lease_until_us: None,
            election_deadline_us: c.election_deadline_us,
            heartbeat_deadline_us: None,
            transfer_target: None,
        };
        match &self.role {
            RoleState::Follower => {}
            RoleState::PreCandidate(t) | RoleState::Candidate(t) => view.votes = &t.votes,
            RoleState::Leader(ls) => {
                view.progress = &ls.progress;
                view.lease_until_us = ls.valid_lease(c);
                view.heartbeat_deadline_us = Some(ls.heartbeat_deadline_us);
                view.transfer_target = ls.transfer.target();
            }
        }
        view
    }

    // ----- plumbing -----

    pub(crate) fn role(&self) -> Role {
        match self.role {
            RoleState::Follower => Role::Follower,
            RoleState::PreCandidate(_) => Role::PreCandidate,
            RoleState::Candidate(_) => Role::Candidate,
            RoleState::Leader(_) => Role::Leader,
        }
    }

    pub(crate) fn advance_clock(&mut self, now_us: u64) {
        debug_assert!(now_us >= self.core.now_us, "time went backwards");
        self.core.now_us = self.core.now_us.max(now_us);
    }

    /// Runs at the end of every input: hands out newly committed entries, records hard and
    /// soft state changes, checks invariants.
    pub(crate) fn after_input(&mut self) {
        self.membership_follow_up();
        let c = &mut self.core;
        if c.commit > c.applied {
            let newly = c.log.range(c.applied.next(), c.commit);
            c.ready.committed_entries.extend(newly.cloned());
            c.applied = c.commit;
        }
        let hs = HardState {
            term: c.term,
            vote: if c.config.toggles.forget_vote_on_restart {
                None
            } else {
                c.vote
            },
        };
        if hs != c.persisted_hard_state {
            c.persisted_hard_state = hs;
            c.ready.hard_state = Some(hs);
        }
        let ss = SoftState {
            role: self.role(),
            term: self.core.term,
            leader: self.core.leader,
        };
        if ss != self.core.reported_soft_state {
            self.core.reported_soft_state = ss;
            self.core.ready.soft_state = Some(ss);
        }
        self.debug_check();
    }

    // ----- the term rule and dispatch -----

    fn step_message(&mut self, from: NodeId, msg: Message<C>) {
        // Requests are processed whatever the sender's membership (§4.1: a server may not
        // yet know the configuration that adds the sender); only what counts toward a
        // quorum is filtered by the configuration (tallies, progress).
        if from == self.core.id {
            self.core.event(Event::MessageIgnored {
                from,
                reason: IgnoreReason::NotAPeer,
            });
            return;
        }
        let term = msg.term();
        if term > self.core.term {
            match &msg {
                Message::RequestVote(rv) => {
                    let is_leader = matches!(self.role, RoleState::Leader(_));
                    if !rv.leadership_transfer && self.core.in_leader_lease(is_leader) {
                        let leader = self.core.leader.unwrap_or(self.core.id);
                        self.core.event(Event::VoteRejected {
                            candidate: from,
                            term: rv.term,
                            pre_vote: rv.pre_vote,
                            reason: VoteRejection::LeaderRecentlyHeard { leader },
                        });
                        return;
                    }
                    if !rv.pre_vote {
                        self.become_follower(term, None);
                    }
                }
                // A granted pre-vote carries the term the candidate will campaign in; the
                // candidate adopts it only when it wins the pre-vote.
                Message::RequestVoteResponse(r) if r.pre_vote && r.granted => {}
                Message::AppendEntries(_)
                | Message::Heartbeat(_)
                | Message::TimeoutNow(_)
                | Message::InstallSnapshot(_) => {
                    self.become_follower(term, Some(from));
                }
                _ => self.become_follower(term, None),
            }
        } else if term < self.core.term {
            self.core.reply_to_stale(from, msg);
            return;
        }
        if let RoleState::Leader(ls) = &mut self.role {
            // CheckQuorum counts anything of the current term as a sign of life.
            if let Some(i) = self.core.peer_index(from) {
                ls.progress[i].recent_active = true;
            }
        }
        // Every role answers a vote request of its term the same way (vote.rs).
        if let Message::RequestVote(rv) = &msg {
            self.core.handle_vote(from, rv);
            return;
        }
        match &mut self.role {
            RoleState::Follower => self.step_follower(from, msg),
            RoleState::PreCandidate(_) | RoleState::Candidate(_) => self.step_candidate(from, msg),
            RoleState::Leader(ls) => match msg {
                Message::AppendEntriesResponse(r) => ls.on_append_response(&mut self.core, from, r),
                Message::HeartbeatResponse(r) => ls.on_heartbeat_response(&mut self.core, from, r),
                other => self.core.ignore(from, unexpected(Role::Leader, &other)),
            },
        }
    }

    // ----- role handlers -----

    fn step_follower(&mut self, from: NodeId, msg: Message<C>) {
        match msg {
            Message::AppendEntries(ae) => {
                self.core.heard_from_leader(from);
                self.core.handle_append(from, ae);
            }
            Message::Heartbeat(hb) => self.core.handle_heartbeat(from, hb),
            Message::InstallSnapshot(m) => self.core.handle_install_snapshot(from, *m),
            Message::TimeoutNow(_) => {
                self.core.event(Event::TimeoutNowReceived { from });
                self.become_candidate(true);
            }
            other => self.core.ignore(from, unexpected(Role::Follower, &other)),
        }
    }

    fn step_candidate(&mut self, from: NodeId, msg: Message<C>) {
        let pre = matches!(self.role, RoleState::PreCandidate(_));
        match msg {
            // A leader of this term exists (§5.2): return to follower and handle it there.
            Message::AppendEntries(_) | Message::Heartbeat(_) | Message::InstallSnapshot(_) => {
                let term = self.core.term;
                self.become_follower(term, Some(from));
                self.step_follower(from, msg);
            }
            Message::RequestVoteResponse(_) if !self.core.configuration().is_voter(from) => {
                self.core.ignore(from, IgnoreReason::NotAPeer);
            }
            Message::RequestVoteResponse(r) if r.pre_vote == pre => {
                if let RoleState::PreCandidate(t) | RoleState::Candidate(t) = &mut self.role {
                    if !t.votes.iter().any(|&(n, _)| n == from) {
                        t.votes.push((from, r.granted));
                    }
                }
                self.poll();
            }
            other => {
                let role = self.role();
                self.core.ignore(from, unexpected(role, &other));
            }
        }
    }

    // ----- role changes -----

    fn election_timeout(&mut self) {
        if !self.core.may_campaign() {
            // A learner, a removed server or one not yet added (`Core::may_campaign`).
            self.core.reset_election_timer();
            return;
        }
        let term = self.core.term;
        self.core.event(Event::ElectionTimeout { term });
        if self.core.config.pre_vote {
            self.become_pre_candidate();
        } else {
            self.become_candidate(false);
        }
    }

    fn set_role(&mut self, role: RoleState) {
        let from = self.role();
        let old = std::mem::replace(&mut self.role, role);
        if let RoleState::Leader(ls) = old {
            let dropped = &mut self.core.ready.dropped_reads;
            dropped.extend(ls.into_unserved_reads());
        }
        let to = self.role();
        if from != to {
            let term = self.core.term;
            self.core.event(Event::RoleChanged { from, to, term });
        }
    }

    pub(crate) fn become_follower(&mut self, term: Term, leader: Option<NodeId>) {
        let c = &mut self.core;
        if term > c.term {
            c.event(Event::TermAdvanced {
                from: c.term,
                to: term,
            });
            c.term = term;
            c.vote = None;
            c.leader_contact_us = None;
        }
        c.leader = leader;
        if !matches!(self.role, RoleState::Follower) {
            self.core.reset_election_timer();
            self.set_role(RoleState::Follower);
        }
    }

    fn become_pre_candidate(&mut self) {
        let c = &mut self.core;
        c.leader = None;
        c.reset_election_timer();
        let request = RequestVote {
            term: c.term.next(),
            last_log: c.log.last_id(),
            pre_vote: true,
            leadership_transfer: false,
        };
        c.broadcast_to_voters(|| Message::RequestVote(request.clone()));
        let votes = vec![(c.id, true)];
        self.set_role(RoleState::PreCandidate(Tally { votes }));
        self.poll();
    }

    fn become_candidate(&mut self, leadership_transfer: bool) {
        let c = &mut self.core;
        let term = c.term.next();
        c.event(Event::TermAdvanced {
            from: c.term,
            to: term,
        });
        c.term = term;
        c.vote = Some(c.id);
        c.leader = None;
        c.leader_contact_us = None;
        c.reset_election_timer();
        let request = RequestVote {
            term,
            last_log: c.log.last_id(),
            pre_vote: false,
            leadership_transfer,
        };
        c.broadcast_to_voters(|| Message::RequestVote(request.clone()));
        let votes = vec![(c.id, true)];
        self.set_role(RoleState::Candidate(Tally { votes }));
        self.poll();
    }

    /// Acts on the tally of a (pre-)election.
    fn poll(&mut self) {
        let (result, pre) = match &self.role {
            RoleState::PreCandidate(t) => (self.core.configuration().vote_result(&t.votes), true),
            RoleState::Candidate(t) => (self.core.configuration().vote_result(&t.votes), false),
            _ => return,
        };
        match result {
            VoteResult::Won if pre => self.become_candidate(false),
            VoteResult::Won => self.become_leader(),
            VoteResult::Lost => {
                let term = self.core.term;
                self.become_follower(term, None);
            }
            VoteResult::Pending => {}
        }
    }

    fn become_leader(&mut self) {
        let c = &mut self.core;
        c.leader = Some(c.id);
        c.election_deadline_us = None;
        let ls = LeaderState::new(c);
        self.set_role(RoleState::Leader(Box::new(ls)));
        if self.core.config.toggles.skip_noop_on_election {
            if let RoleState::Leader(ls) = &mut self.role {
                ls.broadcast_append(&mut self.core, true);
                ls.maybe_commit(&mut self.core);
            }
        } else {
            self.append_as_leader(EntryPayload::Noop);
        }
    }

    /// Appends a new entry of the current term, replicates it, and commits at once when the
    /// leader alone is a quorum.
    pub(crate) fn append_as_leader(&mut self, payload: EntryPayload<C>) -> EntryId {
        let RoleState::Leader(ls) = &mut self.role else {
            unreachable!("only a leader appends");
        };
        let c = &mut self.core;
        let id = EntryId {
            term: c.term,
            index: c.log.last_index().next(),
        };
        if c.append_entry(Entry { id, payload }) {
            ls.sync_progress(c);
        }
        ls.broadcast_append(c, false);
        ls.maybe_commit(c);
        id
    }
}

/// Why a message of the current term is ignored in `role`.
fn unexpected<C>(role: Role, msg: &Message<C>) -> IgnoreReason {
    IgnoreReason::UnexpectedInRole {
        role,
        kind: msg.kind(),
    }
}
