//! What a trial returns: one small flat record (flat so it is one CSV row and one plain
//! JS object), and the statistics over a range's records.

use super::spec::{ExperimentSpec, MeasurementKind};
use crate::history::Outcome;
use crate::timeline::World;
use serde::Serialize;

/// One trial's result. Enough to replay it: `range` and `trial` (or `seed` with the range's
/// configuration) rebuild the world, and `moment_us` is where to look.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TrialRecord {
    /// Index of the range in the spec.
    pub range: u32,
    /// `150-155`.
    pub label: String,
    /// The range's group.
    pub group: String,
    /// Index of the trial in its range.
    pub trial: u32,
    /// The world's seed.
    pub seed: u64,
    /// Election timeout range of the world, µs (upper bound exclusive, as in `SimConfig`).
    pub election_timeout_us_min: u64,
    /// See `election_timeout_us_min`.
    pub election_timeout_us_max: u64,
    /// PreVote on.
    pub pre_vote: bool,
    /// CheckQuorum on.
    pub check_quorum: bool,
    /// Loss probability of node-to-node links, ppm.
    pub loss_ppm: u32,
    /// Availability: how long the faults lasted (a heal that long after the first), µs;
    /// `None`: the faults as listed.
    pub fault_duration_us: Option<u64>,
    /// The virtual time that matters: the new leader's election (election time), the first
    /// failed operation or the window start (availability).
    pub moment_us: u64,
    /// The leader when the trial's fault came (the crashed one for election time).
    pub old_leader: Option<u32>,
    /// Crash time (election time) or start of the measured window (availability), µs.
    pub crash_us: Option<u64>,
    /// Election time: when a node became leader of a newer term, µs.
    pub elected_us: Option<u64>,
    /// Election time: `elected_us - crash_us`; `None` if no leader within the limit.
    pub election_us: Option<u64>,
    /// Election time: the new leader.
    pub new_leader: Option<u32>,
    /// Election time: its term.
    pub new_term: Option<u64>,
    /// Availability: operations invoked in the window.
    pub ops: Option<u64>,
    /// Availability: of those, the ones that succeeded (`ok`).
    pub ops_ok: Option<u64>,
    /// Availability: `ops_ok / ops` in parts per million (10^6 when no operation ran).
    pub ok_ppm: Option<u64>,
    /// Availability: latency of successful operations, median, µs.
    pub latency_us_p50: Option<u64>,
    /// Availability: 99th percentile, µs.
    pub latency_us_p99: Option<u64>,
    /// Availability: slowest, µs.
    pub latency_us_max: Option<u64>,
    /// Events the world processed.
    pub events: u64,
    /// Why the recipe could not run, if it could not.
    pub error: Option<String>,
}

impl TrialRecord {
    /// An empty record for trial `trial` of range `range`.
    pub fn new(spec: &ExperimentSpec, range: usize, trial: u32) -> TrialRecord {
        let c = spec.config_for(range);
        let r = &spec.ranges[range];
        TrialRecord {
            range: range as u32,
            label: r.label(),
            group: r.group.clone(),
            trial,
            seed: spec.trial_seed(range, trial),
            election_timeout_us_min: c.election_timeout_us_min,
            election_timeout_us_max: c.election_timeout_us_max,
            pre_vote: c.pre_vote,
            check_quorum: c.check_quorum,
            loss_ppm: c.network.loss_ppm,
            fault_duration_us: r.fault_duration_us,
            ..TrialRecord::default()
        }
    }

    /// The value the range's statistics are over: election time, or the success fraction
    /// in ppm.
    pub fn value(&self, kind: MeasurementKind) -> Option<u64> {
        match kind {
            MeasurementKind::ElectionTime => self.election_us,
            MeasurementKind::Availability => self.ok_ppm,
        }
    }
}

/// Fills the availability fields from the history: operations invoked in
/// `[start_us, end_us)`.
pub(super) fn availability_of(w: &World, start_us: u64, end_us: u64, rec: &mut TrialRecord) {
    let mut ops = 0u64;
    let mut latencies = Vec::new();
    let mut first_failure: Option<u64> = None;
    for op in w.operations().iter() {
        if op.invoke_us < start_us || op.invoke_us >= end_us {
            continue;
        }
        ops += 1;
        match (op.outcome, op.complete_us) {
            (Outcome::Ok, Some(done)) => latencies.push(done - op.invoke_us),
            _ => first_failure = Some(first_failure.map_or(op.invoke_us, |f| f.min(op.invoke_us))),
        }
    }
    latencies.sort_unstable();
    let ok = latencies.len() as u64;
    rec.ops = Some(ops);
    rec.ops_ok = Some(ok);
    rec.ok_ppm = Some((ok * 1_000_000).checked_div(ops).unwrap_or(1_000_000));
    rec.latency_us_p50 = percentile(&latencies, 50);
    rec.latency_us_p99 = percentile(&latencies, 99);
    rec.latency_us_max = latencies.last().copied();
    rec.moment_us = first_failure.unwrap_or(start_us);
}

/// The nearest-rank `p`-th percentile of sorted values (`p` in 1..=100).
pub fn percentile(sorted: &[u64], p: u64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (p * n).div_ceil(100).max(1);
    Some(sorted[(rank - 1) as usize])
}

/// Statistics of one range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RangeSummary {
    /// Index of the range.
    pub range: u32,
    /// `150-155`.
    pub label: String,
    /// Group.
    pub group: String,
    /// Trials run.
    pub trials: u64,
    /// Trials with a value (a leader within the limit; a recipe that ran).
    pub measured: u64,
    /// Smallest.
    pub min: Option<u64>,
    /// Median (nearest rank).
    pub p50: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
    /// Largest.
    pub max: Option<u64>,
    /// Mean (integer division).
    pub mean: Option<u64>,
}

/// One summary per range of `spec`, from records in any order.
pub fn summarize(spec: &ExperimentSpec, records: &[TrialRecord]) -> Vec<RangeSummary> {
    (0..spec.ranges.len())
        .map(|i| {
            let mine: Vec<&TrialRecord> =
                records.iter().filter(|r| r.range as usize == i).collect();
            let mut v: Vec<u64> = mine
                .iter()
                .filter_map(|r| r.value(spec.measurement))
                .collect();
            v.sort_unstable();
            let sum: u128 = v.iter().map(|&x| u128::from(x)).sum();
            RangeSummary {
                range: i as u32,
                label: spec.ranges[i].label(),
                group: spec.ranges[i].group.clone(),
                trials: mine.len() as u64,
                measured: v.len() as u64,
                min: v.first().copied(),
                p50: percentile(&v, 50),
                p99: percentile(&v, 99),
                max: v.last().copied(),
                mean: (!v.is_empty()).then(|| (sum / v.len() as u128) as u64),
            }
        })
        .collect()
}
