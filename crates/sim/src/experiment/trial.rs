//! One trial: a world built from the spec, driven by a short recipe, measured inside the
//! simulator. A pure function of `(spec, range, trial)`: no threads, no wall clock, so the
//! same code runs natively, on many cores from the CLI, and in Wasm.
//!
//! Election-time recipe (paper §9.3, Figure 16):
//! 1. Node 1 campaigns at time 0; run until one leader leads (`settle`).
//! 2. `shorter_logs` followers (the highest ids besides the leader) stop receiving
//!    AppendEntries (a `drop_next` rule; heartbeats still reach them) and client 1 writes
//!    through the leader; run until that write commits on the others. The cut-off
//!    followers now have shorter logs and cannot win the next election.
//! 3. Step until the leader (whoever leads by then) starts a heartbeat round; crash it at that instant plus an
//!    offset drawn uniformly from `[0, heartbeat_interval)` (the trial's own RNG, seeded
//!    from the trial seed, so the world's draws are untouched).
//! 4. Step event by event until any node becomes leader of a newer term: the election
//!    time is that event's virtual time minus the crash time.

use super::measurement::{availability_of, TrialRecord};
use super::spec::{CrashTiming, ExperimentSpec, MeasurementKind};
use crate::action::Action;
use crate::scenario::Scenario;
use crate::timeline::World;
use crate::trace::TraceKind;
use crate::wire::{Endpoint, MsgKind};
use raft::{MessageKind, NodeId};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Trace records kept in memory by a trial's world (the hash still covers all): a trial
/// reads only the records of the step it just made.
const TRIAL_TRACE_RECORDS: usize = 256;
/// Mixed into the trial seed for the recipe's own draws.
const RECIPE_SEED_MIX: u64 = 0xe1ec_7100_f16a_0016;

/// Why a trial could not run its recipe (a spec the validator let through but that cannot
/// produce the set-up, e.g. no stable leader within the limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrialError(pub String);

/// A world ready to run one trial of range `range`.
pub fn trial_world(spec: &ExperimentSpec, range: usize, trial: u32) -> World {
    let mut w = World::new(spec.config_for(range), spec.trial_seed(range, trial))
        .expect("spec.validate checked every range's config");
    w.set_checkpointing(false);
    w.set_trace_capacity(TRIAL_TRACE_RECORDS);
    w
}

/// Runs trial `trial` of range `range` and returns its record.
pub fn run_trial(spec: &ExperimentSpec, range: usize, trial: u32) -> TrialRecord {
    let mut w = trial_world(spec, range, trial);
    run_in(spec, range, trial, &mut w)
}

/// Runs the trial and returns the world as a scenario that replays it up to the moment
/// that matters (plus one election limit at most), for the playground.
pub fn trial_scenario(spec: &ExperimentSpec, range: usize, trial: u32) -> Scenario {
    let mut w = World::new(spec.config_for(range), spec.trial_seed(range, trial))
        .expect("spec.validate checked every range's config");
    let rec = run_in(spec, range, trial, &mut w);
    let mut s = w.export_scenario(&format!(
        "{} range {} trial {trial} (seed {}): moment {} µs",
        spec.name,
        spec.ranges[range].label(),
        rec.seed,
        rec.moment_us
    ));
    s.duration_us = s.duration_us.max(rec.moment_us + 1);
    s
}

fn run_in(spec: &ExperimentSpec, range: usize, trial: u32, w: &mut World) -> TrialRecord {
    let mut rec = TrialRecord::new(spec, range, trial);
    let result = match spec.measurement {
        MeasurementKind::ElectionTime => election_time(spec, w, &mut rec),
        MeasurementKind::Availability => availability(spec, range, w, &mut rec),
    };
    if let Err(TrialError(e)) = result {
        rec.error = Some(e);
        rec.moment_us = w.now_us();
    }
    rec.events = w.events_processed();
    rec
}

/// Steps until `done` holds or virtual time passes `limit_us`; true if `done` held.
fn step_until(w: &mut World, limit_us: u64, mut done: impl FnMut(&World) -> bool) -> bool {
    while w.now_us() <= limit_us {
        if done(w) {
            return true;
        }
        if !w.step() {
            return false;
        }
    }
    false
}

/// Node 1 campaigns; returns the leader once exactly one node leads and has committed.
fn settle(w: &mut World, limit_us: u64) -> Result<(u32, u64), TrialError> {
    w.apply(Action::Campaign { node: NodeId(1) })
        .map_err(|e| TrialError(e.to_string()))?;
    let ok = step_until(w, limit_us, |w| {
        w.leaders().len() == 1 && w.committed_max().0 > 0
    });
    if !ok {
        return Err(TrialError(format!("no leader by {limit_us} µs")));
    }
    let l = w.leaders()[0];
    Ok((l.node.0, l.term.0))
}

