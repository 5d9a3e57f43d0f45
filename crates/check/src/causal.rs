//! Causal consistency of put/get histories: causal memory (Ahamad, Neiger, Burns, Kohli
//! and Hutto, 1995).
//!
//! # Definition
//!
//! The *causal order* is the transitive closure of
//! - **program order**: an operation comes after every earlier (by `invoke_us`) *ok*
//!   operation of its client (an operation with an unknown outcome may still take effect
//!   later, so nothing of its client comes after it), and
//! - **writes-into**: a `put(k, v)` comes before every `get(k)` that returned `v`.
//!
//! The history is causally consistent when the causal order has no cycle and, for every
//! client `c`, the operations of `c` together with *all* writes can be put in one order
//! that extends the causal order and in which every read of `c` returns the latest write of
//! its key before it (`nil` when there is none). Clients may disagree on the order of
//! concurrent writes; real time is ignored.
//!
//! # Assumptions
//!
//! - Only `put` and `get` (a `cas` or `append` reads and writes at once): otherwise the
//!   verdict is `unknown`.
//! - Written values are unique per key, so a read names the write it saw; otherwise
//!   `unknown`.
//! - Failed operations are dropped; a `get` with an unknown outcome answered nothing and is
//!   dropped; a `put` with an unknown outcome is a write every client may see (or never:
//!   a write no read depends on can always come last, so including it changes nothing).
//!
//! # Work
//!
//! At most [`CAUSAL_OPS_MAX_DEFAULT`] operations (the causal order is a bit matrix) and a
//! budget of search steps (one step: one operation placed in a client's view), beyond which
//! the verdict is `unknown`. The per-client search places a read as soon as it can return
//! its value (moving a read earlier never hurts), branches only over the writes in the
//! causal past of the client's remaining reads (the others can go last) and memoizes
//! (placed set, latest write per key).

use crate::linear::Verdict;
use crate::model::{KvCall, KvInput, KvOutput, Operation};
use crate::plain::{call_words, ms};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

type KvOp = Operation<KvInput, KvOutput>;

/// Default operation limit of the causal check.
pub const CAUSAL_OPS_MAX_DEFAULT: usize = 200;
/// Default step budget of the causal check (all clients together).
pub const CAUSAL_STEPS_MAX_DEFAULT: u64 = 2_000_000;

/// The causal-consistency verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CausalResult {
    /// Ok, violated, or unknown (see `reason`).
    pub verdict: Verdict,
    /// Steps spent (operations placed in client views).
    pub steps: u64,
    /// The budget.
    pub steps_max: u64,
    /// For `Violated`: the client whose view cannot be ordered (`None` for a causal cycle
    /// or a value nobody wrote).
    pub client: Option<u64>,
    /// For `Violated`: the operations of the evidence (ids), in the order the words use.
    pub ops: Vec<u64>,
    /// For `Unknown`: why (not put/get only, values not unique, too large, budget); `Ok`
    /// implied by sequential consistency says so here.
    pub reason: Option<String>,
    /// For `Violated`: one or two sentences naming the operations, clients and times.
    pub plain: Option<String>,
}

impl CausalResult {
    fn new(verdict: Verdict, steps_max: u64) -> Self {
        CausalResult {
            verdict,
            steps: 0,
            steps_max,
            client: None,
            ops: Vec::new(),
            reason: None,
            plain: None,
        }
    }

    /// `Ok` without a search, because a stronger model holds.
    pub fn implied(by: &str) -> Self {
        let mut r = CausalResult::new(Verdict::Ok, 0);
        r.reason = Some(format!("implied by {by}"));
        r
    }

    /// `Unknown`, "not checked" ([`crate::check_history_without_causal`]).
    pub fn not_checked() -> Self {
        CausalResult::unknown(0, "not checked here".to_string())
    }

    fn unknown(steps_max: u64, reason: String) -> Self {
        let mut r = CausalResult::new(Verdict::Unknown, steps_max);
        r.reason = Some(reason);
        r
    }
}

/// A fixed-size bit set over operation indexes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64).max(1)])
    }
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn or(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
    fn subset_of(&self, o: &Bits) -> bool {
        self.0.iter().zip(&o.0).all(|(a, b)| a & !b == 0)
    }
}

