//! A small deterministic in-memory cluster for tests: zero-latency FIFO delivery, one shared
//! clock, link cuts, a drop filter, crash/restart from `PersistentState::persist`, and a
//! checker that every index is applied with the same entry everywhere, forever.

#![allow(dead_code)]

use raft::{
    Config, Configuration, Entry, EntryId, EntryPayload, Envelope, Event, Message, Node, NodeId,
    PersistentState, ReadId, ReadState, Ready, Role, Term,
};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub type Filter = Box<dyn FnMut(&Envelope<u64>) -> bool>;

/// A snapshot's data for the harness's state machine (the applied entries): per entry its
/// term, index, kind (0 no-op, 1 command, 2 configuration) and command, little-endian.
pub fn encode_applied(applied: &[Entry<u64>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(applied.len() * 25);
    for e in applied {
        let (kind, cmd) = match &e.payload {
            EntryPayload::Noop => (0u8, 0u64),
            EntryPayload::Command(c) => (1, *c),
            EntryPayload::Config(_) => (2, 0),
        };
        out.extend(e.id.term.0.to_le_bytes());
        out.extend(e.id.index.0.to_le_bytes());
        out.push(kind);
        out.extend(cmd.to_le_bytes());
    }
    out
}

/// A restored configuration entry's payload: the harness's snapshot keeps only its kind.
pub const RESTORED_CONFIG: u64 = u64::MAX;

/// The inverse of [`encode_applied`] (configuration entries come back as
/// `Command(RESTORED_CONFIG)`).
pub fn decode_applied(data: &[u8]) -> Vec<Entry<u64>> {
    let u = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap());
    data.chunks(25)
        .map(|c| Entry {
            id: EntryId::new(u(&c[0..8]), u(&c[8..16])),
            payload: match c[16] {
                1 => EntryPayload::Command(u(&c[17..25])),
                2 => EntryPayload::Command(RESTORED_CONFIG),
                _ => EntryPayload::Noop,
            },
        })
        .collect()
}

pub fn n(id: u32) -> NodeId {
    NodeId(id)
}

/// A config with PreVote and CheckQuorum off, for scripting exact scenarios.
pub fn plain_config() -> Config {
    Config {
        pre_vote: false,
        check_quorum: false,
        ..Config::default()
    }
}

pub struct Cluster {
    pub config: Config,
    pub configuration: Configuration,
    /// Each node's bootstrap configuration (what it restarts with).
    pub bootstrap: Vec<Configuration>,
    pub nodes: Vec<Option<Node<u64>>>,
    pub stores: Vec<PersistentState<u64>>,
    /// Election timeout each node is given, every time it asks.
    pub timeouts_us: Vec<u64>,
    pub now_us: u64,
    pub queue: VecDeque<Envelope<u64>>,
    /// Directed links that drop everything.
    pub cut: BTreeSet<(NodeId, NodeId)>,
    /// Drops a message when it returns true.
    pub drop_filter: Option<Filter>,
    /// Messages delivered, in order.
    pub delivered: Vec<Envelope<u64>>,
    /// Entries applied per node since its last (re)start.
    pub applied: Vec<Vec<Entry<u64>>>,
    /// The committed-entries checker: index -> the entry first applied there.
    pub committed: BTreeMap<u64, EntryId>,
    pub violations: Vec<String>,
    pub events: Vec<Vec<Event>>,
    pub read_states: Vec<Vec<ReadState>>,
    pub dropped_reads: Vec<Vec<ReadId>>,
}

impl Cluster {
    pub fn new(size: u32, config: Config) -> Self {
        Self::growing(size, size, config)
    }

