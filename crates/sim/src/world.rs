//! The world: virtual time, the event queue, the network, nodes, clients and monitors.

use crate::action::{Action, ActionError, RaftToggle};
use crate::clock::Clock;
use crate::config::{
    ConfigError, LinkConfig, ReadPath, SimConfig, DRIFT_PPM_MAX, PPM, TIME_US_MAX,
};
use crate::history::{Operation, Outcome};
use crate::json::push_decimal;
use crate::kv::{ApplyKind, ClientId, KvCommand, KvOp, KvOutput, KvStore};
use crate::monitor::{Digest, Monitors};
use crate::small_map::SmallMap;
use crate::trace::{DropReason, Endpoint, Fnv, MsgKind, Trace, TraceKind, TRACE_RECORDS_MAX};
use raft::{
    Configuration, EntryPayload, Event, Message, Node, NodeId, PersistentState, Ready, Role,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::sync::Arc;

/// A client request on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    /// Client.
    pub client: ClientId,
    /// Sequence number (retries reuse it).
    pub seq: u64,
    /// Operation (shared with the client's pending operation and the log entry).
    pub op: Arc<KvOp>,
}

/// A node's answer to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientResponse {
    /// Client.
    pub client: ClientId,
    /// Sequence number answered.
    pub seq: u64,
    /// The output, or "not the leader" with a hint.
    pub result: Result<KvOutput, Option<u32>>,
}

/// What a message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// Node ↔ node.
    Raft(Message<KvCommand>),
    /// Client → node.
    Request(ClientRequest),
    /// Node → client.
    Response(ClientResponse),
}

impl Payload {
    /// The kind.
    pub fn kind(&self) -> MsgKind {
        match self {
            Payload::Raft(m) => m.kind().into(),
            Payload::Request(_) => MsgKind::ClientRequest,
            Payload::Response(_) => MsgKind::ClientResponse,
        }
    }
    fn term(&self) -> u64 {
        match self {
            Payload::Raft(m) => m.term().0,
            Payload::Request(r) => r.seq,
            Payload::Response(r) => r.seq,
        }
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Raft(m) => write!(f, "{m}"),
            Payload::Request(r) => write!(f, "ClientRequest c{}#{} {}", r.client, r.seq, r.op),
            Payload::Response(r) => match &r.result {
                Ok(out) => write!(f, "ClientResponse c{}#{} ok {out}", r.client, r.seq),
                Err(Some(h)) => write!(
                    f,
                    "ClientResponse c{}#{} not leader (try n{h})",
                    r.client, r.seq
                ),
                Err(None) => write!(
                    f,
                    "ClientResponse c{}#{} not leader (unknown)",
                    r.client, r.seq
                ),
            },
        }
    }
}

/// A message on the wire.
///
/// Invariant: exactly one of — scheduled (`!held && !waiting`, one live queue item with
/// `qseq`), held by the user, or arrived at a paused node (`waiting`, in its inbox).
#[derive(Clone, Debug)]
pub struct InFlight {
    /// Stable id.
    pub id: u64,
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// Content.
    pub payload: Payload,
    /// Send time.
    pub sent_at_us: u64,
    /// Planned arrival.
    pub deliver_at_us: u64,
    /// Held by the user.
    pub held: bool,
    /// Arrived at a paused node; delivered on resume.
    pub waiting: bool,
    qseq: u64,
}

/// In-flight messages in a slab: a message keeps its slot from send to arrival or drop, so
/// the queue refers to it by slot (a small `Copy` key) and a delivery costs no map lookup.
/// Slots are reused LIFO; the choice of slot never affects behaviour (ids and queue order
/// do). Lookups by id (user actions, views) scan the slab.
#[derive(Clone, Debug, Default)]
pub(crate) struct MsgSlab {
    slots: Vec<Option<InFlight>>,
    free: Vec<u32>,
}

impl MsgSlab {
    #[inline]
    fn insert(&mut self, m: InFlight) -> u32 {
        match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(m);
                s
            }
            None => {
                self.slots.push(Some(m));
                (self.slots.len() - 1) as u32
            }
        }
    }
    #[inline]
    fn get(&self, slot: u32) -> Option<&InFlight> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }
    #[inline]
    fn get_mut(&mut self, slot: u32) -> Option<&mut InFlight> {
        self.slots.get_mut(slot as usize).and_then(Option::as_mut)
    }
    #[inline(always)]
    fn remove(&mut self, slot: u32) -> Option<InFlight> {
        let m = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        Some(m)
    }
    /// The slot of message `id` (a scan: for user actions, not the event loop).
    pub fn slot_of(&self, id: u64) -> Option<u32> {
        self.slots
            .iter()
            .position(|m| m.as_ref().is_some_and(|m| m.id == id))
            .map(|s| s as u32)
    }
    /// Message `id`.
    pub fn by_id(&self, id: u64) -> Option<&InFlight> {
        self.slot_of(id).and_then(|s| self.get(s))
    }
    /// Every message, by id.
    pub fn sorted(&self) -> Vec<&InFlight> {
        let mut v: Vec<&InFlight> = self.slots.iter().flatten().collect();
        check::order::sort_by_u64_key(&mut v, |m| m.id);
        v
    }
    /// Slots of the messages matching `f`, by id.
    fn slots_where(&self, f: impl Fn(&InFlight) -> bool) -> Vec<u32> {
        let mut v: Vec<(u64, u32)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(s, m)| m.as_ref().filter(|m| f(m)).map(|m| (m.id, s as u32)))
            .collect();
        check::order::sort_by_u64_key(&mut v, |m| m.0);
        v.into_iter().map(|(_, s)| s).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Deliver(u32),
    Timer(u32),
    ClientTimer(u32),
    ClientNext(u32),
}

impl Ev {
    /// The event as one word: kind in the high half, index in the low half.
    #[inline(always)]
    fn encode(self) -> u64 {
        let (kind, i) = match self {
            Ev::Deliver(i) => (0u64, i),
            Ev::Timer(i) => (1, i),
            Ev::ClientTimer(i) => (2, i),
            Ev::ClientNext(i) => (3, i),
        };
        kind << 32 | u64::from(i)
    }
    #[inline(always)]
    fn decode(code: u64) -> Ev {
        let i = code as u32;
        match code >> 32 {
            0 => Ev::Deliver(i),
            1 => Ev::Timer(i),
            2 => Ev::ClientTimer(i),
            _ => Ev::ClientNext(i),
        }
    }
}

/// A queue item. The event is kept encoded in one word: written as an enum (tag and index
/// by separate 4-byte stores), it was read back whole by the heap's next sift, a load
/// that cannot be forwarded from those stores and stalled every push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct QItem {
    at: u64,
    seq: u64,
    ev_code: u64,
}

impl QItem {
    #[inline(always)]
    fn ev(&self) -> Ev {
        Ev::decode(self.ev_code)
    }

    /// (time, sequence number) as one integer, compared without branches.
    #[inline(always)]
    fn key(&self) -> u128 {
        u128::from(self.at) << 64 | u128::from(self.seq)
    }
}

impl Ord for QItem {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on (time, sequence number): a total, deterministic order.
        other.key().cmp(&self.key())
    }
}
impl PartialOrd for QItem {
    #[inline(always)]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
    // The heap sifts with `<=`: one integer comparison, no `Ordering` in between.
    #[inline(always)]
    fn le(&self, other: &Self) -> bool {
        other.key() <= self.key()
    }
    #[inline(always)]
    fn lt(&self, other: &Self) -> bool {
        other.key() < self.key()
    }
    #[inline(always)]
    fn ge(&self, other: &Self) -> bool {
        other.key() >= self.key()
    }
    #[inline(always)]
    fn gt(&self, other: &Self) -> bool {
        other.key() > self.key()
    }
}