/// The prepared history: operations in invocation order, their keys, who wrote what, and
/// the causal order.
struct Causal<'a> {
    ops: Vec<&'a KvOp>,
    key_of: Vec<usize>,
    /// For a read: the write it saw (`None`: it read nil).
    read_from: Vec<Option<usize>>,
    /// `before[i]`: the operations causally before `i` (transitively).
    before: Vec<Bits>,
    /// Direct edges (program order to the client's latest earlier ok op, writes-into).
    direct: Vec<Vec<usize>>,
}

fn is_read(o: &KvOp) -> bool {
    matches!(o.input.call, KvCall::Get)
}

fn written(o: &KvOp) -> Option<&Arc<str>> {
    match &o.input.call {
        KvCall::Put(v) => Some(v),
        _ => None,
    }
}

fn read_value(o: &KvOp) -> Option<&Arc<str>> {
    match &o.output {
        Some(KvOutput::Value(v)) => v.as_ref(),
        _ => None,
    }
}

/// `c2's get(x) #4 at 3.0 ms` (with `-> v` for a read).
fn words(o: &KvOp) -> String {
    let got = if is_read(o) {
        format!(
            " -> {}",
            read_value(o).map_or("nil".to_string(), |v| v.to_string())
        )
    } else {
        String::new()
    };
    format!(
        "c{}'s {}{got} #{} at {}",
        o.client,
        call_words(&o.input),
        o.id,
        ms(o.invoke_us)
    )
}

/// Prepares `ops` (failed ones already dropped), or says why the check does not apply:
/// `Err(Ok(result))` a decided violation, `Err(Err(reason))` not decidable here.
fn prepare<'a>(
    ops: &'a [KvOp],
    ops_max: usize,
) -> Result<Causal<'a>, Result<CausalResult, String>> {
    let mut live: Vec<&KvOp> = ops
        .iter()
        .filter(|o| !(is_read(o) && o.output.is_none()))
        .collect();
    if let Some(o) = live
        .iter()
        .find(|o| matches!(o.input.call, KvCall::Cas(..) | KvCall::Append(_)))
    {
        return Err(Err(format!(
            "the causal check covers put and get only; #{} is {}",
            o.id,
            call_words(&o.input)
        )));
    }
    if live.len() > ops_max {
        return Err(Err(format!(
            "too large: {} operations, at most {ops_max}",
            live.len()
        )));
    }
    util::sort::sort_by_key(&mut live, |o| (o.invoke_us, o.id));
    let n = live.len();
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let key_of: Vec<usize> = live
        .iter()
        .map(|o| {
            let k = keys.len();
            *keys.entry(&o.input.key).or_insert(k)
        })
        .collect();
    let mut writer: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for (i, o) in live.iter().enumerate() {
        if let Some(v) = written(o) {
            if let Some(&j) = writer.get(&(key_of[i], &**v)) {
                return Err(Err(format!(
                    "written values are not unique: #{} and #{} both write {}={v}",
                    live[j].id, o.id, o.input.key
                )));
            }
            writer.insert((key_of[i], v), i);
        }
    }
    let mut read_from = vec![None; n];
    let mut direct: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, o) in live.iter().enumerate() {
        if !is_read(o) {
            continue;
        }
        if let Some(v) = read_value(o) {
            let Some(&w) = writer.get(&(key_of[i], &**v)) else {
                let mut r = CausalResult::new(Verdict::Violated, 0);
                r.ops = vec![o.id];
                r.plain = Some(format!(
                    "{} returned {v}, which no operation wrote.",
                    words(o)
                ));
                return Err(Ok(r));
            };
            read_from[i] = Some(w);
            direct[i].push(w);
        }
    }
    // Program order: each operation after its client's latest earlier ok operation (that
    // one is after the earlier ones, so the closure covers them).
    let mut last_ok: BTreeMap<u64, usize> = BTreeMap::new();
    for (i, o) in live.iter().enumerate() {
        if let Some(&p) = last_ok.get(&o.client) {
            direct[i].push(p);
        }
        if o.output.is_some() {
            last_ok.insert(o.client, i);
        }
    }
    // The closure, by a fixpoint over the direct edges (n is bounded; edges point to any
    // index, reads-from may point forward in invocation order).
    let mut before: Vec<Bits> = vec![Bits::new(n); n];
    let mut changed = true;
    let mut rounds = 0usize;
    while changed && rounds <= n + 1 {
        changed = false;
        rounds += 1;
        for i in 0..n {
            let mut b = before[i].clone();
            for &p in &direct[i] {
                b.set(p);
                let bp = before[p].clone();
                b.or(&bp);
            }
            if b != before[i] {
                before[i] = b;
                changed = true;
            }
        }
    }
    let c = Causal {
        ops: live,
        key_of,
        read_from,
        before,
        direct,
    };
    if let Some(i) = (0..n).find(|&i| c.before[i].get(i)) {
        let cycle = c.path(i, i);
        let mut r = CausalResult::new(Verdict::Violated, 0);
        r.ops = cycle.iter().map(|&k| c.ops[k].id).collect();
        let chain: Vec<String> = cycle.iter().map(|&k| words(c.ops[k])).collect();
        r.plain = Some(format!(
            "The causal order has a cycle: {}. Each comes after the previous one in its client's order or reads its value, so none can come first.",
            chain.join(" → ")
        ));
        return Err(Ok(r));
    }
    Ok(c)
}

