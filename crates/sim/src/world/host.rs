//! Node hosting: feeding inputs to a node, draining its readies (persist, send, apply,
//! serve reads), its timer, client requests arriving at it, crash, restart and resume.

use super::Sim;
use crate::clock::Clock;
use crate::config::ReadPath;
use crate::kv::{ApplyKind, ClientId, KvCommand, KvOp, KvOutput, KvStore};
use crate::monitor::Digest;
use crate::trace::{DropReason, Fnv, TraceKind};
use crate::wire::{ClientRequest, ClientResponse, Endpoint, Payload};
use raft::{EntryPayload, Event, LogIndex, Node, NodeId, Ready, Role, Term};
use std::sync::Arc;
use util::SmallMap;

/// A node's armed timer: when it fires and its queue item's sequence number (an item
/// with another number is a cancelled timer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NodeTimer {
    pub(super) at_us: u64,
    pub(super) seq: u64,
}

/// A read waiting at a node for the protocol to say it is safe to serve (ReadIndex or
/// lease), by read id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PendingRead {
    pub(super) client: ClientId,
    pub(super) seq: u64,
    pub(super) key: String,
}

/// A node as the world hosts it: the protocol state (volatile), its disk (persistent), its
/// state machine (volatile), its clock and its pending client work (volatile).
#[derive(Clone, Debug)]
pub(crate) struct SimNode {
    pub id: NodeId,
    pub raft: Option<Box<Node<KvCommand>>>,
    pub disk: super::disk::Disk,
    pub chain: raft::ChunkVec<Digest>,
    pub kv: KvStore,
    pub paused: bool,
    pub clock: Clock,
    pub(super) timer: Option<NodeTimer>,
    pub(super) pending_write: SmallMap<ClientId, u64>,
    pub(super) pending_reads: SmallMap<u64, PendingRead>,
    /// Slots of messages waiting at this paused node, in arrival order.
    pub(super) inbox: Vec<u32>,
    pub role: Role,
    pub term: Term,
    pub leader: Option<NodeId>,
    pub commit: LogIndex,
    pub applied: LogIndex,
    pub restarts: u32,
    /// The election deadline (local µs) the node last reported, and the global µs at which
    /// it last changed (when the current election timer was armed).
    pub election_deadline_local: Option<u64>,
    pub election_armed_us: Option<u64>,
    /// The AP store's replica, in a world that runs it (`raft` is then always `None`).
    pub ap: Option<Box<super::host_ap::ApHosted>>,
}

impl SimNode {
    /// Whether the node is up (not crashed), whichever protocol it runs.
    pub fn is_up(&self) -> bool {
        self.raft.is_some() || self.ap.as_ref().is_some_and(|a| a.replica.is_some())
    }
}

fn digest_of(prev: u64, e: &raft::Entry<KvCommand>) -> Digest {
    let mut h = Fnv(prev);
    h.u64(e.id.term.0);
    h.u64(e.id.index.0);
    match &e.payload {
        EntryPayload::Noop => h.u64(0),
        EntryPayload::Command(c) => {
            h.u64(1);
            h.u64(u64::from(c.client));
            h.u64(c.seq);
            h.str(c.op.name());
            h.str(c.op.key());
            match &*c.op {
                KvOp::Put { value, .. } | KvOp::Append { value, .. } => h.str(value),
                KvOp::Get { .. } => {}
                KvOp::Cas {
                    expected, value, ..
                } => {
                    h.str(expected.as_deref().unwrap_or("\u{0}absent"));
                    h.str(value);
                }
            }
        }
        #[allow(unreachable_patterns)]
        _ => h.u64(2),
    }
    Digest {
        term: e.id.term,
        chain: h.0,
    }
}

impl Sim {
    /// Feeds one input to a live node, then drains its outputs and re-arms its timer.
    pub(super) fn with_node<R>(
        &mut self,
        n: NodeId,
        f: impl FnOnce(&mut Node<KvCommand>, u64) -> R,
    ) -> Option<R> {
        let node = &mut self.nodes[n.0 as usize - 1];
        let local = node.clock.local(self.now_us);
        let raft = node.raft.as_mut()?;
        let r = f(raft, local);
        self.check_node_after_input(n);
        self.drive(n);
        Some(r)
    }

