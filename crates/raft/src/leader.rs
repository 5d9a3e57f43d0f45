//! What only a leader has: per-follower [`Progress`], its timers, heartbeat rounds and the
//! reads they confirm, and a leadership transfer in progress. Replication lives in
//! `replication.rs`, reads and the lease in `reads.rs`, the transfer in `transfer.rs`;
//! the timers and the CheckQuorum step are here.

use crate::core::Core;
use crate::message::{Heartbeat, Message, TimeoutNow};
use crate::progress::Progress;
use crate::reads::Reads;
use crate::ready::ReadId;
use crate::transfer::Transfer;
use crate::types::NodeId;

/// The progress of member `id`, if it has one. Progress is in id order and a cluster has a
/// handful of members: a linear scan is as fast as anything.
pub(crate) fn progress_of(progress: &[Progress], id: NodeId) -> Option<&Progress> {
    progress.iter().find(|p| p.node == id)
}

/// `value_of` for [`crate::Configuration::quorum_value`] on a leader: the leader's own
/// value for itself, `of(progress)` for a follower (0 without progress). The configuration
/// asks for each half's voters in id order, so a cursor walks the progress (also in id
/// order) once per half instead of searching it for every voter.
pub(crate) fn leader_values<'a>(
    me: NodeId,
    own: u64,
    progress: &'a [Progress],
    of: impl Fn(&Progress) -> u64 + 'a,
) -> impl FnMut(NodeId) -> u64 + 'a {
    let mut j = 0;
    let mut last = NodeId(0);
    move |id| {
        if id < last {
            j = 0; // the next half
        }
        last = id;
        if id == me {
            return own;
        }
        while j < progress.len() && progress[j].node < id {
            j += 1;
        }
        match progress.get(j) {
            Some(p) if p.node == id => of(p),
            _ => 0,
        }
    }
}

/// A leader's own state (`RoleState::Leader`); its methods take the [`Core`] beside it.
///
/// Invariants: one `Progress` per peer, in `Core::peers` order, each satisfying
/// [`Progress::check`]; [`Reads::check`] holds.
#[derive(Clone, Debug)]
pub(crate) struct LeaderState {
    /// One per peer, in `Core::peers` order (borrowed by [`crate::NodeView`]).
    pub(crate) progress: Vec<Progress>,
    pub(crate) heartbeat_deadline_us: u64,
    /// CheckQuorum's next check (when `Config::check_quorum` is on).
    pub(crate) check_quorum_deadline_us: Option<u64>,
    /// Heartbeat rounds, ReadIndex and the lease.
    pub(crate) reads: Reads,
    /// Leadership transfer in progress.
    pub(crate) transfer: Transfer,
    /// Reused buffer for quorum arithmetic.
    pub(crate) scratch: Vec<u64>,
}

impl LeaderState {
    /// A new leader's state: every follower probed from just after the leader's last
    /// entry, the first heartbeat and CheckQuorum due one interval from now.
    pub(crate) fn new<C: Clone>(core: &Core<C>) -> Self {
        let next_index = core.log.last_index().next();
        let cfg = &core.config;
        LeaderState {
            progress: core
                .peers
                .iter()
                .map(|&node| Progress::new(node, next_index, cfg.inflight_msgs_max))
                .collect(),
            heartbeat_deadline_us: core.now_us + cfg.heartbeat_interval_us,
            check_quorum_deadline_us: cfg
                .check_quorum
                .then(|| core.now_us + cfg.election_timeout_us_min),
            reads: Reads::default(),
            transfer: Transfer::default(),
            scratch: Vec::with_capacity(core.peers.len() + 1),
        }
    }

    /// The earliest of the leader's timers.
    pub(crate) fn next_deadline_us(&self) -> u64 {
        let mut d = self.heartbeat_deadline_us;
        if let Some(c) = self.check_quorum_deadline_us {
            d = d.min(c);
        }
        if let Some(t) = self.transfer.deadline_us() {
            d = d.min(t);
        }
        d
    }

    /// Fires the leader's due timers: heartbeat, transfer timeout, CheckQuorum. Returns
    /// false when CheckQuorum finds the quorum lost (the caller steps down).
    pub(crate) fn tick<C: Clone>(&mut self, core: &mut Core<C>) -> bool {
        let now = core.now_us;
        if now >= self.heartbeat_deadline_us {
            self.heartbeat_deadline_us = now + core.config.heartbeat_interval_us;
            self.broadcast_heartbeat(core);
        }
        self.transfer.expire(now, &mut core.ready.events);
        if self.check_quorum_deadline_us.is_some_and(|d| now >= d) {
            return self.check_quorum(core);
        }
        true
    }

    /// CheckQuorum (§6.2): every `election_timeout_us_min`, a quorum (counting the leader)
    /// must have sent it something since the previous check. Starts the next interval and
    /// returns whether the quorum held.
    pub(crate) fn check_quorum<C: Clone>(&mut self, core: &mut Core<C>) -> bool {
        let progress = &self.progress;
        let me = core.id;
        let held = core.configuration().has_quorum(|id| {
            id == me || progress_of(progress, id).is_some_and(|p| p.recent_active)
        });
        for p in &mut self.progress {
            p.recent_active = false;
        }
        self.check_quorum_deadline_us = Some(core.now_us + core.config.election_timeout_us_min);
        held
    }

    /// Starts a heartbeat round: every follower gets the round number and the commit index
    /// capped at what it is known to store.
    pub(crate) fn broadcast_heartbeat<C: Clone>(&mut self, core: &mut Core<C>) {
        let round = self.reads.start_round(core.now_us, &core.config);
        let (last, lag) = (
            core.log.last_index(),
            core.config.learner_caught_up_lag_entries_max,
        );
        for p in &mut self.progress {
            p.on_heartbeat_sent(last, lag);
            let msg = Message::Heartbeat(Heartbeat {
                term: core.term,
                commit: core.commit.min(p.match_index),
                round,
            });
            core.send(p.node, msg);
        }
        self.update_quorum_round(core);
    }