impl Causal<'_> {
    /// A shortest chain of direct edges from `from` to `to` (`from` causally before `to`),
    /// both included.
    fn path(&self, from: usize, to: usize) -> Vec<usize> {
        // Breadth-first backwards from `to` along direct edges.
        let n = self.ops.len();
        let mut next: Vec<Option<usize>> = vec![None; n];
        let mut queue = std::collections::VecDeque::from([to]);
        let mut seen = Bits::new(n);
        while let Some(x) = queue.pop_front() {
            for &p in &self.direct[x] {
                if p == from {
                    let mut out = vec![from, x];
                    let mut y = x;
                    while y != to {
                        y = next[y].expect("on the path");
                        out.push(y);
                    }
                    return out;
                }
                if !seen.get(p) {
                    seen.set(p);
                    next[p] = Some(x);
                    queue.push_back(p);
                }
            }
        }
        vec![from, to]
    }

    /// A read of `c` that sees a value overwritten in its causal past (or nil although a
    /// write of its key is in its causal past): the common, certain violation, in words.
    fn overwritten_read(&self, client: u64) -> Option<CausalResult> {
        for (r, o) in self.ops.iter().enumerate() {
            if o.client != client || !is_read(o) {
                continue;
            }
            let w = self.read_from[r];
            let Some(later) = (0..self.ops.len()).find(|&x| {
                written(self.ops[x]).is_some()
                    && self.key_of[x] == self.key_of[r]
                    && Some(x) != w
                    && self.before[r].get(x)
                    && w.is_none_or(|w| self.before[x].get(w))
            }) else {
                continue;
            };
            let mut res = CausalResult::new(Verdict::Violated, 0);
            res.client = Some(client);
            let chain = self.path(later, r);
            let chain_words: Vec<String> = chain.iter().map(|&k| words(self.ops[k])).collect();
            res.plain = Some(match w {
                Some(w) => {
                    res.ops = [w, later, r].iter().map(|&k| self.ops[k].id).collect();
                    format!(
                        "{} read the value of c{}'s {} #{}, but {} overwrote it and comes causally before the read ({}), so c{} can no longer read {}.",
                        words(o),
                        self.ops[w].client,
                        call_words(&self.ops[w].input),
                        self.ops[w].id,
                        words(self.ops[later]),
                        chain_words.join(" → "),
                        client,
                        read_value(o).map_or("nil".to_string(), |v| v.to_string())
                    )
                }
                None => {
                    res.ops = [later, r].iter().map(|&k| self.ops[k].id).collect();
                    format!(
                        "{} read nil, but {} comes causally before it ({}), so c{} can no longer read nil.",
                        words(o),
                        words(self.ops[later]),
                        chain_words.join(" → "),
                        client
                    )
                }
            });
            return Some(res);
        }
        None
    }

    /// Searches an order of `client`'s view; `Some(true)` found, `Some(false)` none, `None`
    /// out of budget. The longest prefix found goes to `longest`.
    fn view(
        &self,
        client: u64,
        steps: &mut u64,
        steps_max: u64,
        longest: &mut Vec<usize>,
    ) -> Option<bool> {
        let n = self.ops.len();
        let reads: Vec<usize> = (0..n)
            .filter(|&i| self.ops[i].client == client && is_read(self.ops[i]))
            .collect();
        // Writes that may have to come before a remaining read: those in the causal past
        // of the client's reads. Any other write can go after every read.
        let mut relevant = Bits::new(n);
        for &r in &reads {
            relevant.or(&self.before[r]);
        }
        let writes: Vec<usize> = (0..n)
            .filter(|&i| written(self.ops[i]).is_some() && relevant.get(i))
            .collect();
        let keys = self.key_of.iter().copied().max().map_or(0, |k| k + 1);
        // The view's members: the client's operations and all writes; a member can be
        // placed when its causal predecessors among the members are placed.
        let mut member = Bits::new(n);
        for i in 0..n {
            if self.ops[i].client == client || written(self.ops[i]).is_some() {
                member.set(i);
            }
        }
        let preds: Vec<Bits> = (0..n)
            .map(|i| {
                let mut b = self.before[i].clone();
                for (x, m) in b.0.iter_mut().zip(&member.0) {
                    *x &= m;
                }
                b
            })
            .collect();
        let mut placed = Bits::new(n);
        let mut state: Vec<Option<usize>> = vec![None; keys];
        let mut seen: hashbrown::HashSet<(Bits, Vec<Option<usize>>), foldhash::fast::FixedState> =
            hashbrown::HashSet::with_hasher(foldhash::fast::FixedState::default());
        // (op placed, state of its key before, next write alternative to try)
        let mut stack: Vec<(usize, Option<usize>, usize)> = Vec::new();
        let mut reads_left = reads.len();
        let mut alt_from = 0usize;
        let ready = |placed: &Bits, i: usize| !placed.get(i) && preds[i].subset_of(placed);
        loop {
            if reads_left == 0 {
                return Some(true);
            }
            if stack.len() > longest.len() {
                *longest = stack.iter().map(|s| s.0).collect();
            }
            // A read that can return its value now goes now.
            let forced = reads
                .iter()
                .copied()
                .find(|&r| ready(&placed, r) && state[self.key_of[r]] == self.read_from[r]);
            let choice = match forced {
                Some(r) => Some((r, usize::MAX)),
                None if alt_from == 0 && !seen.insert((placed.clone(), state.clone())) => None,
                None => (alt_from..writes.len())
                    .find(|&a| ready(&placed, writes[a]))
                    .map(|a| (writes[a], a + 1)),
            };
            match choice {
                Some((i, next_alt)) => {
                    if *steps >= steps_max {
                        return None;
                    }
                    *steps += 1;
                    let k = self.key_of[i];
                    stack.push((i, state[k], next_alt));
                    placed.set(i);
                    if written(self.ops[i]).is_some() {
                        state[k] = Some(i);
                    } else {
                        reads_left -= 1;
                    }
                    alt_from = 0;
                }
                None => loop {
                    // Backtrack to the latest write choice with an alternative left.
                    let Some((i, prev, next_alt)) = stack.pop() else {
                        return Some(false);
                    };
                    placed.clear(i);
                    state[self.key_of[i]] = prev;
                    if written(self.ops[i]).is_none() {
                        reads_left += 1;
                    }
                    if next_alt != usize::MAX {
                        alt_from = next_alt;
                        break;
                    }
                },
            }
        }
    }
}

