//! The experiment spec: what to vary, how many trials, what to measure. Read from JSON with
//! [`crate::json`] (errors name the field: `ranges[2].timeout_ms_max: ...`); documented in
//! `docs/experiments.md`.

use super::sweep::{SweepParameter, SweepSpec};
use crate::config::{LinkConfig, SimConfig};
use crate::json::{from_json_named, FromJson, JsonResult, Obj, Value};
use crate::scenario::TimedAction;
use crate::vocab::vocab;
use serde::Serialize;

/// The most trials one range may ask for.
pub const TRIALS_PER_RANGE_MAX: u32 = 1_000_000;
/// The most ranges one spec may hold.
pub const RANGES_MAX: usize = 1_000;
/// The most trials one spec may hold over all its ranges.
pub const TRIALS_TOTAL_MAX: u64 = 10_000_000;
/// The longest availability window, drain, fault time or fault duration: 10 minutes of
/// virtual time (each trial runs it whole, with the workload on).
pub const AVAILABILITY_US_MAX: u64 = 600_000_000;

vocab! {
    /// What a trial measures.
    pub enum MeasurementKind {
        /// Time from crashing the leader until a new leader exists.
        ElectionTime = "election_time" / "time until a new leader",
        /// Fraction of client operations that succeed, and their latency, under faults.
        Availability = "availability" / "client availability",
    }
    impl Serialize;
}

vocab! {
    /// A node-to-node latency model.
    pub enum NetworkPreset {
        /// The links of `config.network` as given.
        Config = "config" / "as in config.network",
        /// One-way latency uniform in 4–9 ms, no loss: a broadcast (leader to four
        /// followers and back) takes about 15 ms, as on the paper's cluster.
        Figure16 = "figure16" / "paper cluster (broadcast ~15 ms)",
    }
    impl Serialize;
}

vocab! {
    /// When, within the leader's heartbeat interval, the leader is crashed.
    pub enum CrashTiming {
        /// At a uniformly random point of the interval that starts at a heartbeat round.
        RandomInHeartbeatInterval = "random_in_heartbeat_interval"
            / "random point after a heartbeat round",
        /// Right at a heartbeat round (its messages already sent).
        RightAfterHeartbeat = "right_after_heartbeat" / "right after a heartbeat round",
    }
    impl Serialize;
}

/// What the paper reports for one range, to print beside the measured figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaperFigures {
    /// Median election time, ms.
    pub median_ms: Option<u64>,
    /// Mean election time, ms.
    pub mean_ms: Option<u64>,
    /// Worst trial, ms.
    pub max_ms: Option<u64>,
}

/// One range of election timeouts: `[timeout_ms_min, timeout_ms_max]` ms, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RangeSpec {
    /// Which graph or group it belongs to (`top`, `bottom`, ...).
    pub group: String,
    /// Smallest election timeout, ms.
    pub timeout_ms_min: u64,
    /// Largest election timeout, ms (included; equal to the minimum for no randomness).
    pub timeout_ms_max: u64,
    /// Trials in this range (default: the spec's `trials`).
    pub trials: u32,
    /// The paper's figures for this range, if any.
    pub paper: PaperFigures,
    /// Loss probability of every node-to-node link, ppm (set by a `loss_ppm` sweep, or by
    /// the range); `None`: the network's.
    pub loss_ppm: Option<u32>,
    /// Availability: a `heal` this long after the earliest fault, µs (set by a
    /// `fault_duration_us` sweep, or by the range); `None`: the faults as listed.
    pub fault_duration_us: Option<u64>,
    /// PreVote in this range; `None`: the spec's (so one spec can compare both).
    pub pre_vote: Option<bool>,
    /// CheckQuorum in this range; `None`: the spec's.
    pub check_quorum: Option<bool>,
}

impl RangeSpec {
    /// `150-155`, and the swept value if any: `150-300 loss_ppm=10000`.
    pub fn label(&self) -> String {
        let mut s = format!("{}-{}", self.timeout_ms_min, self.timeout_ms_max);
        if let Some(v) = self.loss_ppm {
            s.push_str(&format!(" {}={v}", SweepParameter::LossPpm.name()));
        }
        if let Some(v) = self.fault_duration_us {
            s.push_str(&format!(" {}={v}", SweepParameter::FaultDurationUs.name()));
        }
        s
    }
}

