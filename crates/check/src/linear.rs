//! Linearizability: the Wing & Gong search with Lowe's memoization, per partition.
//!
//! Each partition's operations become a doubly linked list of call and return events
//! sorted by time (calls before returns at equal times, so touching intervals count as
//! concurrent; an unknown outcome's return is at +infinity, after every real event). The
//! search walks the list from the head: at a call it tries to linearize that operation
//! (the model accepts its answer from the current state and the pair (set of linearized
//! operations, new state) is not in the cache), lifts the operation's two events out of
//! the list and starts again from the head; at a return it has hit an operation that had
//! to be linearized already, so it backtracks (pops, restores the state, unlifts, and
//! tries the next call after the popped one). The partition is linearizable as soon as
//! every ok operation is linearized (unknown ones may be left out), and not linearizable
//! when it must backtrack with nothing to pop. Every loop turn is one step of the budget.
//!
//! Real-time order: `a` precedes `b` when `a` completed strictly before `b` was invoked,
//! or when `a` is an earlier ok operation of `b`'s own client (program order; this matters
//! only when `b` is invoked in the very microsecond `a` completed, which the event order
//! treats as concurrent). The second rule is a check before each step, so that a
//! linearizable history is always sequentially consistent.

use crate::model::{Model, Operation, Partition};
use serde::Serialize;
use std::collections::BTreeMap;

/// Steps between two progress reports.
pub const PROGRESS_EVERY_STEPS: u64 = 1 << 15;

/// How many "cannot be placed next" operations an explanation lists at most.
pub const STUCK_OPS_MAX: usize = 16;

/// A verdict of one checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The property holds.
    Ok,
    /// The property is violated (with evidence).
    Violated,
    /// Not decided: the budget ran out, the history is too large, or the property is not
    /// decidable on it (see the reason next to it).
    Unknown,
}

/// Reported to the progress callback every [`PROGRESS_EVERY_STEPS`] steps and when a
/// partition is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Which checker reports (`"linearizability"`, `"sequential"`).
    pub checker: &'static str,
    /// Index of the partition being searched (in search order).
    pub partition_index: usize,
    /// How many partitions there are.
    pub partitions: usize,
    /// The partition's name (the key).
    pub partition: String,
    /// Steps used so far by this checker, all partitions.
    pub steps: u64,
    /// Steps allowed.
    pub steps_max: u64,
    /// Operations currently linearized in this partition.
    pub linearized: usize,
    /// Operations in this partition.
    pub ops: usize,
}

/// One operation of a partial linearization with the state it produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlacedOp {
    /// The operation's id in the history.
    pub id: u64,
    /// `put x=1`, `get x -> 1`.
    pub op: String,
    /// The model state after it.
    pub state_after: String,
}

/// An operation that cannot come next after the longest partial linearization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StuckOp {
    /// The operation's id in the history.
    pub id: u64,
    /// `get x -> 1`.
    pub op: String,
    /// Why not: `get x returned 1 but the state is 2`.
    pub reason: String,
    /// The same as data, for the explanations' [`crate::Words`] (not in the JSON: they carry it).
    #[serde(skip)]
    pub why: crate::Words,
}

impl StuckOp {
    /// Operation `id` (`op` in words) cannot come next, for reason `why`.
    pub fn new(id: u64, op: String, why: crate::Words) -> Self {
        StuckOp {
            id,
            op,
            reason: why.to_string(),
            why,
        }
    }
}

