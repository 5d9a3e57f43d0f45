//! Sequential consistency: is there one total order of the operations that respects each
//! client's program order (real time between clients is ignored) and that the model
//! accepts?
//!
//! Program order: an operation comes after every earlier (by `invoke_us`) *ok* operation of
//! the same client. An operation with an unknown outcome may take effect anywhere after
//! those, even after the client's later operations (the request may still be in flight), or
//! never. Sequential consistency is not compositional, so the whole history is searched
//! with the whole model (no partitioning): a depth-first search over orders, memoizing
//! (set of placed operations, state), bounded by an operation count and a step budget.
//!
//! Before and during the search, [`client_order`]'s relaxation (each client's remaining
//! operations against every remaining operation of the others, reusable) refutes what no
//! interleaving can explain: on the whole history first (a client's own order that cannot
//! hold, reported with [`SequentialResult::refuted_by_client`]), then at every node that
//! changed the state (pruning it). On Jepsen-style register histories this decides every
//! violation before the search and keeps the search small when the history is
//! sequentially consistent (`tests/sequential_register.rs`).

mod client_order;
pub use client_order::RELAX_STATES_MAX;

use crate::linear::{PlacedOp, Progress, StuckOp, Verdict, STUCK_OPS_MAX};
use crate::model::{Model, Operation};
use crate::words::{words, Word, WordCase, Words};
use serde::Serialize;

/// The sequential-consistency verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SequentialResult {
    /// Ok, violated, or unknown (too large, or out of budget).
    pub verdict: Verdict,
    /// Steps spent (model steps tried).
    pub steps: u64,
    /// For `Ok`: one witness order (operation ids). Empty when implied by linearizability.
    pub order: Vec<u64>,
    /// For `Violated`: the longest order found and what cannot come next.
    pub longest: Vec<PlacedOp>,
    /// For `Violated`: the operations that could come next in program order, and why not.
    pub stuck: Vec<StuckOp>,
    /// Why: too large, out of budget, implied by linearizability, or the violation text.
    pub reason: Option<String>,
    /// For `Violated` found by one client's own order ([`client_order`]): that client;
    /// `stuck` then holds its operation that cannot come, `longest` its earlier ones.
    pub refuted_by_client: Option<u64>,
    /// For `Violated`: one to three sentences naming the operations, their clients and
    /// times ([`crate::plain`]; filled by [`crate::check_history`]).
    pub plain: Option<String>,
    /// The same as data, for a page to word in its reader's language.
    pub plain_words: Option<Words>,
}

