//! Consistency checkers for Raftlab client histories.
//!
//! # Contract
//!
//! Input: a [`History`] in the documented JSON form (`docs/history-format.md`), parsed and
//! validated by [`parse_history`] (errors name the field: `operations[3].outcome: expected
//! one of ok, failed, unknown`). Output: a [`Report`] from [`check_history`] with one
//! verdict per property, each `ok`, `violated` (with evidence) or `unknown` (with the
//! reason: budget, size, or not decidable):
//!
//! - **linearizability** against the KV model (partitioned by key) or the register model:
//!   the Wing & Gong / Lowe search with a memo cache of (linearized set, state), per
//!   partition, bounded by a deterministic budget of search steps, after setting aside the
//!   unknown-outcome writes no answer can depend on
//!   ([`model::without_unobservable_writes`]); a violation comes with the longest partial
//!   linearization and why no operation can come next;
//! - **sequential consistency** (per-client program order, no real time), for histories
//!   up to [`Options::sequential_ops_max`] operations;
//! - **session guarantees** per client and key (read-your-writes, monotonic reads,
//!   monotonic writes, writes-follow-reads; see [`session`]);
//! - **causal consistency** (causal memory) of put/get histories ([`causal`]), up to
//!   [`Options::causal_ops_max`] operations and a step budget;
//! - **convergence** of the replicas' `final_states`;
//! - the **ladder** ([`ladder`]): the strongest of linearizable ⊂ sequential ⊂ causal ⊂
//!   sessions ⊂ eventual the history satisfies, with a plain-words reason for each rung that fails.
//!
//! Everything is deterministic: no clock, no randomness, no hash-order iteration (the memo
//! caches are hash sets used for membership only). Effort is reported in steps.
//!
//! ```text
//!  history.json ──parse_history──▶ History ──check_history(&Options)──▶ Report
//!                                    │                                   ├─ linearizability
//!                 kv_operations ◀────┘  Model::partition (one per key)   │   per key: ok / violated
//!                       │                    │                           │   + Explanation / unknown
//!                       └──▶ Operation[] ────┴─▶ Lowe search + memo ─────┤
//!                                                                        ├─ sequential (small)
//!                                                                        ├─ sessions (4 guarantees)
//!                                                                        └─ convergence
//! ```
//!
//! # Example
//!
//! ```
//! use check::{check_history, parse_history, Options, Verdict};
//!
//! // Client 1 writes x=1 and it completes; client 2 then reads nothing: a stale read.
//! let h = parse_history(r#"{"version": 1, "model": "kv", "operations": [
//!   {"id": 0, "client": 1, "op": "put", "key": "x", "value": "1",
//!    "invoke_us": 0, "complete_us": 10, "outcome": "ok"},
//!   {"id": 1, "client": 2, "op": "get", "key": "x",
//!    "invoke_us": 20, "complete_us": 30, "outcome": "ok", "output": null}
//! ]}"#).unwrap();
//! let report = check_history(&h, &Options::default());
//! assert_eq!(report.linearizability.verdict, Verdict::Violated);
//! let why = report.linearizability.partitions[0].explanation.as_ref().unwrap();
//! assert_eq!(why.longest[0].id, 0); // put x=1 is placed first ...
//! assert_eq!(why.stuck[0].reason, "get x returned nil but the state is 1"); // ... then stuck
//! // Without real time the read may come first: sequentially consistent.
//! assert_eq!(report.sequential.verdict, Verdict::Ok);
//! assert_eq!(report.exit_code(), 1);
//! ```

pub mod causal;
pub mod convergence;
pub mod history;
pub mod incremental;
pub mod ladder;
pub mod linear;
pub mod model;
pub mod plain;
pub mod sequential;
pub mod session;
pub mod words;

pub use causal::{check_causal, CausalResult, CAUSAL_OPS_MAX_DEFAULT, CAUSAL_STEPS_MAX_DEFAULT};
pub use convergence::{check_convergence, ConvergenceResult};
pub use history::{
    parse_history, Call, FieldError, History, HistoryError, ModelKind, Op, Outcome, Output,
};
pub use incremental::{IncrementalChecker, IncrementalReport, PartitionProgress};
pub use ladder::{ladder_of, Ladder, Rung, LADDER_RUNGS};
pub use linear::{
    check_linearizability, check_linearizability_with, Explanation, LinearizabilityResult,
    PartitionResult, PlacedOp, Progress, StuckOp, Verdict,
};
pub use model::{kv_operations, KvKeyModel, KvModel, Model, Operation, Partition, RegisterModel};
pub use sequential::{check_sequential, SequentialResult};
pub use session::{check_sessions, SessionResult, SESSION_GUARANTEES};
/// The sorted-vector map of [`History::final_states`] and the reports (from `raftlab-util`).
pub use util::SmallMap;
pub use words::{Word, WordCase, Words};

