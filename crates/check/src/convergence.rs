//! Convergence: after quiescence every replica holds the same key -> value map.

use crate::history::History;
use crate::linear::Verdict;
use crate::small_map::SmallMap;
use serde::Serialize;

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
    /// Ok when all replicas are equal; unknown without `final_states`.
    pub verdict: Verdict,
    /// The nodes compared.
    pub nodes: Vec<String>,
    /// Keys whose values differ between nodes (at most [`DIFFERING_KEYS_MAX`]).
    pub differing: Vec<KeyDifference>,
    /// How many keys differ in all.
    pub differing_count: usize,
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
            reason: Some("the history has no final_states".to_string()),
        };
    };
    let nodes: Vec<String> = states.keys().cloned().collect();
    let mut keys: Vec<&str> = states
        .values()
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    crate::order::sort_strs(&mut keys);
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
        reason: None,
    }
}
