//! Incremental linearizability checking for a history that grows (the page's live verdict).
//!
//! Per partition (key), the checker keeps a *cut*: a time before which every operation is
//! settled and every ok operation completed, so that each of them precedes, in real time,
//! everything invoked at or after the cut. At a cut the whole past is summed up by the set
//! of possible *configurations*: (the value, unknown-outcome operations that have not
//! taken effect yet and still may). When the caller promises that every operation invoked
//! before some time has been added ([`IncrementalChecker::check`]'s `settled_us`), each
//! partition moves its cut, segment by segment, to the latest time allowed and replays
//! only the operations of each segment from the carried configurations, enumerating every
//! way they can be linearized.
//!
//! Cost per new operation: an unknown operation may take effect at any later time, so it
//! stays available for ever; enumerating where it went (every subset and order of the
//! carried appends between two reads is a distinct value) made the configurations
//! multiply with the history's length. Instead a configuration's value is a [`pattern`]
//! with holes where carried operations may have taken effect, resolved only when an
//! operation observes the value (a get's answer, a cas's expected value: the text says
//! which fills fit), and dropped when an ok put overwrites it. The work per segment is then
//! proportional to its operations and the carried operations an observation could match,
//! not to the history's length (`cargo bench -p raftlab-check --bench check -- incremental`).
//!
//! When the configurations still multiply beyond [`CONFIGS_MAX`] (many concurrent
//! unknown-outcome writes inside one segment, each placed explicitly), the partition falls
//! back for good to the whole-history search over all its operations behind the cut at
//! each check: the same coverage, at a cost that grows with the partition
//! ([`PartitionProgress::mode`] says which).
//!
//! What the verdict covers: every operation of a partition invoked before its cut
//! ([`PartitionProgress::cut_us`]); later ones are "open" and checked when a cut passes
//! them. `Violated` is final: no linearization of the covered operations exists, whatever
//! comes later. Agreement with the whole-history checker is tested
//! (`tests/incremental.rs`).

mod pattern;

use crate::history::{ModelKind, Op, Outcome};
use crate::linear::Verdict;
use crate::model::{KvCall, KvKeyModel, KvOutput, RegisterModel};
use pattern::{KvOp, Matcher, Overflow, Pattern};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Default step budget of one [`IncrementalChecker::check`] call.
pub const INCREMENTAL_STEPS_MAX_DEFAULT: u64 = 5_000_000;

/// The most configurations a partition carries at its cut (and generates while replaying
/// one segment, times [`CONFIGS_GENERATED_FACTOR`]). Beyond it (many concurrent
/// unknown-outcome writes, each of which may or may not have taken effect, multiply them)
/// the partition falls back to searching all its operations behind the cut at each check
/// (the whole-history search, which sets aside the unknown writes nobody observed).
pub const CONFIGS_MAX: usize = 256;
/// See [`CONFIGS_MAX`].
pub const CONFIGS_GENERATED_FACTOR: usize = 16;

/// A configuration at a cut: the value (with holes, [`pattern`]) and the unknown operations
/// (by index into the partition's `carried` list) that may still take effect, sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Config {
    state: Pattern,
    available: Vec<u32>,
}

/// One partition's progress.
#[derive(Clone, Debug)]
struct Part {
    /// Operations not yet behind the cut (ok and unknown), in arrival order.
    open: Vec<KvOp>,
    /// Unknown operations behind the cut (configurations refer to them by index).
    carried: Vec<KvOp>,
    configs: Vec<Config>,
    cut_us: u64,
    covered: usize,
    verdict: Verdict,
    /// For `Violated`: the ids of the operations of the segment no configuration explains.
    violated_segment: Vec<u64>,
    /// For `Unknown`: why.
    reason: Option<String>,
    /// Every operation behind the cut (for the fallback).
    behind: Vec<KvOp>,
    /// Fallen back to the whole search over `behind` ([`CONFIGS_MAX`]).
    whole: bool,
}

