//! What a world shows: its nodes, messages, clients, monitors, trace, history and
//! progress. Read-only queries over the simulation, beside the timeline that runs it.

use super::{EventBatch, EventText, EventsOptions, Leader, NodeProgress, World, DRAIN_EVENTS_MAX};
use crate::action::{Action, ActionError};
use crate::history::{self, History, Op, Outcome};
use crate::monitor::{MonitorState, Violation};
use crate::trace::{TraceLine, TraceRecord};
use crate::view::{self, ClientInfo, MessageInfo, NetworkInfo, NodeInfo, ViewOptions, WorldView};
use crate::world::Sim;
use raft::{LogIndex, NodeId, Term};
use util::SmallMap;

impl World {
    /// The simulation, for the view modules beside this one (`entry_status`).
    pub(crate) fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Whether [`World::apply`] would accept `action` now, and if not, its error: a page
    /// asks this to say why a control is disabled. Nothing changes.
    pub fn check_action(&self, action: &Action) -> Result<(), ActionError> {
        crate::action_sizes::check_action_sizes(action)?;
        self.sim.validate(action)
    }

    /// One node.
    pub fn node(&self, id: NodeId) -> Option<NodeInfo> {
        (id.0 >= 1 && id.0 <= self.sim.node_count()).then(|| {
            self.sim
                .node_info(id, &ViewOptions::default(), self.sim.current_leader())
        })
    }

    /// Every node.
    pub fn nodes(&self) -> Vec<NodeInfo> {
        self.nodes_with(&ViewOptions::default())
    }

    /// Every node, with only what `opts` asks for.
    pub fn nodes_with(&self, opts: &ViewOptions) -> Vec<NodeInfo> {
        self.nodes_led_by(opts, self.sim.current_leader())
    }

    /// Every node, given the current leader (found once per view).
    fn nodes_led_by(&self, opts: &ViewOptions, leader: Option<NodeId>) -> Vec<NodeInfo> {
        (1..=self.sim.node_count())
            .map(NodeId)
            .map(|n| self.sim.node_info(n, opts, leader))
            .collect()
    }

    /// In-flight messages, by id.
    pub fn messages(&self) -> Vec<MessageInfo> {
        self.messages_with(&ViewOptions::default())
    }

    /// In-flight messages, by id, with only what `opts` asks for.
    pub fn messages_with(&self, opts: &ViewOptions) -> Vec<MessageInfo> {
        self.sim
            .inflight
            .sorted()
            .into_iter()
            .map(|m| view::message_info(m, opts))
            .collect()
    }

    /// Links, partition and rules.
    pub fn network(&self) -> NetworkInfo {
        self.sim.network_info()
    }

    /// Clients.
    pub fn clients(&self) -> Vec<ClientInfo> {
        self.sim.client_infos()
    }

    /// Monitor states.
    pub fn monitors(&self) -> Vec<MonitorState> {
        self.sim.monitors.states()
    }

    /// First violation of each violated monitor.
    pub fn violations(&self) -> Vec<Violation> {
        self.sim.monitors.violations()
    }

    /// Everything at once.
    pub fn view(&self) -> WorldView {
        self.view_with(&ViewOptions::default())
    }

    /// Everything at once, with only what `opts` asks for: the per-frame call (e.g. the
    /// last 32 log entries per node and no state machines).
    pub fn view_with(&self, opts: &ViewOptions) -> WorldView {
        let leader = self.sim.current_leader();
        WorldView {
            now_us: self.sim.now_us,
            seed: self.sim.seed,
            nodes: self.nodes_led_by(opts, leader),
            leader,
            messages: self.messages_with(opts),
            network: self.network(),
            clients: self.clients(),
            monitors: self.monitors(),
            trace_hash: self.trace_hash(),
            events: self.sim.events_processed,
        }
    }

    /// Trace records kept in memory, oldest first.
    pub fn trace(&self) -> impl DoubleEndedIterator<Item = &TraceRecord> + ExactSizeIterator {
        self.sim.trace.records()
    }

    /// Trace lines since the last call (at most `max`, capped by `DRAIN_EVENTS_MAX`).
    pub fn drain_events(&mut self, max: usize) -> EventBatch {
        self.drain_events_with(max, &EventsOptions::default())
    }

    /// As [`World::drain_events`], with only what `opts` asks for.
    pub fn drain_events_with(&mut self, max: usize, opts: &EventsOptions) -> EventBatch {
        let all_text = opts.text == EventText::All;
        let max = max.min(DRAIN_EVENTS_MAX);
        let first_kept = self
            .sim
            .trace
            .records()
            .next()
            .map_or(self.sim.trace.total(), |r| r.seq);
        let missed = first_kept.saturating_sub(self.drained);
        let from = self.drained.max(first_kept);
        let lines: Vec<TraceLine> = self
            .sim
            .trace
            .since(from, max)
            .map(|r| r.line_with(all_text))
            .collect();
        self.drained = lines.last().map_or(from, |l| l.seq + 1);
        EventBatch {
            more: self.drained < self.sim.trace.total(),
            lines,
            missed,
        }
    }