/// The event queue: a min-queue on (time, sequence number). Client timeouts have a heap of
/// their own: most of them are stale (the operation completed first) and would otherwise
/// deepen the heap that every delivery goes through. A pop takes the earlier of the two
/// tops, so items come out in exactly the order of a single heap.
#[derive(Clone, Debug, Default)]
struct EventQueue {
    main: BinaryHeap<QItem>,
    client_timers: BinaryHeap<QItem>,
}

impl EventQueue {
    fn push(&mut self, item: QItem) {
        match item.ev() {
            Ev::ClientTimer(_) => self.client_timers.push(item),
            _ => self.main.push(item),
        }
    }

    /// Whether the earliest item is in `main` (false when both are empty).
    #[inline]
    fn first_in_main(&self) -> bool {
        match (self.main.peek(), self.client_timers.peek()) {
            // `QItem`'s order is reversed: the greater item is the earlier one.
            (Some(m), Some(c)) => m > c,
            (m, _) => m.is_some(),
        }
    }

    #[inline]
    fn peek(&self) -> Option<&QItem> {
        if self.first_in_main() {
            self.main.peek()
        } else {
            self.client_timers.peek()
        }
    }

    /// Removes and returns the earliest item if it is due at or before `t_us` (`peek` and
    /// `pop` in one: the two heaps' tops are compared once).
    #[inline]
    fn pop_due(&mut self, t_us: u64) -> Option<QItem> {
        let heap = if self.first_in_main() {
            &mut self.main
        } else {
            &mut self.client_timers
        };
        match heap.peek() {
            Some(top) if top.at <= t_us => heap.pop(),
            _ => None,
        }
    }
}

/// A node as the world hosts it: the protocol state (volatile), its disk (persistent), its
/// state machine (volatile), its clock and its pending client work (volatile).
#[derive(Clone, Debug)]
pub(crate) struct SimNode {
    pub id: u32,
    pub raft: Option<Box<Node<KvCommand>>>,
    pub disk: PersistentState<KvCommand>,
    pub chain: Vec<Digest>,
    pub kv: KvStore,
    pub paused: bool,
    pub clock: Clock,
    timer: Option<(u64, u64)>,
    pending_write: SmallMap<ClientId, u64>,
    pending_reads: SmallMap<u64, (ClientId, u64, String)>,
    /// Slots of messages waiting at this paused node, in arrival order.
    inbox: Vec<u32>,
    pub role: Role,
    pub term: u64,
    pub leader: Option<u32>,
    pub commit: u64,
    pub applied: u64,
    pub restarts: u32,
    /// The election deadline (local µs) the node last reported, and the global µs at which
    /// it last changed (when the current election timer was armed).
    pub election_deadline_local: Option<u64>,
    pub election_armed_us: Option<u64>,
}

/// A client's outstanding operation.
#[derive(Clone, Debug)]
pub(crate) struct PendingOp {
    pub hist: usize,
    pub seq: u64,
    pub op: Arc<KvOp>,
    pub target: u32,
    pub attempts: u32,
    pub maybe_effect: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClientTimerKind {
    Timeout,
    Backoff,
}

#[derive(Clone, Debug)]
pub(crate) struct SimClient {
    pub id: u32,
    pub next_seq: u64,
    pub guess: Option<u32>,
    rotate: u32,
    pub current: Option<PendingOp>,
    pub queue: VecDeque<(KvOp, Option<u32>)>,
    timer: Option<(u64, ClientTimerKind)>,
    next_ev: Option<u64>,
    /// The value last seen per key, for the workload's cas (a key seen absent, or never
    /// seen, has no entry: either way the cas expects absence).
    last_seen: SmallMap<String, String>,
}

/// A message rule (`drop_next` / `hold_next`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MsgRule {
    pub hold: bool,
    pub from: Option<Endpoint>,
    pub to: Option<Endpoint>,
    pub kind: Option<MsgKind>,
    pub remaining: u32,
}

/// The simulation state proper: everything that a checkpoint captures.
#[derive(Clone, Debug)]
pub(crate) struct Sim {
    pub config: SimConfig,
    pub seed: u64,
    pub now_us: u64,
    rng: ChaCha8Rng,
    queue: EventQueue,
    qseq: u64,
    pub nodes: Vec<SimNode>,
    pub links: Vec<LinkConfig>,
    pub link_inflight: Vec<u32>,
    pub partition: Option<Vec<Vec<u32>>>,
    pub inflight: MsgSlab,
    next_msg_id: u64,
    pub rules: Vec<MsgRule>,
    pub clients: Vec<SimClient>,
    pub history: Vec<Operation>,
    pub monitors: Monitors,
    pub trace: Trace,
    next_read_id: u64,
    pub events_processed: u64,
    pub actions_applied: usize,
    pub leaders_by_term: SmallMap<u64, Vec<u32>>,
    pub link_overflows: u64,
    /// Drained output buffers lent to nodes by `drive` (always empty between calls).
    ready_buf: Option<Box<Ready<KvCommand>>>,
}

/// A generated operation's value: `{client}.{seq}{suffix}`.
fn op_value(client: u32, seq: u64, suffix: &str) -> String {
    let mut v = String::with_capacity(24);
    push_decimal(&mut v, u64::from(client));
    v.push('.');
    push_decimal(&mut v, seq);
    v.push_str(suffix);
    v
}

/// Records `value` as the last value a client saw for `key`. A key seen before keeps its
/// strings: the value is copied into the existing buffer, so a client that keeps using the
/// same keys allocates nothing here.
fn remember(last_seen: &mut SmallMap<String, String>, key: &str, value: &str) {
    match last_seen.get_mut(key) {
        Some(v) => {
            v.clear();
            v.push_str(value);
        }
        None => {
            last_seen.insert(key.to_owned(), value.to_owned());
        }
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
        term: e.id.term.0,
        chain: h.0,
    }
}

impl Sim {
    pub fn new(config: SimConfig, seed: u64) -> Result<Sim, ConfigError> {
        config.validate()?;
        let n = config.node_count;
        let mut sim = Sim {
            seed,
            now_us: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            queue: EventQueue::default(),
            qseq: 0,
            nodes: Vec::with_capacity(n as usize),
            links: vec![config.network; (n * n) as usize],
            link_inflight: vec![0; (n * n) as usize],
            partition: None,
            inflight: MsgSlab::default(),
            next_msg_id: 1,
            rules: Vec::new(),
            clients: (1..=config.clients.count)
                .map(|id| SimClient {
                    id,
                    next_seq: 1,
                    guess: None,
                    rotate: (id - 1) % n,
                    current: None,
                    queue: VecDeque::new(),
                    timer: None,
                    next_ev: None,
                    last_seen: SmallMap::default(),
                })
                .collect(),
            history: Vec::new(),
            monitors: Monitors::default(),
            trace: Trace::new(TRACE_RECORDS_MAX),
            next_read_id: 1,
            events_processed: 0,
            actions_applied: 0,
            leaders_by_term: SmallMap::default(),
            link_overflows: 0,
            ready_buf: Some(Box::default()),
            config,
        };
        for id in 1..=n {
            let drift = sim
                .config
                .drift_ppm
                .get(id as usize - 1)
                .copied()
                .unwrap_or(0);
            let clock = Clock::new(drift);
            let timeout = sim.draw_election_timeout();
            let node = Node::new(
                NodeId(id),
                sim.config.raft_config(),
                sim.configuration(),
                timeout,
                clock.local(0),
            )
            .map_err(|e| ConfigError {
                field: e.field.to_string(),
                problem: e.problem,
            })?;
            sim.nodes.push(SimNode {
                id,
                raft: Some(Box::new(node)),
                disk: PersistentState {
                    hard_state: Default::default(),
                    log: Vec::new(),
                },
                chain: Vec::new(),
                kv: KvStore::new(),
                paused: false,
                clock,
                timer: None,
                pending_write: SmallMap::default(),
                pending_reads: SmallMap::default(),
                inbox: Vec::new(),
                role: Role::Follower,
                term: 0,
                leader: None,
                commit: 0,
                applied: 0,
                restarts: 0,
                election_deadline_local: None,
                election_armed_us: None,
            });
        }
        for id in 1..=n {
            sim.drive(id);
        }
        if sim.config.workload.enabled {
            for c in 1..=sim.config.clients.count {
                sim.schedule_next_op(c);
            }
        }
        Ok(sim)
    }

