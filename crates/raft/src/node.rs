//! One server's protocol state machine.
//!
//! Shape (style habit 3): [`Node::step`] applies the term rule first, then dispatches to the
//! handler of the current role. The role is an enum whose variants own their state — only a
//! leader has follower progress, only a (pre-)candidate has a tally — and it changes only in
//! the `become_*` functions. Everything that is not role state lives in [`Core`], so role
//! handlers can borrow their state and the core at the same time.

use crate::config::{Config, ConfigError, ReadMode, TeachingToggles};
use crate::entry::{Entry, EntryPayload};
use crate::event::Event;
use crate::log::RaftLog;
use crate::membership::Configuration;
use crate::message::{
    AppendEntries, AppendEntriesResponse, Envelope, Heartbeat, HeartbeatResponse, Message,
    RequestVote, RequestVoteResponse, TimeoutNow,
};
use crate::progress::{Ack, Progress, ReplicationState};
use crate::quorum::VoteResult;
use crate::ready::{
    HardState, PersistentState, ProposeError, ReadError, ReadId, ReadState, Ready, Role, SoftState,
    TransferError,
};
use crate::types::{EntryId, LogIndex, NodeId, Term};
use crate::view::NodeView;
use std::collections::VecDeque;

/// At most this many heartbeat rounds' send times are remembered for the lease. Dropping
/// the oldest only makes a future lease shorter (never unsafe).
const ROUND_SEND_TIMES_MAX: usize = 1024;

/// A Raft server. See the crate docs for the driving loop.
///
/// Invariants (checked by [`Node::check_invariants`] after every input in debug builds):
/// `applied <= commit <= last log index`; the last log term is at most the current term;
/// a leader knows itself as leader, has voted for itself and has no election timer; every
/// other role has an election timer; a follower's progress has `match < next <= last + 1`
/// and at most `inflight_msgs_max` messages in flight.
#[derive(Clone, Debug)]
pub struct Node<C> {
    core: Core<C>,
    role: RoleState,
}

/// Everything except the role's own state.
#[derive(Clone, Debug)]
struct Core<C> {
    id: NodeId,
    config: Config,
    configuration: Configuration,
    /// The other voters, in id order (the leader's progress uses the same order).
    peers: Vec<NodeId>,
    term: Term,
    vote: Option<NodeId>,
    leader: Option<NodeId>,
    log: RaftLog<C>,
    commit: LogIndex,
    applied: LogIndex,
    /// The staged election timeout, used by the next timer reset.
    election_timeout_us: u64,
    election_deadline_us: Option<u64>,
    /// Local time of the last AppendEntries/Heartbeat from the leader of the current term.
    leader_contact_us: Option<u64>,
    now_us: u64,
    ready: Ready<C>,
    /// The hard state the driver has last been told to persist.
    persisted_hard_state: HardState,
    reported_soft_state: SoftState,
}

#[derive(Clone, Debug)]
enum RoleState {
    Follower,
    PreCandidate(Tally),
    Candidate(Tally),
    Leader(Box<LeaderState>),
}

/// Votes received in one (pre-)election, in arrival order; the node's own vote first.
#[derive(Clone, Debug)]
struct Tally {
    votes: Vec<(NodeId, bool)>,
}

#[derive(Clone, Debug)]
struct LeaderState {
    /// One per peer, in `Core::peers` order (borrowed by [`NodeView`]).
    progress: Vec<Progress>,
    heartbeat_deadline_us: u64,
    check_quorum_deadline_us: Option<u64>,
    /// The latest heartbeat round started.
    round: u64,
    /// Send times of recent rounds, `(round, sent_us)`, oldest first.
    round_sent_us: VecDeque<(u64, u64)>,
    /// The latest round a quorum (counting the leader) acknowledged.
    quorum_round: u64,
    lease_until_us: Option<u64>,
    /// Set once TimeoutNow went out: another node may become leader without waiting for
    /// this lease, so lease reads are off for the rest of this term.
    lease_disabled: bool,
    /// Reads waiting until this leader commits an entry of its own term.
    reads_waiting: Vec<ReadId>,
    /// Reads waiting for a quorum to acknowledge `round`: `(id, read index, round)`.
    reads_pending: VecDeque<(ReadId, LogIndex, u64)>,
    transfer: Option<Transfer>,
    /// Reused buffer for quorum arithmetic.
    scratch: Vec<u64>,
}