    /// Recomputes the latest round a quorum acknowledged; confirms reads waiting on it and
    /// extends the lease from that round's send time.
    pub(crate) fn update_quorum_round<C: Clone>(&mut self, core: &mut Core<C>) {
        let values = leader_values(core.id, self.reads.round(), &self.progress, |p| {
            p.acked_round()
        });
        let q = core
            .configs
            .current()
            .quorum_value(&mut self.scratch, values);
        let ready = &mut core.ready;
        self.reads
            .on_quorum_round(q, &core.config, &mut ready.read_states, &mut ready.events);
    }

    /// A read request: parked until the leader has committed an entry of its own term,
    /// then started.
    pub(crate) fn read<C: Clone>(&mut self, core: &mut Core<C>, id: ReadId) {
        if core.own_term_committed() {
            self.start_reads(core, &[id]);
        } else {
            self.reads.wait_for_own_term(id);
        }
    }

    /// Reads on a leader that has committed an entry of its term: served at once under a
    /// valid lease, otherwise linearized at the commit index after a new quorum round.
    pub(crate) fn start_reads<C: Clone>(&mut self, core: &mut Core<C>, ids: &[ReadId]) {
        let served = &mut core.ready.read_states;
        if !self
            .reads
            .accept(ids, core.commit, &core.config, core.now_us, served)
        {
            self.broadcast_heartbeat(core);
        }
    }

    /// The lease end if the lease is usable now.
    pub(crate) fn valid_lease<C>(&self, core: &Core<C>) -> Option<u64> {
        self.reads.valid_lease(&core.config, core.now_us)
    }

    /// Checks the invariants on [`LeaderState`] against the leader's last index.
    pub(crate) fn check<C>(&self, core: &Core<C>) -> Result<(), String> {
        if self.progress.len() != core.peers.len()
            || self
                .progress
                .iter()
                .zip(&core.peers)
                .any(|(p, &n)| p.node != n)
        {
            return Err("progress does not follow the peers".into());
        }
        let last = core.log.last_index();
        for p in &self.progress {
            p.check(last)?;
        }
        self.reads.check()
    }

    /// Starts (or restarts, aborting another) a leadership transfer to `to`, a peer:
    /// TimeoutNow at once if its log matches, else replication first.
    pub(crate) fn start_transfer<C: Clone>(&mut self, core: &mut Core<C>, to: NodeId) {
        let events = &mut core.ready.events;
        if !self.transfer.start(to, core.now_us, &core.config, events) {
            return;
        }
        let i = core.peer_index(to).expect("target is a peer");
        if self.progress[i].match_index == core.log.last_index() {
            self.send_timeout_now(core, i);
        } else {
            self.replicate_to(core, i, true);
        }
    }

    /// Peer `i` acknowledged entries: if it is the transfer target and now has the whole
    /// log, send it TimeoutNow.
    pub(crate) fn transfer_on_ack<C: Clone>(&mut self, core: &mut Core<C>, i: usize) {
        let p = &self.progress[i];
        if self
            .transfer
            .due_timeout_now(p.node, p.match_index, core.log.last_index())
        {
            self.send_timeout_now(core, i);
        }
    }

    fn send_timeout_now<C: Clone>(&mut self, core: &mut Core<C>, i: usize) {
        self.transfer.on_timeout_now_sent();
        self.reads.disable_lease();
        let to = self.progress[i].node;
        core.send(to, Message::TimeoutNow(TimeoutNow { term: core.term }));
    }

    /// Leadership is over: every read not yet served, to report as dropped.
    pub(crate) fn into_unserved_reads(self) -> impl Iterator<Item = ReadId> {
        self.reads.into_unserved()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::Configuration;
    use crate::types::LogIndex;

    #[test]
    fn leader_values_walks_each_half_like_a_lookup() {
        let ids = |v: &[u32]| v.iter().copied().map(NodeId).collect::<Vec<_>>();
        let me = NodeId(3);
        let progress: Vec<Progress> = [1, 2, 4, 5, 7]
            .iter()
            .map(|&n| {
                let mut p = Progress::new(NodeId(n), LogIndex(1), 4);
                p.match_index = LogIndex(u64::from(n) * 10);
                p
            })
            .collect();
        let lookup = |id: NodeId| {
            if id == me {
                99
            } else {
                progress_of(&progress, id).map_or(0, |p| p.match_index.0)
            }
        };
        for (inc, out) in [
            (&[1, 3, 5][..], &[2, 3, 4][..]),
            (&[1, 2], &[4, 5, 7]),
            (&[6, 7], &[1, 3]),
            (&[3], &[]),
        ] {
            let c = Configuration::new(ids(out))
                .enter_joint(&Configuration::new(ids(inc)))
                .unwrap_or_else(|_| Configuration::new(ids(inc)));
            // The order the configuration asks in: the incoming half, then the outgoing one.
            let order: Vec<NodeId> = c.voters().iter().chain(c.outgoing()).copied().collect();
            let mut values = leader_values(me, 99, &progress, |p| p.match_index.0);
            let got: Vec<u64> = order.iter().map(|&id| values(id)).collect();
            let want: Vec<u64> = order.iter().map(|&id| lookup(id)).collect();
            assert_eq!(got, want, "{c}");
            let mut scratch = Vec::new();
            let q = c.quorum_value(
                &mut scratch,
                leader_values(me, 99, &progress, |p| p.match_index.0),
            );
            assert_eq!(q, c.quorum_value(&mut scratch, lookup));
        }
    }
}
