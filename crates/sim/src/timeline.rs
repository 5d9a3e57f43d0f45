//! The public world: the simulation plus its timeline (action log and checkpoints).

use crate::action::{Action, ActionError};
use crate::config::{ConfigError, SimConfig};
use crate::json::{FromJson, JsonResult, Obj, Value};
use crate::limits::{check_time, LimitError, MemoryEstimate};
use crate::scenario::{Scenario, TimedAction};
use crate::trace::TraceLine;
use crate::vocab::vocab;
use crate::world::Sim;
use raft::{LogIndex, NodeId, Term};
use serde::Serialize;

mod queries;
mod tester;

pub use crate::world::{wire_bytes, KindCounts, ENTRY_BYTES, HEADER_BYTES};
pub use tester::{LogRange, MsgCounts, StartReply, LOG_RANGE_ENTRIES_MAX};

/// Default spacing of checkpoints, virtual µs (100 ms).
pub const CHECKPOINT_INTERVAL_US: u64 = 100_000;
/// At most this many checkpoints are kept; beyond it the spacing doubles and every other
/// older one is dropped, one per new checkpoint (dropping half at once freed dozens of world
/// copies in one call: a visible stall).
pub const CHECKPOINTS_MAX: usize = 64;
/// Trace records a checkpoint keeps (the newest): checkpoints far apart share none, and a
/// full ring in each of [`CHECKPOINTS_MAX`] checkpoints was most of an hour-long run's memory.
/// A seek restores these and replays the rest, so stepping back one event still finds it.
pub const CHECKPOINT_TRACE_RECORDS: usize = 512;
/// `drain_events` returns at most this many lines per call.
pub const DRAIN_EVENTS_MAX: usize = 2_000;

/// An action with the virtual time it was applied at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoggedAction {
    /// Virtual µs.
    pub at_us: u64,
    /// The action.
    pub action: Action,
}

/// A scheduled action that could not be applied when its time came (the world was left
/// unchanged and the run went on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedAction {
    /// Index in the action log.
    pub index: usize,
    /// Virtual µs.
    pub at_us: u64,
    /// Why.
    pub error: ActionError,
}

vocab! {
    /// Which lines of a drained batch carry their text.
    #[derive(Default)]
    pub enum EventText {
        /// Every line (the default).
        #[default]
        All = "all",
        /// Only lines with a timeline marker: formatting every line is most of the cost of a
        /// busy frame's events, and the page shows the text of marked lines only.
        Markers = "markers",
    }
}

/// What [`World::drain_events_with`] puts in each line; `{ text?: "all" | "markers" }` in JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventsOptions {
    /// Which lines carry their text.
    pub text: EventText,
}

/// Trace lines since the last drain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventBatch {
    /// The lines, oldest first.
    pub lines: Vec<TraceLine>,
    /// Lines that were evicted from the bounded trace before they could be drained.
    pub missed: u64,
    /// More lines are waiting (the batch hit its bound).
    pub more: bool,
}

/// A node in the leader role ([`World::leaders`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Leader {
    /// Node.
    pub node: NodeId,
    /// Its term.
    pub term: Term,
}

/// How far one node has come ([`World::progress`]; a scenario summary's `nodes`). A
/// crashed node has commit and applied 0 (volatile state, lost) and keeps its disk's
/// `log_len`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeProgress {
    /// Node.
    pub node: NodeId,
    /// Crashed now.
    pub crashed: bool,
    /// Commit index.
    pub commit: LogIndex,
    /// Applied index.
    pub applied: LogIndex,
    /// Last log index.
    pub log_len: u64,
}

/// How far a budgeted run or seek got ([`World::run_until_budgeted`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RunProgress {
    /// Virtual time reached, µs.
    pub now_us: u64,
    /// Virtual time asked for, µs.
    pub target_us: u64,
    /// Events processed (and scheduled actions applied) by this call.
    pub events: u64,
    /// `now_us == target_us`: nothing is left to do for this target.
    pub done: bool,
}

