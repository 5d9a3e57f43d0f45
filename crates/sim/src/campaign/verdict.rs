//! One campaign seed run and judged: its verdict, and the command that replays it.

use super::{campaign_scenario, CampaignOptions};
use crate::monitor::MONITORS;
use crate::runner::run_scenario_with;
use serde::Serialize;

/// What went wrong in one seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeedVerdict {
    /// The seed.
    pub seed: u64,
    /// Every failed expectation, one line each (`monitor election_safety: ...`).
    pub failures: Vec<String>,
    /// Which monitors fired (and `linearizability` when the checker found a violation).
    pub caught_by: Vec<String>,
    /// The trace hash.
    pub trace_hash: String,
    /// Events processed.
    pub events: u64,
    /// Client operations recorded.
    pub ops: u64,
}

/// Runs one campaign seed.
pub fn run_seed(seed: u64, o: &CampaignOptions) -> SeedVerdict {
    let s = campaign_scenario(seed, o);
    // Checked mode: the safety phase checks every invariant after every event.
    let (w, summary) = match run_scenario_with(&s, true) {
        Ok(r) => r,
        Err(e) => {
            return SeedVerdict {
                seed,
                failures: vec![format!("scenario rejected: {e}")],
                caught_by: Vec::new(),
                trace_hash: String::new(),
                events: 0,
                ops: 0,
            }
        }
    };
    let mut failures: Vec<String> = summary
        .expectations
        .iter()
        .filter(|e| !e.ok)
        .map(|e| format!("{}: {}", e.expectation, e.observed))
        .collect();
    // A membership change the schedule could not know would be refused is no failure
    // (`campaign/membership.rs`); any other skipped action is.
    for sk in &summary.skipped_actions {
        let a = &w.actions()[sk.index].action;
        if !super::is_membership(a) {
            failures.push(format!("action {} skipped: {}", sk.index, sk.error));
        }
    }
    if o.ap {
        for op in super::ap::unavailable_ops(&s, &w.operations().to_vec()) {
            failures.push(format!(
                "available: op {} ({} by c{} at {} us) was not answered before the heal (it ended {})",
                op.id,
                op.call.name(),
                op.client,
                op.invoke_us,
                op.outcome.name()
            ));
        }
    }
    let mut caught_by: Vec<String> = MONITORS
        .iter()
        .filter(|m| w.monitors()[**m as usize].violated)
        .map(|m| m.name().to_string())
        .collect();
    if summary.linearizability == "violated" {
        caught_by.push("linearizability".to_string());
    }
    SeedVerdict {
        seed,
        failures,
        caught_by,
        trace_hash: summary.trace_hash,
        events: summary.events,
        ops: w.operations().len() as u64,
    }
}

/// The command that replays one seed.
pub fn replay_command(seed: u64, o: &CampaignOptions) -> String {
    let mut c = format!(
        "raftlab campaign --seeds 1 --start-seed {seed} --nodes {}",
        o.nodes
    );
    if let Some(t) = o.toggle {
        c.push_str(&format!(" --toggle {t}"));
    }
    if o.safety_us != CampaignOptions::default().safety_us {
        c.push_str(&format!(" --safety-ms {}", o.safety_us / 1000));
    }
    if o.liveness_us != CampaignOptions::default().liveness_us {
        c.push_str(&format!(" --liveness-ms {}", o.liveness_us / 1000));
    }
    if o.membership {
        c.push_str(" --membership");
    }
    if o.snapshot_threshold_entries_max > 0 {
        c.push_str(&format!(
            " --snapshot-threshold-max {}",
            o.snapshot_threshold_entries_max
        ));
    }
    if let Some(m) = o.byzantine {
        c.push_str(&format!(" --byzantine {m}"));
    }
    if o.ap {
        c.push_str(" --ap");
    }
    c
}
