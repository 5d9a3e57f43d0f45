//! Per-client session guarantees over a KV history (Terry et al., 1994), per key.
//!
//! # Which write did a read observe?
//!
//! A *write* on key `k` is a `put`, an `append`, or a `cas` that swapped (ok with output
//! `true`) or may have (outcome unknown). A *read* is an ok `get`. The checker identifies
//! the write a read observed from the value it returned, which is decidable when write
//! values are unique:
//!
//! - `null`: the read observed the initial state (no write).
//! - otherwise the *candidates* are the `put`/`cas` writes on `k` whose new value equals
//!   the read value, and the `append` writes on `k` whose (non-empty) argument is a suffix
//!   of it. Exactly one candidate: the read observed that write. None or several: the read
//!   is *not identified* (values are not unique, or no write produced the value).
//!
//! # Which write is older?
//!
//! `w1` is *older* than `w2` (`w1 < w2`) when one of these is evidence that `w1` was
//! applied before `w2`:
//!
//! 1. real time: `w1` completed (ok) before `w2` was invoked. (Assumption: the store
//!    applies acknowledged writes in an order consistent with real time, as a Raft log
//!    does; the guarantees then speak about what reads return.)
//! 2. an append chain: a read value peels, from its end, into identified appends
//!    `... ++ a1 ++ a2` (each suffix identifies one append, the rest identifies the
//!    previous write, at most [`CHAIN_MAX`] writes): each write of the chain is older than
//!    every later one;
//! 3. a cas chain: `w2` is a cas that swapped with `expected` equal to the value put by
//!    `w1` (a put or cas whose value is unique among the key's writes).
//!
//! The initial state is older than every write. Only direct evidence is used (no
//! transitive closure), so every violation reported is certain; some may be missed.
//!
//! # The guarantees (for every client `c` and key `k`)
//!
//! - **Read-your-writes**: a read by `c` observes neither the initial state nor a write
//!   older than any of `c`'s ok writes to `k` that completed before the read was invoked.
//! - **Monotonic reads**: a read by `c` does not observe a write older than what an
//!   earlier read by `c` of `k` observed.
//! - **Monotonic writes**: of two ok writes by `c` to `k`, the earlier one is not applied
//!   after the later one (evidence 2 or 3 reversed).
//! - **Writes-follow-reads**: a write by `c` to `k` invoked after a read by `c` that
//!   observed `w` is not older than `w` (it is applied after what the client saw).
//!
//! Each guarantee is `Violated` with the offending operations, else `Unknown` ("not
//! decidable") when a read it needs could not be identified, else `Ok`.

use crate::history::{show_value, Call, History, Outcome, Output};
use crate::linear::Verdict;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many writes of one read value's append chain give order evidence.
pub const CHAIN_MAX: usize = 16;

/// How many violations are listed per guarantee.
pub const SESSION_VIOLATIONS_MAX: usize = 20;

/// One violated instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionViolation {
    /// The client.
    pub client: u64,
    /// The key.
    pub key: String,
    /// The operations involved (ids), the offending one last.
    pub ops: Vec<u64>,
    /// What happened.
    pub text: String,
}

/// The verdict of one guarantee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuaranteeResult {
    /// `read_your_writes`, `monotonic_reads`, `monotonic_writes`, `writes_follow_reads`.
    pub name: &'static str,
    /// Ok, violated, or unknown (not decidable).
    pub verdict: Verdict,
    /// Up to [`SESSION_VIOLATIONS_MAX`] violations.
    pub violations: Vec<SessionViolation>,
    /// For `Unknown`: why it is not decidable.
    pub reason: Option<String>,
}

/// All four guarantees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionResult {
    /// Violated if any is; else unknown if any is; else ok.
    pub verdict: Verdict,
    /// In the order read-your-writes, monotonic reads, monotonic writes,
    /// writes-follow-reads.
    pub guarantees: Vec<GuaranteeResult>,
}

/// What a read observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    Initial,
    Write(usize),
    /// Not identified (index of the read).
    Unidentified,
}

/// Writes by value: a hash map, since it is only looked up, never iterated (reads look up
/// every suffix of their value).
type ByValue<'h> = hashbrown::HashMap<&'h str, Vec<usize>, foldhash::fast::FixedState>;