/// Why a partition is not linearizable, in a form a page can draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The partition (key).
    pub partition: String,
    /// The initial state.
    pub initial_state: String,
    /// The longest partial linearization the search found: operations in order with the
    /// state after each.
    pub longest: Vec<PlacedOp>,
    /// Operations in the partition that must be placed (ok outcome).
    pub ok_ops: usize,
    /// All operations searched in the partition (ok and unknown; those set aside excluded).
    pub ops: usize,
    /// The operations that could come next in real-time order, and why each cannot.
    pub stuck: Vec<StuckOp>,
    /// The ok operation with the earliest completion among the unplaced ones: it had to
    /// take effect before anything invoked after it completed, and could not.
    pub deadline_op: Option<u64>,
    /// The deadline operation's completion time.
    pub deadline_us: Option<u64>,
    /// One paragraph for people.
    pub text: String,
    /// One to three sentences naming the operations, their clients and times, and the
    /// order that cannot hold ([`crate::plain`]; filled by [`crate::check_history`]).
    pub plain: String,
    /// The same as data, for a page to word in its reader's language.
    pub plain_words: Option<crate::Words>,
}

/// The verdict for one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionResult {
    /// The partition's name (the key).
    pub name: String,
    /// Linearizable, not, or unknown.
    pub verdict: Verdict,
    /// Operations searched (failed ones and those set aside excluded).
    pub ops: usize,
    /// Unknown-outcome writes left out of the search because no answer depends on them
    /// ([`crate::model::without_unobservable_writes`]).
    pub set_aside: usize,
    /// Search steps spent on it.
    pub steps: u64,
    /// For `Violated`.
    pub explanation: Option<Explanation>,
    /// For `Unknown`: why.
    pub reason: Option<String>,
}

/// The linearizability verdict of a history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinearizabilityResult {
    /// `Violated` if a partition is; else `Unknown` if one is; else `Ok`.
    pub verdict: Verdict,
    /// Steps spent, all partitions.
    pub steps: u64,
    /// Steps allowed.
    pub steps_max: u64,
    /// Whether every partition was to be decided (the full report); else the search
    /// stopped at the first violated partition.
    pub all_partitions: bool,
    /// The search stopped at a violated partition with others still undecided.
    pub stopped_early: bool,
    /// Partitions with a verdict (`ok` or `violated`); the others are `unknown` with a
    /// reason.
    pub partitions_decided: usize,
    /// The partitions the search never reached (names, sorted).
    pub partitions_not_searched: Vec<String>,
    /// Per partition, sorted by name.
    pub partitions: Vec<PartitionResult>,
}

/// The set of linearized operations (indexes in invocation order), with the lowest
/// unlinearized index kept so that the cache key stays small: in practice the set is a
/// dense prefix plus a few operations in flight.
struct LinSet {
    words: Vec<u64>,
    frontier: usize,
}

impl LinSet {
    fn new(n: usize) -> Self {
        LinSet {
            words: vec![0; n.div_ceil(64)],
            frontier: 0,
        }
    }
    fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
        while self.frontier < self.words.len() * 64 && self.get(self.frontier) {
            self.frontier += 1;
        }
    }
    fn clear(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
        self.frontier = self.frontier.min(i);
    }
    fn get(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }
    /// A canonical key: the frontier and the words from the frontier's to `max`'s.
    fn key(&self, max: Option<usize>) -> (u32, Box<[u64]>) {
        let lo = self.frontier / 64;
        let words: Box<[u64]> = match max {
            Some(m) if m / 64 >= lo && m >= self.frontier => self.words[lo..=m / 64].into(),
            _ => Box::new([]),
        };
        (self.frontier as u32, words)
    }
}

type Cache<S> = hashbrown::HashSet<(u32, Box<[u64]>, S), foldhash::fast::FixedState>;

const NIL: u32 = u32::MAX;

/// An event's kind; at equal times calls sort before returns, so touching intervals count
/// as concurrent.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EventKind {
    Call,
    Return,
}

/// The event list: entry 0 is the head sentinel, entry `2n + 1` the tail sentinel.
struct Events {
    prev: Vec<u32>,
    next: Vec<u32>,
    /// For an event: its operation (local index); `NIL` for sentinels.
    op: Vec<u32>,
    is_call: Vec<bool>,
    /// For a call: its return event.
    partner: Vec<u32>,
}