    fn configuration(&self) -> Configuration {
        Configuration::new((1..=self.config.node_count).map(NodeId))
    }

    // ---- randomness (integers only) ----

    /// Uniform in `lo..=hi`, by a widening multiply (no floats, same on every platform).
    fn uniform(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = u128::from(hi - lo) + 1;
        lo + ((u128::from(self.rng.next_u64()) * span) >> 64) as u64
    }

    fn chance_ppm(&mut self, ppm: u32) -> bool {
        if ppm == 0 {
            return false;
        }
        if u64::from(ppm) >= PPM {
            return true;
        }
        (self.rng.next_u64() % PPM) < u64::from(ppm)
    }

    fn draw_election_timeout(&mut self) -> u64 {
        let (lo, hi) = (
            self.config.election_timeout_us_min,
            self.config.election_timeout_us_max,
        );
        self.uniform(lo, hi - 1)
    }

    // ---- queue ----

    fn schedule(&mut self, at: u64, ev: Ev) -> u64 {
        self.qseq += 1;
        let seq = self.qseq;
        self.queue.push(QItem {
            at,
            seq,
            ev_code: ev.encode(),
        });
        seq
    }

    pub fn next_event_at(&self) -> Option<u64> {
        self.queue.peek().map(|q| q.at)
    }

