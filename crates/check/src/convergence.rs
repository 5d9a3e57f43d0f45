//! Convergence: after quiescence every replica holds the same key -> value map.

use crate::history::History;
use crate::linear::Verdict;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many differing keys are listed.
pub const DIFFERING_KEYS_MAX: usize = 50;

/// A key on which replicas disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDifference {
    /// The key.
    pub key: String,
    /// Per node id, its value (`None`: absent on that node).
    pub values: BTreeMap<String, Option<String>>,
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
    let keys: BTreeSet<&String> = states.values().flat_map(|m| m.keys()).collect();
    let mut differing = Vec::new();
    let mut differing_count = 0;
    for k in keys {
        let values: BTreeMap<String, Option<String>> = states
            .iter()
            .map(|(n, m)| (n.clone(), m.get(k).cloned()))
            .collect();
        let first = values.values().next();
        if values.values().any(|v| Some(v) != first) {
            differing_count += 1;
            if differing.len() < DIFFERING_KEYS_MAX {
                differing.push(KeyDifference {
                    key: k.clone(),
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