/// Timeline statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineInfo {
    /// Checkpoints kept.
    pub checkpoints: usize,
    /// Their spacing now, µs.
    pub checkpoint_interval_us: u64,
    /// Actions in the log.
    pub actions: usize,
    /// Actions already applied (the rest lie in the future after a seek).
    pub actions_applied: usize,
    /// Times the checkpoint bound thinned the checkpoints.
    pub checkpoint_thinnings: u64,
}

/// A simulated Raft cluster with clients: a pure function of (config, seed, action log).
///
/// Invariants: `now_us` never decreases except through [`World::seek`]; every applied
/// action is in the log with its time; checkpoints are copies of the simulation at times
/// `<= now_us`, and restoring one then replaying the log reproduces the same state.
#[derive(Clone, Debug)]
pub struct World {
    sim: Sim,
    initial: Box<Sim>,
    actions: Vec<LoggedAction>,
    skipped: Vec<SkippedAction>,
    checkpoints: Vec<Sim>,
    checkpoint_interval_us: u64,
    next_checkpoint_us: u64,
    checkpointing: bool,
    /// Checkpoints are taken by [`World::checkpoint_now`] only, not while running.
    checkpoints_deferred: bool,
    thinnings: u64,
    /// The thinning pass in progress: the index to drop next and where the pass ends.
    thin_at: usize,
    thin_end: usize,
    drained: u64,
}

impl World {
    /// A new world at time 0. The config is validated (errors name the field).
    pub fn new(config: SimConfig, seed: u64) -> Result<World, ConfigError> {
        let sim = Sim::new(config, seed)?;
        Ok(World {
            initial: Box::new(sim.clone()),
            sim,
            actions: Vec::new(),
            skipped: Vec::new(),
            checkpoints: Vec::new(),
            checkpoint_interval_us: CHECKPOINT_INTERVAL_US,
            next_checkpoint_us: CHECKPOINT_INTERVAL_US,
            checkpointing: true,
            checkpoints_deferred: false,
            thinnings: 0,
            thin_at: 0,
            thin_end: 0,
            drained: 0,
        })
    }

    /// A world set up from a scenario: its config, seed and timed actions (which are
    /// applied when their time comes).
    pub fn from_scenario(s: &Scenario) -> Result<World, ConfigError> {
        let mut w = World::new(s.config.clone(), s.seed)?;
        // In time order, ties in scenario order: the pairs (time, index) are distinct, so
        // an unstable sort of them is the stable sort by time.
        let mut order: Vec<(u64, u32)> = (s.actions.iter().enumerate())
            .map(|(i, a)| (a.at_us, i as u32))
            .collect();
        util::sort::sort(&mut order);
        w.actions = order
            .into_iter()
            .map(|(at_us, i)| LoggedAction {
                at_us,
                action: s.actions[i as usize].action.clone(),
            })
            .collect();
        Ok(w)
    }

    /// Switches checkpoints (and so fast backward `seek`) on or off; batch runs turn them off.
    pub fn set_checkpointing(&mut self, on: bool) {
        self.checkpointing = on;
        if !on {
            self.checkpoints.clear();
        }
    }

    /// Defers checkpoints: running no longer pauses to copy the world at each checkpoint
    /// time; the host takes the checkpoint that is due with [`World::checkpoint_now`] when
    /// it has time to spare (the page: between animation frames, so that no frame pays
    /// for a copy of the world). Backward `seek` stays exact either way; it only replays
    /// further when checkpoints are sparse.
    pub fn set_checkpoints_deferred(&mut self, on: bool) {
        self.checkpoints_deferred = on;
    }

    /// A checkpoint is due (always false when checkpoints are off).
    pub fn checkpoint_due(&self) -> bool {
        self.checkpointing && self.sim.now_us >= self.next_checkpoint_us
    }

    /// Takes the checkpoint that is due, if one is; true when it did.
    pub fn checkpoint_now(&mut self) -> bool {
        let due = self.checkpoint_due();
        if due {
            self.maybe_checkpoint();
        }
        due
    }