/// Searches for a sequentially consistent order of `ops` (failed operations already
/// dropped). Gives `Unknown` when there are more than `ops_max` operations or the search
/// needs more than `steps_max` steps.
pub fn check_sequential<M: Model>(
    model: &M,
    ops: &[Operation<M::Input, M::Output>],
    ops_max: usize,
    steps_max: u64,
    progress: &mut dyn FnMut(&Progress),
) -> SequentialResult {
    let mut r = unknown(ops.len(), ops_max);
    if r.reason.is_some() {
        return r;
    }
    let mut order: Vec<usize> = (0..ops.len()).collect();
    crate::model::sort_by_invocation(ops, &mut order);
    let ops: Vec<&Operation<M::Input, M::Output>> = order.iter().map(|&i| &ops[i]).collect();
    let n = ops.len();
    let table = client_order::Table::new(model, &ops, &mut r.steps);
    if let Some(f) = table.as_ref().and_then(|t| {
        let none = vec![0u64; n.div_ceil(64).max(1)];
        t.first_stuck(0, &none)
    }) {
        return refuted(
            model,
            &ops,
            table.as_ref().expect("stuck from a table"),
            f,
            r,
        );
    }
    // Why the node (state, placed) cannot be completed, as far as the relaxation sees
    // (`None`: it may be, or there is no table).
    let stuck_at = |state: &M::State, placed: &[u64]| {
        let t = table.as_ref()?;
        t.first_stuck(t.index(state)?, placed)
    };
    let mut best_stuck: Option<client_order::Stuck> = None;
    // pred[i]: the client's latest earlier ok operation.
    let pred = crate::linear::client_predecessors(&ops);
    let words = n.div_ceil(64).max(1);
    let mut placed = vec![0u64; words];
    let is_placed = |p: &[u64], i: usize| p[i / 64] & (1 << (i % 64)) != 0;
    // The memo: per (placed ok operations, state), the sets of placed unknown operations
    // seen. A node is dominated by a seen one with the same ok operations and state and
    // fewer unknown ones placed (those may still be placed later or never): whatever
    // completes it completes the seen one, which failed or is being searched.
    let mut unknown_mask = vec![0u64; words];
    for (i, o) in ops.iter().enumerate() {
        if o.output.is_none() {
            unknown_mask[i / 64] |= 1 << (i % 64);
        }
    }
    let mut cache: Memo<M::State> = Memo::with_hasher(foldhash::fast::FixedState::default());
    let mut seen = |placed: &[u64], state: &M::State| -> bool {
        let ok: Box<[u64]> = placed
            .iter()
            .zip(&unknown_mask)
            .map(|(p, m)| p & !m)
            .collect();
        let unknown: Box<[u64]> = placed
            .iter()
            .zip(&unknown_mask)
            .map(|(p, m)| p & m)
            .collect();
        let sets = cache.entry((ok, state.clone())).or_default();
        if sets
            .iter()
            .any(|s| s.iter().zip(unknown.iter()).all(|(a, b)| a & !b == 0))
        {
            return true;
        }
        sets.push(unknown);
        false
    };
    let mut ok_left = ops.iter().filter(|o| o.output.is_some()).count();
    let mut state = model.init();
    let mut best: Vec<(usize, M::State)> = Vec::new();
    let mut j = 0usize;
    let report = |progress: &mut dyn FnMut(&Progress), steps: u64, k: usize| {
        progress(&Progress {
            checker: "sequential",
            partition_index: 0,
            partitions: 1,
            partition: String::new(),
            steps,
            steps_max,
            linearized: k,
            ops: n,
        })
    };
    // A read (or a cas that did not swap) whose client is ready and that the model accepts
    // now is placed at once without alternatives: in any completion it can be moved here
    // (no real time, it changes nothing, its client's earlier operations are placed). So
    // after each push the search first looks for such an operation ("forced"); if the
    // node it leads to was seen, the node fails.
    let free: Vec<bool> = ops
        .iter()
        .map(|o| o.output.is_some() && model.preserves_state(&o.input, o.output.as_ref()))
        .collect();
    // Unknown operations no later operation of their client depends on (Jepsen retires a
    // process after one): two unplaced ones with the same input are interchangeable, so
    // only the first is tried. `twin[i]`: the previous such operation with i's input.
    let has_successor: Vec<bool> = {
        let mut h = vec![false; n];
        for p in pred.iter().flatten() {
            h[*p] = true;
        }
        // An unknown op is followed by every later op of its client.
        let mut last_of_client = std::collections::BTreeMap::new();
        for (i, o) in ops.iter().enumerate() {
            if let Some(&prev) = last_of_client.get(&o.client) {
                h[prev] = true;
            }
            last_of_client.insert(o.client, i);
        }
        h
    };
    let twin: Vec<Option<usize>> = (0..n)
        .map(|i| {
            if ops[i].output.is_some() || has_successor[i] {
                return None;
            }
            (0..i).rev().find(|&k| {
                ops[k].output.is_none() && !has_successor[k] && ops[k].input == ops[i].input
            })
        })
        .collect();
    // Candidates are tried in completion order (unknown outcomes last), not invocation
    // order: a history from a real store is mostly linearizable, and an operation's
    // completion bounds when it took effect, so this order is the likelier witness. On the
    // bench's register histories it cut the worst search from 77,559 steps to 5,577.
    let mut perm: Vec<usize> = (0..n).collect();
    util::sort::sort_by_key(&mut perm, |&i| (ops[i].complete_us.unwrap_or(u64::MAX), i));
    // pos[i]: where operation i comes in `perm` (backtracking resumes after it).
    let mut pos = vec![0usize; n];
    for (k, &i) in perm.iter().enumerate() {
        pos[i] = k;
    }
    let mut scan_free = true;
    // (op, state before, forced)
    let mut stack: Vec<(usize, M::State, bool)> = Vec::new();
    loop {
        if ok_left == 0 {
            report(progress, r.steps, stack.len());
            r.verdict = Verdict::Ok;
            r.order = stack.iter().map(|(i, _, _)| ops[*i].id).collect();
            return r;
        }
        let mut pushed: Option<(usize, M::State, bool)> = None;
        let mut node_fails = false;
        if scan_free {
            scan_free = false;
            for i in 0..n {
                if !free[i]
                    || is_placed(&placed, i)
                    || pred[i].is_some_and(|p| !is_placed(&placed, p))
                {
                    continue;
                }
                if r.steps >= steps_max {
                    report(progress, r.steps, stack.len());
                    r.reason = Some(format!("the step budget ran out after {} steps", r.steps));
                    return r;
                }
                r.steps += 1;
                if model
                    .step(&state, &ops[i].input, ops[i].output.as_ref())
                    .is_some()
                {
                    placed[i / 64] |= 1 << (i % 64);
                    // A state-preserving step keeps a completable node completable (the
                    // relaxation only loosens), so no check here.
                    if !seen(&placed, &state) {
                        pushed = Some((i, state.clone(), true));
                    } else {
                        placed[i / 64] &= !(1 << (i % 64));
                        node_fails = true;
                    }
                    break;
                }
            }
            if pushed.is_none() && !node_fails {
                j = 0;
            }
        }
        // Else find the next placeable operation at position >= j of `perm`.
        while pushed.is_none() && !node_fails && j < n {
            let i = perm[j];
            j += 1;
            if is_placed(&placed, i) || pred[i].is_some_and(|p| !is_placed(&placed, p)) {
                continue;
            }
            // Its twin is ready too (same client rule: no successor, so only the
            // predecessor matters) and would do the same.
            if twin[i].is_some_and(|t| {
                !is_placed(&placed, t) && pred[t].is_none_or(|p| is_placed(&placed, p))
            }) {
                continue;
            }
            if r.steps >= steps_max {
                report(progress, r.steps, stack.len());
                r.reason = Some(format!("the step budget ran out after {} steps", r.steps));
                return r;
            }
            r.steps += 1;
            if r.steps % crate::linear::PROGRESS_EVERY_STEPS == 0 {
                report(progress, r.steps, stack.len());
            }
            let Some(next) = model.step(&state, &ops[i].input, ops[i].output.as_ref()) else {
                continue;
            };
            // An unknown operation that changes nothing is the same as leaving it out.
            if ops[i].output.is_none() && next == state {
                continue;
            }
            placed[i / 64] |= 1 << (i % 64);
            if seen(&placed, &next) {
                placed[i / 64] &= !(1 << (i % 64));
                continue;
            }
            if let Some(f) = stuck_at(&next, &placed) {
                // The deepest such node is the evidence of a violation.
                if stack.len() + 1 > best.len() {
                    best = order_of(&stack, &state);
                    best.push((i, next.clone()));
                    best_stuck = Some(f);
                }
                placed[i / 64] &= !(1 << (i % 64));
                continue;
            }
            pushed = Some((i, next, false));
        }
        if let Some((i, next, forced)) = pushed {
            let before = std::mem::replace(&mut state, next);
            stack.push((i, before, forced));
            if ops[i].output.is_some() {
                ok_left -= 1;
            }
            if stack.len() > best.len() {
                best = order_of(&stack, &state);
                best_stuck = None;
            }
            scan_free = true;
            continue;
        }
        // Backtrack: undo the last choice; a forced one fails its node too.
        let mut exhausted = false;
        loop {
            let Some((i, before, forced)) = stack.pop() else {
                exhausted = true;
                break;
            };
            state = before;
            placed[i / 64] &= !(1 << (i % 64));
            if ops[i].output.is_some() {
                ok_left += 1;
            }
            if !forced {
                j = pos[i] + 1;
                break;
            }
        }
        if exhausted {
            break;
        }
    }
    // Violated: explain from the longest order.
    report(progress, r.steps, 0);
    r.verdict = Verdict::Violated;
    let init = model.init();
    let end_state = best.last().map_or(&init, |(_, s)| s);
    let mut done = vec![false; n];
    for (i, s) in &best {
        done[*i] = true;
        r.longest.push(PlacedOp {
            id: ops[*i].id,
            op: model.describe_operation(&ops[*i].input, ops[*i].output.as_ref()),
            state_after: model.describe_state(s),
        });
    }
    let relaxed = best_stuck.is_some();
    if let (Some(f), Some(t)) = (best_stuck, &table) {
        // The longest order ends in a node the relaxation refutes: that is the evidence.
        let o = ops[f.op];
        r.stuck.push(StuckOp::new(
            o.id,
            model.describe_operation(&o.input, o.output.as_ref()),
            relaxed_reason(model, t, &f, o, true),
        ));
    }
    for i in 0..n {
        if relaxed {
            break;
        }
        if done[i] || pred[i].is_some_and(|p| !done[p]) || r.stuck.len() >= STUCK_OPS_MAX {
            continue;
        }
        let reason = match model.step(end_state, &ops[i].input, ops[i].output.as_ref()) {
            None => model.why_rejected(end_state, &ops[i].input, ops[i].output.as_ref()),
            Some(s) => words!(NoOrderContinues, model.describe_state(&s)),
        };
        r.stuck.push(StuckOp::new(
            ops[i].id,
            model.describe_operation(&ops[i].input, ops[i].output.as_ref()),
            reason,
        ));
    }
    r.reason = Some(violation_text(&r.longest, &r.stuck));
    r
}