/// The availability measurement's window and faults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AvailabilitySpec {
    /// Length of the measured window, virtual µs; operations invoked in it are counted.
    pub window_us: u64,
    /// Faults, `at_us` counted from the start of the window (node 1 leads when it starts).
    pub faults: Vec<TimedAction>,
    /// After the window the workload stops and outstanding operations get this long to end.
    pub drain_us: u64,
}

impl Default for AvailabilitySpec {
    fn default() -> Self {
        AvailabilitySpec {
            window_us: 5_000_000,
            faults: Vec::new(),
            drain_us: 5_000_000,
        }
    }
}

/// A whole experiment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExperimentSpec {
    /// Short name (`figure16`).
    pub name: String,
    /// What it shows.
    pub description: String,
    /// What each trial measures.
    pub measurement: MeasurementKind,
    /// Trial seeds derive from this (see [`ExperimentSpec::trial_seed`]).
    pub seed: u64,
    /// Default trials per range.
    pub trials: u32,
    /// The world's configuration apart from what the spec sets (timeouts, heartbeat,
    /// PreVote, CheckQuorum, network preset).
    pub config: SimConfig,
    /// Latency model of node-to-node links.
    pub network: NetworkPreset,
    /// PreVote (§9.6); off in paper Raft.
    pub pre_vote: bool,
    /// CheckQuorum (§6.2); off in paper Raft.
    pub check_quorum: bool,
    /// Heartbeat period, µs; `None`: half the range's minimum election timeout.
    pub heartbeat_interval_us: Option<u64>,
    /// This many followers miss the last write (their logs are shorter, so they cannot win).
    pub shorter_logs: u32,
    /// When the leader is crashed (election time).
    pub crash: CrashTiming,
    /// A trial with no new leader this long after the crash is recorded as unfinished.
    pub election_limit_us: u64,
    /// The availability window and faults.
    pub availability: AvailabilitySpec,
    /// The sweep the ranges were multiplied by, if any (already expanded into `ranges`).
    pub sweep: Option<SweepSpec>,
    /// The election timeout ranges (one per sweep value when there is a sweep).
    pub ranges: Vec<RangeSpec>,
}

/// A spec that cannot run, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

impl ExperimentSpec {
    /// Reads and validates a spec; errors read `spec.ranges[1].timeout_ms_max: ...`.
    pub fn from_json(text: &str) -> Result<ExperimentSpec, SpecError> {
        let s: ExperimentSpec = from_json_named("spec", text).map_err(SpecError)?;
        s.validate()?;
        Ok(s)
    }