    /// Switches checked mode: the simulator runs the node's invariant check after every
    /// input and its own (`Sim::check_invariants`) after every event and action, and
    /// panics on the first broken one. On by default in builds with debug assertions;
    /// tests and campaigns use it. It never changes what happens (the trace is the same).
    pub fn set_checked(&mut self, on: bool) {
        self.sim.checked = on;
        self.initial.checked = on;
        for c in &mut self.checkpoints {
            c.checked = on;
        }
    }

    /// Whether checked mode is on.
    pub fn checked(&self) -> bool {
        self.sim.checked
    }

    /// Checks the simulator's invariants now (and every live node's); `Err` names the
    /// first one broken. Checked mode runs this after every event.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.sim.check_invariants()
    }

    /// Sets how many trace records are kept in memory (0: none; the hash covers all).
    pub fn set_trace_capacity(&mut self, records: usize) {
        self.sim.trace.set_capacity(records);
        self.initial.trace.set_capacity(records);
    }

    /// Virtual time, µs.
    pub fn now_us(&self) -> u64 {
        self.sim.now_us
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.sim.seed
    }

    /// The current configuration (actions may have changed it).
    pub fn config(&self) -> &SimConfig {
        &self.sim.config
    }

    /// The configuration the world started with.
    pub fn initial_config(&self) -> &SimConfig {
        &self.initial.config
    }

    /// Events processed so far (deliveries, timer firings, client timers).
    pub fn events_processed(&self) -> u64 {
        self.sim.events_processed
    }

    /// Trace records so far (the hash covers all of them).
    pub fn trace_len(&self) -> u64 {
        self.sim.trace.total()
    }

    /// The stable trace hash as 16 hex digits.
    pub fn trace_hash(&self) -> String {
        self.sim.trace.hash_hex()
    }

    /// The time of the next queue item, if any: an upper bound on the next event's time
    /// (the item may be a cancelled timer, skipped when its time comes).
    pub fn next_event_at(&self) -> Option<u64> {
        self.sim.next_event_at()
    }

    /// The time of the latest event (trace record) before `t_us`, for stepping back one
    /// event. `None` when there is none, or when the trace ring no longer holds records
    /// that early (only the newest `set_trace_capacity` records are kept; after a seek
    /// back the ring holds the records up to the new time, so `t_us = now_us()` is the case
    /// that works best).
    pub fn prev_event_at(&self, t_us: u64) -> Option<u64> {
        self.sim.trace.time_before(t_us)
    }

    fn next_action_at(&self) -> Option<u64> {
        self.actions.get(self.sim.actions_applied).map(|a| a.at_us)
    }

    fn maybe_checkpoint(&mut self) {
        if !self.checkpointing {
            return;
        }
        while self.sim.now_us >= self.next_checkpoint_us {
            self.next_checkpoint_us += self.checkpoint_interval_us;
        }
        self.sim.share_log_chunks();
        let mut checkpoint = self.sim.clone();
        checkpoint.trace.keep_newest(CHECKPOINT_TRACE_RECORDS);
        self.checkpoints.push(checkpoint);
        if self.checkpoints.len() > CHECKPOINTS_MAX {
            let len = self.checkpoints.len();
            if self.thin_at == 0 || self.thin_at >= self.thin_end || self.thin_at >= len - 1 {
                // A new pass over the checkpoints taken so far: drop the odd-numbered ones.
                self.checkpoint_interval_us *= 2;
                self.thinnings += 1;
                self.thin_at = 1;
                self.thin_end = len / 2 + 1;
            }
            // After k drops, the k-th odd-numbered original sits at index k.
            self.checkpoints.remove(self.thin_at);
            self.thin_at += 1;
        }
    }

    fn run_sim_until(&mut self, t: u64) {
        let inline = self.checkpointing && !self.checkpoints_deferred;
        loop {
            let stop = if inline {
                t.min(self.next_checkpoint_us)
            } else {
                t
            };
            self.sim.run_until(stop);
            if inline && self.sim.now_us >= self.next_checkpoint_us {
                self.maybe_checkpoint();
            }
            if stop >= t {
                break;
            }
        }
    }

    fn replay_next_action(&mut self) {
        let i = self.sim.actions_applied;
        let a = self.actions[i].action.clone();
        match self.sim.validate(&a) {
            Ok(()) => self.exec(a),
            Err(error) => {
                self.sim.actions_applied += 1;
                if !self.skipped.iter().any(|s| s.index == i) {
                    self.skipped.push(SkippedAction {
                        index: i,
                        at_us: self.sim.now_us,
                        error,
                    });
                }
            }
        }
    }

    /// Runs every event and logged action due at or before `t`; afterwards `now_us == t`
    /// (unless already later).
    ///
    /// For trusted callers (tests, campaigns, the runner): panics past
    /// [`VIRTUAL_TIME_US_MAX`](crate::limits::VIRTUAL_TIME_US_MAX). Untrusted input goes
    /// through [`World::try_run_until`].
    pub fn run_until(&mut self, t: u64) {
        if let Err(e) = self.try_run_until(t) {
            panic!("{e}");
        }
    }

    /// As [`World::run_until`]; past the time limit it refuses and the world is unchanged.
    pub fn try_run_until(&mut self, t: u64) -> Result<(), LimitError> {
        check_time(t)?;
        self.check_memory_for(t)?;
        while let Some(at) = self.next_action_at() {
            if at > t {
                break;
            }
            self.run_sim_until(at);
            self.replay_next_action();
        }
        self.run_sim_until(t);
        Ok(())
    }

    /// As [`World::try_run_until`], stopping once about `events_max` events were processed
    /// (the instant of the last one is finished first; each scheduled action counts as one
    /// event). Call again with the same `t` to go on; [`RunProgress::done`] says when `t`
    /// is reached. Splitting a run this way gives exactly the same world as one call.
    pub fn run_until_budgeted(
        &mut self,
        t: u64,
        events_max: u64,
    ) -> Result<RunProgress, LimitError> {
        check_time(t)?;
        self.check_memory_for(t)?;
        let start = self.sim.events_processed;
        let mut actions = 0u64;
        let spent = |w: &World, actions: u64| w.sim.events_processed - start + actions;
        let inline = self.checkpointing && !self.checkpoints_deferred;
        // Done when nothing at or before `t` is left: no action, no queue item.
        let finished = |w: &World| {
            w.sim.now_us >= t
                && w.next_action_at().is_none_or(|at| at > t)
                && w.sim.next_event_at().is_none_or(|at| at > t)
        };
        let budget = events_max.max(1);
        while !finished(self) && spent(self, actions) < budget {
            let action_at = self.next_action_at().filter(|&at| at <= t);
            let mut stop = action_at.unwrap_or(t);
            if inline {
                stop = stop.min(self.next_checkpoint_us);
            }
            let left = budget - spent(self, actions);
            if !self.sim.run_until_budget(stop, left) {
                break;
            }
            if inline && self.sim.now_us >= self.next_checkpoint_us {
                self.maybe_checkpoint();
            }
            if action_at == Some(self.sim.now_us) {
                self.replay_next_action();
                actions += 1;
            }
        }
        let done = finished(self);
        Ok(RunProgress {
            now_us: self.sim.now_us,
            target_us: t,
            events: spent(self, actions),
            done,
        })
    }

    /// A forward run is refused while the world is past its memory budget.
    fn check_memory_for(&self, t: u64) -> Result<(), LimitError> {
        if t > self.sim.now_us {
            self.memory_estimate().check()?;
        }
        Ok(())
    }

    /// Runs for `dt_us` more (panics past the time limit, as [`World::run_until`]).
    pub fn advance(&mut self, dt_us: u64) {
        self.run_until(self.sim.now_us.saturating_add(dt_us));
    }

    /// Runs for `dt_us` more; past the time limit it refuses and the world is unchanged.
    pub fn try_advance(&mut self, dt_us: u64) -> Result<(), LimitError> {
        self.try_run_until(self.sim.now_us.saturating_add(dt_us))
    }

    /// As [`World::try_advance`] within an events budget ([`World::run_until_budgeted`]);
    /// to go on with the same advance, call [`World::seek_budgeted`] with the returned
    /// `target_us`.
    pub fn advance_budgeted(
        &mut self,
        dt_us: u64,
        events_max: u64,
    ) -> Result<RunProgress, LimitError> {
        self.run_until_budgeted(self.sim.now_us.saturating_add(dt_us), events_max)
    }

    /// Processes the next event or logged action (whichever is first; events due at an
    /// action's time come before it, as in [`World::run_until`]); false when nothing is
    /// pending.
    pub fn step(&mut self) -> bool {
        let action_at = self.next_action_at();
        if self.sim.step_until(action_at) {
            return true;
        }
        match action_at {
            Some(at) => {
                self.run_sim_until(at);
                self.replay_next_action();
                true
            }
            None => false,
        }
    }

    /// Applies an action now. It is validated first: on error the world is unchanged.
    /// Applied actions are logged; actions that lay in the future of the log (after a
    /// backward seek, or a scenario's remaining schedule) are discarded: the timeline
    /// branches here.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        self.check_action(&action)?;
        if payload_bytes(&action) > 0 {
            self.memory_estimate()
                .check()
                .map_err(|e| ActionError::new("memory", e.to_string()))?;
        }
        let cut = self.sim.actions_applied;
        self.actions.truncate(cut);
        self.skipped.retain(|s| s.index < cut);
        let now = self.sim.now_us;
        self.checkpoints.retain(|c| c.now_us <= now);
        self.actions.push(LoggedAction {
            at_us: now,
            action: action.clone(),
        });
        self.exec(action);
        Ok(())
    }

    /// Executes a validated action, counting its payload for the memory estimate.
    fn exec(&mut self, action: Action) {
        self.sim.payload_bytes += payload_bytes(&action);
        self.sim.exec(action);
    }

    /// What the world holds, by the running estimate ([`MemoryEstimate`]).
    pub fn memory_estimate(&self) -> MemoryEstimate {
        let mut log_entries = 0;
        for n in &self.sim.nodes {
            log_entries += 2 * n.disk.log.len() as u64;
        }
        MemoryEstimate {
            log_entries,
            operations: self.sim.history.len() as u64,
            committed: self.sim.monitors.committed_len().0,
            messages: self.sim.inflight.len() as u64,
            payload_bytes: self.sim.payload_bytes,
            nodes: self.sim.nodes.len() as u64,
            checkpoints: self.checkpoints.len() as u64,
        }
    }

    /// Schedules an action for a future time without branching the timeline (scenarios,
    /// campaigns). It is validated when its time comes; if invalid then, it is skipped and
    /// reported in [`World::skipped_actions`].
    ///
    /// Panics past the time limit (trusted callers); untrusted input goes through
    /// [`World::try_schedule`].
    pub fn schedule(&mut self, at_us: u64, action: Action) {
        if let Err(e) = self.try_schedule(at_us, action) {
            panic!("{e}");
        }
    }

    /// As [`World::schedule`]; past the time limit it refuses and the world is unchanged.
    pub fn try_schedule(&mut self, at_us: u64, action: Action) -> Result<(), LimitError> {
        check_time(at_us)?;
        let at_us = at_us.max(self.sim.now_us);
        let pos = self.actions[self.sim.actions_applied..]
            .iter()
            .position(|a| a.at_us > at_us)
            .map_or(self.actions.len(), |p| p + self.sim.actions_applied);
        self.actions.insert(pos, LoggedAction { at_us, action });
        Ok(())
    }

    /// Moves to virtual time `t`: forward by running, backward by restoring the latest
    /// checkpoint at or before `t` and replaying the logged actions (panics past the time
    /// limit, as [`World::run_until`]).
    pub fn seek(&mut self, t: u64) {
        if let Err(e) = self.try_seek(t) {
            panic!("{e}");
        }
    }

    /// As [`World::seek`]; past the time limit it refuses and the world is unchanged.
    pub fn try_seek(&mut self, t: u64) -> Result<(), LimitError> {
        check_time(t)?;
        self.rewind_for(t);
        self.try_run_until(t)
    }

    /// As [`World::try_seek`] within an events budget: the first call restores the
    /// checkpoint (when `t` lies in the past), each call replays at most about
    /// `events_max` events; call again with the same `t` until [`RunProgress::done`]. A
    /// caller may stop at any point (cancel): the world is then a consistent world at
    /// `now_us`, on the same timeline.
    pub fn seek_budgeted(&mut self, t: u64, events_max: u64) -> Result<RunProgress, LimitError> {
        check_time(t)?;
        self.rewind_for(t);
        self.run_until_budgeted(t, events_max)
    }

    /// When `t` lies in the past, restores the latest checkpoint at or before it.
    fn rewind_for(&mut self, t: u64) {
        if t < self.sim.now_us {
            let cp = self
                .checkpoints
                .iter()
                .rev()
                .find(|c| c.now_us <= t)
                .cloned()
                .unwrap_or_else(|| (*self.initial).clone());
            self.sim = cp;
            self.next_checkpoint_us = self
                .checkpoints
                .iter()
                .map(|c| c.now_us)
                .filter(|&x| x > self.sim.now_us)
                .min()
                .unwrap_or(
                    self.sim.now_us - self.sim.now_us % self.checkpoint_interval_us
                        + self.checkpoint_interval_us,
                );
            // Checkpoints after the restored one are re-taken as the replay passes them.
            let now = self.sim.now_us;
            self.checkpoints.retain(|c| c.now_us <= now);
            self.drained = self.sim.trace.total();
        }
    }

    /// The action log (what an export or a share link carries).
    pub fn actions(&self) -> &[LoggedAction] {
        &self.actions
    }

    /// Scheduled actions that could not be applied.
    pub fn skipped_actions(&self) -> &[SkippedAction] {
        &self.skipped
    }

    /// Timeline statistics.
    pub fn timeline(&self) -> TimelineInfo {
        TimelineInfo {
            checkpoints: self.checkpoints.len(),
            checkpoint_interval_us: self.checkpoint_interval_us,
            actions: self.actions.len(),
            actions_applied: self.sim.actions_applied,
            checkpoint_thinnings: self.thinnings,
        }
    }

    /// The world as a scenario: initial config, seed and the action log, running to now.
    pub fn export_scenario(&self, description: &str) -> Scenario {
        Scenario {
            description: description.to_string(),
            seed: self.sim.seed,
            config: self.initial.config.clone(),
            // A scenario runs for at least 1 µs (`Scenario::from_json` refuses 0).
            duration_us: self.sim.now_us.max(1),
            actions: self
                .actions
                .iter()
                .map(|a| TimedAction {
                    at_us: a.at_us,
                    action: a.action.clone(),
                })
                .collect(),
            expect: Vec::new(),
        }
    }
}

/// Key and value bytes a client action carries (0 for other actions).
fn payload_bytes(a: &Action) -> u64 {
    let n = match a {
        Action::Put { key, value, .. }
        | Action::Append { key, value, .. }
        | Action::Start { key, value, .. } => key.len() + value.len(),
        Action::Get { key, .. } => key.len(),
        Action::Cas {
            key,
            expected,
            value,
            ..
        } => key.len() + value.len() + expected.as_ref().map_or(0, String::len),
        _ => 0,
    };
    n as u64
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

impl FromJson for EventsOptions {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct EventsOptions", &["text"])?;
        Ok(EventsOptions {
            text: o.or("text", EventText::All)?,
        })
    }
}
