//! The simulation proper ([`Sim`]): virtual time, the seeded RNG and the event loop. The
//! rest is split by responsibility:
//!
//! - `queue.rs`: the event queue, ordered by (time, sequence number);
//! - `network.rs`: links, messages in flight, message rules; send, deliver, drop;
//! - `host.rs`: node hosting: drive, persistence, apply, reads, crash/restart/resume;
//! - `host_ap.rs`: the AP store's replicas hosted through the same seam;
//! - `byzantine.rs`: the lying node's outgoing messages, rewritten;
//! - `clients.rs`: clients, their pending operations and the workload;
//! - `actions/`: user actions, each family's validation beside its execution.
//!
//! The timeline (checkpoints, seek, the action log) wraps a `Sim`: `timeline.rs`.

mod actions;
mod byzantine;
mod clients;
mod disk;
mod host;
mod host_ap;
mod invariants;
mod msg_stats;
mod network;
mod queue;
mod sharing;

pub(crate) use clients::SimClient;
pub(crate) use host::SimNode;
pub use msg_stats::{wire_bytes, KindCounts, ENTRY_BYTES, HEADER_BYTES};
pub use network::InFlight;
pub(crate) use network::{MsgRule, MsgSlab};

use crate::clock::Clock;
use crate::config::{ConfigError, LinkConfig, SimConfig, PPM};
use crate::history::Op;
use crate::kv::{KvCommand, KvStore};
use crate::monitor::Monitors;
use crate::trace::{Trace, TraceKind, TRACE_RECORDS_MAX};
use clients::{ClientTimer, ClientTimerKind, QueuedOp};
use queue::{Ev, EventQueue, QItem};
use raft::{Configuration, LogIndex, Node, NodeId, Ready, Role, Term};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;
use util::SmallMap;

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
    pub partition: Option<Vec<Vec<NodeId>>>,
    pub inflight: MsgSlab,
    next_msg_id: u64,
    pub rules: Vec<MsgRule>,
    pub clients: Vec<SimClient>,
    pub history: raft::ChunkVec<Op>,
    pub monitors: Monitors,
    pub trace: Trace,
    next_read_id: u64,
    pub events_processed: u64,
    pub actions_applied: usize,
    pub leaders_by_term: SmallMap<Term, Vec<NodeId>>,
    pub link_overflows: u64,
    /// Messages and estimated bytes by kind (`msg_stats.rs`).
    pub msg_stats: msg_stats::MsgStats,
    /// Checked mode (`world/invariants.rs`): invariants run after every input and event.
    /// Not simulation state: it never changes what happens, only what is verified.
    pub checked: bool,
    /// Buffers for the checks of checked mode (empty otherwise).
    invariant_scratch: invariants::Scratch,
    /// Key and value bytes of the client actions executed (for `limits::MemoryEstimate`).
    pub payload_bytes: u64,
    /// Drained output buffers lent to nodes by `drive` (always empty between calls).
    ready_buf: Option<Box<Ready<KvCommand>>>,
    /// The lying node and how it lies (`set_byzantine`; `world/byzantine.rs`).
    pub byzantine: Option<(NodeId, crate::byzantine::ByzantineMode)>,
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
            history: Default::default(),
            monitors: Monitors::default(),
            trace: Trace::new(TRACE_RECORDS_MAX),
            next_read_id: 1,
            events_processed: 0,
            actions_applied: 0,
            leaders_by_term: SmallMap::default(),
            link_overflows: 0,
            msg_stats: Default::default(),
            payload_bytes: 0,
            ready_buf: Some(Box::default()),
            checked: cfg!(debug_assertions),
            invariant_scratch: Default::default(),
            byzantine: None,
            config,
        };
        for id in 1..=n {
            let conf = sim.configuration();
            sim.host_node(NodeId(id), conf)?;
        }
        for id in 1..=n {
            if sim.is_ap() {
                sim.with_replica(NodeId(id), |_, _| {});
            } else {
                sim.drive(NodeId(id));
            }
        }
        if sim.config.workload.enabled {
            for c in 1..=sim.config.clients.count {
                sim.schedule_next_op(c);
            }
        }
        Ok(sim)
    }

    /// The bootstrap configuration node `n` starts (and restarts) with: the initial
    /// nodes for one of them, an empty one for a server added later (it learns its
    /// configuration from the leader).
    pub(crate) fn bootstrap_configuration(&self, n: NodeId) -> Configuration {
        if n.0 <= self.config.node_count {
            self.configuration()
        } else {
            Configuration::default()
        }
    }

    fn configuration(&self) -> Configuration {
        Configuration::new((1..=self.config.node_count).map(NodeId))
    }

    /// The number of hosted nodes, ids `1..=n`: the initial ones and those added since.
    pub fn node_count(&self) -> u32 {
        self.nodes.len() as u32
    }

    /// Hosts node `id` (the next id) with bootstrap configuration `conf`: its clock
    /// (initial drift from the configuration), a fresh disk, its first election timeout.
    fn host_node(&mut self, id: NodeId, conf: Configuration) -> Result<(), ConfigError> {
        debug_assert_eq!(id.0 as usize, self.nodes.len() + 1);
        let drift = self
            .config
            .drift_ppm
            .get(id.0 as usize - 1)
            .copied()
            .unwrap_or(0);
        let clock = Clock::new(drift);
        let ap = self.new_replica(id, clock.local(self.now_us));
        let raft = match ap {
            Some(_) => None,
            None => {
                let timeout = self.draw_election_timeout();
                let node = Node::new(
                    id,
                    self.config.raft_config(),
                    conf,
                    timeout,
                    clock.local(self.now_us),
                )
                .map_err(|e| ConfigError {
                    field: e.field.to_string(),
                    problem: e.problem,
                })?;
                Some(Box::new(node))
            }
        };
        self.nodes.push(SimNode {
            id,
            raft,
            ap,
            disk: disk::Disk::default(),
            chain: Default::default(),
            kv: KvStore::new(),
            paused: false,
            clock,
            timer: None,
            pending_write: SmallMap::default(),
            pending_reads: SmallMap::default(),
            inbox: Vec::new(),
            role: Role::Follower,
            term: Term(0),
            leader: None,
            commit: LogIndex(0),
            applied: LogIndex(0),
            restarts: 0,
            election_deadline_local: None,
            election_armed_us: None,
        });
        Ok(())
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
            let events = self.events_processed;
            self.handle(item);
            if self.events_processed != events {
                self.check_after_event();
            }
        }
        self.now_us = self.now_us.max(t);
    }

    /// As [`Sim::run_until`], stopping once `events_max` more events were processed; the
    /// instant of the last one is finished first (every item due then is handled), so the
    /// world is never left between two events of one instant, a state no unbudgeted run
    /// passes through. True when it reached `t` (the clock is then `t`).
    pub fn run_until_budget(&mut self, t: u64, events_max: u64) -> bool {
        let start = self.events_processed;
        while let Some(item) = self.queue.pop_due(t) {
            self.now_us = self.now_us.max(item.at);
            self.handle(item);
            if self.events_processed - start >= events_max {
                let now = self.now_us;
                while let Some(item) = self.queue.pop_due(now) {
                    self.handle(item);
                }
                if self.queue.peek().is_some_and(|q| q.at <= t) {
                    return false;
                }
                break;
            }
        }
        self.now_us = self.now_us.max(t);
        true
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
                self.check_after_event();
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
                let node = &mut self.nodes[n.0 as usize - 1];
                if node.timer.map(|t| t.seq) != Some(item.seq) {
                    return;
                }
                node.timer = None;
                if node.ap.is_some() {
                    if !node.paused {
                        self.replica_timer(n);
                    }
                    return;
                }
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
                let Some(ClientTimer { seq, kind }) = cl.timer else {
                    return;
                };
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
                if let Some(QueuedOp { op, node }) = cl.queue.pop_front() {
                    self.start_op(c, op, node);
                } else if self.config.workload.enabled {
                    let op = self.workload_op(c);
                    self.start_op(c, op, None);
                }
            }
        }
    }
}