    /// Checks every range's world configuration and the spec's own bounds.
    pub fn validate(&self) -> Result<(), SpecError> {
        let bad =
            |field: String, problem: String| Err(SpecError(format!("spec.{field}: {problem}")));
        if self.ranges.is_empty() {
            return bad("ranges".into(), "at least one range is needed".into());
        }
        if self.ranges.len() > RANGES_MAX {
            return bad("ranges".into(), format!("at most {RANGES_MAX} ranges"));
        }
        if self.trials_total() > TRIALS_TOTAL_MAX {
            return bad(
                "ranges".into(),
                format!(
                    "{} trials in all, at most {TRIALS_TOTAL_MAX} (TRIALS_TOTAL_MAX)",
                    self.trials_total()
                ),
            );
        }
        let a = &self.availability;
        let times = [
            ("availability.window_us".to_string(), a.window_us),
            ("availability.drain_us".to_string(), a.drain_us),
        ]
        .into_iter()
        .chain(
            a.faults
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("availability.faults[{i}].at_us"), f.at_us)),
        )
        .chain(self.ranges.iter().enumerate().filter_map(|(i, r)| {
            r.fault_duration_us
                .map(|d| (format!("ranges[{i}].fault_duration_us"), d))
        }));
        for (field, us) in times {
            if us > AVAILABILITY_US_MAX {
                return bad(
                    field,
                    format!("{us} µs, at most {AVAILABILITY_US_MAX} (AVAILABILITY_US_MAX)"),
                );
            }
        }
        let n = self.config.node_count;
        if self.shorter_logs > 0 && n.saturating_sub(self.shorter_logs) <= n / 2 {
            return bad(
                "shorter_logs".into(),
                format!(
                    "{} of {n} nodes leave no majority with the write",
                    self.shorter_logs
                ),
            );
        }
        if self.election_limit_us == 0 || self.election_limit_us > crate::config::TIME_US_MAX {
            return bad(
                "election_limit_us".into(),
                "must be positive and below 2^50".into(),
            );
        }
        for (i, r) in self.ranges.iter().enumerate() {
            if r.timeout_ms_min == 0 || r.timeout_ms_min > r.timeout_ms_max {
                return bad(
                    format!("ranges[{i}].timeout_ms_max"),
                    format!(
                        "must be at least timeout_ms_min, which must be positive ({}..{})",
                        r.timeout_ms_min, r.timeout_ms_max
                    ),
                );
            }
            if r.trials == 0 || r.trials > TRIALS_PER_RANGE_MAX {
                return bad(
                    format!("ranges[{i}].trials"),
                    format!("must be 1..={TRIALS_PER_RANGE_MAX}, got {}", r.trials),
                );
            }
            if r.fault_duration_us.is_some() {
                if self.measurement != MeasurementKind::Availability {
                    return bad(
                        format!("ranges[{i}].fault_duration_us"),
                        "only the availability measurement has faults".into(),
                    );
                }
                if self.availability.faults.is_empty() {
                    return bad(
                        format!("ranges[{i}].fault_duration_us"),
                        "availability.faults is empty: no fault to end".into(),
                    );
                }
            }
            if let Err(e) = self.config_for(i).validate() {
                // Timeouts and heartbeat come from the range; everything else from `config`.
                let field = if e.field.starts_with("election_timeout")
                    || e.field.starts_with("heartbeat")
                {
                    format!("ranges[{i}] ({})", e.field)
                } else {
                    format!("config.{}", e.field)
                };
                return bad(field, e.problem);
            }
        }
        Ok(())
    }

    /// The world configuration of range `i`.
    pub fn config_for(&self, i: usize) -> SimConfig {
        let r = &self.ranges[i];
        let mut c = self.config.clone();
        c.election_timeout_us_min = r.timeout_ms_min * 1000;
        // The simulator's upper bound is exclusive; the spec's is included.
        c.election_timeout_us_max = r.timeout_ms_max * 1000 + 1;
        c.heartbeat_interval_us = self
            .heartbeat_interval_us
            .unwrap_or(c.election_timeout_us_min / 2);
        c.pre_vote = r.pre_vote.unwrap_or(self.pre_vote);
        c.check_quorum = r.check_quorum.unwrap_or(self.check_quorum);
        if self.network == NetworkPreset::Figure16 {
            c.network = LinkConfig {
                latency_us_min: 4_000,
                latency_us_max: 9_000,
                ..LinkConfig::default()
            };
        }
        if let Some(loss_ppm) = r.loss_ppm {
            c.network.loss_ppm = loss_ppm;
        }
        if self.measurement == MeasurementKind::Availability {
            c.workload.enabled = true;
        }
        c
    }

    /// The seed of trial `trial` of range `range`: distinct for every pair.
    pub fn trial_seed(&self, range: usize, trial: u32) -> u64 {
        self.seed
            .wrapping_add((range as u64) << 32)
            .wrapping_add(u64::from(trial))
    }

    /// Every trial count replaced by `trials` (the CLI's `--trials`).
    pub fn with_trials(mut self, trials: u32) -> ExperimentSpec {
        for r in &mut self.ranges {
            r.trials = trials;
        }
        self
    }

    /// Trials over all ranges.
    pub fn trials_total(&self) -> u64 {
        self.ranges.iter().map(|r| u64::from(r.trials)).sum()
    }
}