    /// Processes every event due at or before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: u64) {
        while let Some(item) = self.queue.pop_due(t) {
            self.now_us = self.now_us.max(item.at);
            self.handle(item);
        }
        self.now_us = self.now_us.max(t);
    }

    /// Processes the next event due at or before `limit` (and any stale queue items before
    /// it). False when no event is due by then: the clock has not moved past `limit`.
    ///
    /// The bound is checked per item, not against `next_event_at()`: a stale (cancelled)
    /// item can lie before the bound while the next live event lies after it.
    pub fn step_until(&mut self, limit: Option<u64>) -> bool {
        let before = self.events_processed;
        while let Some(item) = self.queue.pop_due(limit.unwrap_or(u64::MAX)) {
            self.now_us = self.now_us.max(item.at);
            self.handle(item);
            if self.events_processed > before {
                return true;
            }
        }
        false
    }

    fn handle(&mut self, item: QItem) {
        match item.ev() {
            Ev::Deliver(slot) => {
                let live = self
                    .inflight
                    .get(slot)
                    .is_some_and(|m| !m.held && !m.waiting && m.qseq == item.seq);
                if live {
                    self.events_processed += 1;
                    self.deliver(slot);
                }
            }
            Ev::Timer(n) => {
                let node = &mut self.nodes[n as usize - 1];
                if node.timer.map(|t| t.1) != Some(item.seq) {
                    return;
                }
                node.timer = None;
                if node.paused || node.raft.is_none() {
                    return;
                }
                let local = node.clock.local(self.now_us);
                let due = node
                    .raft
                    .as_ref()
                    .and_then(|r| r.next_deadline_us())
                    .is_some_and(|d| d <= local);
                if due {
                    self.events_processed += 1;
                    self.trace.push(self.now_us, TraceKind::Timer { node: n });
                    self.with_node(n, |r, t| r.tick(t));
                } else {
                    self.reschedule_timer(n);
                }
            }
            Ev::ClientTimer(c) => {
                let cl = &mut self.clients[c as usize - 1];
                let Some((seq, kind)) = cl.timer else { return };
                if seq != item.seq {
                    return;
                }
                cl.timer = None;
                self.events_processed += 1;
                if kind == ClientTimerKind::Timeout {
                    if let Some(p) = cl.current.as_mut() {
                        p.maybe_effect = true;
                    }
                    cl.guess = None;
                    let next = self.rotate_target(c);
                    if let Some(p) = self.clients[c as usize - 1].current.as_mut() {
                        p.target = next;
                    }
                }
                self.send_attempt(c);
            }
            Ev::ClientNext(c) => {
                let cl = &mut self.clients[c as usize - 1];
                if cl.next_ev != Some(item.seq) {
                    return;
                }
                cl.next_ev = None;
                self.events_processed += 1;
                if cl.current.is_some() {
                    return;
                }
                if let Some((op, node)) = cl.queue.pop_front() {
                    self.start_op(c, op, node);
                } else if self.config.workload.enabled {
                    let op = self.workload_op(c);
                    self.start_op(c, op, None);
                }
            }
        }
    }

    // ---- network ----

    fn link_index(&self, from: u32, to: u32) -> usize {
        ((from - 1) * self.config.node_count + (to - 1)) as usize
    }

    /// Node `n` answers a client request: the output, or "not the leader" with a hint.
    fn respond(
        &mut self,
        n: u32,
        client: ClientId,
        seq: u64,
        result: Result<KvOutput, Option<u32>>,
    ) {
        self.send(
            Endpoint::Node(n),
            Endpoint::Client(client),
            Payload::Response(ClientResponse {
                client,
                seq,
                result,
            }),
        );
    }

    fn send(&mut self, from: Endpoint, to: Endpoint, payload: Payload) {
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        let kind = payload.kind();
        self.trace.push(
            self.now_us,
            TraceKind::Send {
                id,
                from,
                to,
                kind,
                term: payload.term(),
            },
        );
        let mut hold = false;
        if !self.rules.is_empty() {
            if let Some(r) = self.rules.iter_mut().find(|r| {
                r.remaining > 0
                    && r.from.is_none_or(|f| f == from)
                    && r.to.is_none_or(|t| t == to)
                    && r.kind.is_none_or(|k| k == kind)
            }) {
                r.remaining -= 1;
                hold = r.hold;
                if !r.hold {
                    self.trace.push(
                        self.now_us,
                        TraceKind::Drop {
                            id,
                            from,
                            to,
                            kind,
                            reason: DropReason::Rule,
                        },
                    );
                    self.rules.retain(|r| r.remaining > 0);
                    return;
                }
            }
            self.rules.retain(|r| r.remaining > 0);
        }
        let (latency, dup, link) = match (from, to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => {
                let li = self.link_index(a, b);
                let l = self.links[li];
                let reason = if !l.up {
                    Some(DropReason::LinkDown)
                } else if self.chance_ppm(l.loss_ppm) {
                    Some(DropReason::Lost)
                } else if self.link_inflight[li] >= self.config.link_inflight_msgs_max {
                    self.link_overflows += 1;
                    Some(DropReason::LinkOverflow)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    self.trace.push(
                        self.now_us,
                        TraceKind::Drop {
                            id,
                            from,
                            to,
                            kind,
                            reason,
                        },
                    );
                    return;
                }
                let lat = self.uniform(l.latency_us_min, l.latency_us_max);
                let dup = self.chance_ppm(l.duplicate_ppm);
                (lat, dup, Some(li))
            }
            _ => {
                let c = self.config.clients;
                (
                    self.uniform(c.latency_us_min, c.latency_us_max),
                    false,
                    None,
                )
            }
        };
        if dup {
            self.send_duplicate(id, from, to, &payload, latency, hold, link);
        }
        self.enqueue(id, from, to, payload, latency, hold, link);
    }

    /// The network duplicates message `id`: the copy gets an id and a latency of its own.
    /// (Rare: out of `send`, so that `enqueue` is inlined there only.)
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn send_duplicate(
        &mut self,
        id: u64,
        from: Endpoint,
        to: Endpoint,
        payload: &Payload,
        latency: u64,
        hold: bool,
        link: Option<usize>,
    ) {
        let copy = self.next_msg_id;
        self.next_msg_id += 1;
        self.trace
            .push(self.now_us, TraceKind::Duplicate { id, copy });
        let lat2 = match (from, to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => {
                let l = self.links[self.link_index(a, b)];
                self.uniform(l.latency_us_min, l.latency_us_max)
            }
            _ => latency,
        };
        self.enqueue(copy, from, to, payload.clone(), lat2, hold, link);
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn enqueue(
        &mut self,
        id: u64,
        from: Endpoint,
        to: Endpoint,
        payload: Payload,
        latency: u64,
        held: bool,
        link: Option<usize>,
    ) {
        let at = self.now_us + latency;
        if let Some(li) = link {
            self.link_inflight[li] += 1;
        }
        let slot = self.inflight.insert(InFlight {
            id,
            from,
            to,
            payload,
            sent_at_us: self.now_us,
            deliver_at_us: at,
            held,
            waiting: false,
            qseq: 0,
        });
        if !held {
            let qseq = self.schedule(at, Ev::Deliver(slot));
            self.inflight.get_mut(slot).expect("inserted").qseq = qseq;
        }
    }

    // Inlined (like `enqueue`) so that the 112-byte message is moved once, not per call.
    // `always`: the size-optimized Wasm build ignores a plain `#[inline]`.
    #[inline(always)]
    fn remove_msg(&mut self, slot: u32) -> Option<InFlight> {
        let m = self.inflight.remove(slot)?;
        if let (Endpoint::Node(a), Endpoint::Node(b)) = (m.from, m.to) {
            let li = self.link_index(a, b);
            self.link_inflight[li] -= 1;
        }
        Some(m)
    }

    fn drop_msg(&mut self, slot: u32, reason: DropReason) {
        if let Some(m) = self.remove_msg(slot) {
            if let (Endpoint::Node(n), true) = (m.to, m.waiting) {
                self.nodes[n as usize - 1].inbox.retain(|&x| x != slot);
            }
            self.trace.push(
                self.now_us,
                TraceKind::Drop {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    kind: m.payload.kind(),
                    reason,
                },
            );
        }
    }

    fn deliver(&mut self, slot: u32) {
        let (id, from, to) = match self.inflight.get(slot) {
            Some(m) => (m.id, m.from, m.to),
            None => return,
        };
        if let (Endpoint::Node(a), Endpoint::Node(b)) = (from, to) {
            if !self.links[self.link_index(a, b)].up {
                self.drop_msg(slot, DropReason::LinkDown);
                return;
            }
        }
        if let Endpoint::Node(n) = to {
            let node = &self.nodes[n as usize - 1];
            if node.raft.is_none() {
                self.drop_msg(slot, DropReason::NodeCrashed);
                return;
            }
            if node.paused {
                if let Some(m) = self.inflight.get_mut(slot) {
                    m.waiting = true;
                }
                self.nodes[n as usize - 1].inbox.push(slot);
                return;
            }
        }
        let m = self.remove_msg(slot).expect("present");
        self.trace.push(
            self.now_us,
            TraceKind::Deliver {
                id,
                from,
                to,
                kind: m.payload.kind(),
            },
        );
        match (to, m.payload) {
            (Endpoint::Node(n), Payload::Raft(msg)) => {
                let from = match from {
                    Endpoint::Node(f) => f,
                    Endpoint::Client(_) => return,
                };
                self.with_node(n, |r, t| r.step(t, NodeId(from), msg));
            }
            (Endpoint::Node(n), Payload::Request(req)) => self.on_client_request(n, req),
            (Endpoint::Client(c), Payload::Response(resp)) => self.on_client_response(c, resp),
            _ => {}
        }
    }

    // ---- nodes ----

    /// Feeds one input to a live node, then drains its outputs and re-arms its timer.
    fn with_node<R>(
        &mut self,
        n: u32,
        f: impl FnOnce(&mut Node<KvCommand>, u64) -> R,
    ) -> Option<R> {
        let node = &mut self.nodes[n as usize - 1];
        let local = node.clock.local(self.now_us);
        let raft = node.raft.as_mut()?;
        let r = f(raft, local);
        self.drive(n);
        Some(r)
    }

    /// Drains every ready of node `n`, obeying the persistence rule: persist, then send,
    /// then apply, then serve reads.
    ///
    /// The work of each step lives in its own function, called only when there is some:
    /// this loop runs after every input, and a single function holding all of it spent
    /// dozens of instructions per call saving and restoring registers.
    fn drive(&mut self, n: u32) {
        let i = n as usize - 1;
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
            {
                self.persist(n, &mut ready);
            }
            if !ready.events.is_empty() {
                self.record_events(n, &mut ready);
            }
            // 2. Send.
            for env in ready.messages.drain(..) {
                self.send(
                    Endpoint::Node(env.from.0),
                    Endpoint::Node(env.to.0),
                    Payload::Raft(env.msg),
                );
            }
            // 3. Apply.
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
        self.reschedule_timer(n);
    }

    /// Records the node's soft state and makes its hard state and new entries durable.
    #[inline(never)]
    fn persist(&mut self, n: u32, ready: &mut Ready<KvCommand>) {
        let i = n as usize - 1;
        let now = self.now_us;
        let node = &mut self.nodes[i];
        let (was_role, was_term) = (node.role, node.term);
        if let Some(ss) = ready.soft_state.take() {
            node.role = ss.role;
            node.term = ss.term.0;
            node.leader = ss.leader.map(|l| l.0);
        }
        // 1. Persist.
        let hard_state = ready.hard_state.take();
        let truncate_from = ready.log_truncate_from.take();
        let persisting =
            hard_state.is_some() || truncate_from.is_some() || !ready.log_append.is_empty();
        if persisting {
            if let Some(from) = truncate_from {
                let stayed_leader =
                    was_role == Role::Leader && node.role == Role::Leader && was_term == node.term;
                self.monitors
                    .on_truncate(now, n, node.term, stayed_leader, from.0, &node.chain);
                node.chain.truncate(from.0.saturating_sub(1) as usize);
            }
            // The disk takes the entries by move (no clone): `PersistentState::persist`
            // spelled out.
            if let Some(hs) = hard_state {
                node.disk.hard_state = hs;
            }
            if let Some(from) = truncate_from {
                node.disk.log.truncate(from.0.saturating_sub(1) as usize);
            }
            let appended = ready.log_append.len() as u32;
            for e in ready.log_append.drain(..) {
                let prev = node.chain.last().map_or(0, |d| d.chain);
                let d = digest_of(prev, &e);
                node.chain.push(d);
                self.monitors.on_append(now, n, e.id.index.0, d);
                node.disk.log.push(e);
            }
            let hs = node.disk.hard_state;
            self.trace.push(
                now,
                TraceKind::Persist {
                    node: n,
                    term: hs.term.0,
                    vote: hs.vote.map(|v| v.0),
                    truncate_from: truncate_from.map_or(0, |f| f.0),
                    appended,
                    last_index: node.disk.log.len() as u64,
                },
            );
        }
    }

    /// Feeds the node's events to the monitors and the trace.
    #[inline(never)]
    fn record_events(&mut self, n: u32, ready: &mut Ready<KvCommand>) {
        let i = n as usize - 1;
        let now = self.now_us;
        for ev in ready.events.drain(..) {
            let node = &mut self.nodes[i];
            match &ev {
                Event::RoleChanged {
                    to: Role::Leader,
                    term,
                    ..
                } => {
                    self.monitors.on_leader(now, n, term.0, &node.chain);
                    let l = self.leaders_by_term.get_or_insert_with(term.0, Vec::new);
                    if !l.contains(&n) {
                        l.push(n);
                    }
                }
                Event::CommitAdvanced { to, .. } => {
                    node.commit = to.0;
                    self.monitors
                        .on_commit(now, n, node.term, to.0, &node.chain);
                }
                _ => {}
            }
            self.trace.push(now, TraceKind::Node { node: n, event: ev });
        }
    }

    /// Applies newly committed entries to the node's state machine and answers the clients
    /// whose writes they complete.
    #[inline(never)]
    fn apply_committed(&mut self, n: u32, ready: &mut Ready<KvCommand>) {
        let i = n as usize - 1;
        let now = self.now_us;
        let dedup = self.config.kv_dedup;
        for e in ready.committed_entries.drain(..) {
            let node = &mut self.nodes[i];
            let idx = e.id.index.0;
            node.applied = idx;
            node.commit = node.commit.max(idx);
            let d = match node.chain.get(idx as usize - 1) {
                Some(d) if d.term == e.id.term.0 => *d,
                _ => digest_of(
                    node.chain
                        .get((idx as usize).wrapping_sub(2))
                        .map_or(0, |d| d.chain),
                    &e,
                ),
            };
            self.monitors.on_apply(now, n, idx, d);
            match e.payload {
                EntryPayload::Command(cmd) => {
                    let (out, how) = node.kv.apply(&cmd, dedup);
                    if how == ApplyKind::AppliedAgain && !cmd.op.is_read() {
                        self.monitors.on_applied_again(
                            now,
                            n,
                            idx,
                            e.id.term.0,
                            cmd.client,
                            cmd.seq,
                        );
                    }
                    self.trace.push(
                        now,
                        TraceKind::Apply {
                            node: n,
                            index: idx,
                            term: e.id.term.0,
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
                        term: e.id.term.0,
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
    fn serve_reads(&mut self, n: u32, ready: &mut Ready<KvCommand>) {
        let i = n as usize - 1;
        if !ready.read_states.is_empty() {
            for rs in ready.read_states.drain(..) {
                let node = &mut self.nodes[i];
                if let Some((client, seq, key)) = node.pending_reads.remove(&rs.id) {
                    let out = KvOutput::Value(node.kv.get(&key).cloned());
                    self.respond(n, client, seq, Ok(out));
                }
            }
        }
        if !ready.dropped_reads.is_empty() {
            for id in ready.dropped_reads.drain(..) {
                let node = &mut self.nodes[i];
                if let Some((client, seq, _)) = node.pending_reads.remove(&id) {
                    let hint = node.leader.filter(|&l| l != n);
                    self.respond(n, client, seq, Err(hint));
                }
            }
        }
    }

    fn reschedule_timer(&mut self, n: u32) {
        let i = n as usize - 1;
        let now = self.now_us;
        let node = &mut self.nodes[i];
        let Some(raft) = node.raft.as_ref() else {
            return;
        };
        // Record when the node's election deadline last moved: that is when its current
        // election timer was armed (the page draws the timer from armed to deadline).
        let election = raft.election_deadline_us();
        let next = raft.next_deadline_us();
        if election != node.election_deadline_local {
            node.election_deadline_local = election;
            node.election_armed_us = election.map(|_| now);
        }
        let Some(deadline) = next else {
            return;
        };
        let at = node.clock.global_at_or_after(deadline).max(self.now_us);
        if let Some((cur, _)) = node.timer {
            if cur <= at {
                // The armed timer fires first; it re-arms itself if it is early.
                return;
            }
        }
        let seq = self.schedule(at, Ev::Timer(n));
        self.nodes[i].timer = Some((at, seq));
    }

    fn on_client_request(&mut self, n: u32, req: ClientRequest) {
        let i = n as usize - 1;
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
            self.nodes[i]
                .pending_reads
                .insert(id, (req.client, req.seq, req.op.key().to_string()));
            let r = self.with_node(n, |r, t| r.read(t, id));
            if let Some(Err(raft::ReadError::NotLeader { leader_hint })) = r {
                self.nodes[i].pending_reads.remove(&id);
                let hint = leader_hint.map(|h| h.0);
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
                raft::ProposeError::NotLeader { leader_hint } => leader_hint.map(|h| h.0),
                _ => None,
            };
            self.send(
                Endpoint::Node(n),
                Endpoint::Client(req.client),
                reply(Err(hint)),
            );
        }
    }

    // ---- clients ----

    fn rotate_target(&mut self, c: u32) -> u32 {
        let n = self.config.node_count;
        let cl = &mut self.clients[c as usize - 1];
        cl.rotate = (cl.rotate + 1) % n;
        cl.rotate + 1
    }

    fn start_op(&mut self, c: u32, op: KvOp, node: Option<u32>) {
        let hist = self.history.len();
        let cl = &mut self.clients[c as usize - 1];
        let seq = cl.next_seq;
        cl.next_seq += 1;
        self.history
            .push(Operation::invoked(hist as u64, c, &op, self.now_us));
        self.trace.push(
            self.now_us,
            TraceKind::ClientInvoke {
                client: c,
                op: hist as u64,
                seq,
            },
        );
        let target = match node.or(self.clients[c as usize - 1].guess) {
            Some(t) => t,
            None => {
                let cl = &self.clients[c as usize - 1];
                cl.rotate + 1
            }
        };
        self.clients[c as usize - 1].current = Some(PendingOp {
            hist,
            seq,
            op: Arc::new(op),
            target,
            attempts: 0,
            maybe_effect: false,
        });
        self.send_attempt(c);
    }

    fn send_attempt(&mut self, c: u32) {
        let attempts_max = self.config.clients.attempts_max;
        let timeout = self.config.clients.timeout_us;
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.as_mut() else { return };
        if p.attempts >= attempts_max {
            let outcome = if p.maybe_effect && !p.op.is_read() {
                Outcome::Unknown
            } else {
                Outcome::Failed
            };
            self.finish(c, outcome, None);
            return;
        }
        p.attempts += 1;
        let (hist, attempt, target, req) = (
            p.hist,
            p.attempts,
            p.target,
            ClientRequest {
                client: c,
                seq: p.seq,
                op: Arc::clone(&p.op),
            },
        );
        self.trace.push(
            self.now_us,
            TraceKind::ClientAttempt {
                client: c,
                op: hist as u64,
                attempt,
                node: target,
            },
        );
        self.send(
            Endpoint::Client(c),
            Endpoint::Node(target),
            Payload::Request(req),
        );
        let seq = self.schedule(self.now_us + timeout, Ev::ClientTimer(c));
        self.clients[c as usize - 1].timer = Some((seq, ClientTimerKind::Timeout));
    }

    fn on_client_response(&mut self, c: u32, resp: ClientResponse) {
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.as_ref() else { return };
        if p.seq != resp.seq {
            return;
        }
        match resp.result {
            Ok(out) => self.finish(c, Outcome::Ok, Some(out)),
            Err(hint) => {
                let target = p.target;
                match hint.filter(|&h| h != target && h >= 1 && h <= self.config.node_count) {
                    Some(h) => {
                        cl.guess = Some(h);
                        if let Some(p) = cl.current.as_mut() {
                            p.target = h;
                        }
                        self.send_attempt(c);
                    }
                    None => {
                        cl.guess = None;
                        let next = self.rotate_target(c);
                        let backoff = (self.config.clients.timeout_us / 10).clamp(1, 50_000);
                        let cl = &mut self.clients[c as usize - 1];
                        if let Some(p) = cl.current.as_mut() {
                            p.target = next;
                        }
                        let seq = self.schedule(self.now_us + backoff, Ev::ClientTimer(c));
                        self.clients[c as usize - 1].timer = Some((seq, ClientTimerKind::Backoff));
                    }
                }
            }
        }
    }

    fn finish(&mut self, c: u32, outcome: Outcome, out: Option<KvOutput>) {
        let now = self.now_us;
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.take() else { return };
        cl.timer = None;
        let op = &mut self.history[p.hist];
        match (&outcome, &out) {
            (Outcome::Ok, Some(o)) => {
                op.complete_ok(now, o);
                cl.guess = Some(p.target);
                match o {
                    KvOutput::Value(Some(v)) => {
                        remember(&mut cl.last_seen, p.op.key(), v);
                    }
                    KvOutput::Value(None) => {
                        cl.last_seen.remove(p.op.key());
                    }
                    _ => {}
                }
                match &*p.op {
                    KvOp::Put { key, value } => {
                        remember(&mut cl.last_seen, key, value);
                    }
                    KvOp::Cas { key, value, .. } if *o == KvOutput::Swapped(true) => {
                        remember(&mut cl.last_seen, key, value);
                    }
                    KvOp::Append { key, .. } => {
                        cl.last_seen.remove(key);
                    }
                    _ => {}
                }
            }
            (Outcome::Failed, _) => {
                op.outcome = Outcome::Failed;
                op.complete_us = Some(now);
            }
            _ => {
                op.outcome = Outcome::Unknown;
                op.complete_us = None;
            }
        }
        self.trace.push(
            now,
            TraceKind::ClientComplete {
                client: c,
                op: p.hist as u64,
                outcome,
            },
        );
        self.schedule_next_op(c);
    }

    fn schedule_next_op(&mut self, c: u32) {
        let cl = &self.clients[c as usize - 1];
        if cl.current.is_some() || cl.next_ev.is_some() {
            return;
        }
        let at = if !cl.queue.is_empty() {
            self.now_us
        } else if self.config.workload.enabled {
            let t = PPM / u64::from(self.config.workload.rate_ops_per_s.max(1));
            self.now_us + self.uniform(t / 2, t + t / 2)
        } else {
            return;
        };
        let seq = self.schedule(at, Ev::ClientNext(c));
        self.clients[c as usize - 1].next_ev = Some(seq);
    }

    fn workload_op(&mut self, c: u32) -> KvOp {
        let w = self.config.workload;
        let mut key = String::with_capacity(4);
        key.push('k');
        push_decimal(&mut key, self.uniform(0, u64::from(w.key_count) - 1));
        let seq = self.clients[c as usize - 1].next_seq;
        let mut pick = self.uniform(0, w.mix.total() - 1);
        let mut take = |weight: u32| {
            if pick < u64::from(weight) {
                true
            } else {
                pick -= u64::from(weight);
                false
            }
        };
        if take(w.mix.put) {
            KvOp::Put {
                key,
                value: op_value(c, seq, ""),
            }
        } else if take(w.mix.get) {
            KvOp::Get { key }
        } else if take(w.mix.append) {
            KvOp::Append {
                key,
                value: op_value(c, seq, ";"),
            }
        } else {
            let expected = self.clients[c as usize - 1].last_seen.get(&key).cloned();
            KvOp::Cas {
                key,
                expected,
                value: op_value(c, seq, ""),
            }
        }
    }

    // ---- actions ----

    fn check_node(&self, field: &str, node: u32) -> Result<(), ActionError> {
        if node == 0 || node > self.config.node_count {
            return Err(ActionError::new(
                field,
                format!("no node {node} (nodes are 1..{})", self.config.node_count),
            ));
        }
        Ok(())
    }

    fn check_client(&self, client: u32) -> Result<(), ActionError> {
        if client == 0 || client > self.config.clients.count {
            return Err(ActionError::new(
                "client",
                if self.config.clients.count == 0 {
                    format!("no client {client} (the world has no clients)")
                } else {
                    format!(
                        "no client {client} (clients are 1..{})",
                        self.config.clients.count
                    )
                },
            ));
        }
        let cl = &self.clients[client as usize - 1];
        if cl.current.is_some() && cl.queue.len() >= self.config.clients.queued_ops_max as usize {
            return Err(ActionError::new(
                "client",
                format!(
                    "client {client} already has {} operations queued (queued_ops_max)",
                    cl.queue.len()
                ),
            ));
        }
        Ok(())
    }

    fn check_msg(&self, id: u64) -> Result<&InFlight, ActionError> {
        self.inflight
            .by_id(id)
            .ok_or_else(|| ActionError::new("id", format!("no message #{id} in flight")))
    }

    fn check_endpoint(&self, field: &str, e: &Option<Endpoint>) -> Result<(), ActionError> {
        match e {
            Some(Endpoint::Node(n)) => self.check_node(field, *n),
            Some(Endpoint::Client(c)) if *c == 0 || *c > self.config.clients.count => {
                Err(ActionError::new(field, format!("no client {c}")))
            }
            _ => Ok(()),
        }
    }

    /// Validates an action against the current state; no change on error.
    pub fn validate(&self, a: &Action) -> Result<(), ActionError> {
        match a {
            Action::Crash { node } => {
                self.check_node("node", *node)?;
                if self.nodes[*node as usize - 1].raft.is_none() {
                    return Err(ActionError::new(
                        "node",
                        format!("node {node} is already crashed"),
                    ));
                }
            }
            Action::Restart { node } => {
                self.check_node("node", *node)?;
                if self.nodes[*node as usize - 1].raft.is_some() {
                    return Err(ActionError::new(
                        "node",
                        format!("node {node} is not crashed"),
                    ));
                }
            }
            Action::Pause { node } => {
                self.check_node("node", *node)?;
                let nd = &self.nodes[*node as usize - 1];
                if nd.raft.is_none() {
                    return Err(ActionError::new("node", format!("node {node} is crashed")));
                }
                if nd.paused {
                    return Err(ActionError::new(
                        "node",
                        format!("node {node} is already paused"),
                    ));
                }
            }
            Action::Resume { node } => {
                self.check_node("node", *node)?;
                if !self.nodes[*node as usize - 1].paused {
                    return Err(ActionError::new(
                        "node",
                        format!("node {node} is not paused"),
                    ));
                }
            }
            Action::SetDrift { node, drift_ppm } => {
                self.check_node("node", *node)?;
                if drift_ppm.unsigned_abs() > DRIFT_PPM_MAX as u32 {
                    return Err(ActionError::new(
                        "drift_ppm",
                        format!("must be within ±{DRIFT_PPM_MAX}, got {drift_ppm}"),
                    ));
                }
            }
            Action::Partition { groups } => {
                let mut seen = vec![false; self.config.node_count as usize + 1];
                for (g, group) in groups.iter().enumerate() {
                    for (k, &n) in group.iter().enumerate() {
                        let field = format!("groups[{g}][{k}]");
                        self.check_node(&field, n)?;
                        if seen[n as usize] {
                            return Err(ActionError::new(
                                field,
                                format!("node {n} is in two groups"),
                            ));
                        }
                        seen[n as usize] = true;
                    }
                }
            }
            Action::Isolate { node } | Action::Campaign { node } => {
                self.check_node("node", *node)?
            }
            Action::Cut { from, to } | Action::Repair { from, to } => {
                self.check_node("from", *from)?;
                self.check_node("to", *to)?;
                if from == to {
                    return Err(ActionError::new("to", "a node has no link to itself"));
                }
            }
            Action::Heal | Action::ReleaseAll | Action::ClearRules => {}
            Action::SetLink {
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            } => {
                if let Some(f) = from {
                    self.check_node("from", *f)?;
                }
                if let Some(t) = to {
                    self.check_node("to", *t)?;
                }
                for l in self.links_matching(*from, *to) {
                    let mut c = self.links[l];
                    c.latency_us_min = latency_us_min.unwrap_or(c.latency_us_min);
                    c.latency_us_max = latency_us_max.unwrap_or(c.latency_us_max);
                    c.loss_ppm = loss_ppm.unwrap_or(c.loss_ppm);
                    c.duplicate_ppm = duplicate_ppm.unwrap_or(c.duplicate_ppm);
                    c.validate("")
                        .map_err(|e| ActionError::new(e.field, e.problem))?;
                }
            }
            Action::DropMessage { id } | Action::DuplicateMessage { id } => {
                self.check_msg(*id)?;
            }
            Action::DelayMessage { id, delay_us } => {
                self.check_msg(*id)?;
                if *delay_us > TIME_US_MAX {
                    return Err(ActionError::new("delay_us", "too large"));
                }
            }
            Action::HoldMessage { id } => {
                let m = self.check_msg(*id)?;
                if m.held {
                    return Err(ActionError::new(
                        "id",
                        format!("message #{id} is already held"),
                    ));
                }
                if m.waiting {
                    return Err(ActionError::new(
                        "id",
                        format!("message #{id} already arrived at a paused node"),
                    ));
                }
            }
            Action::ReleaseMessage { id } => {
                if !self.check_msg(*id)?.held {
                    return Err(ActionError::new("id", format!("message #{id} is not held")));
                }
            }
            Action::DropNext {
                from, to, count, ..
            }
            | Action::HoldNext {
                from, to, count, ..
            } => {
                self.check_endpoint("from", from)?;
                self.check_endpoint("to", to)?;
                if *count == 0 {
                    return Err(ActionError::new("count", "must be at least 1"));
                }
                if self.rules.len() >= 64 {
                    return Err(ActionError::new(
                        "count",
                        "at most 64 message rules at once",
                    ));
                }
            }
            Action::Put { client, node, .. }
            | Action::Get { client, node, .. }
            | Action::Append { client, node, .. }
            | Action::Cas { client, node, .. } => {
                self.check_client(*client)?;
                if let Some(n) = node {
                    self.check_node("node", *n)?;
                }
            }
            Action::SetWorkload {
                enabled,
                rate_ops_per_s,
                key_count,
                mix,
            } => {
                let mut w = self.config.workload;
                w.enabled = enabled.unwrap_or(w.enabled);
                w.rate_ops_per_s = rate_ops_per_s.unwrap_or(w.rate_ops_per_s);
                w.key_count = key_count.unwrap_or(w.key_count);
                w.mix = mix.unwrap_or(w.mix);
                let cfg = SimConfig {
                    workload: w,
                    ..self.config.clone()
                };
                // `strip_prefix`, not `trim_start_matches`: a `&str` pattern search would
                // bring the two-way string searcher (~1.5 KB) into the Wasm for this line.
                cfg.validate().map_err(|e| {
                    let field = e.field.strip_prefix("workload.").unwrap_or(&e.field);
                    ActionError::new(field, e.problem)
                })?;
            }
            Action::TransferLeader { from, to } => {
                self.check_node("from", *from)?;
                self.check_node("to", *to)?;
                if self.nodes[*from as usize - 1].role != Role::Leader {
                    return Err(ActionError::new(
                        "from",
                        format!("node {from} is not the leader"),
                    ));
                }
                if from == to {
                    return Err(ActionError::new("to", "already the leader"));
                }
            }
            Action::SetReadPath { read_path } => {
                let cfg = SimConfig {
                    read_path: *read_path,
                    ..self.config.clone()
                };
                cfg.validate()
                    .map_err(|e| ActionError::new(e.field, e.problem))?;
            }
            Action::SetDedup { .. } | Action::SetToggle { .. } => {}
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => {
                let cfg = SimConfig {
                    election_timeout_us_min: *election_timeout_us_min,
                    election_timeout_us_max: *election_timeout_us_max,
                    ..self.config.clone()
                };
                cfg.validate()
                    .map_err(|e| ActionError::new(e.field, e.problem))?;
            }
        }
        Ok(())
    }

    fn links_matching(&self, from: Option<u32>, to: Option<u32>) -> Vec<usize> {
        let n = self.config.node_count;
        let mut v = Vec::new();
        for a in 1..=n {
            for b in 1..=n {
                if a != b && from.is_none_or(|f| f == a) && to.is_none_or(|t| t == b) {
                    v.push(self.link_index(a, b));
                }
            }
        }
        v
    }

    /// Applies a validated action.
    pub fn exec(&mut self, a: Action) {
        self.trace
            .push(self.now_us, TraceKind::Action(Box::new(a.clone())));
        self.actions_applied += 1;
        let n_nodes = self.config.node_count;
        match a {
            Action::Crash { node } => self.crash(node),
            Action::Restart { node } => self.restart(node),
            Action::Pause { node } => self.nodes[node as usize - 1].paused = true,
            Action::Resume { node } => self.resume(node),
            Action::SetDrift { node, drift_ppm } => {
                let now = self.now_us;
                self.nodes[node as usize - 1]
                    .clock
                    .set_drift(now, drift_ppm);
                self.nodes[node as usize - 1].timer = None;
                self.reschedule_timer(node);
            }
            Action::Partition { groups } => {
                let mut group_of = vec![usize::MAX; n_nodes as usize + 1];
                for (g, group) in groups.iter().enumerate() {
                    for &n in group {
                        group_of[n as usize] = g;
                    }
                }
                for a in 1..=n_nodes {
                    for b in 1..=n_nodes {
                        if a != b {
                            let li = self.link_index(a, b);
                            self.links[li].up = group_of[a as usize] == group_of[b as usize];
                        }
                    }
                }
                self.partition = Some(groups);
            }
            Action::Isolate { node } => {
                for o in 1..=n_nodes {
                    if o != node {
                        let (x, y) = (self.link_index(node, o), self.link_index(o, node));
                        self.links[x].up = false;
                        self.links[y].up = false;
                    }
                }
            }
            Action::Cut { from, to } => {
                let li = self.link_index(from, to);
                self.links[li].up = false;
            }
            Action::Repair { from, to } => {
                let li = self.link_index(from, to);
                self.links[li].up = true;
            }
            Action::Heal => {
                for l in &mut self.links {
                    l.up = true;
                }
                self.partition = None;
            }
            Action::SetLink {
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            } => {
                for li in self.links_matching(from, to) {
                    let c = &mut self.links[li];
                    c.latency_us_min = latency_us_min.unwrap_or(c.latency_us_min);
                    c.latency_us_max = latency_us_max.unwrap_or(c.latency_us_max);
                    c.loss_ppm = loss_ppm.unwrap_or(c.loss_ppm);
                    c.duplicate_ppm = duplicate_ppm.unwrap_or(c.duplicate_ppm);
                }
            }
            Action::DropMessage { id } => {
                let slot = self.inflight.slot_of(id).expect("validated");
                self.drop_msg(slot, DropReason::User)
            }
            Action::DelayMessage { id, delay_us } => {
                let slot = self.inflight.slot_of(id).expect("validated");
                let m = self.inflight.get(slot).expect("validated");
                let at = m.deliver_at_us.max(self.now_us) + delay_us;
                let (held, waiting) = (m.held, m.waiting);
                if waiting {
                    // Already at a paused node: take it back onto the wire.
                    if let Endpoint::Node(n) = m.to {
                        self.nodes[n as usize - 1].inbox.retain(|&x| x != slot);
                    }
                }
                let qseq = if held {
                    0
                } else {
                    self.schedule(at, Ev::Deliver(slot))
                };
                let m = self.inflight.get_mut(slot).expect("validated");
                m.deliver_at_us = at;
                m.waiting = false;
                m.qseq = qseq;
            }
            Action::DuplicateMessage { id } => {
                let m = self.inflight.by_id(id).expect("validated").clone();
                let copy = self.next_msg_id;
                self.next_msg_id += 1;
                self.trace
                    .push(self.now_us, TraceKind::Duplicate { id, copy });
                let link = match (m.from, m.to) {
                    (Endpoint::Node(a), Endpoint::Node(b)) => Some(self.link_index(a, b)),
                    _ => None,
                };
                let latency = m.deliver_at_us.saturating_sub(self.now_us);
                self.enqueue(copy, m.from, m.to, m.payload, latency, m.held, link);
            }
            Action::HoldMessage { id } => {
                let slot = self.inflight.slot_of(id).expect("validated");
                let m = self.inflight.get_mut(slot).expect("validated");
                m.held = true;
                m.qseq = 0;
            }
            Action::ReleaseMessage { id } => {
                let slot = self.inflight.slot_of(id).expect("validated");
                self.release(slot)
            }
            Action::DropNext {
                from,
                to,
                kind,
                count,
            }
            | Action::HoldNext {
                from,
                to,
                kind,
                count,
            } => {
                let hold = matches!(a, Action::HoldNext { .. });
                self.rules.push(MsgRule {
                    hold,
                    from,
                    to,
                    kind,
                    remaining: count,
                });
            }
            Action::ReleaseAll => {
                for slot in self.inflight.slots_where(|m| m.held) {
                    self.release(slot);
                }
            }
            Action::ClearRules => self.rules.clear(),
            Action::Put {
                client,
                key,
                value,
                node,
            } => self.client_op(client, KvOp::Put { key, value }, node),
            Action::Get { client, key, node } => self.client_op(client, KvOp::Get { key }, node),
            Action::Append {
                client,
                key,
                value,
                node,
            } => self.client_op(client, KvOp::Append { key, value }, node),
            Action::Cas {
                client,
                key,
                expected,
                value,
                node,
            } => self.client_op(
                client,
                KvOp::Cas {
                    key,
                    expected,
                    value,
                },
                node,
            ),
            Action::SetWorkload {
                enabled,
                rate_ops_per_s,
                key_count,
                mix,
            } => {
                let w = &mut self.config.workload;
                w.enabled = enabled.unwrap_or(w.enabled);
                w.rate_ops_per_s = rate_ops_per_s.unwrap_or(w.rate_ops_per_s);
                w.key_count = key_count.unwrap_or(w.key_count);
                w.mix = mix.unwrap_or(w.mix);
                if w.enabled {
                    for c in 1..=self.config.clients.count {
                        self.schedule_next_op(c);
                    }
                }
            }
            Action::Campaign { node } => {
                self.with_node(node, |r, t| r.campaign(t));
            }
            Action::TransferLeader { from, to } => {
                self.with_node(from, |r, t| r.transfer_leadership(t, NodeId(to)));
            }
            Action::SetReadPath { read_path } => {
                self.config.read_path = read_path;
                let mode = self.config.raft_config().read_mode;
                for node in &mut self.nodes {
                    if let Some(r) = node.raft.as_mut() {
                        let switched = r.set_read_mode(mode);
                        debug_assert!(switched.is_ok(), "validated: {switched:?}");
                    }
                }
            }
            Action::SetDedup { on } => self.config.kv_dedup = on,
            Action::SetToggle { toggle, on } => {
                let t = &mut self.config.toggles;
                match toggle {
                    RaftToggle::VoteWithoutLogCheck => t.vote_without_log_check = on,
                    RaftToggle::CommitOldTermsByCounting => t.commit_old_terms_by_counting = on,
                    RaftToggle::ForgetVoteOnRestart => t.forget_vote_on_restart = on,
                    RaftToggle::SkipNoopOnElection => t.skip_noop_on_election = on,
                }
                let toggles = self.config.toggles;
                for node in &mut self.nodes {
                    if let Some(r) = node.raft.as_mut() {
                        r.set_toggles(toggles);
                    }
                }
            }
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => {
                self.config.election_timeout_us_min = election_timeout_us_min;
                self.config.election_timeout_us_max = election_timeout_us_max;
            }
        }
        for m in self.monitors.take_fresh() {
            self.trace
                .push(self.now_us, TraceKind::Violation { monitor: m });
        }
    }

    fn release(&mut self, slot: u32) {
        let Some(m) = self.inflight.get(slot) else {
            return;
        };
        let at = m.deliver_at_us.max(self.now_us);
        let qseq = self.schedule(at, Ev::Deliver(slot));
        let m = self.inflight.get_mut(slot).expect("present");
        m.held = false;
        m.deliver_at_us = at;
        m.qseq = qseq;
    }

    fn client_op(&mut self, c: u32, op: KvOp, node: Option<u32>) {
        let cl = &mut self.clients[c as usize - 1];
        if cl.current.is_none() && cl.queue.is_empty() {
            cl.next_ev = None;
            self.start_op(c, op, node);
        } else {
            cl.queue.push_back((op, node));
            self.schedule_next_op(c);
        }
    }

    fn crash(&mut self, n: u32) {
        let i = n as usize - 1;
        let node = &mut self.nodes[i];
        node.raft = None;
        node.kv = KvStore::new();
        node.paused = false;
        node.timer = None;
        node.pending_write.clear();
        node.pending_reads.clear();
        node.role = Role::Follower;
        node.leader = None;
        node.commit = 0;
        node.applied = 0;
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

    fn restart(&mut self, n: u32) {
        let i = n as usize - 1;
        let timeout = self.draw_election_timeout();
        let cfg = self.config.raft_config();
        let conf = self.configuration();
        let node = &mut self.nodes[i];
        let local = node.clock.local(self.now_us);
        match Node::restart(NodeId(n), cfg, conf, node.disk.clone(), timeout, local) {
            Ok(r) => {
                node.term = node.disk.hard_state.term.0;
                node.raft = Some(Box::new(r));
                node.restarts += 1;
            }
            Err(_) => return,
        }
        self.drive(n);
    }

    fn resume(&mut self, n: u32) {
        let i = n as usize - 1;
        self.nodes[i].paused = false;
        self.nodes[i].timer = None;
        if self.nodes[i].raft.is_none() {
            return;
        }
        self.with_node(n, |r, t| r.tick(t));
        let inbox = std::mem::take(&mut self.nodes[i].inbox);
        for slot in inbox {
            if let Some(m) = self.inflight.get_mut(slot) {
                m.waiting = false;
            }
            self.deliver(slot);
        }
        self.reschedule_timer(n);
    }

    /// Whether any client operation is pending or queued.
    pub fn clients_busy(&self) -> bool {
        self.clients
            .iter()
            .any(|c| c.current.is_some() || !c.queue.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_read_as_format_would_write_them() {
        for (c, seq) in [
            (0, 0),
            (1, 9),
            (7, 10),
            (64, 1_234_567),
            (u32::MAX, u64::MAX),
        ] {
            assert_eq!(op_value(c, seq, ""), format!("{c}.{seq}"));
            assert_eq!(op_value(c, seq, ";"), format!("{c}.{seq};"));
        }
    }
}