/// The writes of one key, by value (indexes into history.operations, ascending).
#[derive(Default)]
struct KeyIndex<'h> {
    /// put/cas value -> writes with it.
    by_value: ByValue<'h>,
    /// append argument (non-empty) -> writes with it.
    appends: ByValue<'h>,
    /// The longest append argument, bytes.
    append_len_max: usize,
}

fn identify(idx: &KeyIndex<'_>, value: Option<&str>) -> Seen {
    let Some(s) = value else { return Seen::Initial };
    let mut found: Option<usize> = None;
    let mut count = 0;
    if let Some(ws) = idx.by_value.get(s) {
        count += ws.len();
        found = ws.first().copied();
    }
    for len in 1..=idx.append_len_max.min(s.len()) {
        let at = s.len() - len;
        if !s.is_char_boundary(at) {
            continue;
        }
        if let Some(ws) = idx.appends.get(&s[at..]) {
            count += ws.len();
            found = ws.first().copied();
        }
    }
    match (count, found) {
        (1, Some(w)) => Seen::Write(w),
        _ => Seen::Unidentified,
    }
}

/// The writes a read value shows, oldest first: peel identified appends off the end
/// (at most [`CHAIN_MAX`]), then the put or cas the rest identifies, if any.
fn append_chain(ops: &[crate::history::Op], idx: &KeyIndex<'_>, value: &str) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut s = value;
    while !s.is_empty() && chain.len() < CHAIN_MAX {
        let Seen::Write(w) = identify(idx, Some(s)) else {
            break;
        };
        if chain.contains(&w) {
            break;
        }
        chain.push(w);
        match &ops[w].call {
            Call::Append { value: a } if s.len() >= a.len() => s = &s[..s.len() - a.len()],
            _ => break,
        }
    }
    chain.reverse();
    chain
}

/// The four session guarantees, in the report's order (each [`SessionResult`] guarantee's
/// `name`).
pub const SESSION_GUARANTEES: [&str; 4] = [
    "read_your_writes",
    "monotonic_reads",
    "monotonic_writes",
    "writes_follow_reads",
];