fn election_time(
    spec: &ExperimentSpec,
    w: &mut World,
    rec: &mut TrialRecord,
) -> Result<(), TrialError> {
    let limit = spec.election_limit_us;
    let (leader, _) = settle(w, limit)?;
    let apply = |w: &mut World, a: Action| w.apply(a).map_err(|e| TrialError(e.to_string()));
    // Shorter logs: the highest ids besides the leader miss every AppendEntries from now.
    let n = w.config().node_count;
    let behind: Vec<u32> = (1..=n)
        .rev()
        .filter(|&id| id != leader)
        .take(spec.shorter_logs as usize)
        .collect();
    for &to in &behind {
        apply(
            w,
            Action::DropNext {
                from: None,
                to: Some(Endpoint::Node(NodeId(to))),
                kind: Some(MsgKind::Raft(MessageKind::Append)),
                count: u32::MAX,
            },
        )?;
    }
    if !behind.is_empty() {
        let committed = w.committed_max();
        apply(
            w,
            Action::Put {
                client: 1,
                key: "x".into(),
                value: "1".into(),
                node: Some(NodeId(leader)),
            },
        )?;
        let deadline = w.now_us() + limit;
        if !step_until(w, deadline, |w| w.committed_max() > committed) {
            return Err(TrialError(
                "the write before the crash did not commit".into(),
            ));
        }
    }
    // The next heartbeat round of whoever leads then (with tiny timeouts leadership may
    // have moved since the write; a shorter-log follower cannot have won it).
    let deadline = w.now_us() + limit;
    let mut seen = w.trace_len();
    let found = step_until(w, deadline, |w| {
        let new = (w.trace_len() - seen) as usize;
        seen = w.trace_len();
        let leaders = w.leaders();
        leaders.len() == 1
            && w.trace().rev().take(new).any(|r| {
                matches!(r.kind, TraceKind::Send { from: Endpoint::Node(f), kind: MsgKind::Raft(MessageKind::Heartbeat), .. } if f == leaders[0].node)
            })
    });
    if !found {
        return Err(TrialError("no leader sent a heartbeat round".into()));
    }
    let leader = w.leaders()[0].node;
    let heartbeat_us = w.now_us();
    let offset_us = match spec.crash {
        CrashTiming::RightAfterHeartbeat => 0,
        CrashTiming::RandomInHeartbeatInterval => {
            let mut rng = ChaCha8Rng::seed_from_u64(rec.seed ^ RECIPE_SEED_MIX);
            below(&mut rng, w.config().heartbeat_interval_us)
        }
    };
    let crash_us = heartbeat_us + offset_us;
    w.run_until(crash_us);
    apply(w, Action::Crash { node: leader })?;
    rec.old_leader = Some(leader.0);
    rec.crash_us = Some(crash_us);
    let terms_before = w.leaders_by_term().len();
    let elected = step_until(w, crash_us + limit, |w| {
        w.leaders_by_term().len() > terms_before
    });
    if elected {
        let l = *w.leaders().last().expect("a new leader leads");
        let (new_leader, new_term) = (l.node.0, l.term.0);
        rec.new_leader = Some(new_leader);
        rec.new_term = Some(new_term);
        rec.elected_us = Some(w.now_us());
        rec.election_us = Some(w.now_us() - crash_us);
        rec.moment_us = w.now_us();
    } else {
        rec.moment_us = crash_us;
    }
    Ok(())
}

fn availability(
    spec: &ExperimentSpec,
    range: usize,
    w: &mut World,
    rec: &mut TrialRecord,
) -> Result<(), TrialError> {
    let a = &spec.availability;
    let (leader, _) = settle(w, spec.election_limit_us)?;
    rec.old_leader = Some(leader);
    let start_us = w.now_us();
    let mut faults: Vec<(String, u64, Action)> = a
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                format!("availability.faults[{i}]"),
                f.at_us,
                f.action.clone(),
            )
        })
        .collect();
    // A fault duration (a sweep's point): everything heals that long after the first fault.
    if let Some(d) = spec.ranges[range].fault_duration_us {
        let first_us = a.faults.iter().map(|f| f.at_us).min().unwrap_or(0);
        faults.push((
            "fault_duration_us".into(),
            first_us.saturating_add(d),
            Action::Heal,
        ));
    }
    // Stable: faults at the same time apply in the order listed.
    faults.sort_by_key(|(_, at_us, _)| *at_us);
    for (what, at_us, action) in faults {
        w.run_until(start_us + at_us);
        w.apply(action)
            .map_err(|e| TrialError(format!("{what}.action.{e}")))?;
    }
    let end_us = start_us + a.window_us;
    w.run_until(end_us);
    w.apply(Action::SetWorkload {
        enabled: Some(false),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    })
    .map_err(|e| TrialError(e.to_string()))?;
    w.run_until(end_us + a.drain_us);
    rec.crash_us = Some(start_us);
    availability_of(w, start_us, end_us, rec);
    Ok(())
}

/// A uniform draw in `[0, n)` (0 when `n` is 0), by multiply-shift: integer only.
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}