    /// Drains every ready of node `n`, obeying the persistence rule: persist, then send,
    /// then apply, then serve reads.
    ///
    /// The work of each step lives in its own function, called only when there is some:
    /// this loop runs after every input, and a single function holding all of it spent
    /// dozens of instructions per call saving and restoring registers.
    pub(super) fn drive(&mut self, n: NodeId) {
        let i = n.0 as usize - 1;
        // One set of output buffers circulates through every node: each ready is drained in
        // place and its vectors, capacity kept, go to the next `take_ready_into`.
        // (Boxed so that lending it moves a pointer, not the whole struct.)
        let mut ready = self.ready_buf.take().unwrap_or_default();
        loop {
            match self.nodes[i].raft.as_mut() {
                Some(r) if r.has_ready() => r.take_ready_into(&mut ready),
                _ => break,
            }
            if std::mem::take(&mut ready.needs_election_timeout) {
                let t = self.draw_election_timeout();
                if let Some(r) = self.nodes[i].raft.as_mut() {
                    r.set_election_timeout(t);
                }
            }
            // 1. Persist.
            if ready.soft_state.is_some()
                || ready.hard_state.is_some()
                || ready.log_truncate_from.is_some()
                || !ready.log_append.is_empty()
                || ready.snapshot.is_some()
            {
                self.persist(n, &mut ready);
            }
            if !ready.events.is_empty() {
                self.record_events(n, &mut ready);
            }
            // 2. Send.
            for env in ready.messages.drain(..) {
                if let Some((_, mode)) = self.byzantine.filter(|(liar, _)| *liar == n) {
                    self.send_lying(env, mode);
                    continue;
                }
                self.send(
                    Endpoint::Node(env.from),
                    Endpoint::Node(env.to),
                    Payload::Raft(env.msg),
                );
            }
            // 3. Apply (a snapshot to restore comes before the entries after it).
            if ready.apply_snapshot.is_some() {
                self.restore_snapshot(n, &mut ready);
            }
            if !ready.committed_entries.is_empty() {
                self.apply_committed(n, &mut ready);
            }
            // 4. Serve reads.
            if !ready.read_states.is_empty() || !ready.dropped_reads.is_empty() {
                self.serve_reads(n, &mut ready);
            }
            for m in self.monitors.take_fresh() {
                self.trace
                    .push(self.now_us, TraceKind::Violation { monitor: m });
            }
        }
        self.ready_buf = Some(ready);
        if self.config.snapshot_threshold_entries > 0 {
            self.compact_if_due(n);
        }
        self.reschedule_timer(n);
    }

    /// Snapshots the node's KV store (sessions included) and compacts its log, when the
    /// node says a snapshot is due; then drains the ready that carries the snapshot.
    fn compact_if_due(&mut self, n: NodeId) {
        let node = &mut self.nodes[n.0 as usize - 1];
        let Some(raft) = node.raft.as_mut() else {
            return;
        };
        let Some(index) = raft.snapshot_due() else {
            return;
        };
        // The host applies every committed entry a ready hands out, so the store is at the
        // node's applied index.
        debug_assert_eq!(index, node.applied, "the store is at the applied index");
        let data: Arc<[u8]> = node.kv.to_snapshot().into();
        let compacted = raft.compact(index, data);
        debug_assert!(compacted.is_ok(), "due at an applied index: {compacted:?}");
        self.drive(n);
    }

    /// Restores the node's KV store from the snapshot it installed or restarted from.
    #[inline(never)]
    fn restore_snapshot(&mut self, n: NodeId, ready: &mut Ready<KvCommand>) {
        let Some(snapshot) = ready.apply_snapshot.take() else {
            return;
        };
        let node = &mut self.nodes[n.0 as usize - 1];
        let index = snapshot.last_included.index;
        match KvStore::from_snapshot(&snapshot.data) {
            Ok(kv) => node.kv = kv,
            // Only this simulator writes snapshot data: bytes that do not decode are a
            // simulator bug. Outside checked mode the store starts empty.
            Err(e) if self.checked => panic!(
                "seed {}, at {} us: {n} cannot restore snapshot {}: {e:?}",
                self.seed, self.now_us, snapshot.last_included
            ),
            Err(_) => node.kv = KvStore::new(),
        }
        node.applied = index;
        node.commit = node.commit.max(index);
    }

