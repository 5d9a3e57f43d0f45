//! Two worlds in lock step, Raft and the AP store ([`crate::ap`]): the same configuration
//! (but the protocol), seed, workload and fault actions, so that CAP's choice can be seen
//! under one partition. Each side's [`SideReport`] gives the fraction of operations
//! answered during the partitions, the history's linearizability verdict and strongest
//! consistency model, and its replicas' lag; [`SideBySide::lag`] samples the lag of both
//! sides over time (the inconsistency window).
//!
//! The two sides draw from the same seed but use it differently (Raft draws election
//! timeouts, the AP store draws none), so their traces differ from the first event; what
//! is shared is everything the user controls.

use crate::action::{Action, ActionError};
use crate::ap::ApConfig;
use crate::config::{ConfigError, SimConfig};
use crate::history::{Op, Outcome};
use crate::scenario::Scenario;
use crate::timeline::World;
use check::Verdict;
use serde::Serialize;

/// How often the replica lag is sampled, virtual µs.
pub const LAG_SAMPLE_US: u64 = 20_000;
/// Lag samples kept (the oldest are dropped beyond it): 20 virtual minutes at the rate.
pub const LAG_SAMPLES_MAX: usize = 60_000;

/// One lag sample: at `at_us`, how many live replicas of each side were behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LagSample {
    /// Virtual µs.
    pub at_us: u64,
    /// Raft's nodes behind the most applied one.
    pub raft: u32,
    /// The AP store's replicas whose versions are not the newest.
    pub ap: u32,
}

/// One side's outcome so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideReport {
    /// `raft` or `ap`.
    pub protocol: &'static str,
    /// Operations invoked while a partition stood (see [`partition_windows`]), judged.
    pub ops_in_partitions: u64,
    /// Those answered with success before the partition healed.
    pub ops_ok_in_partitions: u64,
    /// Clients with an operation of those not answered: with one operation at a time per
    /// client, a client cut off from a quorum stops issuing, so this says more than the
    /// fraction of operations.
    pub clients_unanswered: u32,
    /// Operations in the history.
    pub ops: u64,
    /// The history's linearizability verdict (`ok`, `violated`, `unknown`).
    pub linearizability: &'static str,
    /// The strongest model of the consistency ladder the history satisfies (`None`: none).
    pub strongest_model: Option<&'static str>,
    /// Live replicas behind now ([`World::stale_replicas`]).
    pub stale_replicas: u32,
    /// Whether the live replicas agree now.
    pub converged: bool,
}

/// Both sides' reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideBySideReport {
    /// Virtual µs.
    pub now_us: u64,
    /// Raft's side.
    pub raft: SideReport,
    /// The AP store's side.
    pub ap: SideReport,
    /// When a partition stood, `(from_us, to_us)` ([`partition_windows`]; both sides had
    /// the same actions).
    pub partitions: Vec<(u64, u64)>,
}

/// Raft and the AP store, in lock step.
#[derive(Clone, Debug)]
pub struct SideBySide {
    raft: World,
    ap: World,
    lag: Vec<LagSample>,
    /// A scenario's timed actions not yet due, latest first (popped as they come due).
    scheduled: Vec<(u64, usize, Action)>,
    /// Scheduled actions refused when due: their index in the scenario, and why.
    skipped: Vec<(usize, ActionError)>,
}

impl SideBySide {
    /// Both worlds from one configuration (its `ap` field ignored) and the AP store's
    /// settings.
    pub fn new(config: SimConfig, ap: ApConfig, seed: u64) -> Result<SideBySide, ConfigError> {
        let raft_config = SimConfig {
            ap: None,
            ..config.clone()
        };
        let ap_config = SimConfig {
            ap: Some(ap),
            ..config
        };
        let mut s = SideBySide {
            raft: World::new(raft_config, seed)?,
            ap: World::new(ap_config, seed)?,
            lag: Vec::new(),
            scheduled: Vec::new(),
            skipped: Vec::new(),
        };
        s.sample();
        Ok(s)
    }

