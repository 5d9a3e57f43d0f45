//! The consistency-model ladder: which of linearizable ⊂ sequential ⊂ causal ⊂ sessions ⊂
//! eventual a history satisfies, with the four session guarantees listed beside.
//!
//! The first four rungs are about what clients observed and imply each other downwards
//! (a linearizable history is sequentially consistent, a sequentially consistent one is
//! causally consistent, a causally consistent one keeps the four session guarantees), so
//! a rung below an `ok` rung is `ok` too. The `sessions` rung is `ok` when all four
//! guarantees are, `violated` when one is, else `unknown`. The last rung,
//! *eventual*, asks whether the replicas converged (`final_states` equal); it is about the
//! servers, not implied by the others, and `unknown` without `final_states`.
//!
//! The strongest model is the first `ok` rung from the top. Each rung that is not `ok`
//! carries a sentence saying why, naming operations, clients and times.

use crate::linear::Verdict;
use crate::{history, Report};
use serde::Serialize;

/// The rung names, strongest first.
pub const LADDER_RUNGS: [&str; 5] = [
    "linearizable",
    "sequential",
    "causal",
    "sessions",
    "eventual",
];

/// One rung of the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rung {
    /// One of [`LADDER_RUNGS`].
    pub name: &'static str,
    /// The verdict of its check.
    pub verdict: Verdict,
    /// For a rung that is not `ok`: why, in plain words.
    pub why: Option<String>,
}

/// One session guarantee as the ladder lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuaranteeRung {
    /// `read_your_writes`, `monotonic_reads`, `monotonic_writes`, `writes_follow_reads`.
    pub name: &'static str,
    /// Its verdict.
    pub verdict: Verdict,
    /// For a violation: the first one in words.
    pub why: Option<String>,
}

/// The ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ladder {
    /// The strongest `ok` rung (`None`: no rung is `ok`).
    pub strongest: Option<&'static str>,
    /// The five rungs, strongest first.
    pub rungs: Vec<Rung>,
    /// The four session guarantees.
    pub sessions: Vec<GuaranteeRung>,
}

fn first_linearizability_words(r: &Report) -> Option<String> {
    let lin = &r.linearizability;
    if lin.verdict == Verdict::Ok {
        return None;
    }
    let p = lin
        .partitions
        .iter()
        .find(|p| p.verdict == lin.verdict)
        .or(lin.partitions.first())?;
    let name = if p.name.is_empty() {
        "the register".to_string()
    } else {
        format!("key {}", p.name)
    };
    Some(match (&p.explanation, &p.reason) {
        (Some(e), _) => format!("{name}: {}", e.plain),
        (None, Some(why)) => format!("{name}: {why}"),
        (None, None) => format!("{name}: {}", word(p.verdict)),
    })
}

fn convergence_words(r: &Report) -> Option<String> {
    let c = &r.convergence;
    match c.verdict {
        Verdict::Ok => None,
        Verdict::Unknown => c.reason.clone(),
        Verdict::Violated => {
            let d = c.differing.first()?;
            let vals: Vec<String> = d
                .values
                .iter()
                .map(|(n, v)| format!("node {n} has {}", history::show_value(v.as_deref())))
                .collect();
            Some(format!(
                "the replicas differ on {} keys; on {}: {}.",
                c.differing_count,
                d.key,
                vals.join(", ")
            ))
        }
    }
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Violated => "violated",
        Verdict::Unknown => "unknown",
    }
}

/// The `sessions` rung: all four guarantees together; the first violation in words.
fn sessions_rung(r: &Report) -> Rung {
    let gs = &r.sessions.guarantees;
    let violated = gs.iter().find(|g| g.verdict == Verdict::Violated);
    let verdict = if violated.is_some() {
        Verdict::Violated
    } else if gs.iter().all(|g| g.verdict == Verdict::Ok) {
        Verdict::Ok
    } else {
        Verdict::Unknown
    };
    let why = match verdict {
        Verdict::Ok => None,
        Verdict::Violated => violated.and_then(|g| {
            let text = g.violations.first().map(|v| v.text.clone());
            Some(format!(
                "{} fails: {}",
                g.name.replace('_', " "),
                text.or_else(|| g.reason.clone())?
            ))
        }),
        Verdict::Unknown => gs
            .iter()
            .find(|g| g.verdict == Verdict::Unknown)
            .and_then(|g| g.reason.clone()),
    };
    Rung {
        name: LADDER_RUNGS[3],
        verdict,
        why,
    }
}

/// Builds the ladder from a report's verdicts.
pub fn ladder_of(r: &Report) -> Ladder {
    let why_or = |v: Verdict, w: Option<String>, reason: &Option<String>| match v {
        Verdict::Ok => None,
        _ => w.or_else(|| reason.clone()),
    };
    let rungs = vec![
        Rung {
            name: LADDER_RUNGS[0],
            verdict: r.linearizability.verdict,
            why: first_linearizability_words(r),
        },
        Rung {
            name: LADDER_RUNGS[1],
            verdict: r.sequential.verdict,
            why: why_or(
                r.sequential.verdict,
                r.sequential.plain.clone(),
                &r.sequential.reason,
            ),
        },
        Rung {
            name: LADDER_RUNGS[2],
            verdict: r.causal.verdict,
            why: why_or(r.causal.verdict, r.causal.plain.clone(), &r.causal.reason),
        },
        sessions_rung(r),
        Rung {
            name: LADDER_RUNGS[4],
            verdict: r.convergence.verdict,
            why: convergence_words(r),
        },
    ];
    let strongest = rungs
        .iter()
        .find(|g| g.verdict == Verdict::Ok)
        .map(|g| g.name);
    let sessions = r
        .sessions
        .guarantees
        .iter()
        .map(|g| GuaranteeRung {
            name: g.name,
            verdict: g.verdict,
            why: match g.verdict {
                Verdict::Ok => None,
                _ => g
                    .violations
                    .first()
                    .map(|v| v.text.clone())
                    .or_else(|| g.reason.clone()),
            },
        })
        .collect();
    Ladder {
        strongest,
        rungs,
        sessions,
    }
}

impl Ladder {
    /// The text form: the strongest model, then one line per rung and guarantee.
    pub fn to_text(&self) -> String {
        let mut t = format!(
            "strongest model:      {}\n",
            self.strongest.unwrap_or("none of the ladder")
        );
        for g in &self.rungs {
            t.push_str(&format!(
                "  {:<20}{}{}\n",
                g.name,
                word(g.verdict),
                g.why.as_ref().map_or(String::new(), |w| format!(": {w}"))
            ));
        }
        let s: Vec<String> = self
            .sessions
            .iter()
            .map(|g| format!("{} {}", g.name.replace('_', " "), word(g.verdict)))
            .collect();
        t.push_str(&format!("  beside: {}\n", s.join(", ")));
        t
    }
}