    /// Records the node's soft state and makes its hard state and new entries durable.
    #[inline(never)]
    pub(super) fn persist(&mut self, n: NodeId, ready: &mut Ready<KvCommand>) {
        let i = n.0 as usize - 1;
        let now = self.now_us;
        let node = &mut self.nodes[i];
        let (was_role, was_term) = (node.role, node.term);
        if let Some(ss) = ready.soft_state.take() {
            node.role = ss.role;
            node.term = ss.term;
            node.leader = ss.leader;
        }
        // 1. Persist.
        let hard_state = ready.hard_state.take();
        let truncate_from = ready.log_truncate_from.take();
        let persisting =
            hard_state.is_some() || truncate_from.is_some() || !ready.log_append.is_empty();
        let snapshot = ready.snapshot.take();
        let persisting = persisting || snapshot.is_some();
        if persisting {
            if let Some(snap) = snapshot {
                // The digest chain is the monitors' copy of the log, compacted prefix
                // included: a snapshot from elsewhere brings the committed prefix it replaces.
                let id = snap.last_included;
                if let Some(prefix) =
                    self.monitors
                        .on_snapshot(now, n, id, node.disk.snapshot_index(), &node.chain)
                {
                    node.chain = prefix;
                }
                node.disk.store_snapshot(*snap);
            }
            if let Some(from) = truncate_from {
                let stayed_leader =
                    was_role == Role::Leader && node.role == Role::Leader && was_term == node.term;
                self.monitors
                    .on_truncate(now, n, node.term, stayed_leader, from, &node.chain);
                node.chain.truncate(from.0.saturating_sub(1) as usize);
            }
            // The disk takes the entries by move (no clone): `PersistentState::persist`
            // spelled out.
            if let Some(hs) = hard_state {
                node.disk.hard_state = hs;
            }
            if let Some(from) = truncate_from {
                node.disk.truncate_from(from);
            }
            let appended = ready.log_append.len() as u32;
            for e in ready.log_append.drain(..) {
                let prev = node.chain.last().map_or(0, |d| d.chain);
                let d = digest_of(prev, &e);
                node.chain.push(d);
                self.monitors.on_append(now, n, e.id.index, d);
                node.disk.log.push(e);
                if node.disk.log.len() % raft::chunked::CHUNK_LEN == 0 {
                    if let Some(r) = &node.raft {
                        node.disk.log.share_last_chunk_with(r.view().log);
                    }
                }
            }
            let hs = node.disk.hard_state;
            self.trace.push(
                now,
                TraceKind::Persist {
                    node: n,
                    term: hs.term,
                    vote: hs.vote,
                    truncate_from: truncate_from.unwrap_or_default(),
                    appended,
                    last_index: node.disk.last_index(),
                },
            );
        }
    }

    /// Feeds the node's events to the monitors and the trace.
    #[inline(never)]
    pub(super) fn record_events(&mut self, n: NodeId, ready: &mut Ready<KvCommand>) {
        let i = n.0 as usize - 1;
        let now = self.now_us;
        for ev in ready.events.drain(..) {
            let node = &mut self.nodes[i];
            match &ev {
                Event::RoleChanged {
                    to: Role::Leader,
                    term,
                    ..
                } => {
                    self.monitors.on_leader(now, n, *term, &node.chain);
                    if let Some(r) = &node.raft {
                        (self.monitors).on_elected(now, n, *term, r.view().configuration);
                    }
                    let l = self.leaders_by_term.get_or_insert_with(*term, Vec::new);
                    if !l.contains(&n) {
                        l.push(n);
                    }
                }
                Event::VoteGranted {
                    candidate,
                    term,
                    pre_vote: false,
                } => self.monitors.on_vote_granted(n, *candidate, *term),
                Event::CommitAdvanced { to, .. } => {
                    node.commit = *to;
                    self.monitors.on_commit(now, n, node.term, *to, &node.chain);
                }
                _ => {}
            }
            self.trace.push(now, TraceKind::Node { node: n, event: ev });
        }
    }