impl FromJson for PaperFigures {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct PaperFigures",
            &["median_ms", "mean_ms", "max_ms"],
        )?;
        Ok(PaperFigures {
            median_ms: o.opt("median_ms")?,
            mean_ms: o.opt("mean_ms")?,
            max_ms: o.opt("max_ms")?,
        })
    }
}

impl FromJson for AvailabilitySpec {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct AvailabilitySpec",
            &["window_us", "faults", "drain_us"],
        )?;
        let d = AvailabilitySpec::default();
        Ok(AvailabilitySpec {
            window_us: o.or("window_us", d.window_us)?,
            faults: o.or("faults", d.faults)?,
            drain_us: o.or("drain_us", d.drain_us)?,
        })
    }
}

/// A range without its default trial count (filled in by the spec).
struct RawRange(RangeSpec, Option<u32>);

impl FromJson for RawRange {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct RangeSpec",
            &[
                "group",
                "timeout_ms_min",
                "timeout_ms_max",
                "trials",
                "paper",
                "loss_ppm",
                "fault_duration_us",
                "pre_vote",
                "check_quorum",
            ],
        )?;
        let r = RangeSpec {
            group: o.or("group", String::new())?,
            timeout_ms_min: o.req("timeout_ms_min")?,
            timeout_ms_max: o.req("timeout_ms_max")?,
            trials: 0,
            paper: o.or("paper", PaperFigures::default())?,
            loss_ppm: o.opt("loss_ppm")?,
            fault_duration_us: o.opt("fault_duration_us")?,
            pre_vote: o.opt("pre_vote")?,
            check_quorum: o.opt("check_quorum")?,
        };
        Ok(RawRange(r, o.opt("trials")?))
    }
}

impl FromJson for ExperimentSpec {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct ExperimentSpec",
            &[
                "name",
                "description",
                "measurement",
                "seed",
                "trials",
                "config",
                "network",
                "pre_vote",
                "check_quorum",
                "heartbeat_interval_us",
                "shorter_logs",
                "crash",
                "election_limit_us",
                "availability",
                "sweep",
                "ranges",
            ],
        )?;
        let trials: u32 = o.or("trials", 1_000)?;
        let ranges: Vec<RawRange> = o.req("ranges")?;
        let sweep: Option<SweepSpec> = o.opt("sweep")?;
        let ranges: Vec<RangeSpec> = ranges
            .into_iter()
            .map(|RawRange(mut r, t)| {
                r.trials = t.unwrap_or(trials);
                r
            })
            .collect();
        Ok(ExperimentSpec {
            name: o.or("name", String::new())?,
            description: o.or("description", String::new())?,
            measurement: o.req("measurement")?,
            seed: o.or("seed", 1)?,
            trials,
            config: o.or("config", SimConfig::default())?,
            network: o.or("network", NetworkPreset::Config)?,
            pre_vote: o.or("pre_vote", false)?,
            check_quorum: o.or("check_quorum", false)?,
            heartbeat_interval_us: o.opt("heartbeat_interval_us")?,
            shorter_logs: o.or("shorter_logs", 0)?,
            crash: o.or("crash", CrashTiming::RandomInHeartbeatInterval)?,
            election_limit_us: o.or("election_limit_us", 60_000_000)?,
            availability: o.or("availability", AvailabilitySpec::default())?,
            ranges: match &sweep {
                Some(s) => expand(s, &ranges),
                None => ranges,
            },
            sweep,
        })
    }
}

/// Every range once per value of the sweep, range-major, with the value set on the range.
fn expand(sweep: &SweepSpec, ranges: &[RangeSpec]) -> Vec<RangeSpec> {
    ranges
        .iter()
        .flat_map(|r| {
            sweep.values.iter().map(move |&v| {
                let mut point = r.clone();
                match sweep.parameter {
                    // Checked to fit a u32 when the sweep was read.
                    SweepParameter::LossPpm => point.loss_ppm = Some(v as u32),
                    SweepParameter::FaultDurationUs => point.fault_duration_us = Some(v),
                }
                point
            })
        })
        .collect()
}