    /// `size` servers of which the first `voters` form the bootstrap configuration; the
    /// others start outside it (an empty configuration), to be added.
    pub fn growing(size: u32, voters: u32, config: Config) -> Self {
        let ids: Vec<NodeId> = (1..=size).map(NodeId).collect();
        let configuration = Configuration::new((1..=voters).map(NodeId));
        let bootstrap: Vec<Configuration> = ids
            .iter()
            .map(|id| {
                if id.0 <= voters {
                    configuration.clone()
                } else {
                    Configuration::default()
                }
            })
            .collect();
        let min = config.election_timeout_us_min;
        // Node 1 times out first, then node 2, ...: deterministic and well separated.
        let timeouts_us: Vec<u64> = (0..size as u64)
            .map(|i| min + 10_000 + i * 40_000)
            .collect();
        let nodes = ids
            .iter()
            .map(|&id| {
                let t = timeouts_us[id.0 as usize - 1];
                let conf = bootstrap[id.0 as usize - 1].clone();
                Some(Node::new(id, config.clone(), conf, t, 0).unwrap())
            })
            .collect();
        let k = size as usize;
        Cluster {
            config,
            configuration,
            bootstrap,
            nodes,
            stores: (0..k).map(|_| PersistentState::default()).collect(),
            timeouts_us,
            now_us: 0,
            queue: VecDeque::new(),
            cut: BTreeSet::new(),
            drop_filter: None,
            delivered: Vec::new(),
            applied: vec![Vec::new(); k],
            committed: BTreeMap::new(),
            violations: Vec::new(),
            events: vec![Vec::new(); k],
            read_states: vec![Vec::new(); k],
            dropped_reads: vec![Vec::new(); k],
        }
    }

    pub fn ids(&self) -> Vec<NodeId> {
        (1..=self.nodes.len() as u32).map(NodeId).collect()
    }

    pub fn node(&self, id: u32) -> &Node<u64> {
        self.nodes[id as usize - 1].as_ref().expect("node is up")
    }

    pub fn node_mut(&mut self, id: u32) -> &mut Node<u64> {
        self.nodes[id as usize - 1].as_mut().expect("node is up")
    }

    pub fn role(&self, id: u32) -> Role {
        self.node(id).view().role
    }

    pub fn term(&self, id: u32) -> Term {
        self.node(id).view().term
    }

    /// The live leaders, as (id, term).
    pub fn leaders(&self) -> Vec<(u32, Term)> {
        self.nodes
            .iter()
            .flatten()
            .filter(|nd| nd.view().role == Role::Leader)
            .map(|nd| (nd.view().id.0, nd.view().term))
            .collect()
    }

    /// The single live leader with the highest term.
    pub fn leader(&self) -> Option<u32> {
        self.leaders()
            .into_iter()
            .max_by_key(|&(_, t)| t)
            .map(|(id, _)| id)
    }

    /// Applies a node's ready the way a real driver does: persist, send, apply, read.
    pub fn process(&mut self, id: u32) {
        let i = id as usize - 1;
        let Some(node) = self.nodes[i].as_mut() else {
            return;
        };
        let ready: Ready<u64> = node.take_ready();
        if ready.needs_election_timeout {
            node.set_election_timeout(self.timeouts_us[i]);
        }
        self.stores[i].persist(&ready);
        if let Some(s) = &ready.apply_snapshot {
            // The "state machine" is the list of applied entries; a snapshot restores it.
            self.applied[i] = decode_applied(&s.data);
            for e in &self.applied[i] {
                if self
                    .committed
                    .get(&e.id.index.0)
                    .is_some_and(|&c| c != e.id)
                {
                    self.violations
                        .push(format!("n{id} restored {} from a snapshot", e.id));
                }
            }
            if self.applied[i].len() as u64 != s.last_included.index.0 {
                self.violations
                    .push(format!("n{id}: snapshot data out of step"));
            }
        }
        for e in &ready.committed_entries {
            let expected = self.applied[i].len() as u64 + 1;
            if e.id.index.0 != expected {
                self.violations.push(format!(
                    "n{id} applied {} out of order (expected {expected})",
                    e.id
                ));
            }
            match self.committed.get(&e.id.index.0) {
                Some(&first) if first != e.id => self.violations.push(format!(
                    "n{id} applied {} where {} was applied before",
                    e.id, first
                )),
                Some(_) => {}
                None => {
                    self.committed.insert(e.id.index.0, e.id);
                }
            }
            self.applied[i].push(e.clone());
        }
        // A committed entry was overwritten (teaching toggles only): the node re-applies
        // from the truncation point, and the checker sees what it applies there.
        if let Some(Event::CommittedEntriesTruncated { from, .. }) = ready
            .events
            .iter()
            .rev()
            .find(|e| matches!(e, Event::CommittedEntriesTruncated { .. }))
        {
            let keep = from.0 as usize - 1;
            self.applied[i].truncate(keep);
        }
        self.events[i].extend(ready.events);
        self.read_states[i].extend(ready.read_states);
        self.dropped_reads[i].extend(ready.dropped_reads);
        self.queue.extend(ready.messages);
        if let Some(node) = self.nodes[i].as_ref() {
            if let Err(e) = node.check_invariants() {
                panic!("{e}");
            }
        }
        let due = self.nodes[i].as_ref().and_then(|n| n.snapshot_due());
        if let Some(at) = due {
            let data = encode_applied(&self.applied[i]);
            self.node_mut(id).compact(at, data.into()).unwrap();
            self.process(id);
        }
    }

