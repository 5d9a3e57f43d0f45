//! Hosting the AP store's replicas ([`crate::ap`]) through the same seam as Raft's
//! (`host.rs`): an input at the replica's local time, then its outputs drained (messages
//! onto the network, answers to clients) and its timer re-armed. The network, faults,
//! clients, history, trace, checkpoints and views are the world's, shared by both.
//!
//! The seam is the handful of `Sim` entry points that branch on the protocol:
//! `host_node` (hosting a new node), `handle` (a node's timer), `deliver` (a node-to-node
//! message), `on_client_request`, `crash`, `restart` and `resume`. A third protocol adds
//! its branch to each and a file like this one.

use super::queue::Ev;
use super::Sim;
use crate::ap::{Durable, Output, Replica};
use crate::wire::{ClientRequest, Endpoint, Payload};
use raft::NodeId;

/// An AP replica as the world hosts it: the replica (volatile; `None` while crashed) and
/// what survives a crash.
#[derive(Debug)]
pub(crate) struct ApHosted {
    pub replica: Option<Replica>,
    /// What the replica held when it crashed (persistence is synchronous, so all of it).
    pub disk: Durable,
}

/// By hand: without the `ap` feature no `ApHosted` exists, and cloning nothing keeps the
/// replica's clone code out of the playground's module (checkpoints clone every node).
impl Clone for ApHosted {
    fn clone(&self) -> Self {
        if !cfg!(feature = "ap") {
            return ApHosted {
                replica: None,
                disk: Durable::default(),
            };
        }
        ApHosted {
            replica: self.replica.clone(),
            disk: self.disk.clone(),
        }
    }
}

impl ApHosted {
    /// The live replica's values by key (`None` while crashed).
    pub fn values(&self) -> Option<util::SmallMap<String, String>> {
        let r = self.replica.as_ref()?;
        let mut m = util::SmallMap::default();
        for (k, v) in &r.durable().store {
            m.insert(k.clone(), v.value.clone());
        }
        Some(m)
    }
}

impl Sim {
    /// Whether the nodes run the AP store. Never without the `ap` feature (such a
    /// configuration is refused), so that every branch on it, and the replica's code, is
    /// left out of the playground's Wasm module.
    pub(crate) fn is_ap(&self) -> bool {
        cfg!(feature = "ap") && self.config.ap.is_some()
    }

    /// A fresh replica for node `id`, at the node's local time.
    pub(super) fn new_replica(&self, id: NodeId, local_us: u64) -> Option<Box<ApHosted>> {
        if !self.is_ap() {
            return None;
        }
        let config = self.config.ap?;
        let replicas = self.config.node_count;
        Some(Box::new(ApHosted {
            replica: Some(Replica::new(id, replicas, config, local_us)),
            disk: Durable::default(),
        }))
    }

    /// Feeds one input to node `n`'s live replica, then drains its outputs.
    pub(super) fn with_replica(&mut self, n: NodeId, f: impl FnOnce(&mut Replica, u64)) {
        if !self.is_ap() {
            return;
        }
        let node = &mut self.nodes[n.0 as usize - 1];
        let local = node.clock.local(self.now_us);
        let Some(r) = node.ap.as_mut().and_then(|a| a.replica.as_mut()) else {
            return;
        };
        f(r, local);
        self.drive_replica(n);
    }

    /// Sends the replica's messages, answers its clients, re-arms its timer.
    fn drive_replica(&mut self, n: NodeId) {
        let i = n.0 as usize - 1;
        let mut out = Output::default();
        match self.nodes[i].ap.as_mut().and_then(|a| a.replica.as_mut()) {
            Some(r) if r.has_output() => r.take_output(&mut out),
            Some(_) => {}
            None => return,
        }
        for (to, m) in out.messages {
            self.send(Endpoint::Node(n), Endpoint::Node(to), Payload::Ap(m));
        }
        for a in out.answers {
            self.respond(n, a.client, a.seq, Ok(a.output));
        }
        self.rearm_replica_timer(n);
    }

    /// Arms node `n`'s timer for its live replica's next deadline, if it has one.
    pub(super) fn rearm_replica_timer(&mut self, n: NodeId) {
        if !self.is_ap() {
            return;
        }
        let deadline = self.nodes[n.0 as usize - 1]
            .ap
            .as_ref()
            .and_then(|a| a.replica.as_ref())
            .and_then(Replica::next_deadline_us);
        if let Some(d) = deadline {
            self.arm_timer(n, d);
        }
    }

    /// Node `n`'s timer fired: the replica's work due by now.
    pub(super) fn replica_timer(&mut self, n: NodeId) {
        if !self.is_ap() {
            return;
        }
        let node = &self.nodes[n.0 as usize - 1];
        let local = node.clock.local(self.now_us);
        let Some(r) = node.ap.as_ref().and_then(|a| a.replica.as_ref()) else {
            return;
        };
        match r.next_deadline_us() {
            Some(d) if d <= local => {
                self.events_processed += 1;
                self.trace
                    .push(self.now_us, crate::trace::TraceKind::Timer { node: n });
                self.with_replica(n, |r, t| r.tick(t));
            }
            Some(d) => self.arm_timer(n, d),
            None => {}
        }
    }

    /// A client's request reaches replica `n`, which coordinates it.
    pub(super) fn replica_client_request(&mut self, n: NodeId, req: ClientRequest) {
        self.with_replica(n, |r, t| r.client_request(req.client, req.seq, &req.op, t));
    }

    /// The replica's versions go to its disk; requests it coordinated are lost.
    pub(super) fn crash_replica(&mut self, n: NodeId) {
        if !self.is_ap() {
            return;
        }
        if let Some(a) = self.nodes[n.0 as usize - 1].ap.as_mut() {
            if let Some(r) = a.replica.take() {
                a.disk = r.durable().clone();
            }
        }
    }

    /// The replica comes back with its disk's versions.
    pub(super) fn restart_replica(&mut self, n: NodeId) {
        let (Some(config), replicas) = (self.config.ap, self.config.node_count) else {
            return;
        };
        if !self.is_ap() {
            return;
        }
        let node = &mut self.nodes[n.0 as usize - 1];
        let local = node.clock.local(self.now_us);
        let Some(a) = node.ap.as_mut() else {
            return;
        };
        let disk = std::mem::take(&mut a.disk);
        a.replica = Some(Replica::restart(n, replicas, config, disk, local));
        node.restarts += 1;
        self.drive_replica(n);
    }

    /// Arms node `n`'s timer for `deadline_local_us` (its local clock), unless the armed
    /// one fires first (it re-arms itself if early).
    pub(super) fn arm_timer(&mut self, n: NodeId, deadline_local_us: u64) {
        let i = n.0 as usize - 1;
        let node = &self.nodes[i];
        let at = node
            .clock
            .global_at_or_after(deadline_local_us)
            .max(self.now_us);
        if node.timer.is_some_and(|t| t.at_us <= at) {
            return;
        }
        let seq = self.schedule(at, Ev::Timer(n));
        self.nodes[i].timer = Some(super::host::NodeTimer { at_us: at, seq });
    }
}