/// The verdict from a client's own order ([`client_order`]).
fn refuted<M: Model>(
    model: &M,
    ops: &[&Operation<M::Input, M::Output>],
    table: &client_order::Table<M::State>,
    f: client_order::Stuck,
    mut r: SequentialResult,
) -> SequentialResult {
    r.verdict = Verdict::Violated;
    r.refuted_by_client = Some(f.client);
    let earlier = table.earlier(f.op);
    for &i in earlier {
        r.longest.push(PlacedOp {
            id: ops[i].id,
            op: model.describe_operation(&ops[i].input, ops[i].output.as_ref()),
            state_after: String::new(),
        });
    }
    let o = ops[f.op];
    let reason = relaxed_reason(model, table, &f, o, false);
    r.stuck.push(StuckOp::new(
        o.id,
        model.describe_operation(&o.input, o.output.as_ref()),
        reason.clone(),
    ));
    r.reason = Some(format!(
        "Client {}'s own order cannot hold: #{} {} comes after its {} earlier operations, and {reason}.",
        f.client,
        o.id,
        r.stuck[0].op,
        earlier.len()
    ));
    r
}

/// Why the relaxation refutes `f` (its operation `o`): the states left possible, and why
/// none fits. `after_order`: the refuted node ends the longest order (else it is the start).
fn relaxed_reason<M: Model>(
    model: &M,
    table: &client_order::Table<M::State>,
    f: &client_order::Stuck,
    o: &Operation<M::Input, M::Output>,
    after_order: bool,
) -> Words {
    let possible: Vec<&M::State> = (0..table.states.len())
        .filter(|k| f.possible & (1 << k) != 0)
        .map(|k| &table.states[k])
        .collect();
    let states: Vec<String> = possible.iter().map(|s| model.describe_state(s)).collect();
    let why = possible.first().map_or(Word::Text(String::new()), |s| {
        model.why_rejected(s, &o.input, o.output.as_ref()).into()
    });
    let case = if after_order {
        WordCase::RelaxedAfterOrder
    } else {
        WordCase::Relaxed
    };
    Words::new(
        case,
        vec![f.client.to_string().into(), Word::Either(states), why],
    )
}