    fn blocked(&mut self, env: &Envelope<u64>) -> bool {
        if self.nodes[env.to.0 as usize - 1].is_none() || self.cut.contains(&(env.from, env.to)) {
            return true;
        }
        match self.drop_filter.as_mut() {
            Some(f) => f(env),
            None => false,
        }
    }

    /// Delivers queued messages (and the ones they cause) until the network is quiet.
    pub fn deliver_all(&mut self) {
        let mut budget = 1_000_000;
        while let Some(env) = self.queue.pop_front() {
            budget -= 1;
            assert!(budget > 0, "message storm");
            if self.blocked(&env) {
                continue;
            }
            let to = env.to.0;
            self.delivered.push(env.clone());
            let now = self.now_us;
            self.node_mut(to).step(now, env.from, env.msg);
            self.process(to);
        }
    }

    /// Runs timers and delivery until `t`.
    pub fn run_until(&mut self, t: u64) {
        self.deliver_all();
        loop {
            let next = self
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(i, nd)| {
                    nd.as_ref()
                        .and_then(|n| n.next_deadline_us())
                        .map(|d| (d, i))
                })
                .min();
            match next {
                Some((d, i)) if d <= t => {
                    self.now_us = self.now_us.max(d);
                    let now = self.now_us;
                    self.nodes[i].as_mut().unwrap().tick(now);
                    self.process(i as u32 + 1);
                    self.deliver_all();
                }
                _ => break,
            }
        }
        self.now_us = self.now_us.max(t);
    }

    pub fn advance(&mut self, dt_us: u64) {
        let t = self.now_us + dt_us;
        self.run_until(t);
    }

    pub fn campaign(&mut self, id: u32) {
        let now = self.now_us;
        self.node_mut(id).campaign(now);
        self.process(id);
        self.deliver_all();
    }

    pub fn propose(&mut self, id: u32, cmd: u64) -> Result<EntryId, raft::ProposeError> {
        let now = self.now_us;
        let r = self.node_mut(id).propose(now, cmd);
        self.process(id);
        self.deliver_all();
        r
    }

    pub fn change(
        &mut self,
        id: u32,
        change: raft::MembershipChange,
    ) -> Result<EntryId, raft::MembershipError> {
        let now = self.now_us;
        let r = self.node_mut(id).propose_membership(now, change);
        self.process(id);
        self.deliver_all();
        r
    }

    pub fn read(&mut self, id: u32, read: ReadId) -> Result<(), raft::ReadError> {
        let now = self.now_us;
        let r = self.node_mut(id).read(now, read);
        self.process(id);
        self.deliver_all();
        r
    }

    pub fn crash(&mut self, id: u32) {
        self.nodes[id as usize - 1] = None;
    }

    pub fn restart(&mut self, id: u32) {
        let i = id as usize - 1;
        let node = Node::restart(
            NodeId(id),
            self.config.clone(),
            self.bootstrap[i].clone(),
            self.stores[i].clone(),
            self.timeouts_us[i],
            self.now_us,
        )
        .unwrap();
        self.nodes[i] = Some(node);
        self.applied[i].clear();
        // Restores the state machine from a persisted snapshot.
        self.process(id);
    }

    pub fn isolate(&mut self, id: u32) {
        for other in self.ids() {
            if other.0 != id {
                self.cut.insert((NodeId(id), other));
                self.cut.insert((other, NodeId(id)));
            }
        }
    }

    pub fn heal(&mut self) {
        self.cut.clear();
    }

    /// Elects `id` by forcing its timeout, and checks it won.
    pub fn elect(&mut self, id: u32) {
        self.campaign(id);
        assert_eq!(self.role(id), Role::Leader, "n{id} should have won");
    }

    /// The terms of a node's log.
    pub fn log_ids(&self, id: u32) -> Vec<EntryId> {
        self.node(id).view().log.iter().map(|e| e.id).collect()
    }

    pub fn count_delivered(&self, pred: impl Fn(&Envelope<u64>) -> bool) -> usize {
        self.delivered.iter().filter(|e| pred(e)).count()
    }

    pub fn has_event(&self, id: u32, pred: impl Fn(&Event) -> bool) -> bool {
        self.events[id as usize - 1].iter().any(pred)
    }
}