/// What a partition's verdict covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionProgress {
    /// The key (`""` for the register).
    pub name: String,
    /// `Ok`: every operation invoked before `cut_us` fits; `Violated`: they do not (final);
    /// `Unknown`: the step budget ran out (see `reason`).
    pub verdict: Verdict,
    /// The cut: operations invoked before it are covered by the verdict.
    pub cut_us: u64,
    /// Operations covered (ok and unknown; failed ones are ignored).
    pub ops_covered: usize,
    /// Operations after the cut, not yet covered.
    pub ops_open: usize,
    /// Possible configurations carried at the cut.
    pub configurations: usize,
    /// Unknown-outcome operations that may still take effect after the cut.
    pub unknown_carried: usize,
    /// For `Violated`: the operations between the last two cuts, which no configuration
    /// explains (in `"whole"` mode: the operations that cannot come next after the longest
    /// linearization; the whole-history check gives the full explanation).
    pub violated_ops: Vec<u64>,
    /// For `Unknown`: why.
    pub reason: Option<String>,
    /// How the verdict is reached: `"incremental"` (the carried configurations), or
    /// `"whole"` (too many configurations, [`CONFIGS_MAX`]: every check searches all the
    /// partition's operations behind the cut; same coverage, cost growing with them).
    pub mode: &'static str,
}

/// The incremental verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncrementalReport {
    /// `Violated` if a partition is, else `Unknown` if one is, else `Ok`.
    pub verdict: Verdict,
    /// Operations covered by the verdict, all partitions.
    pub ops_covered: usize,
    /// Operations not yet covered (after their partition's cut).
    pub ops_open: usize,
    /// The promise of the last `check` call: every operation invoked before it was added.
    pub settled_us: u64,
    /// Every operation added that was invoked before this time is covered (the earliest
    /// cut of a partition with open operations, else `settled_us`).
    pub covered_through_us: u64,
    /// Steps spent by the last `check` call.
    pub steps: u64,
    /// Steps spent since the checker was made.
    pub steps_total: u64,
    /// Per partition, sorted by name.
    pub partitions: Vec<PartitionProgress>,
}

/// A linearizability checker fed as the history grows. See the module comment.
#[derive(Clone, Debug)]
pub struct IncrementalChecker {
    model: ModelKind,
    parts: BTreeMap<String, Part>,
    steps_max: u64,
    steps_total: u64,
}

impl IncrementalChecker {
    /// A checker for histories of `model`, with a step budget per [`check`](Self::check).
    pub fn new(model: ModelKind, steps_max: u64) -> Self {
        IncrementalChecker {
            model,
            parts: BTreeMap::new(),
            steps_max,
            steps_total: 0,
        }
    }

    /// Sets the step budget of the following [`check`](Self::check) calls.
    pub fn set_steps_max(&mut self, steps_max: u64) {
        self.steps_max = steps_max;
    }

    /// Adds a settled operation (ok, failed or unknown; failed ones are ignored). An
    /// operation invoked before a partition's cut is a caller error and is ignored there.
    pub fn add(&mut self, op: &Op) {
        if op.outcome == Outcome::Failed {
            return;
        }
        let one = crate::History {
            version: 1,
            model: self.model,
            operations: vec![op.clone()],
            final_states: None,
            final_applied: None,
        };
        let Some(kv) = crate::kv_operations(&one).pop() else {
            return;
        };
        let part = self
            .parts
            .entry(kv.input.key.to_string())
            .or_insert_with(|| Part {
                open: Vec::new(),
                carried: Vec::new(),
                configs: vec![Config {
                    state: Pattern::known(None),
                    available: Vec::new(),
                }],
                cut_us: 0,
                covered: 0,
                verdict: Verdict::Ok,
                violated_segment: Vec::new(),
                reason: None,
                behind: Vec::new(),
                whole: false,
            });
        if kv.invoke_us < part.cut_us && part.covered > 0 {
            return;
        }
        part.open.push(kv);
    }