#[derive(Clone, Copy, Debug)]
struct Transfer {
    target: NodeId,
    deadline_us: u64,
    timeout_now_sent: bool,
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
            PersistentState {
                hard_state: HardState::default(),
                log: Vec::new(),
            },
            election_timeout_us,
            now_us,
        )
    }

    /// A server recovering from persisted state after a crash: term, vote and log come back;
    /// commit index, applied index, role and leader are volatile and start over (the state
    /// machine is rebuilt by re-applying committed entries as the commit index is learned).
    pub fn restart(
        id: NodeId,
        config: Config,
        configuration: Configuration,
        persisted: PersistentState<C>,
        election_timeout_us: u64,
        now_us: u64,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        if !configuration.contains(id) {
            return Err(ConfigError {
                field: "configuration",
                problem: format!("{id} is not a voter of its own configuration"),
            });
        }
        let log = RaftLog::new(persisted.log).map_err(|problem| ConfigError {
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
        let peers = configuration
            .voters()
            .iter()
            .copied()
            .filter(|&n| n != id)
            .collect();
        let core = Core {
            id,
            config,
            configuration,
            peers,
            term: hs.term,
            vote: hs.vote,
            leader: None,
            log,
            commit: LogIndex(0),
            applied: LogIndex(0),
            election_timeout_us,
            election_deadline_us: Some(now_us.saturating_add(election_timeout_us)),
            leader_contact_us: None,
            now_us,
            ready: Ready::default(),
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
            RoleState::Leader(ls) => {
                let mut d = ls.heartbeat_deadline_us;
                if let Some(c) = ls.check_quorum_deadline_us {
                    d = d.min(c);
                }
                if let Some(t) = &ls.transfer {
                    d = d.min(t.deadline_us);
                }
                Some(d)
            }
            _ => self.core.election_deadline_us,
        }
    }

    /// Advances the node's clock to `now_us` and fires due timers (election timeout,
    /// heartbeat, CheckQuorum, transfer timeout). `now_us` never decreases across calls.
    pub fn tick(&mut self, now_us: u64) {
        self.advance_clock(now_us);
        let now = self.core.now_us;
        let mut lost_quorum = false;
        match &mut self.role {
            RoleState::Leader(ls) => {
                let c = &mut self.core;
                if now >= ls.heartbeat_deadline_us {
                    ls.heartbeat_deadline_us = now + c.config.heartbeat_interval_us;
                    ls.broadcast_heartbeat(c);
                }
                if let Some(t) = ls.transfer {
                    if now >= t.deadline_us {
                        ls.transfer = None;
                        c.event(Event::TransferAborted { to: t.target });
                    }
                }
                if ls.check_quorum_deadline_us.is_some_and(|d| now >= d) {
                    let active = 1 + ls.progress.iter().filter(|p| p.recent_active).count();
                    for p in &mut ls.progress {
                        p.recent_active = false;
                    }
                    ls.check_quorum_deadline_us = Some(now + c.config.election_timeout_us_min);
                    lost_quorum = active < crate::quorum::majority(c.configuration.len());
                }
            }
            _ => {
                if self.core.election_deadline_us.is_some_and(|d| now >= d) {
                    self.election_timeout();
                }
            }
        }
        if lost_quorum {
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
        if ls.transfer.is_some() {
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
        let own_term_committed = self.core.own_term_committed();
        if let RoleState::Leader(ls) = &mut self.role {
            if own_term_committed {
                ls.start_reads(&mut self.core, &[id]);
            } else {
                ls.reads_waiting.push(id);
            }
        }
        self.after_input();
        Ok(())
    }

    /// Starts transferring leadership to `to` (§3.10): stop accepting proposals, bring `to`
    /// up to date, then send it TimeoutNow.
    pub fn transfer_leadership(&mut self, now_us: u64, to: NodeId) -> Result<(), TransferError> {
        let RoleState::Leader(ls) = &self.role else {
            return Err(TransferError::NotLeader {
                leader_hint: self.core.leader,
            });
        };
        if to == self.core.id || !self.core.configuration.contains(to) {
            return Err(TransferError::InvalidTarget(to));
        }
        let current = ls.transfer;
        self.advance_clock(now_us);
        if current.is_some_and(|t| t.target == to) {
            self.after_input();
            return Ok(());
        }
        let RoleState::Leader(ls) = &mut self.role else {
            unreachable!("checked above");
        };
        let core = &mut self.core;
        if let Some(t) = current {
            core.event(Event::TransferAborted { to: t.target });
        }
        ls.transfer = Some(Transfer {
            target: to,
            deadline_us: core.now_us + core.config.election_timeout_us_min,
            timeout_now_sent: false,
        });
        core.event(Event::TransferStarted { to });
        let i = core.peer_index(to).expect("target is a peer");
        if ls.progress[i].match_index == core.log.last_index() {
            ls.send_timeout_now(core, i);
        } else {
            ls.replicate_to(core, i, true);
        }
        self.after_input();
        Ok(())
    }

    /// Switches the teaching toggles of a running node (the playground's settings act at
    /// once, not at the next restart). Each toggle is consulted when its rule applies, so
    /// the change takes effect from the next input on.
    pub fn set_toggles(&mut self, toggles: TeachingToggles) {
        self.core.config.toggles = toggles;
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
        ready.needs_election_timeout = std::mem::take(&mut r.needs_election_timeout);
        std::mem::swap(&mut ready.log_append, &mut r.log_append);
        std::mem::swap(&mut ready.messages, &mut r.messages);
        std::mem::swap(&mut ready.committed_entries, &mut r.committed_entries);
        std::mem::swap(&mut ready.read_states, &mut r.read_states);
        std::mem::swap(&mut ready.dropped_reads, &mut r.dropped_reads);
        std::mem::swap(&mut ready.events, &mut r.events);
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
            commit: c.commit,
            applied: c.applied,
            configuration: &c.configuration,
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
                view.transfer_target = ls.transfer.map(|t| t.target);
            }
        }
        view
    }

    /// Checks the node's invariants (see [`Node`]); `Err` describes the first one broken.
    /// Runs after every input in debug builds; drivers may call it after every step too.
    pub fn check_invariants(&self) -> Result<(), String> {
        let c = &self.core;
        let last = c.log.last_id();
        if !(c.applied <= c.commit && c.commit <= last.index) {
            return Err(format!(
                "{}: applied {} <= commit {} <= last {} broken",
                c.id, c.applied, c.commit, last.index
            ));
        }
        if last.term > c.term {
            return Err(format!(
                "{}: last log term {} > term {}",
                c.id, last.term, c.term
            ));
        }
        match &self.role {
            RoleState::Leader(ls) => {
                if c.leader != Some(c.id) || c.vote != Some(c.id) {
                    return Err(format!("{}: leader without self as leader and vote", c.id));
                }
                if c.election_deadline_us.is_some() {
                    return Err(format!("{}: leader with an election timer", c.id));
                }
                for p in &ls.progress {
                    p.check(last.index).map_err(|e| format!("{}: {e}", c.id))?;
                }
            }
            other => {
                if c.election_deadline_us.is_none() {
                    return Err(format!("{}: no election timer outside leadership", c.id));
                }
                if c.leader == Some(c.id) {
                    return Err(format!("{}: non-leader names itself leader", c.id));
                }
                if matches!(other, RoleState::Candidate(_)) && c.vote != Some(c.id) {
                    return Err(format!("{}: candidate has not voted for itself", c.id));
                }
            }
        }
        Ok(())
    }

    // ----- plumbing -----

    fn role(&self) -> Role {
        match self.role {
            RoleState::Follower => Role::Follower,
            RoleState::PreCandidate(_) => Role::PreCandidate,
            RoleState::Candidate(_) => Role::Candidate,
            RoleState::Leader(_) => Role::Leader,
        }
    }

    fn advance_clock(&mut self, now_us: u64) {
        debug_assert!(now_us >= self.core.now_us, "time went backwards");
        self.core.now_us = self.core.now_us.max(now_us);
    }

    /// Runs at the end of every input: hands out newly committed entries, records hard and
    /// soft state changes, checks invariants.
    fn after_input(&mut self) {
        let c = &mut self.core;
        if c.commit > c.applied {
            let newly = c.log.slice(c.applied.next(), c.commit);
            c.ready.committed_entries.extend_from_slice(newly);
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

    fn debug_check(&self) {
        if cfg!(debug_assertions) {
            if let Err(e) = self.check_invariants() {
                panic!("invariant broken: {e}");
            }
        }
    }

    // ----- the term rule and dispatch -----

    fn step_message(&mut self, from: NodeId, msg: Message<C>) {
        if from == self.core.id || !self.core.configuration.contains(from) {
            self.core.event(Event::MessageIgnored {
                from,
                reason: "sender is not a peer".into(),
            });
            return;
        }
        let term = msg.term();
        if term > self.core.term {
            match &msg {
                Message::RequestVote(rv) => {
                    if !rv.leadership_transfer && self.in_leader_lease() {
                        let leader = self.core.leader.unwrap_or(self.core.id);
                        self.core.event(Event::VoteRejected {
                            candidate: from,
                            term: rv.term,
                            pre_vote: rv.pre_vote,
                            reason: format!("heard from leader {leader} recently"),
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
                Message::AppendEntries(_) | Message::Heartbeat(_) | Message::TimeoutNow(_) => {
                    self.become_follower(term, Some(from));
                }
                _ => self.become_follower(term, None),
            }
        } else if term < self.core.term {
            self.reply_to_stale(from, msg);
            return;
        }
        match &mut self.role {
            RoleState::Follower => self.step_follower(from, msg),
            RoleState::PreCandidate(_) | RoleState::Candidate(_) => self.step_candidate(from, msg),
            RoleState::Leader(ls) => {
                if let Some(i) = self.core.peer_index(from) {
                    ls.progress[i].recent_active = true;
                }
                match msg {
                    Message::AppendEntriesResponse(r) => {
                        ls.on_append_response(&mut self.core, from, r)
                    }
                    Message::HeartbeatResponse(r) => {
                        ls.on_heartbeat_response(&mut self.core, from, r)
                    }
                    Message::RequestVote(rv) => self.core.handle_vote(from, &rv),
                    other => self.core.ignore(from, &other, "unexpected by a leader"),
                }
            }
        }
    }

    /// A message from an older term: answer requests with the current term so the sender
    /// steps down (§5.1); drop everything else.
    fn reply_to_stale(&mut self, from: NodeId, msg: Message<C>) {
        let term = self.core.term;
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
            Message::RequestVote(rv) => Some(Message::RequestVoteResponse(RequestVoteResponse {
                term,
                granted: false,
                pre_vote: rv.pre_vote,
            })),
            _ => None,
        };
        self.core.ignore(from, &msg, "stale term");
        if let Some(reply) = reply {
            self.core.send(from, reply);
        }
    }

    /// With CheckQuorum or PreVote, a node that heard from a current leader within the
    /// minimum election timeout (or is the leader) disregards vote requests (§4.2.3).
    fn in_leader_lease(&self) -> bool {
        let c = &self.core;
        if !(c.config.check_quorum || c.config.pre_vote) {
            return false;
        }
        if matches!(self.role, RoleState::Leader(_)) {
            return true;
        }
        match (c.leader, c.leader_contact_us) {
            (Some(_), Some(t)) => c.now_us < t.saturating_add(c.config.election_timeout_us_min),
            _ => false,
        }
    }

    // ----- role handlers -----

    fn step_follower(&mut self, from: NodeId, msg: Message<C>) {
        match msg {
            Message::AppendEntries(ae) => {
                self.core.heard_from_leader(from);
                self.core.handle_append(from, ae);
            }
            Message::Heartbeat(hb) => {
                self.core.heard_from_leader(from);
                let c = &mut self.core;
                let learned = hb.commit.min(c.log.last_index());
                c.advance_commit(learned);
                let reply = Message::HeartbeatResponse(HeartbeatResponse {
                    term: c.term,
                    round: hb.round,
                });
                c.send(from, reply);
            }
            Message::RequestVote(rv) => self.core.handle_vote(from, &rv),
            Message::TimeoutNow(_) => {
                self.core.event(Event::TimeoutNowReceived { from });
                self.become_candidate(true);
            }
            other => self.core.ignore(from, &other, "unexpected by a follower"),
        }
    }

    fn step_candidate(&mut self, from: NodeId, msg: Message<C>) {
        let pre = matches!(self.role, RoleState::PreCandidate(_));
        match msg {
            // A leader of this term exists (§5.2): return to follower and handle it there.
            Message::AppendEntries(_) | Message::Heartbeat(_) => {
                let term = self.core.term;
                self.become_follower(term, Some(from));
                self.step_follower(from, msg);
            }
            Message::RequestVote(rv) => self.core.handle_vote(from, &rv),
            Message::RequestVoteResponse(r) if r.pre_vote == pre => {
                if let RoleState::PreCandidate(t) | RoleState::Candidate(t) = &mut self.role {
                    if !t.votes.iter().any(|&(n, _)| n == from) {
                        t.votes.push((from, r.granted));
                    }
                }
                self.poll();
            }
            other => self.core.ignore(from, &other, "unexpected by a candidate"),
        }
    }

    // ----- role changes -----

    fn election_timeout(&mut self) {
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
            dropped.extend(ls.reads_waiting);
            dropped.extend(ls.reads_pending.into_iter().map(|(id, _, _)| id));
        }
        let to = self.role();
        if from != to {
            let term = self.core.term;
            self.core.event(Event::RoleChanged { from, to, term });
        }
    }

    fn become_follower(&mut self, term: Term, leader: Option<NodeId>) {
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
        c.broadcast(|| Message::RequestVote(request.clone()));
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
        c.broadcast(|| Message::RequestVote(request.clone()));
        let votes = vec![(c.id, true)];
        self.set_role(RoleState::Candidate(Tally { votes }));
        self.poll();
    }

    /// Acts on the tally of a (pre-)election.
    fn poll(&mut self) {
        let (result, pre) = match &self.role {
            RoleState::PreCandidate(t) => (self.core.configuration.vote_result(&t.votes), true),
            RoleState::Candidate(t) => (self.core.configuration.vote_result(&t.votes), false),
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
        let next_index = c.log.last_index().next();
        let progress = c
            .peers
            .iter()
            .map(|&node| Progress::new(node, next_index, c.config.inflight_msgs_max))
            .collect();
        let ls = LeaderState {
            progress,
            heartbeat_deadline_us: c.now_us + c.config.heartbeat_interval_us,
            check_quorum_deadline_us: c
                .config
                .check_quorum
                .then(|| c.now_us + c.config.election_timeout_us_min),
            round: 0,
            round_sent_us: VecDeque::new(),
            quorum_round: 0,
            lease_until_us: None,
            lease_disabled: false,
            reads_waiting: Vec::new(),
            reads_pending: VecDeque::new(),
            transfer: None,
            scratch: Vec::with_capacity(c.peers.len() + 1),
        };
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
    fn append_as_leader(&mut self, payload: EntryPayload<C>) -> EntryId {
        let RoleState::Leader(ls) = &mut self.role else {
            unreachable!("only a leader appends");
        };
        let c = &mut self.core;
        let id = EntryId {
            term: c.term,
            index: c.log.last_index().next(),
        };
        let entry = Entry { id, payload };
        c.ready.log_append.push(entry.clone());
        c.log.append(entry);
        ls.broadcast_append(c, false);
        ls.maybe_commit(c);
        id
    }
}

impl<C: Clone> Core<C> {
    fn event(&mut self, e: Event) {
        self.ready.events.push(e);
    }

    fn ignore(&mut self, from: NodeId, msg: &Message<C>, why: &str) {
        self.event(Event::MessageIgnored {
            from,
            reason: format!("{why}: {}", msg.kind().as_str()),
        });
    }

    fn send(&mut self, to: NodeId, msg: Message<C>) {
        self.ready.messages.push(Envelope {
            from: self.id,
            to,
            msg,
        });
    }

    fn broadcast(&mut self, mut msg: impl FnMut() -> Message<C>) {
        for i in 0..self.peers.len() {
            let to = self.peers[i];
            let m = msg();
            self.send(to, m);
        }
    }

    fn peer_index(&self, id: NodeId) -> Option<usize> {
        self.peers.iter().position(|&p| p == id)
    }

    fn reset_election_timer(&mut self) {
        self.election_deadline_us = Some(self.now_us.saturating_add(self.election_timeout_us));
        self.ready.needs_election_timeout = true;
    }

    fn heard_from_leader(&mut self, from: NodeId) {
        self.leader = Some(from);
        self.leader_contact_us = Some(self.now_us);
        self.reset_election_timer();
    }

    fn own_term_committed(&self) -> bool {
        self.log.term_at(self.commit) == Some(self.term)
    }

    fn advance_commit(&mut self, to: LogIndex) {
        if to > self.commit {
            self.event(Event::CommitAdvanced {
                from: self.commit,
                to,
            });
            self.commit = to;
        }
    }

    /// RequestVote and PreVote (§5.2, §5.4.1, §9.6). The term rule has run: for a real vote
    /// `rv.term == self.term`.
    fn handle_vote(&mut self, from: NodeId, rv: &RequestVote) {
        let free = self.vote == Some(from) || (self.vote.is_none() && self.leader.is_none());
        let can_vote = free || (rv.pre_vote && rv.term > self.term);
        let up_to_date = self.config.toggles.vote_without_log_check
            || self.log.candidate_is_up_to_date(rv.last_log);
        let refusal = if !can_vote {
            Some(match (self.vote, self.leader) {
                (Some(v), _) => format!("already voted for {v} in {}", self.term),
                (None, Some(l)) => format!("already following leader {l}"),
                (None, None) => "stale term".to_string(),
            })
        } else if !up_to_date {
            Some(format!(
                "log not up to date (candidate last {}, mine {})",
                rv.last_log,
                self.log.last_id()
            ))
        } else {
            None
        };
        let (term, granted) = match refusal {
            None => {
                self.event(Event::VoteGranted {
                    candidate: from,
                    term: rv.term,
                    pre_vote: rv.pre_vote,
                });
                if !rv.pre_vote {
                    self.vote = Some(from);
                    self.reset_election_timer();
                }
                (rv.term, true)
            }
            Some(reason) => {
                self.event(Event::VoteRejected {
                    candidate: from,
                    term: rv.term,
                    pre_vote: rv.pre_vote,
                    reason,
                });
                (self.term, false)
            }
        };
        let reply = RequestVoteResponse {
            term,
            granted,
            pre_vote: rv.pre_vote,
        };
        self.send(from, Message::RequestVoteResponse(reply));
    }

    /// AppendEntries on a follower (§5.3): consistency check, truncation at the first
    /// conflict only, append, commit learning.
    fn handle_append(&mut self, from: NodeId, ae: AppendEntries<C>) {
        let term = self.term;
        if !self.log.matches(ae.prev) {
            let below = ae.prev.index.min(self.log.last_index());
            let hint = self.log.last_id_with_term_at_most(below, ae.prev.term);
            let reply = AppendEntriesResponse {
                term,
                success: false,
                index: ae.prev.index,
                reject_hint: Some(hint),
            };
            self.send(from, Message::AppendEntriesResponse(reply));
            return;
        }
        let last_new = LogIndex(ae.prev.index.0 + ae.entries.len() as u64);
        let mut first_new = ae.entries.len();
        for (k, e) in ae.entries.iter().enumerate() {
            match self.log.term_at(e.id.index) {
                Some(t) if t == e.id.term => continue,
                Some(_) => self.truncate_from(e.id.index),
                None => {}
            }
            first_new = k;
            break;
        }
        for e in ae.entries.iter().skip(first_new) {
            self.ready.log_append.push(e.clone());
            self.log.append(e.clone());
        }
        self.advance_commit(ae.leader_commit.min(last_new));
        let reply = AppendEntriesResponse {
            term,
            success: true,
            index: last_new,
            reject_hint: None,
        };
        self.send(from, Message::AppendEntriesResponse(reply));
    }

    /// Removes conflicting entries from `from` on, in memory and in the persistence
    /// instructions of the current ready.
    fn truncate_from(&mut self, from: LogIndex) {
        let removed = self.log.truncate_from(from);
        match self.ready.log_append.first().map(|e| e.id.index) {
            // Only not-yet-persisted entries are affected: drop them from the ready.
            Some(first) if from >= first => {
                self.ready.log_append.truncate((from.0 - first.0) as usize);
            }
            _ => {
                self.ready.log_append.clear();
                let t = self.ready.log_truncate_from.map_or(from, |t| t.min(from));
                self.ready.log_truncate_from = Some(t);
            }
        }
        if from <= self.commit {
            // Only reachable with teaching toggles: a committed entry is being replaced.
            self.event(Event::CommittedEntriesTruncated {
                from,
                commit: self.commit,
            });
            self.commit = from.prev();
            self.applied = self.applied.min(self.commit);
        }
        self.event(Event::LogTruncated { from, removed });
    }
}

impl LeaderState {
    fn broadcast_append<C: Clone>(&mut self, core: &mut Core<C>, allow_empty: bool) {
        for i in 0..self.progress.len() {
            self.replicate_to(core, i, allow_empty);
        }
    }

    /// Sends what peer `i` is missing, as far as its flow control allows: one probe in
    /// Probe state, a stream of messages up to the window in Replicate state.
    fn replicate_to<C: Clone>(&mut self, core: &mut Core<C>, i: usize, allow_empty: bool) {
        let mut first = true;
        while self.send_append(core, i, allow_empty && first) {
            first = false;
            let p = &self.progress[i];
            if p.state == ReplicationState::Probe || p.next_index > core.log.last_index() {
                break;
            }
        }
    }

    /// Sends one AppendEntries to peer `i` unless it is paused; returns whether it sent.
    fn send_append<C: Clone>(&mut self, core: &mut Core<C>, i: usize, allow_empty: bool) -> bool {
        let p = &mut self.progress[i];
        if p.is_paused() {
            return false;
        }
        let probing = p.state == ReplicationState::Probe;
        let last = core.log.last_index();
        let next = p.next_index;
        let upto = last.min(LogIndex(
            next.0 + core.config.entries_per_msg_max as u64 - 1,
        ));
        if upto < next && !probing && !allow_empty {
            return false;
        }
        let prev_index = next.prev();
        let prev = EntryId {
            term: core.log.term_at(prev_index).expect("next <= last + 1"),
            index: prev_index,
        };
        let entries = core.log.shared_slice(next, upto);
        let msg = Message::AppendEntries(AppendEntries {
            term: core.term,
            prev,
            entries,
            leader_commit: core.commit,
        });
        let to = p.node;
        if p.on_sent(prev_index, upto.max(prev_index), core.commit) {
            core.event(Event::InflightWindowFull {
                to,
                inflight_msgs_max: core.config.inflight_msgs_max,
            });
        }
        core.send(to, msg);
        true
    }

    /// Advances the commit index to what a quorum has stored, counting only entries of the
    /// current term (§5.4.2) unless the Figure 8 toggle is on.
    fn maybe_commit<C: Clone>(&mut self, core: &mut Core<C>) {
        self.scratch.clear();
        self.scratch.push(core.log.last_index().0);
        self.scratch
            .extend(self.progress.iter().map(|p| p.match_index.0));
        let q = LogIndex(core.configuration.quorum_value(&mut self.scratch));
        if q <= core.commit {
            return;
        }
        if core.log.term_at(q) != Some(core.term)
            && !core.config.toggles.commit_old_terms_by_counting
        {
            return;
        }
        let had_own_term = core.own_term_committed();
        core.advance_commit(q);
        if !had_own_term && core.own_term_committed() && !self.reads_waiting.is_empty() {
            let waiting = std::mem::take(&mut self.reads_waiting);
            self.start_reads(core, &waiting);
        }
        // Tell followers the new commit index (carried by AppendEntries, empty if need be).
        self.broadcast_append(core, true);
    }

    fn on_append_response<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        from: NodeId,
        r: AppendEntriesResponse,
    ) {
        let Some(i) = core.peer_index(from) else {
            return;
        };
        let last = core.log.last_index();
        if r.index > last {
            core.event(Event::MessageIgnored {
                from,
                reason: format!("acknowledges index {} beyond the log", r.index),
            });
            return;
        }
        let p = &mut self.progress[i];
        if r.success {
            let ack = p.maybe_update(r.index, last);
            if ack == Ack::Stale {
                return;
            }
            if ack == Ack::Advanced {
                self.maybe_commit(core);
            }
            // Send an empty AppendEntries if that is the only way the follower learns the
            // commit index (e.g. it was paused in Probe when the commit advanced).
            let known = self.progress[i].commit_known();
            self.replicate_to(core, i, known < core.commit);
            if let Some(t) = self.transfer {
                if t.target == from && !t.timeout_now_sent && self.progress[i].match_index == last {
                    self.send_timeout_now(core, i);
                }
            }
        } else {
            // Fast backtracking: jump to the last entry of ours that can match the
            // follower's hint, skipping whole conflicting terms.
            let hinted_next = match r.reject_hint {
                Some(h) => core
                    .log
                    .last_id_with_term_at_most(h.index.min(r.index), h.term)
                    .index
                    .next(),
                None => r.index,
            };
            if p.maybe_decr_to(r.index, hinted_next) {
                self.replicate_to(core, i, true);
            }
        }
    }

    fn on_heartbeat_response<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        from: NodeId,
        r: HeartbeatResponse,
    ) {
        let Some(i) = core.peer_index(from) else {
            return;
        };
        let last = core.log.last_index();
        let p = &mut self.progress[i];
        if p.heartbeat_acked(r.round, r.round == self.round, last) {
            core.event(Event::ReplicationStalled {
                to: from,
                match_index: p.match_index,
            });
        }
        let behind = p.match_index < last;
        if behind {
            self.replicate_to(core, i, false);
        }
        if r.round > self.quorum_round {
            self.update_quorum_round(core);
        }
    }

    /// Starts a heartbeat round: every follower gets the round number and the commit index
    /// capped at what it is known to store.
    fn broadcast_heartbeat<C: Clone>(&mut self, core: &mut Core<C>) {
        self.round += 1;
        let now = core.now_us;
        let horizon = core.config.election_timeout_us_min;
        while self
            .round_sent_us
            .front()
            .is_some_and(|&(_, t)| t + horizon <= now)
            || self.round_sent_us.len() >= ROUND_SEND_TIMES_MAX
        {
            self.round_sent_us.pop_front();
        }
        self.round_sent_us.push_back((self.round, now));
        for p in &mut self.progress {
            p.on_heartbeat_sent();
            let msg = Message::Heartbeat(Heartbeat {
                term: core.term,
                commit: core.commit.min(p.match_index),
                round: self.round,
            });
            core.send(p.node, msg);
        }
        self.update_quorum_round(core);
    }

    /// Recomputes the latest round a quorum acknowledged; confirms reads waiting on it and
    /// extends the lease from that round's send time.
    fn update_quorum_round<C: Clone>(&mut self, core: &mut Core<C>) {
        self.scratch.clear();
        self.scratch.push(self.round);
        self.scratch
            .extend(self.progress.iter().map(|p| p.acked_round()));
        let q = core.configuration.quorum_value(&mut self.scratch);
        if q <= self.quorum_round {
            return;
        }
        self.quorum_round = q;
        while self.reads_pending.front().is_some_and(|&(_, _, r)| r <= q) {
            let (id, index, _) = self.reads_pending.pop_front().expect("checked");
            core.ready.read_states.push(ReadState { id, index });
        }
        let mut sent = None;
        while let Some(&(r, t)) = self.round_sent_us.front() {
            if r > q {
                break;
            }
            if r == q {
                sent = Some(t);
            }
            self.round_sent_us.pop_front();
        }
        let cfg = &core.config;
        if let (ReadMode::Lease, Some(t), false) = (cfg.read_mode, sent, self.lease_disabled) {
            let until = t + cfg.election_timeout_us_min - cfg.lease_clock_drift_us_max;
            if self.lease_until_us.is_none_or(|u| until > u) {
                self.lease_until_us = Some(until);
                core.event(Event::LeaseExtended { until_us: until });
            }
        }
    }

    /// The lease end if the lease is usable now (lease mode only).
    fn valid_lease<C>(&self, core: &Core<C>) -> Option<u64> {
        if core.config.read_mode != ReadMode::Lease || self.lease_disabled {
            return None;
        }
        self.lease_until_us.filter(|&u| core.now_us < u)
    }

    /// Reads on a leader that has committed an entry of its term: served at once under a
    /// valid lease, otherwise linearized at the commit index after a new quorum round.
    fn start_reads<C: Clone>(&mut self, core: &mut Core<C>, ids: &[ReadId]) {
        let index = core.commit;
        if self.valid_lease(core).is_some() {
            for &id in ids {
                core.ready.read_states.push(ReadState { id, index });
            }
            return;
        }
        let round = self.round + 1;
        self.reads_pending
            .extend(ids.iter().map(|&id| (id, index, round)));
        self.broadcast_heartbeat(core);
    }

    fn send_timeout_now<C: Clone>(&mut self, core: &mut Core<C>, i: usize) {
        if let Some(t) = &mut self.transfer {
            t.timeout_now_sent = true;
        }
        self.lease_disabled = true;
        let to = self.progress[i].node;
        core.send(to, Message::TimeoutNow(TimeoutNow { term: core.term }));
    }
}