/// Checks the four guarantees (see the module docs for the definitions).
pub fn check_sessions(h: &History) -> SessionResult {
    let ops = &h.operations;
    let is_write = |i: usize| {
        let o = &ops[i];
        match (&o.call, o.outcome, &o.output) {
            (_, Outcome::Failed, _) | (Call::Get, _, _) => false,
            (Call::Cas { .. }, Outcome::Ok, Some(Output::Swapped(b))) => *b,
            _ => true,
        }
    };
    // The keys' operations; key ids number the keys in name order.
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, o) in ops.iter().enumerate() {
        by_key.entry(o.key.as_str()).or_default().push(i);
    }
    let keys: Vec<&[usize]> = by_key.values().map(Vec::as_slice).collect();
    let mut key_of = vec![0; ops.len()];
    // Each key's writes.
    let index: Vec<KeyIndex<'_>> = keys
        .iter()
        .enumerate()
        .map(|(g, &key_ops)| {
            let mut idx = KeyIndex::default();
            for &i in key_ops {
                key_of[i] = g;
                if !is_write(i) {
                    continue;
                }
                match &ops[i].call {
                    Call::Put { value } | Call::Cas { value, .. } => {
                        idx.by_value.entry(value.as_str()).or_default().push(i);
                    }
                    Call::Append { value } if !value.is_empty() => {
                        idx.appends.entry(value.as_str()).or_default().push(i);
                        idx.append_len_max = idx.append_len_max.max(value.len());
                    }
                    Call::Append { .. } => {}
                    Call::Get => {}
                }
            }
            idx
        })
        .collect();
    // What each read observed (a key without writes: the initial state or nothing).
    let mut seen: Vec<Option<Seen>> = vec![None; ops.len()];
    for (i, o) in ops.iter().enumerate() {
        if let (Call::Get, Outcome::Ok, Some(Output::Value(v))) = (&o.call, o.outcome, &o.output) {
            seen[i] = Some(identify(&index[key_of[i]], v.as_deref()));
        }
    }
    // Evidence edges (older, newer), sorted without repeats. Both writes of an edge are
    // on the same key.
    let mut edges: Vec<(usize, usize)> = Vec::new();
    // Chain evidence: once per key and distinct read value.
    for (idx, &key_ops) in index.iter().zip(&keys) {
        let mut values: BTreeSet<&str> = BTreeSet::new();
        for &i in key_ops {
            if let (Some(Seen::Write(_)), Some(Output::Value(Some(s)))) = (seen[i], &ops[i].output)
            {
                values.insert(s);
            }
        }
        for s in values {
            let chain = append_chain(ops, idx, s);
            for (k, &b) in chain.iter().enumerate() {
                for &a in &chain[..k] {
                    edges.push((a, b));
                }
            }
        }
    }
    // Cas evidence.
    for (i, o) in ops.iter().enumerate() {
        let Call::Cas {
            expected: Some(e), ..
        } = &o.call
        else {
            continue;
        };
        if is_write(i) && o.outcome == Outcome::Ok {
            // The one write that put the expected value.
            if let Some(&[w]) = index[key_of[i]].by_value.get(e.as_str()).map(Vec::as_slice) {
                if w != i {
                    edges.push((w, i));
                }
            }
        }
    }
    util::sort::sort(&mut edges);
    edges.dedup();
    let desc = |i: usize| -> String {
        let o = &ops[i];
        let mut s = format!(
            "#{} {}",
            o.id,
            crate::history::describe_call(&o.key, &o.call)
        );
        if let Some(Output::Value(v)) = &o.output {
            s.push_str(&format!(" -> {}", show_value(v.as_deref())));
        }
        s
    };
    // Writes newer than `a` by chain or cas evidence, ascending.
    let newer = |a: usize| {
        let from = edges.partition_point(|&(x, _)| x < a);
        edges[from..]
            .iter()
            .take_while(move |&&(x, _)| x == a)
            .map(|&(_, b)| b)
    };
    // Per client and key (ordered by client, then key), operations in program order.
    let mut by_session: Vec<usize> = (0..ops.len())
        .filter(|&i| ops[i].outcome != Outcome::Failed)
        .collect();
    util::sort::sort_by_key(&mut by_session, |&i| (ops[i].client, key_of[i]));
    let [ryw, mr, mw, wfr] = SESSION_GUARANTEES;
    let (mut ryw, mut mr, mut mw, mut wfr) =
        (Acc::new(ryw), Acc::new(mr), Acc::new(mw), Acc::new(wfr));
    // Per write, the session (numbered from 1) in which it is one of the client's ok writes
    // seen so far; and the session in which the client's reads observed it, with the
    // first such read.
    let mut own_in = vec![0usize; ops.len()];
    let mut read_in = vec![(0usize, 0usize); ops.len()];
    let same_session =
        |a: &usize, b: &usize| (ops[*a].client, key_of[*a]) == (ops[*b].client, key_of[*b]);
    for (session, idxs) in by_session.chunk_by_mut(same_session).enumerate() {
        let session = session + 1;
        let (client, key) = (ops[idxs[0]].client, ops[idxs[0]].key.as_str());
        util::sort::sort_by_key(idxs, |&i| (ops[i].invoke_us, ops[i].id));
        // The client's latest ok write (largest invoke).
        let mut own_latest: Option<usize> = None;
        // The observed write with the latest invocation, and the read that saw it.
        let mut seen_latest: Option<(usize, usize)> = None;
        let rt_older = |a: usize, b: usize| {
            a != b
                && ops[a].outcome == Outcome::Ok
                && ops[a].complete_us.is_some_and(|c| c < ops[b].invoke_us)
        };
        for &i in idxs.iter() {
            let o = &ops[i];
            if let Some(s) = seen[i] {
                match s {
                    Seen::Unidentified => {
                        let why = format!(
                            "read {} cannot be matched to exactly one write (values not unique, or written by nobody)",
                            desc(i)
                        );
                        ryw.undecidable(&why);
                        mr.undecidable(&why);
                        wfr.undecidable(&why);
                    }
                    Seen::Initial => {
                        if let Some(w) = own_latest {
                            ryw.violate(client, key, vec![ops[w].id, o.id], format!(
                                "client {client} wrote {} and then read {}, which observed the initial state",
                                desc(w), desc(i)
                            ));
                        }
                        if let Some((p, r)) = seen_latest {
                            mr.violate(client, key, vec![ops[r].id, o.id], format!(
                                "client {client} read {} (observing {}) and later {}, which observed the initial state",
                                desc(r), desc(p), desc(i)
                            ));
                        }
                    }
                    Seen::Write(sw) => {
                        let ryw_w = own_latest
                            .filter(|&w| rt_older(sw, w))
                            .or_else(|| newer(sw).find(|&w| own_in[w] == session));
                        if let Some(w) = ryw_w {
                            ryw.violate(client, key, vec![ops[w].id, o.id], format!(
                                "client {client} wrote {} and then read {}, which observed {}, older than its write",
                                desc(w), desc(i), desc(sw)
                            ));
                        }
                        let mr_p = seen_latest
                            .filter(|&(p, _)| rt_older(sw, p))
                            .map(|(p, _)| p)
                            .or_else(|| newer(sw).find(|&p| read_in[p].0 == session));
                        if let Some(p) = mr_p {
                            let r = read_in[p].1;
                            mr.violate(client, key, vec![ops[r].id, o.id], format!(
                                "client {client} read {} (observing {}) and later {}, which observed {}, an older write",
                                desc(r), desc(p), desc(i), desc(sw)
                            ));
                        }
                        if read_in[sw].0 != session {
                            read_in[sw] = (session, i);
                        }
                        if seen_latest.is_none_or(|(p, _)| ops[sw].invoke_us > ops[p].invoke_us) {
                            seen_latest = Some((sw, i));
                        }
                    }
                }
            } else if is_write(i) {
                if let Some(p) = newer(i).find(|&p| read_in[p].0 == session) {
                    let r = read_in[p].1;
                    wfr.violate(client, key, vec![ops[r].id, o.id], format!(
                        "client {client} read {} (observing {}) and then wrote {}, which was applied before the write it had read",
                        desc(r), desc(p), desc(i)
                    ));
                }
                if let Some(w) = newer(i).find(|&w| own_in[w] == session) {
                    mw.violate(client, key, vec![ops[w].id, o.id], format!(
                        "client {client} wrote {} and then {}, but the second was applied before the first",
                        desc(w), desc(i)
                    ));
                }
                if o.outcome == Outcome::Ok {
                    own_in[i] = session;
                    if own_latest.is_none_or(|w| ops[i].invoke_us > ops[w].invoke_us) {
                        own_latest = Some(i);
                    }
                }
            }
        }
    }
    let guarantees = vec![ryw.finish(), mr.finish(), mw.finish(), wfr.finish()];
    let verdict = guarantees
        .iter()
        .map(|g| g.verdict)
        .fold(Verdict::Ok, combine);
    SessionResult {
        verdict,
        guarantees,
    }
}