use serde::Serialize;
use std::collections::BTreeSet;

/// Default step budget of the linearizability search (all partitions together).
pub const LINEARIZABILITY_STEPS_MAX_DEFAULT: u64 = 50_000_000;
/// Default operation limit of the sequential-consistency search.
pub const SEQUENTIAL_OPS_MAX_DEFAULT: usize = 200;
/// Default step budget of the sequential-consistency search.
pub const SEQUENTIAL_STEPS_MAX_DEFAULT: u64 = 2_000_000;

/// Limits of the checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Step budget of the linearizability search, all partitions together; beyond it the
    /// unfinished partitions are `Unknown`.
    pub linearizability_steps_max: u64,
    /// Histories with more (non-failed) operations get `Unknown` ("too large") for
    /// sequential consistency, unless linearizability already implies it.
    pub sequential_ops_max: usize,
    /// Step budget of the sequential-consistency search.
    pub sequential_steps_max: u64,
    /// Decide every partition (the full report). By default the linearizability search
    /// stops at the first violated partition: the verdict is known, and the other
    /// partitions are reported undecided.
    pub all_partitions: bool,
    /// Histories with more (put/get) operations get `Unknown` for causal consistency,
    /// unless sequential consistency already implies it.
    pub causal_ops_max: usize,
    /// Step budget of the causal-consistency search (all client views together).
    pub causal_steps_max: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            linearizability_steps_max: LINEARIZABILITY_STEPS_MAX_DEFAULT,
            sequential_ops_max: SEQUENTIAL_OPS_MAX_DEFAULT,
            sequential_steps_max: SEQUENTIAL_STEPS_MAX_DEFAULT,
            all_partitions: false,
            causal_ops_max: CAUSAL_OPS_MAX_DEFAULT,
            causal_steps_max: CAUSAL_STEPS_MAX_DEFAULT,
        }
    }
}

/// Counts describing the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The model.
    pub model: ModelKind,
    /// All operations.
    pub ops: usize,
    /// With outcome ok.
    pub ops_ok: usize,
    /// With outcome failed (ignored).
    pub ops_failed: usize,
    /// With outcome unknown.
    pub ops_unknown: usize,
    /// Distinct clients.
    pub clients: usize,
    /// Distinct keys.
    pub keys: usize,
}

/// Every verdict about one history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What was checked.
    pub summary: Summary,
    /// The main verdict (decides the CLI's exit code).
    pub linearizability: LinearizabilityResult,
    /// Sequential consistency.
    pub sequential: SequentialResult,
    /// Session guarantees.
    pub sessions: SessionResult,
    /// Causal consistency.
    pub causal: CausalResult,
    /// Replica convergence.
    pub convergence: ConvergenceResult,
    /// The strongest model of the ladder and why each weaker-than-asked rung fails.
    pub ladder: Ladder,
}

/// Linearizability alone: the `linearizability` part of [`check_history`]'s report, without
/// the other checks, for callers that need only that verdict.
pub fn check_history_linearizability(
    history: &History,
    options: &Options,
) -> LinearizabilityResult {
    linearizability_of(history, &kv_operations(history), options, &mut |_| {})
}