    /// Both worlds of scenario `s` (its config's `ap` settings, or the defaults, for the AP
    /// side), its timed actions applied to both as they come due; its expectations are
    /// not checked. An action either side refuses when due is skipped ([`Self::skipped`]).
    pub fn from_scenario(s: &Scenario) -> Result<SideBySide, ConfigError> {
        let mut pair = SideBySide::new(s.config.clone(), s.config.ap.unwrap_or_default(), s.seed)?;
        pair.scheduled = s
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.at_us, i, a.action.clone()))
            .collect();
        pair.scheduled
            .sort_by_key(|&(at, i, _)| std::cmp::Reverse((at, i)));
        Ok(pair)
    }

    /// The scheduled actions refused when due: their index in the scenario, and why.
    pub fn skipped(&self) -> &[(usize, ActionError)] {
        &self.skipped
    }

    /// Raft's world.
    pub fn raft(&self) -> &World {
        &self.raft
    }

    /// The AP store's world.
    pub fn ap(&self) -> &World {
        &self.ap
    }

    /// Applies `action` to both worlds, or to neither: it is checked against both first,
    /// and an action only Raft has is refused (field `type`).
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        self.raft.check_action(&action)?;
        self.ap.check_action(&action)?;
        self.raft.apply(action.clone())?;
        self.ap.apply(action)
    }

    /// Runs both worlds to `t`, applying the scheduled actions due by then and sampling
    /// the lag every [`LAG_SAMPLE_US`].
    pub fn run_until(&mut self, t: u64) {
        loop {
            let sample_at = self.lag.last().map_or(0, |s| s.at_us) + LAG_SAMPLE_US;
            let action_at = self.scheduled.last().map(|a| a.0).filter(|&at| at <= t);
            let step = match action_at {
                Some(at) if at < sample_at => at,
                _ if sample_at <= t => sample_at,
                _ => break,
            };
            self.raft.run_until(step);
            self.ap.run_until(step);
            while let Some((at, i, a)) = self.scheduled.pop() {
                if at > step {
                    self.scheduled.push((at, i, a));
                    break;
                }
                if let Err(e) = self.apply(a) {
                    self.skipped.push((i, e));
                }
            }
            if step == sample_at {
                self.sample();
            }
        }
        self.raft.run_until(t);
        self.ap.run_until(t);
    }

    /// Moves both worlds to `t` (replaying their action logs), dropping later samples.
    pub fn seek(&mut self, t: u64) {
        self.raft.seek(t);
        self.ap.seek(t);
        self.lag.retain(|s| s.at_us <= t);
    }

    /// The lag samples so far, oldest first.
    pub fn lag(&self) -> &[LagSample] {
        &self.lag
    }

    /// The lag samples in at most `points_max` buckets of consecutive samples, each the
    /// bucket's first time and its largest lag per side (what a chart that wide can show,
    /// with every excursion above zero kept).
    pub fn lag_buckets(&self, points_max: usize) -> Vec<LagSample> {
        let per = self.lag.len().div_ceil(points_max.max(1)).max(1);
        self.lag
            .chunks(per)
            .map(|c| LagSample {
                at_us: c[0].at_us,
                raft: c.iter().map(|s| s.raft).max().unwrap_or(0),
                ap: c.iter().map(|s| s.ap).max().unwrap_or(0),
            })
            .collect()
    }

    /// Both sides' reports; checks both histories (bounded by `options`' budgets).
    pub fn report(&self, options: &check::Options) -> SideBySideReport {
        let w = &self.raft;
        SideBySideReport {
            now_us: w.now_us(),
            raft: side_report("raft", &self.raft, options),
            ap: side_report("ap", &self.ap, options),
            partitions: partition_windows(
                w.actions().iter().map(|a| (a.at_us, &a.action)),
                w.now_us(),
            ),
        }
    }

    fn sample(&mut self) {
        if self.lag.len() >= LAG_SAMPLES_MAX {
            self.lag.drain(..LAG_SAMPLES_MAX / 10);
        }
        self.lag.push(LagSample {
            at_us: self.raft.now_us(),
            raft: self.raft.stale_replicas(),
            ap: self.ap.stale_replicas(),
        });
    }
}

/// Runs scenario `s` side by side to its end ([`SideBySide::from_scenario`]).
pub fn run_side_by_side(s: &Scenario) -> Result<SideBySide, ConfigError> {
    let mut pair = SideBySide::from_scenario(s)?;
    pair.run_until(s.duration_us);
    Ok(pair)
}