impl Events {
    fn new(ops: &[(u64, u64)]) -> Self {
        let n = ops.len();
        let mut evs: Vec<(u64, EventKind, usize)> = Vec::with_capacity(2 * n);
        for (op, &(invoke_us, complete_us)) in ops.iter().enumerate() {
            evs.push((invoke_us, EventKind::Call, op));
            evs.push((complete_us, EventKind::Return, op));
        }
        util::sort::sort(&mut evs);
        let len = 2 * n + 2;
        let mut e = Events {
            prev: vec![NIL; len],
            next: vec![NIL; len],
            op: vec![NIL; len],
            is_call: vec![false; len],
            partner: vec![NIL; len],
        };
        let mut call_of = vec![NIL; n];
        let mut ret_of = vec![NIL; n];
        for (k, &(_, kind, op)) in evs.iter().enumerate() {
            let id = (k + 1) as u32;
            e.op[id as usize] = op as u32;
            e.is_call[id as usize] = kind == EventKind::Call;
            match kind {
                EventKind::Call => call_of[op] = id,
                EventKind::Return => ret_of[op] = id,
            }
        }
        for i in 0..n {
            e.partner[call_of[i] as usize] = ret_of[i];
        }
        for k in 0..len {
            if k > 0 {
                e.prev[k] = (k - 1) as u32;
            }
            if k + 1 < len {
                e.next[k] = (k + 1) as u32;
            }
        }
        e
    }
    fn unlink(&mut self, x: u32) {
        let (p, n) = (self.prev[x as usize], self.next[x as usize]);
        self.next[p as usize] = n;
        self.prev[n as usize] = p;
    }
    fn relink(&mut self, x: u32) {
        let (p, n) = (self.prev[x as usize], self.next[x as usize]);
        self.next[p as usize] = x;
        self.prev[n as usize] = x;
    }
    fn lift(&mut self, call: u32) {
        self.unlink(call);
        self.unlink(self.partner[call as usize]);
    }
    fn unlift(&mut self, call: u32) {
        self.relink(self.partner[call as usize]);
        self.relink(call);
    }
}

/// The outcome of searching one partition.
enum Found<S> {
    Linearizable,
    /// With the longest partial linearization: (local op, state after).
    Violated(Vec<(usize, S)>),
    OutOfBudget,
}

/// Steps of a partition's first search slice; each round doubles it.
pub const SLICE_STEPS_FIRST: u64 = 4096;

/// Checks every partition of `ops` (as the model splits them) for linearizability,
/// spending at most `steps_max` steps in total, deciding every partition (the full report).
/// See [`check_linearizability_with`].
pub fn check_linearizability<M: Model>(
    model: &M,
    ops: &[Operation<M::Input, M::Output>],
    steps_max: u64,
    progress: &mut dyn FnMut(&Progress),
) -> LinearizabilityResult {
    check_linearizability_with(model, ops, steps_max, true, progress)
}