fn linearizability_of(
    history: &History,
    ops: &[Operation<model::KvInput, model::KvOutput>],
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> LinearizabilityResult {
    let (steps_max, all) = (options.linearizability_steps_max, options.all_partitions);
    let mut r = match history.model {
        ModelKind::Kv => check_linearizability_with(&KvKeyModel, ops, steps_max, all, progress),
        ModelKind::Register => {
            check_linearizability_with(&RegisterModel, ops, steps_max, all, progress)
        }
    };
    for p in &mut r.partitions {
        if let Some(e) = &mut p.explanation {
            let mine: Vec<&Operation<model::KvInput, model::KvOutput>> = ops
                .iter()
                .filter(|o| history.model == ModelKind::Register || *o.input.key == *p.name)
                .collect();
            let w = plain::linearizability_words(&mine, e);
            e.plain = w.to_string();
            e.plain_words = Some(w);
        }
    }
    r
}

/// Runs every check. See [`check_history_with_progress`] to watch a long check.
pub fn check_history(history: &History, options: &Options) -> Report {
    check_history_with_progress(history, options, &mut |_| {})
}

/// Runs every check, calling `progress` every [`linear::PROGRESS_EVERY_STEPS`] search
/// steps and at the end of each partition.
pub fn check_history_with_progress(
    history: &History,
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> Report {
    check_all(history, options, progress, Some(check_causal))
}

/// Every check but causal consistency, which is reported `unknown` ("not checked"): for
/// the playground's Wasm module, which then does not link the causal search (the history
/// playground's lab module runs [`check_history`]).
pub fn check_history_without_causal(history: &History, options: &Options) -> Report {
    check_all(history, options, &mut |_| {}, None)
}

/// The causal check's signature, passed in so that a caller without it links none of it.
type CausalCheck = fn(&[Operation<model::KvInput, model::KvOutput>], usize, u64) -> CausalResult;

fn check_all(
    history: &History,
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
    causal_check: Option<CausalCheck>,
) -> Report {
    let ops = kv_operations(history);
    let all = &history.operations;
    let count = |o: Outcome| all.iter().filter(|x| x.outcome == o).count();
    let clients: BTreeSet<u64> = all.iter().map(|o| o.client).collect();
    let summary = Summary {
        model: history.model,
        ops: history.operations.len(),
        ops_ok: count(Outcome::Ok),
        ops_failed: count(Outcome::Failed),
        ops_unknown: count(Outcome::Unknown),
        clients: clients.len(),
        keys: match history.model {
            ModelKind::Kv => history.keys().len(),
            ModelKind::Register => 1,
        },
    };
    let linearizability = linearizability_of(history, &ops, options, progress);
    let sequential = if linearizability.verdict == Verdict::Ok {
        SequentialResult {
            verdict: Verdict::Ok,
            steps: 0,
            order: Vec::new(),
            longest: Vec::new(),
            stuck: Vec::new(),
            reason: Some("implied by linearizability".to_string()),
            plain: None,
            plain_words: None,
            refuted_by_client: None,
        }
    } else {
        let (n, s) = (options.sequential_ops_max, options.sequential_steps_max);
        let mut r = match history.model {
            ModelKind::Kv => check_sequential(&KvModel, &ops, n, s, progress),
            ModelKind::Register => check_sequential(&RegisterModel, &ops, n, s, progress),
        };
        r.plain_words = if r.refuted_by_client.is_some() {
            plain::sequential_client_words(&ops, &r)
        } else if r.verdict == Verdict::Violated {
            Some(plain::sequential_words(&ops, r.longest.len(), &r.stuck))
        } else {
            None
        };
        r.plain = r.plain_words.as_ref().map(|w| w.to_string());
        r
    };
    let causal = match causal_check {
        _ if sequential.verdict == Verdict::Ok => CausalResult::implied("sequential consistency"),
        Some(f) => f(&ops, options.causal_ops_max, options.causal_steps_max),
        None => CausalResult::not_checked(),
    };
    let mut report = Report {
        summary,
        linearizability,
        sequential,
        sessions: check_sessions(history),
        causal,
        convergence: check_convergence(history),
        ladder: Ladder {
            strongest: None,
            rungs: Vec::new(),
            sessions: Vec::new(),
        },
    };
    report.ladder = ladder_of(&report);
    report
}

impl Report {
    /// 0 linearizable, 1 not, 2 unknown (the CLI's exit code; 2 is also bad input).
    pub fn exit_code(&self) -> u8 {
        match self.linearizability.verdict {
            Verdict::Ok => 0,
            Verdict::Violated => 1,
            Verdict::Unknown => 2,
        }
    }

    /// The human rendering: one line per verdict, then the explanations.
    pub fn to_text(&self) -> String {
        let s = &self.summary;
        let mut t = format!(
            "history: model {}, {} operations ({} ok, {} failed, {} unknown), {} clients, {} keys\n",
            s.model, s.ops, s.ops_ok, s.ops_failed, s.ops_unknown, s.clients, s.keys
        );
        let lin = &self.linearizability;
        // Partitions left undecided because another one is violated are listed, not explained.
        let bad: Vec<&PartitionResult> = lin
            .partitions
            .iter()
            .filter(|p| {
                p.verdict == Verdict::Violated
                    || (p.verdict == Verdict::Unknown && !lin.stopped_early)
            })
            .collect();
        let set_aside: usize = lin.partitions.iter().map(|p| p.set_aside).sum();
        t.push_str(&format!(
            "linearizability:      {} ({} steps of {}, {} partitions{}{})\n",
            word(lin.verdict),
            lin.steps,
            lin.steps_max,
            lin.partitions.len(),
            if set_aside == 0 {
                String::new()
            } else {
                format!(", {set_aside} unknown writes nobody could observe set aside")
            },
            if bad.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = bad
                    .iter()
                    .take(10)
                    .map(|p| format!("{} {}", show_name(&p.name), word(p.verdict)))
                    .collect();
                format!("; {}", names.join(", "))
            }
        ));
        if lin.stopped_early {
            let undecided: Vec<String> = lin
                .partitions
                .iter()
                .filter(|p| p.verdict == Verdict::Unknown)
                .map(|p| show_name(&p.name))
                .collect();
            t.push_str(&format!(
                "                      stopped at the first violated key: {} of {} keys decided, {} not decided ({}), {} of them not searched; --all-partitions decides every key\n",
                lin.partitions_decided,
                lin.partitions.len(),
                undecided.len(),
                undecided.join(", "),
                lin.partitions_not_searched.len()
            ));
        }
        let seq = &self.sequential;
        t.push_str(&format!(
            "sequential:           {} ({} steps{})\n",
            word(seq.verdict),
            seq.steps,
            match (&seq.reason, seq.verdict) {
                (Some(r), Verdict::Ok | Verdict::Unknown) => format!("; {r}"),
                _ => String::new(),
            }
        ));
        let ca = &self.causal;
        t.push_str(&format!(
            "causal:               {} ({} steps{})\n",
            word(ca.verdict),
            ca.steps,
            match (&ca.reason, ca.verdict) {
                (Some(r), Verdict::Ok | Verdict::Unknown) => format!("; {r}"),
                _ => String::new(),
            }
        ));
        for g in &self.sessions.guarantees {
            t.push_str(&format!(
                "{:<22}{}{}\n",
                format!("{}:", g.name.replace('_', " ")),
                word(g.verdict),
                match &g.reason {
                    Some(r) => format!(" ({r})"),
                    None if !g.violations.is_empty() => {
                        format!(" ({} shown)", g.violations.len())
                    }
                    None => String::new(),
                }
            ));
        }
        let c = &self.convergence;
        t.push_str(&format!(
            "convergence:          {}{}\n",
            word(c.verdict),
            match (&c.reason, c.differing_count) {
                (Some(r), _) => format!(" ({r})"),
                (None, 0) => format!(" ({} replicas equal)", c.nodes.len()),
                (None, n) => {
                    let keys: Vec<String> = c
                        .differing
                        .iter()
                        .take(5)
                        .map(|d| {
                            let vals: Vec<String> = d
                                .values
                                .iter()
                                .map(|(n, v)| {
                                    format!("node {n}={}", history::show_value(v.as_deref()))
                                })
                                .collect();
                            format!("{}: {}", d.key, vals.join(" "))
                        })
                        .collect();
                    format!(" ({n} keys differ; {})", keys.join("; "))
                }
            }
        ));
        for p in &bad {
            t.push('\n');
            match (&p.explanation, &p.reason) {
                (Some(e), _) => {
                    t.push_str(&format!("{}: {}\n", show_name(&p.name), e.plain));
                    t.push_str(&e.text)
                }
                (None, Some(r)) => t.push_str(&format!("{}: unknown: {r}", show_name(&p.name))),
                (None, None) => {}
            }
            t.push('\n');
        }
        if seq.verdict == Verdict::Violated {
            if let Some(w) = &seq.plain {
                t.push_str(&format!("\nsequential consistency: {w}\n"));
            }
            if let Some(r) = &seq.reason {
                t.push_str(&format!("\nsequential consistency: {r}\n"));
            }
        }
        if let (Verdict::Violated, Some(w)) = (ca.verdict, &ca.plain) {
            t.push_str(&format!("\ncausal consistency: {w}\n"));
        }
        t.push('\n');
        t.push_str(&self.ladder.to_text());
        for g in &self.sessions.guarantees {
            for v in g.violations.iter().take(3) {
                t.push_str(&format!("\n{}: {}\n", g.name.replace('_', " "), v.text));
            }
        }
        t
    }
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Violated => "VIOLATED",
        Verdict::Unknown => "unknown",
    }
}

fn show_name(name: &str) -> String {
    if name.is_empty() {
        "register".to_string()
    } else {
        format!("key {name}")
    }
}
