//! Plain words: a one-to-three-sentence explanation of a violation that names the
//! operations, their clients and times, and the order that cannot hold.
//!
//! For a read (or a cas that swapped, which read its expected value) the checker looks for
//! a direct contradiction first: a write `w` of another value completed before the read
//! was invoked, and every write of the value read completed before `w` was invoked, so
//! nothing can have written it after `w` ("c2's get(x) at 5.0 ms returned 1, but c1's
//! put(x, 2) completed at 4.2 ms, before c2 asked, and nothing wrote 1 after it"). That
//! contradiction is certain by itself. Keys with appends (values are not single writes)
//! and violations without such a pair get the search's own evidence in words: the
//! operation that completed first among those no valid order can place, and why it cannot
//! come next.

use crate::linear::Explanation;
use crate::model::{KvCall, KvInput, KvOutput, Operation};
use crate::words::{words, Word, Words};
use std::sync::Arc;

type KvOp = Operation<KvInput, KvOutput>;

/// Milliseconds: `4.2 ms`, with more decimals when the time needs them (`0.015 ms`).
/// Integer arithmetic, not `f64`: exact, and the page's module then carries no float
/// formatting code.
pub fn ms(us: u64) -> String {
    let (whole, frac) = (us / 1000, us % 1000);
    if frac % 100 == 0 {
        format!("{whole}.{} ms", frac / 100)
    } else {
        let digits = format!("{frac:03}");
        format!("{whole}.{} ms", digits.trim_end_matches('0'))
    }
}

fn operations(n: usize) -> Words {
    if n == 1 {
        words!(OperationsOne)
    } else {
        words!(Operations, n.to_string())
    }
}

fn show(v: Option<&Arc<str>>) -> String {
    v.map_or("nil".to_string(), |s| s.to_string())
}

/// `put(x, 2)`, `get(x)`, `cas(x, 1, 2)`, `append(x, ab)` (`key` omitted for a register).
pub fn call_words(input: &KvInput) -> String {
    let k = &input.key;
    let sep = if k.is_empty() { "" } else { ", " };
    match &input.call {
        KvCall::Put(v) => format!("put({k}{sep}{v})"),
        KvCall::Get => format!("get({k})"),
        KvCall::Append(v) => format!("append({k}{sep}{v})"),
        KvCall::Cas(e, v) => format!("cas({k}{sep}{}, {v})", show(e.as_ref())),
    }
}

/// `c2's get(x) #4`.
fn who(op: &KvOp) -> Words {
    words!(
        Who,
        op.client.to_string(),
        call_words(&op.input),
        op.id.to_string()
    )
}

/// The value an operation writes if it takes effect: put, or a cas that swapped or may
/// have. `None`: not a write (or an append).
fn written(op: &KvOp) -> Option<&Arc<str>> {
    match (&op.input.call, &op.output) {
        (KvCall::Put(v), _) => Some(v),
        (KvCall::Cas(_, v), Some(KvOutput::Swapped(true)) | None) => Some(v),
        _ => None,
    }
}

/// The value an ok operation observed: a get's answer, or a swapped cas's expected value.
fn observed(op: &KvOp) -> Option<Option<&Arc<str>>> {
    match (&op.input.call, &op.output) {
        (KvCall::Get, Some(KvOutput::Value(v))) => Some(v.as_ref()),
        (KvCall::Cas(e, _), Some(KvOutput::Swapped(true))) => Some(e.as_ref()),
        _ => None,
    }
}

/// A certain contradiction between one read and one write of the partition `ops`.
fn read_contradiction(ops: &[&KvOp]) -> Option<Words> {
    if ops
        .iter()
        .any(|o| matches!(o.input.call, KvCall::Append(_)))
    {
        return None;
    }
    let mut reads: Vec<&KvOp> = ops
        .iter()
        .copied()
        .filter(|o| observed(o).is_some())
        .collect();
    util::sort::sort_by_key(&mut reads, |o| (o.invoke_us, o.id));
    for r in reads {
        let v = observed(r).flatten();
        let writers_of_v: Vec<&KvOp> = ops
            .iter()
            .copied()
            .filter(|o| o.id != r.id && v.is_some() && written(o) == v)
            .collect();
        let answer = match r.input.call {
            KvCall::Get => words!(Returned, show(v)),
            _ => words!(Found, show(v)),
        };
        if v.is_some() && writers_of_v.is_empty() {
            return Some(words!(
                ReadUnwritten,
                who(r),
                ms(r.invoke_us),
                answer,
                show(v)
            ));
        }
        // The latest-completing ok write of another value that precedes the read.
        let w = ops
            .iter()
            .copied()
            .filter(|w| {
                w.output.is_some()
                    && written(w).is_some()
                    && written(w) != v
                    && w.complete_us.is_some_and(|c| c < r.invoke_us)
                    && writers_of_v
                        .iter()
                        .all(|x| x.complete_us.is_some_and(|c| c < w.invoke_us))
            })
            .max_by_key(|w| (w.complete_us, w.id));
        if let Some(w) = w {
            let after = if v.is_none() {
                words!(NothingDeletes)
            } else {
                words!(NothingRewrote, show(v))
            };
            return Some(words!(
                ReadOverwritten,
                who(r),
                ms(r.invoke_us),
                answer,
                who(w),
                ms(w.complete_us.unwrap_or_default()),
                r.client.to_string(),
                after
            ));
        }
    }
    None
}