    /// The operations recorded so far (pending ones as `unknown`).
    pub fn operations(&self) -> &raft::ChunkVec<Op> {
        &self.sim.history
    }

    /// The history in the documented JSON form; pending operations are `unknown`;
    /// `final_states` holds every live node's state machine, `final_applied` how far each
    /// has applied the log.
    pub fn history(&self) -> History {
        let mut ops = self.sim.history.to_vec();
        for op in &mut ops {
            if op.outcome == Outcome::Unknown {
                op.complete_us = None;
                op.output = None;
            }
        }
        let mut finals = SmallMap::default();
        let mut applied = SmallMap::default();
        for n in &self.sim.nodes {
            if n.raft.is_some() {
                finals.insert(n.id.0.to_string(), n.kv.data().clone());
                applied.insert(n.id.0.to_string(), n.applied.0);
            }
            // An AP replica applies no log: its versions are its final state.
            if let Some(values) =
                n.ap.as_ref()
                    .filter(|_| self.sim.is_ap())
                    .and_then(|a| a.values())
            {
                finals.insert(n.id.0.to_string(), values);
            }
        }
        History {
            operations: ops,
            final_states: Some(finals),
            final_applied: (!self.sim.is_ap()).then_some(applied),
            ..history::empty()
        }
    }

    /// Nodes in the leader role now (live ones).
    pub fn leaders(&self) -> Vec<Leader> {
        self.sim
            .live_leaders()
            .map(|n| Leader {
                node: n.id,
                term: n.term,
            })
            .collect()
    }

    /// Every node that led each term, in term order.
    pub fn leaders_by_term(&self) -> &SmallMap<Term, Vec<NodeId>> {
        &self.sim.leaders_by_term
    }

    /// Per node: crashed or not, commit, applied and last log index.
    pub fn progress(&self) -> Vec<NodeProgress> {
        self.sim
            .nodes
            .iter()
            .map(|n| NodeProgress {
                node: n.id,
                crashed: !n.is_up(),
                commit: n.commit,
                applied: n.applied,
                log_len: n.disk.last_index().0,
            })
            .collect()
    }

    /// The highest index any node has committed.
    pub fn committed_max(&self) -> LogIndex {
        self.sim.monitors.committed_len()
    }

    /// Whether a client operation is pending or queued.
    pub fn clients_busy(&self) -> bool {
        self.sim.clients_busy()
    }

    /// How many live nodes are behind the most up-to-date one: for Raft, those that have
    /// applied less than the most any live node has; for the AP store, those whose
    /// versions differ from the newest version of each key among the live replicas (the
    /// inconsistency window, as a count).
    pub fn stale_replicas(&self) -> u32 {
        let live = || self.sim.nodes.iter().filter(|n| n.is_up());
        if !self.sim.is_ap() {
            let top = live().map(|n| n.applied).max().unwrap_or_default();
            return live().filter(|n| n.applied < top).count() as u32;
        }
        let stores: Vec<_> = live()
            .filter_map(|n| n.ap.as_ref()?.replica.as_ref().map(|r| &r.durable().store))
            .collect();
        let mut newest = std::collections::BTreeMap::new();
        for s in &stores {
            for (k, v) in s.iter() {
                let e = newest.entry(k).or_insert(v);
                if crate::ap::supersedes(v, Some(e)) {
                    *e = v;
                }
            }
        }
        stores
            .iter()
            .filter(|s| s.len() != newest.len() || s.iter().any(|(k, v)| newest.get(k) != Some(&v)))
            .count() as u32
    }

    /// Whether every live node has applied the same, highest commit index and holds the
    /// same state machine (a converged cluster).
    pub fn converged(&self) -> bool {
        if self.sim.is_ap() {
            // Every live replica holds the same versions, none paused.
            let mut live = self.sim.nodes.iter().filter(|n| n.is_up());
            let Some(first) = live.next() else {
                return true;
            };
            let store = |n: &crate::world::SimNode| {
                n.ap.as_ref()
                    .and_then(|a| a.replica.as_ref())
                    .map(|r| r.durable().store.clone())
            };
            let want = store(first);
            return !first.paused && live.all(|n| !n.paused && store(n) == want);
        }
        let live: Vec<_> = self.sim.nodes.iter().filter(|n| n.raft.is_some()).collect();
        let Some(first) = live.first() else {
            return true;
        };
        let top = self.committed_max();
        live.iter()
            .all(|n| n.applied == top && n.commit == top && n.kv == first.kv && !n.paused)
    }
}