    /// Applies newly committed entries to the node's state machine and answers the clients
    /// whose writes they complete.
    #[inline(never)]
    pub(super) fn apply_committed(&mut self, n: NodeId, ready: &mut Ready<KvCommand>) {
        let i = n.0 as usize - 1;
        let now = self.now_us;
        let dedup = self.config.kv_dedup;
        for e in ready.committed_entries.drain(..) {
            let node = &mut self.nodes[i];
            let idx = e.id.index;
            node.applied = idx;
            node.commit = node.commit.max(idx);
            let d = match node.chain.get(idx.0 as usize - 1) {
                Some(d) if d.term == e.id.term => *d,
                _ => digest_of(
                    node.chain
                        .get((idx.0 as usize).wrapping_sub(2))
                        .map_or(0, |d| d.chain),
                    &e,
                ),
            };
            self.monitors.on_apply(now, n, idx, d);
            match e.payload {
                EntryPayload::Command(cmd) => {
                    let (out, how) = node.kv.apply(&cmd, dedup);
                    if how == ApplyKind::AppliedAgain && !cmd.op.is_read() {
                        self.monitors
                            .on_applied_again(now, n, idx, e.id.term, cmd.client, cmd.seq);
                    }
                    self.trace.push(
                        now,
                        TraceKind::Apply {
                            node: n,
                            index: idx,
                            term: e.id.term,
                            client: cmd.client,
                            seq: cmd.seq,
                            how,
                        },
                    );
                    let node = &mut self.nodes[i];
                    if node.pending_write.get(&cmd.client) == Some(&cmd.seq) {
                        node.pending_write.remove(&cmd.client);
                        self.respond(n, cmd.client, cmd.seq, Ok(out));
                    }
                }
                _ => self.trace.push(
                    now,
                    TraceKind::Apply {
                        node: n,
                        index: idx,
                        term: e.id.term,
                        client: 0,
                        seq: 0,
                        how: ApplyKind::Fresh,
                    },
                ),
            }
        }
    }

    /// Answers the reads that became safe to serve, and those the node dropped.
    #[inline(never)]
    pub(super) fn serve_reads(&mut self, n: NodeId, ready: &mut Ready<KvCommand>) {
        let i = n.0 as usize - 1;
        if !ready.read_states.is_empty() {
            for rs in ready.read_states.drain(..) {
                let node = &mut self.nodes[i];
                if let Some(PendingRead { client, seq, key }) = node.pending_reads.remove(&rs.id) {
                    let out = KvOutput::Value(node.kv.get(&key).cloned());
                    self.respond(n, client, seq, Ok(out));
                }
            }
        }
        if !ready.dropped_reads.is_empty() {
            for id in ready.dropped_reads.drain(..) {
                let node = &mut self.nodes[i];
                if let Some(PendingRead { client, seq, .. }) = node.pending_reads.remove(&id) {
                    let hint = node.leader.filter(|&l| l != n);
                    self.respond(n, client, seq, Err(hint));
                }
            }
        }
    }

    pub(super) fn reschedule_timer(&mut self, n: NodeId) {
        let i = n.0 as usize - 1;
        let now = self.now_us;
        let node = &mut self.nodes[i];
        let Some(raft) = node.raft.as_ref() else {
            return self.rearm_replica_timer(n);
        };
        // Record when the node's election deadline last moved: that is when its current
        // election timer was armed (the page draws the timer from armed to deadline).
        let election = raft.election_deadline_us();
        let next = raft.next_deadline_us();
        if election != node.election_deadline_local {
            node.election_deadline_local = election;
            node.election_armed_us = election.map(|_| now);
        }
        if let Some(deadline) = next {
            self.arm_timer(n, deadline);
        }
    }

