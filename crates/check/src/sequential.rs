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

use crate::linear::{PlacedOp, Progress, StuckOp, Verdict, STUCK_OPS_MAX};
use crate::model::{Model, Operation};
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
    // pred[i]: the client's latest earlier ok operation.
    let pred = crate::linear::client_predecessors(&ops);
    let words = n.div_ceil(64).max(1);
    let mut placed = vec![0u64; words];
    let is_placed = |p: &[u64], i: usize| p[i / 64] & (1 << (i % 64)) != 0;
    let mut cache: hashbrown::HashSet<(Box<[u64]>, M::State), foldhash::fast::FixedState> =
        hashbrown::HashSet::with_hasher(foldhash::fast::FixedState::default());
    let mut ok_left = ops.iter().filter(|o| o.output.is_some()).count();
    let mut state = model.init();
    let mut stack: Vec<(usize, M::State)> = Vec::new();
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
    loop {
        if ok_left == 0 {
            report(progress, r.steps, stack.len());
            r.verdict = Verdict::Ok;
            r.order = stack.iter().map(|(i, _)| ops[*i].id).collect();
            return r;
        }
        // Find the next placeable operation at index >= j.
        let mut pushed = false;
        while j < n {
            let i = j;
            j += 1;
            if is_placed(&placed, i) || pred[i].is_some_and(|p| !is_placed(&placed, p)) {
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
            placed[i / 64] |= 1 << (i % 64);
            if !cache.insert((placed.clone().into_boxed_slice(), next.clone())) {
                placed[i / 64] &= !(1 << (i % 64));
                continue;
            }
            let before = std::mem::replace(&mut state, next);
            stack.push((i, before));
            if ops[i].output.is_some() {
                ok_left -= 1;
            }
            if stack.len() > best.len() {
                best = stack
                    .iter()
                    .enumerate()
                    .map(|(k, (op, _))| {
                        let after = if k + 1 < stack.len() {
                            stack[k + 1].1.clone()
                        } else {
                            state.clone()
                        };
                        (*op, after)
                    })
                    .collect();
            }
            pushed = true;
            j = 0;
            break;
        }
        if pushed {
            continue;
        }
        let Some((i, before)) = stack.pop() else {
            break;
        };
        state = before;
        placed[i / 64] &= !(1 << (i % 64));
        if ops[i].output.is_some() {
            ok_left += 1;
        }
        j = i + 1;
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
    for i in 0..n {
        if done[i] || pred[i].is_some_and(|p| !done[p]) || r.stuck.len() >= STUCK_OPS_MAX {
            continue;
        }
        let reason = match model.step(end_state, &ops[i].input, ops[i].output.as_ref()) {
            None => model.why_rejected(end_state, &ops[i].input, ops[i].output.as_ref()),
            Some(s) => format!(
                "it could take effect (state {}) but no order of the rest continues from there",
                model.describe_state(&s)
            ),
        };
        r.stuck.push(StuckOp {
            id: ops[i].id,
            op: model.describe_operation(&ops[i].input, ops[i].output.as_ref()),
            reason,
        });
    }
    r.reason = Some(violation_text(&r.longest, &r.stuck));
    r
}

// Model-independent parts, outside the generic function: one copy, not one per model.

/// The result before searching: unknown, with a reason when there are too many operations.
fn unknown(ops: usize, ops_max: usize) -> SequentialResult {
    SequentialResult {
        verdict: Verdict::Unknown,
        steps: 0,
        order: Vec::new(),
        longest: Vec::new(),
        stuck: Vec::new(),
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