/// Checks the partitions of `ops` for linearizability within `steps_max` steps in total.
///
/// The partitions' searches are interleaved round-robin in slices that double each round
/// (smallest partition first in each round; a partition not decided within its slice is
/// searched again from the start in the next round, which at most doubles its cost), so an
/// easy partition is decided before a hard one exhausts the budget. Unless
/// `all_partitions`, the search stops at the first violated partition (the verdict is then
/// already `Violated`), and the partitions left undecided say so.
pub fn check_linearizability_with<M: Model>(
    model: &M,
    ops: &[Operation<M::Input, M::Output>],
    steps_max: u64,
    all_partitions: bool,
    progress: &mut dyn FnMut(&Progress),
) -> LinearizabilityResult {
    let parts = model.partition(ops);
    let (search_order, report_order) = partition_orders(&parts);
    let mut steps = 0u64;
    let mut results: Vec<Option<PartitionResult>> = parts.iter().map(|_| None).collect();
    let count = parts.len();
    let mut pending: Vec<usize> = search_order.clone();
    let mut slice = SLICE_STEPS_FIRST;
    let mut stopped_early = false;
    'rounds: while !pending.is_empty() && steps < steps_max {
        let mut still = Vec::with_capacity(pending.len());
        for (k, &p) in pending.iter().enumerate() {
            if steps >= steps_max {
                still.extend_from_slice(&pending[k..]);
                break;
            }
            let pi = search_order.iter().position(|&q| q == p).unwrap_or(0);
            let limit = steps.saturating_add(slice).min(steps_max);
            let r = check_partition(
                model, ops, &parts[p], pi, count, &mut steps, limit, progress,
            );
            let spent_before = results[p].as_ref().map_or(0, |r: &PartitionResult| r.steps);
            let mut r = r;
            r.steps += spent_before;
            let violated = r.verdict == Verdict::Violated;
            if r.verdict == Verdict::Unknown {
                still.push(p);
            }
            results[p] = Some(r);
            if violated && !all_partitions {
                still.extend_from_slice(&pending[k + 1..]);
                pending = still;
                stopped_early = !pending.is_empty();
                break 'rounds;
            }
        }
        pending = still;
        slice = slice.saturating_mul(2);
    }
    for &p in &pending {
        let r = results[p].get_or_insert_with(|| not_searched(&parts[p]));
        r.reason = Some(undecided_reason(r.steps, stopped_early));
    }
    let results: Vec<PartitionResult> = report_order
        .iter()
        .filter_map(|&p| results[p].take())
        .collect();
    let verdict = results
        .iter()
        .map(|r| r.verdict)
        .fold(Verdict::Ok, |acc, v| match (acc, v) {
            (Verdict::Violated, _) | (_, Verdict::Violated) => Verdict::Violated,
            (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
            _ => Verdict::Ok,
        });
    let partitions_decided = results
        .iter()
        .filter(|r| r.verdict != Verdict::Unknown)
        .count();
    LinearizabilityResult {
        verdict,
        steps,
        steps_max,
        all_partitions,
        stopped_early,
        partitions_decided,
        partitions_not_searched: results
            .iter()
            .filter(|r| r.verdict == Verdict::Unknown && r.steps == 0)
            .map(|r| r.name.clone())
            .collect(),
        partitions: results,
    }
}

/// The result of a partition the search never reached.
fn not_searched(part: &Partition) -> PartitionResult {
    PartitionResult {
        name: part.name.clone(),
        verdict: Verdict::Unknown,
        ops: part.ops.len(),
        set_aside: part.set_aside,
        steps: 0,
        explanation: None,
        reason: None,
    }
}

/// Why a partition is undecided (outside the generic function: one copy).
fn undecided_reason(spent: u64, stopped_early: bool) -> String {
    match (stopped_early, spent) {
        (true, 0) => "not searched: another key is already violated (the full report, \
                      --all-partitions, decides every key)"
            .to_string(),
        (true, s) => format!(
            "not decided: searched for {s} steps, then another key was found violated (the \
             full report, --all-partitions, decides every key)"
        ),
        (false, 0) => "not searched: the step budget was spent on other keys".to_string(),
        (false, s) => format!("the step budget ran out after {s} steps on this key"),
    }
}

/// The order to search the partitions in, by (size, name), and the order to report them
/// in, by (name, size); ties keep the model's order. Not inside the generic function: one
/// copy, not one per model.
fn partition_orders(parts: &[Partition]) -> (Vec<usize>, Vec<usize>) {
    let name = |p: usize| parts[p].name.as_str();
    let size = |p: usize| parts[p].ops.len();
    let mut search: Vec<usize> = (0..parts.len()).collect();
    util::sort::sort_by_key(&mut search, |&p| (size(p), name(p)));
    let mut report: Vec<usize> = (0..parts.len()).collect();
    util::sort::sort_by_key(&mut report, |&p| (name(p), size(p)));
    (search, report)
}

