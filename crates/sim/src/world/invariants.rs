//! The simulator's own invariants, and the checked mode that runs them.
//!
//! In checked mode (on by default in builds with debug assertions, switched by
//! `World::set_checked`; tests and campaigns use it) the simulator calls the node's
//! `check_invariants` after every input it feeds a node, and [`Sim::check_invariants`]
//! after every event and every action, and panics with the broken rule and the time.
//!
//! | what | rule |
//! | --- | --- |
//! | per-link counters | `link_inflight[l]` is the number of node-to-node messages in flight on link `l` |
//! | message states | each message in flight is in exactly one state: scheduled (one queue item with its sequence number, at its `deliver_at_us`), held (no sequence number), or waiting at a paused live node (in that node's inbox, once, and no queue item) |
//! | inboxes | an inbox holds only messages waiting for its node; only a paused node has one |
//! | crashed nodes | no timer, no pause, no pending client work, no inbox |
//! | node timers | an armed timer has its live queue item at its time, not in the past; a live running node with a deadline has a timer, armed no later than the deadline; the recorded election deadline is the node's |
//! | clients | a pending operation has a timer (timeout or backoff), a live queue item for it, a history entry of its own client still open, a sequence number already issued and 1..=`attempts_max` attempts; a client with a next-operation event has no pending operation |

use super::queue::Ev;
use super::Sim;
use crate::wire::Endpoint;

/// Buffers the per-event check reuses.
#[derive(Clone, Debug, Default)]
pub(super) struct Scratch {
    live: LiveItems,
    link_count: Vec<u32>,
}

/// What the live queue items stand for, from one pass over the queue.
#[derive(Clone, Debug, Default)]
struct LiveItems {
    /// Per message slot: the queue items its message refers to (by sequence number), and
    /// the time of the last one.
    deliveries: Vec<(u32, u64)>,
    /// Per node: its armed timer's item is queued.
    node_timers: Vec<bool>,
    /// Per client: its armed timer's item is queued.
    client_timers: Vec<bool>,
    /// Per client: its next-operation item is queued.
    client_next: Vec<bool>,
}

impl Sim {
    /// Feeds the node's own invariant check in checked mode (after each input).
    #[inline]
    pub(super) fn check_node_after_input(&self, n: raft::NodeId) {
        if !self.checked {
            return;
        }
        if let Some(r) = self.nodes[n.0 as usize - 1].raft.as_ref() {
            if let Err(e) = r.check_invariants() {
                panic!(
                    "seed {}, at {} us: node invariant broken: {e}",
                    self.seed, self.now_us
                );
            }
        }
    }

    /// Runs the simulator's invariant check in checked mode (the nodes are checked after
    /// each input), panicking on the first broken rule.
    #[inline]
    pub(super) fn check_after_event(&mut self) {
        if self.checked {
            // The scratch buffers are lent out and returned: no allocation per event.
            let mut scratch = std::mem::take(&mut self.invariant_scratch);
            let checked = self.check_sim_invariants(&mut scratch);
            self.invariant_scratch = scratch;
            if let Err(e) = checked {
                panic!(
                    "seed {}, at {} us: simulator invariant broken: {e}",
                    self.seed, self.now_us
                );
            }
        }
    }