/// True for an AppendEntries rejection from `from` to `to`.
pub fn is_append_rejection(env: &Envelope<u64>, from: u32, to: u32) -> bool {
    env.from.0 == from
        && env.to.0 == to
        && matches!(&env.msg, Message::AppendEntriesResponse(r) if !r.success)
}

impl Cluster {
    /// Cuts every link between the groups (both directions).
    pub fn partition(&mut self, a: &[u32], b: &[u32]) {
        for &x in a {
            for &y in b {
                self.cut.insert((NodeId(x), NodeId(y)));
                self.cut.insert((NodeId(y), NodeId(x)));
            }
        }
    }

    pub fn commit(&self, id: u32) -> u64 {
        self.node(id).view().commit.0
    }
}

/// Whether an AppendEntries carries the entry at `index`.
pub fn carries_index(env: &Envelope<u64>, index: u64) -> bool {
    matches!(&env.msg, Message::AppendEntries(ae) if ae.entries.iter().any(|e| e.id.index.0 == index))
}

pub fn is_append(env: &Envelope<u64>) -> bool {
    matches!(env.msg, Message::AppendEntries(_))
}

/// A tiny seeded generator (xorshift64*) for the jittered network: the raft crate has no
/// RNG dependency, and a test only needs a fixed, reproducible stream.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    /// Uniform in `lo..=hi` (modulo bias is irrelevant for a test network).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        lo + x % (hi - lo + 1)
    }
}

impl Cluster {
    /// Runs timers and delivery until `t` on a network where every message takes a latency
    /// drawn uniformly from `latency_us_min..=latency_us_max` (the simulator's default link
    /// model, 1-5 ms): messages sent together arrive in a random order. Cut links and the
    /// drop filter apply as in [`Cluster::deliver_all`].
    pub fn run_jittered_until(
        &mut self,
        t: u64,
        rng: &mut XorShift,
        latency_us_min: u64,
        latency_us_max: u64,
    ) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        // (deliver_at_us, sequence): ties keep send order.
        let mut in_flight: BinaryHeap<Reverse<(u64, u64)>> = BinaryHeap::new();
        let mut slab: BTreeMap<u64, Envelope<u64>> = BTreeMap::new();
        let mut seq = 0u64;
        loop {
            while let Some(env) = self.queue.pop_front() {
                let at = self.now_us + rng.range(latency_us_min, latency_us_max);
                in_flight.push(Reverse((at, seq)));
                slab.insert(seq, env);
                seq += 1;
            }
            let timer = self
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(i, nd)| {
                    nd.as_ref()
                        .and_then(|n| n.next_deadline_us())
                        .map(|d| (d, i))
                })
                .min();
            let msg_at = in_flight.peek().map(|Reverse((at, _))| *at);
            match (timer, msg_at) {
                (Some((d, i)), m) if d <= t && m.is_none_or(|m| d < m) => {
                    self.now_us = self.now_us.max(d);
                    let now = self.now_us;
                    self.nodes[i].as_mut().unwrap().tick(now);
                    self.process(i as u32 + 1);
                }
                (_, Some(m)) if m <= t => {
                    let Reverse((at, s)) = in_flight.pop().unwrap();
                    self.now_us = self.now_us.max(at);
                    let env = slab.remove(&s).unwrap();
                    if self.blocked(&env) {
                        continue;
                    }
                    let to = env.to.0;
                    self.delivered.push(env.clone());
                    let now = self.now_us;
                    self.node_mut(to).step(now, env.from, env.msg);
                    self.process(to);
                }
                _ => break,
            }
        }
        self.now_us = self.now_us.max(t);
    }
}