#[allow(clippy::too_many_arguments)]
fn check_partition<M: Model>(
    model: &M,
    all: &[Operation<M::Input, M::Output>],
    part: &Partition,
    pi: usize,
    count: usize,
    steps: &mut u64,
    steps_max: u64,
    progress: &mut dyn FnMut(&Progress),
) -> PartitionResult {
    let mut order = part.ops.clone();
    crate::model::sort_by_invocation(all, &mut order);
    let ops: Vec<&Operation<M::Input, M::Output>> = order.iter().map(|&i| &all[i]).collect();
    let start = *steps;
    let found = search(
        model, &ops, pi, count, &part.name, steps, steps_max, progress,
    );
    let spent = *steps - start;
    let mut r = PartitionResult {
        name: part.name.clone(),
        verdict: Verdict::Ok,
        ops: ops.len(),
        set_aside: part.set_aside,
        steps: spent,
        explanation: None,
        reason: None,
    };
    match found {
        Found::Linearizable => {}
        Found::OutOfBudget => r.verdict = Verdict::Unknown,
        Found::Violated(best) => {
            r.verdict = Verdict::Violated;
            r.explanation = Some(explain(model, &ops, &part.name, &best));
        }
    }
    r
}

#[allow(clippy::too_many_arguments)]
fn search<M: Model>(
    model: &M,
    ops: &[&Operation<M::Input, M::Output>],
    pi: usize,
    count: usize,
    name: &str,
    steps: &mut u64,
    steps_max: u64,
    progress: &mut dyn FnMut(&Progress),
) -> Found<M::State> {
    let n = ops.len();
    let times: Vec<(u64, u64)> = ops
        .iter()
        .map(|o| (o.invoke_us, o.complete_us.unwrap_or(u64::MAX)))
        .collect();
    let mut ev = Events::new(&times);
    let pred = client_predecessors(ops);
    let mut ok_left = ops.iter().filter(|o| o.output.is_some()).count();
    let mut set = LinSet::new(n);
    let mut cache: Cache<M::State> = Cache::with_hasher(foldhash::fast::FixedState::default());
    // (call event, state before, running max of linearized local indexes, forced)
    let mut stack: Vec<(u32, M::State, usize, bool)> = Vec::new();
    let mut state = model.init();
    let mut best: Vec<(usize, M::State)> = Vec::new();
    let mut shared = 0usize; // leading stack entries equal to `best`
    let mut cursor = ev.next[0];
    let report = |progress: &mut dyn FnMut(&Progress), steps: u64, linearized: usize| {
        progress(&Progress {
            checker: "linearizability",
            partition_index: pi,
            partitions: count,
            partition: name.to_string(),
            steps,
            steps_max,
            linearized,
            ops: n,
        })
    };
    // After each push, first look for a "free" operation: one that never changes the state
    // (`Model::preserves_state`: a read, a cas that did not swap) and that the model
    // accepts now. If a node has a completion, it has one that starts with such an
    // operation (moving it to the front keeps every later state, and it is callable now,
    // so real-time order holds), so it is linearized without trying alternatives, and if
    // that fails the node fails.
    let mut scan_free = true;
    loop {
        if ok_left == 0 {
            report(progress, *steps, stack.len());
            return Found::Linearizable;
        }
        let mut chosen: Option<(u32, M::State, bool)> = None;
        let mut node_fails = false;
        if scan_free {
            scan_free = false;
            let mut e = ev.next[0];
            while ev.op[e as usize] != NIL && ev.is_call[e as usize] {
                if *steps >= steps_max {
                    report(progress, *steps, stack.len());
                    return Found::OutOfBudget;
                }
                *steps += 1;
                if *steps % PROGRESS_EVERY_STEPS == 0 {
                    report(progress, *steps, stack.len());
                }
                let i = ev.op[e as usize] as usize;
                let op = ops[i];
                if pred[i].is_none_or(|p| set.get(p))
                    && model.preserves_state(&op.input, op.output.as_ref())
                {
                    if let Some(next) = model.step(&state, &op.input, op.output.as_ref()) {
                        {
                            set.set(i);
                            let max = stack.last().map_or(i, |t| t.2.max(i));
                            let (f, w) = set.key(Some(max));
                            if cache.insert((f, w, next.clone())) {
                                chosen = Some((e, next, true));
                            } else {
                                set.clear(i);
                                node_fails = true;
                            }
                            break;
                        }
                    }
                }
                e = ev.next[e as usize];
            }
            if chosen.is_none() && !node_fails {
                cursor = ev.next[0];
                continue;
            }
        } else {
            if *steps >= steps_max {
                report(progress, *steps, stack.len());
                return Found::OutOfBudget;
            }
            *steps += 1;
            if *steps % PROGRESS_EVERY_STEPS == 0 {
                report(progress, *steps, stack.len());
            }
            let c = cursor as usize;
            if ev.op[c] != NIL && ev.is_call[c] {
                let i = ev.op[c] as usize;
                let op = ops[i];
                let ready = pred[i].is_none_or(|p| set.get(p));
                if let Some(next) = model
                    .step(&state, &op.input, op.output.as_ref())
                    .filter(|_| ready)
                {
                    set.set(i);
                    let max = stack.last().map_or(i, |t| t.2.max(i));
                    let (f, w) = set.key(Some(max));
                    if cache.insert((f, w, next.clone())) {
                        chosen = Some((cursor, next, false));
                    } else {
                        set.clear(i);
                    }
                }
                if chosen.is_none() {
                    cursor = ev.next[c];
                    continue;
                }
            } else {
                // A return (or the tail): its operation had to be linearized already.
                node_fails = true;
            }
        }
        if let Some((e, next, forced)) = chosen {
            let i = ev.op[e as usize] as usize;
            let max = stack.last().map_or(i, |t| t.2.max(i));
            let before = std::mem::replace(&mut state, next);
            stack.push((e, before, max, forced));
            ev.lift(e);
            if ops[i].output.is_some() {
                ok_left -= 1;
            }
            // Keep `best` = the longest stack seen (amortized O(1) per push).
            let len = stack.len();
            if shared == len - 1 && shared < best.len() && best[shared].0 == i {
                shared += 1;
            }
            if len > best.len() {
                best.truncate(shared);
                for j in shared..len {
                    let op_j = ev.op[stack[j].0 as usize] as usize;
                    let after = if j + 1 < len {
                        stack[j + 1].1.clone()
                    } else {
                        state.clone()
                    };
                    best.push((op_j, after));
                }
                shared = len;
            }
            scan_free = true;
            cursor = ev.next[0];
            continue;
        }
        debug_assert!(node_fails);
        // Backtrack: undo the last choice; a forced (free) one fails its node too.
        loop {
            let Some((call, before, _, forced)) = stack.pop() else {
                return Found::Violated(best);
            };
            shared = shared.min(stack.len());
            state = before;
            let i = ev.op[call as usize] as usize;
            set.clear(i);
            ev.unlift(call);
            if ops[i].output.is_some() {
                ok_left += 1;
            }
            if !forced {
                cursor = ev.next[call as usize];
                break;
            }
        }
    }
}

/// For each operation (sorted by invocation), the latest earlier ok operation of its client.
pub(crate) fn client_predecessors<I, O>(ops: &[&Operation<I, O>]) -> Vec<Option<usize>> {
    let mut last_ok: BTreeMap<u64, usize> = BTreeMap::new();
    let mut pred = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        pred.push(last_ok.get(&op.client).copied());
        if op.output.is_some() {
            last_ok.insert(op.client, i);
        }
    }
    pred
}

mod explain;
use explain::explain;
pub use explain::explanation_text;