    /// Checks the simulator's invariants (the table in `world/invariants.rs`) and every
    /// live node's; `Err` describes the first one broken.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.check_sim_invariants(&mut Scratch::default())?;
        for node in &self.nodes {
            if let Some(r) = node.raft.as_ref() {
                r.check_invariants()?;
            }
        }
        Ok(())
    }

    /// The simulator's own invariants. (A node changes only on an input, after which
    /// checked mode has already checked it.)
    fn check_sim_invariants(&self, scratch: &mut Scratch) -> Result<(), String> {
        self.live_queue_items(&mut scratch.live);
        self.check_messages(&scratch.live, &mut scratch.link_count)?;
        self.check_nodes(&scratch.live)?;
        self.check_clients(&scratch.live)
    }

    /// One pass over the queue: what each live item stands for.
    fn live_queue_items(&self, live: &mut LiveItems) {
        fn reset<T: Copy>(v: &mut Vec<T>, len: usize, zero: T) {
            v.clear();
            v.resize(len, zero);
        }
        reset(&mut live.deliveries, self.inflight.slots.len(), (0, 0));
        reset(&mut live.node_timers, self.nodes.len(), false);
        reset(&mut live.client_timers, self.clients.len(), false);
        reset(&mut live.client_next, self.clients.len(), false);
        let heaps = self
            .queue
            .main
            .iter()
            .chain(self.queue.client_timers.iter());
        for it in heaps {
            match it.ev() {
                // The item a message refers to (its state decides whether it is live).
                Ev::Deliver(slot) => {
                    let refers = self.inflight.get(slot).is_some_and(|m| m.qseq == it.seq);
                    if refers {
                        let d = &mut live.deliveries[slot as usize];
                        d.0 += 1;
                        d.1 = it.at;
                    }
                }
                Ev::Timer(n) => {
                    let t = self.nodes[n.0 as usize - 1].timer;
                    if t.is_some_and(|t| t.seq == it.seq && t.at_us == it.at) {
                        live.node_timers[n.0 as usize - 1] = true;
                    }
                }
                Ev::ClientTimer(c) => {
                    let t = self.clients[c as usize - 1].timer;
                    if t.is_some_and(|t| t.seq == it.seq) {
                        live.client_timers[c as usize - 1] = true;
                    }
                }
                Ev::ClientNext(c) => {
                    if self.clients[c as usize - 1].next_ev == Some(it.seq) {
                        live.client_next[c as usize - 1] = true;
                    }
                }
            }
        }
    }

    fn check_messages(&self, live: &LiveItems, link_count: &mut Vec<u32>) -> Result<(), String> {
        link_count.clear();
        link_count.resize(self.link_inflight.len(), 0);
        for (slot, m) in self.inflight.slots.iter().enumerate() {
            let Some(m) = m else { continue };
            let id = m.id;
            if m.id >= self.next_msg_id {
                return Err(format!("message #{id} has an id not issued yet"));
            }
            if let (Endpoint::Node(a), Endpoint::Node(b)) = (m.from, m.to) {
                link_count[self.link_index(a, b)] += 1;
            }
            let (items, at) = live.deliveries[slot];
            match (m.held, m.waiting) {
                (true, true) => return Err(format!("message #{id} is both held and waiting")),
                (true, false) if m.qseq != 0 => {
                    return Err(format!("held message #{id} still refers to a queue item"));
                }
                (false, true) if items != 0 => {
                    return Err(format!(
                        "message #{id} waits at its node but is still queued"
                    ));
                }
                (false, false) if items != 1 => {
                    return Err(format!(
                        "scheduled message #{id} has {items} live queue items"
                    ));
                }
                (false, false) if at != m.deliver_at_us => {
                    return Err(format!(
                        "message #{id} is due at {} us but queued at {at} us",
                        m.deliver_at_us
                    ));
                }
                _ => {}
            }
            if m.waiting {
                let Endpoint::Node(n) = m.to else {
                    return Err(format!("message #{id} to a client is waiting"));
                };
                let node = &self.nodes[n.0 as usize - 1];
                if !node.paused || !node.is_up() {
                    return Err(format!(
                        "message #{id} waits at {n}, not a paused live node"
                    ));
                }
                let copies = node.inbox.iter().filter(|&&s| s as usize == slot).count();
                if copies != 1 {
                    return Err(format!("message #{id} is {copies} times in {n}'s inbox"));
                }
            }
        }
        for (li, (&counted, &kept)) in link_count.iter().zip(&self.link_inflight).enumerate() {
            if counted != kept {
                let n = self.node_count() as usize;
                return Err(format!(
                    "link n{}->n{}: counter says {kept} in flight, {counted} are",
                    li / n + 1,
                    li % n + 1
                ));
            }
        }
        Ok(())
    }

    fn check_nodes(&self, live: &LiveItems) -> Result<(), String> {
        for node in &self.nodes {
            let n = node.id;
            for &slot in &node.inbox {
                let ok = self
                    .inflight
                    .get(slot)
                    .is_some_and(|m| m.waiting && m.to == Endpoint::Node(n));
                if !ok {
                    return Err(format!(
                        "{n}'s inbox holds slot {slot}, not a message waiting for it"
                    ));
                }
            }
            if !node.inbox.is_empty() && !node.paused {
                return Err(format!("{n} has an inbox but is not paused"));
            }
            if !node.is_up() {
                if node.timer.is_some()
                    || node.paused
                    || !node.pending_write.is_empty()
                    || !node.pending_reads.is_empty()
                    || !node.inbox.is_empty()
                {
                    return Err(format!(
                        "crashed {n} keeps a timer, a pause, pending client work or an inbox"
                    ));
                }
                continue;
            }
            // The protocol's next deadline (Raft's, or the AP replica's).
            let next_deadline_us = match (&node.raft, &node.ap) {
                (Some(raft), _) => raft.next_deadline_us(),
                (None, Some(a)) => a.replica.as_ref().and_then(|r| r.next_deadline_us()),
                (None, None) => None,
            };
            if let Some(raft) = node.raft.as_ref() {
                if raft.election_deadline_us() != node.election_deadline_local {
                    return Err(format!(
                        "{n}: recorded election deadline {:?} us, the node's is {:?} us",
                        node.election_deadline_local,
                        raft.election_deadline_us()
                    ));
                }
            }
            match node.timer {
                Some(t) => {
                    if t.at_us < self.now_us {
                        return Err(format!(
                            "{n}'s timer at {} us is in the past (now {} us)",
                            t.at_us, self.now_us
                        ));
                    }
                    if !live.node_timers[n.0 as usize - 1] {
                        return Err(format!("{n}'s timer at {} us is not queued", t.at_us));
                    }
                    if let (false, Some(d)) = (node.paused, next_deadline_us) {
                        let due = node.clock.global_at_or_after(d).max(self.now_us);
                        if t.at_us > due {
                            return Err(format!(
                                "{n}'s timer at {} us is later than its deadline ({due} us)",
                                t.at_us
                            ));
                        }
                    }
                }
                None if !node.paused && next_deadline_us.is_some() => {
                    return Err(format!("running {n} has a deadline but no timer"));
                }
                None => {}
            }
        }
        Ok(())
    }

    fn check_clients(&self, live: &LiveItems) -> Result<(), String> {
        let attempts_max = self.config.clients.attempts_max;
        for cl in &self.clients {
            let c = cl.id;
            if cl.next_ev.is_some() {
                if cl.current.is_some() {
                    return Err(format!(
                        "c{c} waits for its next operation with one pending"
                    ));
                }
                if !live.client_next[c as usize - 1] {
                    return Err(format!("c{c}'s next-operation event is not queued"));
                }
            }
            match (&cl.current, &cl.timer) {
                (None, None) => {}
                (None, Some(_)) => return Err(format!("c{c} has a timer but no operation")),
                (Some(_), None) => return Err(format!("c{c}'s pending operation has no timer")),
                (Some(p), Some(_)) => {
                    if !live.client_timers[c as usize - 1] {
                        return Err(format!("c{c}'s timer is not queued"));
                    }
                    let open = self
                        .history
                        .get(p.hist)
                        .is_some_and(|op| op.client == u64::from(c) && op.complete_us.is_none());
                    if !open {
                        return Err(format!(
                            "c{c}'s pending operation {} is not an open history entry of its own",
                            p.hist
                        ));
                    }
                    if p.seq >= cl.next_seq {
                        return Err(format!("c{c} pends seq {} not issued yet", p.seq));
                    }
                    if p.attempts == 0 || p.attempts > attempts_max {
                        return Err(format!(
                            "c{c}'s operation made {} attempts (1..={attempts_max})",
                            p.attempts
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;

    /// A 5-node world one second in, with messages in flight.
    fn running() -> Sim {
        let mut sim = Sim::new(SimConfig::default(), 7).expect("valid");
        sim.checked = false;
        sim.run_until(1_000_000);
        while sim.inflight.sorted().is_empty() {
            sim.run_until(sim.now_us + 1_000);
        }
        assert_eq!(sim.check_invariants(), Ok(()));
        sim
    }

    #[test]
    fn a_link_counter_off_by_one_is_caught() {
        let mut sim = running();
        sim.link_inflight[1] += 1;
        let e = sim.check_invariants().unwrap_err();
        assert!(e.starts_with("link n1->n2: counter says"), "{e}");
    }

    #[test]
    fn a_message_held_and_still_queued_is_caught() {
        let mut sim = running();
        let slot = sim.inflight.slots.iter().position(Option::is_some).unwrap();
        sim.inflight.get_mut(slot as u32).unwrap().held = true;
        let e = sim.check_invariants().unwrap_err();
        assert!(e.ends_with("still refers to a queue item"), "{e}");
    }

    #[test]
    fn a_running_node_without_its_timer_is_caught() {
        let mut sim = running();
        sim.nodes[2].timer = None;
        let e = sim.check_invariants().unwrap_err();
        assert_eq!(e, "running n3 has a deadline but no timer");
    }

    #[test]
    #[should_panic(expected = "simulator invariant broken: link n1->n2")]
    fn checked_mode_panics_at_the_next_event() {
        let mut sim = running();
        sim.checked = true;
        sim.link_inflight[1] += 1;
        sim.run_until(sim.now_us + 100_000);
    }
}