/// Violated beats unknown beats ok.
pub fn combine(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Violated, _) | (_, Verdict::Violated) => Verdict::Violated,
        (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
        _ => Verdict::Ok,
    }
}

struct Acc {
    name: &'static str,
    violations: Vec<SessionViolation>,
    violated: bool,
    reason: Option<String>,
}

impl Acc {
    fn new(name: &'static str) -> Self {
        Acc {
            name,
            violations: Vec::new(),
            violated: false,
            reason: None,
        }
    }
    fn violate(&mut self, client: u64, key: &str, ops: Vec<u64>, text: String) {
        self.violated = true;
        if self.violations.len() < SESSION_VIOLATIONS_MAX {
            self.violations.push(SessionViolation {
                client,
                key: key.to_string(),
                ops,
                text,
            });
        }
    }
    fn undecidable(&mut self, why: &str) {
        if self.reason.is_none() {
            self.reason = Some(format!("not decidable: {why}"));
        }
    }
    fn finish(self) -> GuaranteeResult {
        let verdict = if self.violated {
            Verdict::Violated
        } else if self.reason.is_some() {
            Verdict::Unknown
        } else {
            Verdict::Ok
        };
        GuaranteeResult {
            name: self.name,
            verdict,
            violations: self.violations,
            reason: if verdict == Verdict::Unknown {
                self.reason
            } else {
                None
            },
        }
    }
}