/// (operation, state after) along the search stack, `state` the current one.
fn order_of<S: Clone>(stack: &[(usize, S, bool)], state: &S) -> Vec<(usize, S)> {
    stack
        .iter()
        .enumerate()
        .map(|(k, (op, _, _))| {
            let after = if k + 1 < stack.len() {
                stack[k + 1].1.clone()
            } else {
                state.clone()
            };
            (*op, after)
        })
        .collect()
}

/// The memo of the search (membership only: its iteration order never reaches a result).
type Memo<S> = hashbrown::HashMap<(Box<[u64]>, S), Vec<Box<[u64]>>, foldhash::fast::FixedState>;

// Model-independent parts, outside the generic function: one copy, not one per model.

/// The result before searching: unknown, with a reason when there are too many operations.
fn unknown(ops: usize, ops_max: usize) -> SequentialResult {
    SequentialResult {
        verdict: Verdict::Unknown,
        steps: 0,
        order: Vec::new(),
        longest: Vec::new(),
        stuck: Vec::new(),
        plain: None,
        plain_words: None,
        refuted_by_client: None,
        reason: (ops > ops_max).then(|| {
            format!(
                "too large: {ops} operations, the sequential-consistency search is limited to {ops_max}"
            )
        }),
    }
}

/// The reason of a violation.
fn violation_text(longest: &[PlacedOp], stuck: &[StuckOp]) -> String {
    let placed_txt: Vec<String> = longest
        .iter()
        .map(|p| format!("#{} {} (state {})", p.id, p.op, p.state_after))
        .collect();
    let stuck_txt: Vec<String> = stuck
        .iter()
        .map(|s| format!("#{} {}: {}", s.id, s.op, s.reason))
        .collect();
    format!(
        "No order respecting each client's program order explains the answers. The longest such order places {} operations: {}. Nothing can come next: {}.",
        longest.len(),
        if placed_txt.is_empty() { "none".to_string() } else { placed_txt.join(", ") },
        stuck_txt.join("; ")
    )
}