impl SideBySideReport {
    /// The report as a table, with the AP side's inconsistency window from `lag`.
    pub fn to_text(&self, lag: &[LagSample]) -> String {
        let mut t = String::new();
        let row = |t: &mut String, what: &str, raft: String, ap: String| {
            t.push_str(&format!("  {what:<34} {raft:<16} {ap}\n"));
        };
        let answered = |r: &SideReport| {
            if r.ops_in_partitions == 0 {
                "no operation".to_string()
            } else {
                format!(
                    "{}/{} ({}%)",
                    r.ops_ok_in_partitions,
                    r.ops_in_partitions,
                    r.ops_ok_in_partitions * 100 / r.ops_in_partitions
                )
            }
        };
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let (r, a) = (&self.raft, &self.ap);
        row(&mut t, "", "raft".into(), "ap".into());
        row(
            &mut t,
            "answered during partitions",
            answered(r),
            answered(a),
        );
        row(
            &mut t,
            "clients left unanswered",
            r.clients_unanswered.to_string(),
            a.clients_unanswered.to_string(),
        );
        row(
            &mut t,
            "operations in all",
            r.ops.to_string(),
            a.ops.to_string(),
        );
        row(
            &mut t,
            "linearizability",
            r.linearizability.into(),
            a.linearizability.into(),
        );
        let model = |m: Option<&str>| m.unwrap_or("none").to_string();
        row(
            &mut t,
            "strongest model",
            model(r.strongest_model),
            model(a.strongest_model),
        );
        row(
            &mut t,
            "replicas behind now",
            r.stale_replicas.to_string(),
            a.stale_replicas.to_string(),
        );
        row(&mut t, "converged now", yes(r.converged), yes(a.converged));
        let behind: Vec<&LagSample> = lag.iter().filter(|l| l.ap > 0).collect();
        match (behind.iter().map(|l| l.ap).max(), behind.last()) {
            (Some(most), Some(last)) => t.push_str(&format!(
                "AP replicas behind the newest versions: at most {most}, last seen behind at {} ms\n",
                last.at_us / 1000
            )),
            _ => t.push_str("AP replicas behind the newest versions: never\n"),
        }
        t
    }
}

fn side_report(protocol: &'static str, w: &World, options: &check::Options) -> SideReport {
    let ops = w.operations().to_vec();
    let windows = partition_windows(w.actions().iter().map(|a| (a.at_us, &a.action)), w.now_us());
    let judged = judged_in_partitions(&ops, &windows, w.config());
    let ok = judged.iter().filter(|(_, answered)| *answered).count();
    let mut unanswered: Vec<u64> = judged
        .iter()
        .filter(|(_, answered)| !answered)
        .map(|(o, _)| o.client)
        .collect();
    unanswered.sort_unstable();
    unanswered.dedup();
    let report = check::check_history(&w.history(), options);
    SideReport {
        protocol,
        ops_in_partitions: judged.len() as u64,
        ops_ok_in_partitions: ok as u64,
        clients_unanswered: unanswered.len() as u32,
        ops: ops.len() as u64,
        linearizability: match report.linearizability.verdict {
            Verdict::Ok => "ok",
            Verdict::Violated => "violated",
            Verdict::Unknown => "unknown",
        },
        strongest_model: report.ladder.strongest,
        stale_replicas: w.stale_replicas(),
        converged: w.converged(),
    }
}

/// The spans during which a partition stood: from a `partition` or `isolate` action to
/// the next `heal` (or `now_us` when none came yet), in virtual µs.
pub fn partition_windows<'a>(
    actions: impl Iterator<Item = (u64, &'a Action)>,
    now_us: u64,
) -> Vec<(u64, u64)> {
    let mut windows = Vec::new();
    let mut open: Option<u64> = None;
    for (at_us, a) in actions {
        match a {
            Action::Partition { .. } | Action::Isolate { .. } => open = open.or(Some(at_us)),
            Action::Heal => {
                if let Some(from) = open.take() {
                    windows.push((from, at_us));
                }
            }
            _ => {}
        }
    }
    if let Some(from) = open {
        windows.push((from, now_us));
    }
    windows
}

/// The operations invoked while a partition stood, each with whether it was answered with
/// success before that partition healed. Those invoked within one client round trip
/// (`2 × clients.latency_us_max`, plus 1 ms) of the heal are not judged.
pub fn judged_in_partitions<'a>(
    ops: &'a [Op],
    windows: &[(u64, u64)],
    config: &SimConfig,
) -> Vec<(&'a Op, bool)> {
    let round_trip_us = 2 * config.clients.latency_us_max + 1_000;
    ops.iter()
        .filter_map(|o| {
            let &(_, end) = windows
                .iter()
                .find(|&&(a, b)| o.invoke_us >= a && o.invoke_us + round_trip_us < b)?;
            let answered = o.outcome == Outcome::Ok && o.complete_us.is_some_and(|c| c <= end);
            Some((o, answered))
        })
        .collect()
}