/// Checks causal consistency of `ops` (failed operations already dropped).
pub fn check_causal(ops: &[KvOp], ops_max: usize, steps_max: u64) -> CausalResult {
    let c = match prepare(ops, ops_max) {
        Ok(c) => c,
        Err(Ok(mut r)) => {
            r.steps_max = steps_max;
            return r;
        }
        Err(Err(reason)) => return CausalResult::unknown(steps_max, reason),
    };
    let clients: std::collections::BTreeSet<u64> = c.ops.iter().map(|o| o.client).collect();
    let mut steps = 0u64;
    for client in clients {
        let mut longest = Vec::new();
        match c.view(client, &mut steps, steps_max, &mut longest) {
            Some(true) => {}
            None => {
                let mut r = CausalResult::unknown(
                    steps_max,
                    format!("out of budget ({steps_max} steps) in c{client}'s view"),
                );
                r.steps = steps;
                return r;
            }
            Some(false) => {
                let mut r = c.overwritten_read(client).unwrap_or_else(|| {
                    let mut r = CausalResult::new(Verdict::Violated, steps_max);
                    r.client = Some(client);
                    r.ops = longest.iter().map(|&k| c.ops[k].id).collect();
                    let reads: Vec<String> = c
                        .ops
                        .iter()
                        .filter(|o| o.client == client && is_read(o))
                        .map(|o| words(o))
                        .collect();
                    r.plain = Some(format!(
                        "No order of c{client}'s operations and all writes respects the causal order and lets each of its reads ({}) return the latest write; the longest such order places {} operations.",
                        reads.join(", "),
                        longest.len()
                    ));
                    r
                });
                r.steps = steps;
                r.steps_max = steps_max;
                return r;
            }
        }
    }
    let mut r = CausalResult::new(Verdict::Ok, steps_max);
    r.steps = steps;
    r
}