    /// Moves every partition's cut as far as `settled_us` allows (the caller promises that
    /// every operation invoked before `settled_us` has been added) and reports.
    pub fn check(&mut self, settled_us: u64) -> IncrementalReport {
        let mut steps = 0u64;
        let model = self.model;
        for part in self.parts.values_mut() {
            // A whole search that ran out of budget is tried again (new budget).
            if part.verdict == Verdict::Ok || (part.whole && part.verdict == Verdict::Unknown) {
                advance(model, part, settled_us, &mut steps, self.steps_max);
            }
        }
        self.steps_total += steps;
        let partitions: Vec<PartitionProgress> = self
            .parts
            .iter()
            .map(|(name, p)| PartitionProgress {
                name: name.clone(),
                verdict: p.verdict,
                cut_us: p.cut_us,
                ops_covered: p.covered,
                ops_open: p.open.len(),
                configurations: p.configs.len(),
                unknown_carried: p.carried.len(),
                violated_ops: p.violated_segment.clone(),
                reason: p.reason.clone(),
                mode: if p.whole { "whole" } else { "incremental" },
            })
            .collect();
        let verdict = partitions
            .iter()
            .map(|p| p.verdict)
            .fold(Verdict::Ok, |a, v| match (a, v) {
                (Verdict::Violated, _) | (_, Verdict::Violated) => Verdict::Violated,
                (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
                _ => Verdict::Ok,
            });
        let covered_through_us = partitions
            .iter()
            .filter(|p| p.ops_open > 0)
            .map(|p| p.cut_us)
            .fold(settled_us, u64::min);
        IncrementalReport {
            verdict,
            ops_covered: partitions.iter().map(|p| p.ops_covered).sum(),
            ops_open: partitions.iter().map(|p| p.ops_open).sum(),
            settled_us,
            covered_through_us,
            steps,
            steps_total: self.steps_total,
            partitions,
        }
    }
}

/// Moves `part`'s cut to the latest time `<= settled_us` before which every open ok
/// operation completed, replaying the operations it passes, one segment per intermediate
/// cut (small segments keep the replay cheap: the carried configurations sum up each).
fn advance(model: ModelKind, part: &mut Part, settled_us: u64, steps: &mut u64, steps_max: u64) {
    util::sort::sort_by_key(&mut part.open, |o| (o.invoke_us, o.id));
    // The cuts: invocation times (and settled_us) that no earlier ok op straddles.
    let mut done_max = 0u64; // latest completion of the ok ops before index k
    let mut cuts: Vec<(usize, u64)> = Vec::new();
    for (k, o) in part.open.iter().enumerate() {
        if o.invoke_us >= settled_us {
            break;
        }
        if k > 0 && done_max < o.invoke_us {
            cuts.push((k, o.invoke_us));
        }
        if let Some(c) = o.complete_us {
            done_max = done_max.max(c);
        }
    }
    let before_all = part
        .open
        .iter()
        .take_while(|o| o.invoke_us < settled_us)
        .count();
    if before_all == part.open.len() && before_all > 0 && done_max < settled_us {
        cuts.push((before_all, settled_us));
    }
    let mut taken = 0;
    let last = cuts.len().saturating_sub(1);
    for (n, (k, cut_us)) in cuts.into_iter().enumerate() {
        if part.verdict != Verdict::Ok && !part.whole {
            return;
        }
        if part.whole && n < last {
            // The whole search covers everything at once: only the last cut.
            continue;
        }
        let segment: Vec<KvOp> = part.open.drain(..k - taken).collect();
        taken = k;
        if part.whole {
            whole_search(model, part, segment, cut_us, steps, steps_max);
        } else {
            replay_segment(model, part, segment, cut_us, steps, steps_max);
        }
    }
}

/// Moves `segment` (the open operations before `cut_us`) behind the cut, from the carried
/// configurations.
fn replay_segment(
    model: ModelKind,
    part: &mut Part,
    segment: Vec<KvOp>,
    cut_us: u64,
    steps: &mut u64,
    steps_max: u64,
) {
    // Carried unknown ops get the indexes after the existing ones.
    let base = part.carried.len() as u32;
    let mut next: Vec<Config> = Vec::new();
    let generated_max = CONFIGS_MAX * CONFIGS_GENERATED_FACTOR;
    for c in &part.configs {
        let budget = steps_max.saturating_sub(*steps);
        let mut spent = 0;
        if !replay(part, c, &segment, base, &mut next, &mut spent, budget)
            || next.len() > generated_max
        {
            // Too many ways the unknown operations may have gone: search the whole.
            part.whole = true;
            part.configs.clear();
            part.carried.clear();
            return whole_search(model, part, segment, cut_us, steps, steps_max);
        }
        *steps += spent;
    }
    part.behind.extend(segment.iter().cloned());
    part.carried
        .extend(segment.iter().filter(|o| o.output.is_none()).cloned());
    part.covered += segment.len();
    part.cut_us = cut_us;
    if next.is_empty() {
        part.verdict = Verdict::Violated;
        part.violated_segment = segment.iter().map(|o| o.id).collect();
        part.configs.clear();
        return;
    }
    // Drop dominated configurations (same state, fewer unknown operations available).
    util::sort::sort(&mut next);
    next.dedup();
    // Larger sets first, so that a configuration is only ever dominated by a kept one.
    util::sort::sort_by_key(&mut next, |c| std::cmp::Reverse(c.available.len()));
    let mut kept: Vec<Config> = Vec::new();
    for c in next.iter() {
        let dominated = kept.iter().any(|k| {
            k.state == c.state
                && c.available
                    .iter()
                    .all(|a| k.available.binary_search(a).is_ok())
        });
        if !dominated {
            kept.push(c.clone());
        }
    }
    util::sort::sort(&mut kept);
    if kept.len() > CONFIGS_MAX {
        part.whole = true;
        part.configs.clear();
        part.carried.clear();
        return;
    }
    part.configs = kept;
}

/// The fallback: moves `segment` behind the cut at `cut_us` and searches every operation
/// behind it, as the whole-history checker does.
fn whole_search(
    model: ModelKind,
    part: &mut Part,
    segment: Vec<KvOp>,
    cut_us: u64,
    steps: &mut u64,
    steps_max: u64,
) {
    part.covered += segment.len();
    part.behind.extend(segment);
    part.cut_us = cut_us;
    let budget = steps_max.saturating_sub(*steps);
    let r = match model {
        ModelKind::Kv => {
            crate::check_linearizability_with(&KvKeyModel, &part.behind, budget, true, &mut |_| {})
        }
        ModelKind::Register => crate::check_linearizability_with(
            &RegisterModel,
            &part.behind,
            budget,
            true,
            &mut |_| {},
        ),
    };
    *steps += r.steps;
    part.verdict = r.verdict;
    part.reason = None;
    match r.verdict {
        Verdict::Violated => {
            part.violated_segment = r
                .partitions
                .iter()
                .filter_map(|p| p.explanation.as_ref())
                .flat_map(|e| e.stuck.iter().map(|s| s.id))
                .collect();
        }
        Verdict::Unknown => {
            part.reason = Some(format!(
                "the step budget ({steps_max} steps per check) ran out searching the {} operations behind the cut",
                part.behind.len()
            ));
        }
        Verdict::Ok => {}
    }
}

/// Enumerates every linearization of `segment` from configuration `c`, pushing the end
/// configurations. Carried unknown operations are not placed here: they sit in the
/// pattern's holes until an operation observes the value ([`pattern`]). A segment's own
/// unknown operations are placed explicitly (their invocation orders them after the
/// operations completed before it) or left available; one placed after the last ok
/// operation is the same as one left available, which allows more, so such ends are not
/// pushed. False when the budget ran out or too many configurations came out
/// ([`CONFIGS_MAX`]).
#[allow(clippy::too_many_arguments)] // reason: one call site, all distinct inputs
fn replay(
    part: &Part,
    c: &Config,
    segment: &[KvOp],
    base: u32,
    out: &mut Vec<Config>,
    steps: &mut u64,
    steps_max: u64,
) -> bool {
    let n = segment.len();
    let refs: Vec<&KvOp> = segment.iter().collect();
    let pred = crate::linear::client_predecessors(&refs);
    // A segment op's index among the segment's unknown ones, as a carried index.
    let mut unknown_index = vec![0u32; n];
    let mut u_next = base;
    for i in 0..n {
        if segment[i].output.is_none() {
            unknown_index[i] = u_next;
            u_next += 1;
        }
    }
    // Per (placed ok ops, pattern): the sets of operations used so far. A node that used
    // a superset of a seen node's set is dominated (fewer options left).
    type Seen = hashbrown::HashMap<(Vec<bool>, Pattern), Vec<Vec<u32>>, foldhash::fast::FixedState>;
    let mut seen: Seen = Seen::with_hasher(foldhash::fast::FixedState::default());
    struct Frame {
        placed: Vec<bool>,
        /// Carried operations used (sorted), then the segment's placed unknown ones.
        used: Vec<u32>,
        pat: Pattern,
        after_unknown: bool,
    }
    let mut stack = vec![Frame {
        placed: vec![false; n],
        used: Vec::new(),
        pat: c.state.clone(),
        after_unknown: false,
    }];
    let mut usable = vec![false; base as usize];
    while let Some(f) = stack.pop() {
        let ok_placed: Vec<bool> = (0..n)
            .map(|i| f.placed[i] && segment[i].output.is_some())
            .collect();
        let sets = seen.entry((ok_placed, f.pat.clone())).or_default();
        if sets.iter().any(|u| is_subset(u, &f.used)) {
            continue;
        }
        sets.push(f.used.clone());
        if *steps >= steps_max {
            return false;
        }
        *steps += 1;
        let ok_left = (0..n).any(|i| !f.placed[i] && segment[i].output.is_some());
        if !ok_left && !f.after_unknown {
            let mut available: Vec<u32> = c
                .available
                .iter()
                .filter(|a| f.used.binary_search(a).is_err())
                .copied()
                .collect();
            available.extend(
                (0..n)
                    .filter(|&i| !f.placed[i] && segment[i].output.is_none())
                    .map(|i| unknown_index[i]),
            );
            available.sort_unstable();
            out.push(Config {
                state: f.pat.clone(),
                available,
            });
            if out.len() > CONFIGS_MAX * CONFIGS_GENERATED_FACTOR {
                return false;
            }
        }
        if !ok_left {
            continue;
        }
        usable.fill(false);
        for &a in &c.available {
            if a < base && f.used.binary_search(&a).is_err() {
                usable[a as usize] = true;
            }
        }
        let mut matcher = Matcher {
            carried: &part.carried,
            usable: &usable,
            steps: 0,
            steps_max: steps_max.saturating_sub(*steps),
            out_max: CONFIGS_MAX * CONFIGS_GENERATED_FACTOR,
        };
        for i in 0..n {
            if f.placed[i] || pred[i].is_some_and(|p| !f.placed[p]) {
                continue;
            }
            let o = &segment[i];
            let blocked = (0..n)
                .any(|j| !f.placed[j] && segment[j].complete_us.is_some_and(|cj| cj < o.invoke_us));
            if blocked {
                continue;
            }
            let Ok(nexts) = apply(&mut matcher, &f.pat, base, o) else {
                return false;
            };
            for (pat, add) in nexts {
                let mut placed = f.placed.clone();
                placed[i] = true;
                let mut used = f.used.clone();
                used.extend(add);
                if o.output.is_none() {
                    used.push(unknown_index[i]);
                }
                used.sort_unstable();
                used.dedup();
                stack.push(Frame {
                    placed,
                    used,
                    pat,
                    after_unknown: o.output.is_none(),
                });
            }
        }
        *steps += matcher.steps;
    }
    true
}

/// `a ⊆ b`, both sorted.
fn is_subset(a: &[u32], b: &[u32]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
}

/// The patterns after `op` from `pat` (each with the carried operations it used), none if
/// `op` cannot come next. `trailing`: the trailing hole's eligibility (the operations
/// carried into the segment).
fn apply(
    m: &mut Matcher<'_>,
    pat: &Pattern,
    trailing: u32,
    op: &KvOp,
) -> Result<Vec<(Pattern, Vec<u32>)>, Overflow> {
    let k = pat.items.len();
    let known = |v: &Arc<str>| Pattern::known(Some(v.clone()));
    Ok(match (&op.input.call, op.output.as_ref()) {
        (KvCall::Get, None) => vec![(pat.clone(), Vec::new())],
        (KvCall::Get, Some(KvOutput::Value(r))) => m
            .fills(pat, k, trailing, r.as_deref())?
            .into_iter()
            .map(|u| (Pattern::known(r.clone()), u))
            .collect(),
        (KvCall::Put(v), None | Some(KvOutput::Ack)) => vec![(known(v), Vec::new())],
        (KvCall::Append(v), None | Some(KvOutput::Ack)) => {
            let mut p = pat.clone();
            p.items.push((trailing, v.clone()));
            vec![(p, Vec::new())]
        }
        (KvCall::Cas(e, v), None | Some(KvOutput::Swapped(true))) => m
            .fills(pat, k, trailing, e.as_deref())?
            .into_iter()
            .map(|u| (known(v), u))
            .collect(),
        (KvCall::Cas(e, _), Some(KvOutput::Swapped(false))) => {
            if m.fills(pat, k, trailing, e.as_deref())?.is_empty() {
                // No fill equals the expected value: every one is still possible.
                vec![(pat.clone(), Vec::new())]
            } else {
                // Only the fills that differ from it: enumerate them.
                m.expand(pat, trailing)?
                    .into_iter()
                    .filter(|(s, _)| s.as_deref() != e.as_deref())
                    .map(|(s, u)| (Pattern::known(s), u))
                    .collect()
            }
        }
        _ => Vec::new(),
    })
}