    pub(super) fn on_client_request(&mut self, n: NodeId, req: ClientRequest) {
        if self.is_ap() {
            return self.replica_client_request(n, req);
        }
        let i = n.0 as usize - 1;
        let path = self.config.read_path;
        let reply = |result| {
            Payload::Response(ClientResponse {
                client: req.client,
                seq: req.seq,
                result,
            })
        };
        if req.op.is_read() && path == ReadPath::Stale {
            let out = KvOutput::Value(self.nodes[i].kv.get(req.op.key()).cloned());
            self.send(
                Endpoint::Node(n),
                Endpoint::Client(req.client),
                reply(Ok(out)),
            );
            return;
        }
        if req.op.is_read() && matches!(path, ReadPath::ReadIndex | ReadPath::Lease) {
            let id = self.next_read_id;
            self.next_read_id += 1;
            self.nodes[i].pending_reads.insert(
                id,
                PendingRead {
                    client: req.client,
                    seq: req.seq,
                    key: req.op.key().to_string(),
                },
            );
            let r = self.with_node(n, |r, t| r.read(t, id));
            if let Some(Err(raft::ReadError::NotLeader { leader_hint })) = r {
                self.nodes[i].pending_reads.remove(&id);
                let hint = leader_hint;
                self.send(
                    Endpoint::Node(n),
                    Endpoint::Client(req.client),
                    reply(Err(hint)),
                );
            }
            return;
        }
        self.nodes[i].pending_write.insert(req.client, req.seq);
        let cmd = KvCommand {
            client: req.client,
            seq: req.seq,
            op: Arc::clone(&req.op),
        };
        let r = self.with_node(n, |r, t| r.propose(t, cmd));
        if let Some(Err(e)) = r {
            if self.nodes[i].pending_write.get(&req.client) == Some(&req.seq) {
                self.nodes[i].pending_write.remove(&req.client);
            }
            let hint = match e {
                raft::ProposeError::NotLeader { leader_hint } => leader_hint,
                _ => None,
            };
            self.send(
                Endpoint::Node(n),
                Endpoint::Client(req.client),
                reply(Err(hint)),
            );
        }
    }

    pub(super) fn crash(&mut self, n: NodeId) {
        self.crash_replica(n);
        let i = n.0 as usize - 1;
        let node = &mut self.nodes[i];
        node.raft = None;
        node.kv = KvStore::new();
        node.paused = false;
        node.timer = None;
        node.pending_write.clear();
        node.pending_reads.clear();
        node.role = Role::Follower;
        node.leader = None;
        node.commit = LogIndex(0);
        node.applied = LogIndex(0);
        node.election_deadline_local = None;
        node.election_armed_us = None;
        let inbox = std::mem::take(&mut node.inbox);
        for slot in inbox {
            if let Some(m) = self.inflight.get_mut(slot) {
                m.waiting = false;
            }
            self.drop_msg(slot, DropReason::NodeCrashed);
        }
    }

    pub(super) fn restart(&mut self, n: NodeId) {
        if self.is_ap() {
            return self.restart_replica(n);
        }
        let i = n.0 as usize - 1;
        let timeout = self.draw_election_timeout();
        let cfg = self.config.raft_config();
        let conf = self.bootstrap_configuration(n);
        let node = &mut self.nodes[i];
        let local = node.clock.local(self.now_us);
        match Node::restart(n, cfg, conf, node.disk.to_persistent(), timeout, local) {
            Ok(r) => {
                node.term = node.disk.hard_state.term;
                node.raft = Some(Box::new(r));
                node.restarts += 1;
                self.check_node_after_input(n);
            }
            // The disk holds only what this node persisted: a restart from it that fails
            // is a simulator bug. Outside checked mode the node stays crashed.
            Err(e) if self.checked => panic!(
                "seed {}, at {} us: {n} failed to restart from its disk: {e:?}",
                self.seed, self.now_us
            ),
            Err(_) => return,
        }
        self.drive(n);
    }

    pub(super) fn resume(&mut self, n: NodeId) {
        let i = n.0 as usize - 1;
        self.nodes[i].paused = false;
        self.nodes[i].timer = None;
        if !self.nodes[i].is_up() {
            return;
        }
        if self.is_ap() {
            self.with_replica(n, |r, t| r.tick(t));
        } else {
            self.with_node(n, |r, t| r.tick(t));
        }
        let inbox = std::mem::take(&mut self.nodes[i].inbox);
        for slot in inbox {
            if let Some(m) = self.inflight.get_mut(slot) {
                m.waiting = false;
            }
            self.deliver(slot);
        }
        self.reschedule_timer(n);
    }
}
