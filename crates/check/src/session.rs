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

struct KeyIndex<'h> {
    /// Write indexes (into history.operations).
    writes: Vec<usize>,
    /// put/cas value -> writes with it.
    by_value: BTreeMap<&'h str, Vec<usize>>,
    /// append argument -> writes with it.
    appends: BTreeMap<&'h str, Vec<usize>>,
    /// The longest append argument, bytes.
    append_len_max: usize,
    /// Evidence edges (older, newer) from chains.
    edges: BTreeSet<(usize, usize)>,
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
    let mut keys: BTreeMap<&str, KeyIndex<'_>> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        if !is_write(i) {
            continue;
        }
        let e = keys.entry(op.key.as_str()).or_insert_with(|| KeyIndex {
            writes: Vec::new(),
            by_value: BTreeMap::new(),
            appends: BTreeMap::new(),
            append_len_max: 0,
            edges: BTreeSet::new(),
        });
        e.writes.push(i);
        match &op.call {
            Call::Put { value } | Call::Cas { value, .. } => {
                e.by_value.entry(value.as_str()).or_default().push(i)
            }
            Call::Append { value } if !value.is_empty() => {
                e.appends.entry(value.as_str()).or_default().push(i);
                e.append_len_max = e.append_len_max.max(value.len());
            }
            Call::Append { .. } => {}
            Call::Get => {}
        }
    }
    // What each read observed.
    let mut seen: Vec<Option<Seen>> = vec![None; ops.len()];
    for (i, o) in ops.iter().enumerate() {
        if let (Call::Get, Outcome::Ok, Some(Output::Value(v))) = (&o.call, o.outcome, &o.output) {
            seen[i] = Some(match keys.get(o.key.as_str()) {
                Some(idx) => identify(idx, v.as_deref()),
                None if v.is_none() => Seen::Initial,
                None => Seen::Unidentified,
            });
        }
    }
    // Chain evidence.
    let mut new_edges: Vec<(&str, usize, usize)> = Vec::new();
    let mut chains_done: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (i, o) in ops.iter().enumerate() {
        let Some(idx) = keys.get(o.key.as_str()) else {
            continue;
        };
        if let (Some(Seen::Write(_)), Some(Output::Value(Some(s)))) = (seen[i], &o.output) {
            if chains_done.insert((o.key.as_str(), s.as_str())) {
                let chain = append_chain(ops, idx, s);
                for (k, &b) in chain.iter().enumerate() {
                    for &a in &chain[..k] {
                        new_edges.push((o.key.as_str(), a, b));
                    }
                }
            }
        }
        if is_write(i) {
            if let Call::Cas {
                expected: Some(e), ..
            } = &o.call
            {
                if o.outcome == Outcome::Ok {
                    if let Some(ws) = idx.by_value.get(e.as_str()) {
                        if ws.len() == 1 && ws[0] != i {
                            new_edges.push((o.key.as_str(), ws[0], i));
                        }
                    }
                }
            }
        }
    }
    for (k, a, b) in new_edges {
        if let Some(idx) = keys.get_mut(k) {
            idx.edges.insert((a, b));
        }
    }
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
    // Per client and key, operations in program order.
    let mut sessions: BTreeMap<(u64, &str), Vec<usize>> = BTreeMap::new();
    for (i, o) in ops.iter().enumerate() {
        if o.outcome != Outcome::Failed {
            sessions
                .entry((o.client, o.key.as_str()))
                .or_default()
                .push(i);
        }
    }
    let no_edges = BTreeSet::new();
    let mut ryw = Acc::new("read_your_writes");
    let mut mr = Acc::new("monotonic_reads");
    let mut mw = Acc::new("monotonic_writes");
    let mut wfr = Acc::new("writes_follow_reads");
    for (&(client, key), idxs) in sessions.iter_mut() {
        crate::order::sort_indices(idxs, &|i| (ops[i].invoke_us, ops[i].id));
        let edges = keys.get(key).map_or(&no_edges, |k| &k.edges);
        // Writes newer than `a` by chain evidence.
        let newer = |a: usize| edges.range((a, 0)..(a, usize::MAX)).map(|&(_, b)| b);
        // The client's ok writes so far, and the latest (largest invoke).
        let mut own_writes: BTreeSet<usize> = BTreeSet::new();
        let mut own_latest: Option<usize> = None;
        // Writes observed by the client's reads so far -> the first read that saw it, and
        // the observed write with the latest invocation.
        let mut reads_seen: BTreeMap<usize, usize> = BTreeMap::new();
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
                            .or_else(|| newer(sw).find(|w| own_writes.contains(w)));
                        if let Some(w) = ryw_w {
                            ryw.violate(client, key, vec![ops[w].id, o.id], format!(
                                "client {client} wrote {} and then read {}, which observed {}, older than its write",
                                desc(w), desc(i), desc(sw)
                            ));
                        }
                        let mr_p = seen_latest
                            .filter(|&(p, _)| rt_older(sw, p))
                            .map(|(p, _)| p)
                            .or_else(|| newer(sw).find(|p| reads_seen.contains_key(p)));
                        if let Some(p) = mr_p {
                            let r = reads_seen[&p];
                            mr.violate(client, key, vec![ops[r].id, o.id], format!(
                                "client {client} read {} (observing {}) and later {}, which observed {}, an older write",
                                desc(r), desc(p), desc(i), desc(sw)
                            ));
                        }
                        reads_seen.entry(sw).or_insert(i);
                        if seen_latest.is_none_or(|(p, _)| ops[sw].invoke_us > ops[p].invoke_us) {
                            seen_latest = Some((sw, i));
                        }
                    }
                }
            } else if is_write(i) {
                if let Some(p) = newer(i).find(|p| reads_seen.contains_key(p)) {
                    let r = reads_seen[&p];
                    wfr.violate(client, key, vec![ops[r].id, o.id], format!(
                        "client {client} read {} (observing {}) and then wrote {}, which was applied before the write it had read",
                        desc(r), desc(p), desc(i)
                    ));
                }
                if let Some(w) = newer(i).find(|w| own_writes.contains(w)) {
                    mw.violate(client, key, vec![ops[w].id, o.id], format!(
                        "client {client} wrote {} and then {}, but the second was applied before the first",
                        desc(w), desc(i)
                    ));
                }
                if o.outcome == Outcome::Ok {
                    own_writes.insert(i);
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
