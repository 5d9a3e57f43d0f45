//! Why a partition is not linearizable: the longest partial linearization the search
//! found, the operations that could come next and why each cannot, and the text for people.

use super::*;

pub(super) fn explain<M: Model>(
    model: &M,
    ops: &[&Operation<M::Input, M::Output>],
    name: &str,
    best: &[(usize, M::State)],
) -> Explanation {
    let init = model.init();
    let state = best.last().map_or(&init, |(_, s)| s);
    let mut placed = vec![false; ops.len()];
    let longest: Vec<PlacedOp> = best
        .iter()
        .map(|(i, s)| {
            placed[*i] = true;
            PlacedOp {
                id: ops[*i].id,
                op: model.describe_operation(&ops[*i].input, ops[*i].output.as_ref()),
                state_after: model.describe_state(s),
            }
        })
        .collect();
    let [first, second] = earliest_completions(ops, &placed);
    let pred = client_predecessors(ops);
    let mut stuck = Vec::new();
    for (i, o) in ops.iter().enumerate() {
        if placed[i] || pred[i].is_some_and(|p| !placed[p]) {
            continue;
        }
        let bound = match (first, second) {
            (Some((_, fi)), s) if fi == i => s.map(|x| x.0),
            (f, _) => f.map(|x| x.0),
        };
        if bound.is_some_and(|b| o.invoke_us > b) {
            continue;
        }
        let reason = match model.step(state, &o.input, o.output.as_ref()) {
            None => model.why_rejected(state, &o.input, o.output.as_ref()),
            Some(s) => crate::words::words!(NoOrderContinues, model.describe_state(&s)),
        };
        if stuck.len() < STUCK_OPS_MAX {
            stuck.push(StuckOp::new(
                o.id,
                model.describe_operation(&o.input, o.output.as_ref()),
                reason,
            ));
        }
    }
    let deadline = first.map(|(c, i)| (ops[i].id, c));
    let ok_ops = ops.iter().filter(|o| o.output.is_some()).count();
    let mut e = Explanation {
        partition: name.to_string(),
        initial_state: model.describe_state(&init),
        longest,
        ok_ops,
        ops: ops.len(),
        stuck,
        deadline_op: deadline.map(|d| d.0),
        deadline_us: deadline.map(|d| d.1),
        text: String::new(),
        plain: String::new(),
        plain_words: None,
    };
    e.text = explanation_text(&e);
    e
}

/// The two earliest completions `(time, local index)` among the operations not placed (the
/// ok ones: unknown ones never complete). Generic over the operation types only, which all
/// models share: one copy.
pub(super) fn earliest_completions<I, O>(
    ops: &[&Operation<I, O>],
    placed: &[bool],
) -> [Option<(u64, usize)>; 2] {
    let mut first: Option<(u64, usize)> = None;
    let mut second: Option<(u64, usize)> = None;
    for (i, o) in ops.iter().enumerate() {
        if placed[i] {
            continue;
        }
        if let Some(c) = o.complete_us {
            let k = (c, i);
            if first.is_none_or(|f| k < f) {
                second = first;
                first = Some(k);
            } else if second.is_none_or(|s| k < s) {
                second = Some(k);
            }
        }
    }
    [first, second]
}

/// The one-paragraph rendering of an explanation.
pub fn explanation_text(e: &Explanation) -> String {
    let mut t = String::new();
    let what = if e.partition.is_empty() {
        "The history".to_string()
    } else {
        format!("Key {}", e.partition)
    };
    t.push_str(&format!("{what} is not linearizable. "));
    if e.longest.is_empty() {
        t.push_str(&format!(
            "No operation can even take effect first (initial state {}).",
            e.initial_state
        ));
    } else {
        let steps: Vec<String> = e
            .longest
            .iter()
            .map(|p| format!("#{} {} (state {})", p.id, p.op, p.state_after))
            .collect();
        t.push_str(&format!(
            "The longest valid order found places {} of its {} operations ({} with outcome ok, which must all be placed): {}.",
            e.longest.len(),
            e.ops,
            e.ok_ops,
            steps.join(", ")
        ));
    }
    if !e.stuck.is_empty() {
        let s: Vec<String> = e
            .stuck
            .iter()
            .map(|s| format!("#{} {}: {}", s.id, s.op, s.reason))
            .collect();
        t.push_str(&format!(" Nothing can come next: {}.", s.join("; ")));
    }
    if let (Some(id), Some(us)) = (e.deadline_op, e.deadline_us) {
        t.push_str(&format!(
            " Operation #{id} completed at {us} us, so it had to take effect before every operation invoked after that, and it cannot."
        ));
    }
    t
}
