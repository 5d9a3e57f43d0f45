//! Convergence: after quiescence every replica holds the same key -> value map.
//!
//! Replicas that have applied different prefixes of the log (one is behind, partitioned,
//! paused) are expected to differ: when the history says so (`final_applied`), the verdict
//! is unknown, "not settled", rather than violated.

use crate::history::History;
use crate::linear::Verdict;
use serde::Serialize;
use std::collections::BTreeSet;
use util::SmallMap;

/// How many differing keys are listed.
pub const DIFFERING_KEYS_MAX: usize = 50;

/// A key on which replicas disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDifference {
    /// The key.
    pub key: String,
    /// Per node id, its value (`None`: absent on that node).
    pub values: SmallMap<String, Option<String>>,
}

/// The convergence verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConvergenceResult {
    /// Ok when all replicas are equal; unknown without `final_states` or while the
    /// replicas have applied different prefixes (`final_applied`).
    pub verdict: Verdict,
    /// The nodes of `final_states` (compared only when settled).
    pub nodes: Vec<String>,
    /// Keys whose values differ between nodes (at most [`DIFFERING_KEYS_MAX`]).
    pub differing: Vec<KeyDifference>,
    /// How many keys differ in all.
    pub differing_count: usize,
    /// False while the replicas have applied different prefixes (`final_applied`): they
    /// are not compared yet, and the verdict is unknown.
    pub settled: bool,
    /// For `Unknown`.
    pub reason: Option<String>,
}

/// Compares the replicas' final states.
pub fn check_convergence(h: &History) -> ConvergenceResult {
    let Some(states) = &h.final_states else {
        return ConvergenceResult {
            verdict: Verdict::Unknown,
            nodes: Vec::new(),
            differing: Vec::new(),
            differing_count: 0,
            settled: true,
            reason: Some("the history has no final_states".to_string()),
        };
    };
    let nodes: Vec<String> = states.keys().cloned().collect();
    if let Some(reason) = h.final_applied.as_ref().and_then(|a| unsettled(&nodes, a)) {
        return ConvergenceResult {
            verdict: Verdict::Unknown,
            nodes,
            differing: Vec::new(),
            differing_count: 0,
            settled: false,
            reason: Some(reason),
        };
    }
    let keys: BTreeSet<&str> = states
        .values()
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    let mut differing = Vec::new();
    let mut differing_count = 0;
    for k in keys {
        let mut values = states.values().map(|m| m.get(k));
        let first = values.next();
        if values.any(|v| Some(v) != first) {
            differing_count += 1;
            if differing.len() < DIFFERING_KEYS_MAX {
                // Inserts in node order (`collect` would sort a copy first).
                let mut values = SmallMap::default();
                for (n, m) in states.iter() {
                    values.insert(n.clone(), m.get(k).cloned());
                }
                differing.push(KeyDifference {
                    key: k.to_string(),
                    values,
                });
            }
        }
    }
    ConvergenceResult {
        verdict: if differing_count == 0 {
            Verdict::Ok
        } else {
            Verdict::Violated
        },
        nodes,
        differing,
        differing_count,
        settled: true,
        reason: None,
    }
}

/// Why the replicas cannot be compared yet: they applied different prefixes.
fn unsettled(nodes: &[String], applied: &SmallMap<String, u64>) -> Option<String> {
    let marks: Vec<(&str, u64)> = nodes
        .iter()
        .filter_map(|n| applied.get(n.as_str()).map(|&a| (n.as_str(), a)))
        .collect();
    if marks.windows(2).all(|w| w[0].1 == w[1].1) {
        return None;
    }
    let list: Vec<String> = marks
        .iter()
        .map(|(n, a)| format!("node {n} up to {a}"))
        .collect();
    Some(format!(
        "not settled: the replicas have applied different prefixes of the log ({}); they are compared once they have applied the same one",
        list.join(", ")
    ))
}