/// The plain-words explanation of a partition's linearizability violation; `ops` are the
/// partition's searched operations.
pub fn linearizability_words(ops: &[&KvOp], e: &Explanation) -> Words {
    let what = if e.partition.is_empty() {
        words!(TheRegister)
    } else {
        words!(Key, e.partition.as_str())
    };
    if let Some(t) = read_contradiction(ops) {
        return t;
    }
    let by_id = |id: u64| ops.iter().copied().find(|o| o.id == id);
    let last = e.longest.last().and_then(|p| by_id(p.id));
    let before = match last {
        Some(l) => words!(
            LinLongest,
            what,
            operations(e.longest.len()),
            who(l),
            ms(l.invoke_us),
            e.longest
                .last()
                .map_or(String::new(), |p| p.state_after.clone())
        ),
        None => words!(LinNoneFirst, what, e.initial_state.as_str()),
    };
    let Some(d) = e.deadline_op.and_then(by_id) else {
        return before;
    };
    let at = ms(d.complete_us.unwrap_or_default());
    match e.stuck.iter().find(|s| s.id == d.id) {
        Some(s) => words!(LinDeadlineWhy, before, who(d), at, s.why.clone()),
        None => words!(LinDeadline, before, who(d), at),
    }
}

/// The plain-words explanation of a sequential-consistency violation.
pub fn sequential_words(ops: &[KvOp], placed: usize, stuck: &[crate::linear::StuckOp]) -> Words {
    let by_id = |id: u64| ops.iter().find(|o| o.id == id);
    let named: Vec<Words> = stuck
        .iter()
        .take(3)
        .filter_map(|s| {
            by_id(s.id).map(|o| words!(SeqNext, who(o), ms(o.invoke_us), s.why.clone()))
        })
        .collect();
    let next = if named.is_empty() {
        words!(NoneLeft).into()
    } else {
        Word::List(named)
    };
    words!(SeqLongest, operations(placed), next)
}

/// The words for a sequential-consistency violation found in one client's own order
/// ([`crate::SequentialResult::refuted_by_client`]): the operation, the client's latest
/// earlier one, and the states that remain possible.
pub fn sequential_client_words(ops: &[KvOp], r: &crate::SequentialResult) -> Option<Words> {
    let by_id = |id: u64| ops.iter().find(|o| o.id == id);
    let first = r.stuck.first()?;
    let stuck = by_id(first.id)?;
    let answer = match &stuck.output {
        Some(KvOutput::Value(v)) => words!(AnswerReturned, show(v.as_ref())).into(),
        Some(KvOutput::Swapped(true)) => words!(AnswerSwapped).into(),
        Some(KvOutput::Swapped(false)) => words!(AnswerNotSwapped).into(),
        _ => Word::Text(String::new()),
    };
    let after = r
        .longest
        .last()
        .and_then(|p| by_id(p.id))
        .map_or(Word::Text(String::new()), |o| {
            words!(AfterOwn, call_words(&o.input), ms(o.invoke_us)).into()
        });
    Some(words!(
        SeqClient,
        who(stuck),
        ms(stuck.invoke_us),
        answer,
        after,
        first.why.clone()
    ))
}

#[cfg(test)]
mod tests {
    use super::ms;

    #[test]
    fn milliseconds_keep_the_decimals_the_time_needs() {
        assert_eq!(ms(0), "0.0 ms");
        assert_eq!(ms(4_200), "4.2 ms");
        assert_eq!(ms(15), "0.015 ms");
        assert_eq!(ms(1_230), "1.23 ms");
        assert_eq!(ms(12_345_678), "12345.678 ms");
        for us in (0..200_000).step_by(7) {
            let f = if us % 100 == 0 {
                format!("{:.1} ms", us as f64 / 1000.0)
            } else {
                let t = format!("{:.3}", us as f64 / 1000.0);
                format!("{} ms", t.trim_end_matches('0'))
            };
            assert_eq!(ms(us), f, "{us} µs");
        }
    }
}
