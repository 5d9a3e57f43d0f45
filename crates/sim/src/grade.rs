//! Exercises and their grader: one function, [`grade`], that the CLI (`raftlab grade`), Node
//! and the page (through the Wasm binding) all call, so the three give the same answer.
//!
//! ```text
//!   Exercise (JSON)                       Submission (JSON: the learner's action log,
//!   scenario + goal + constraints          what a share link or an export carries)
//!        │                                          │
//!        └──── scenario.actions ∪ learner's actions ┘
//!                          │ run, sampled every GOAL_SAMPLE_US
//!                          ▼
//!   Grade: passed, each goal (ok, observed, met_at_us), each constraint, reasons
//!          (English lines) with their failures (the same as data: a code and its
//!          parameters, worded by the page in the reader's language), score
//! ```
//!
//! A goal is either one of the scenario expectations ([`Expectation`]) or one of the
//! exercise-only kinds below, which ask about the whole run rather than one instant ("two
//! leaders at the same time", "elect node 3", "no leader until 2 s"). The learner's actions
//! are the submission's actions minus the exercise's own scheduled ones (a share link
//! carries both), so either form may be handed in. The format is documented for instructors
//! in `docs/exercises.md`.

use crate::action::{Action, ACTION_TYPES};
use crate::config::SimConfig;
use crate::json;
use crate::runner::{evaluate, linearizability};
use crate::scenario::{Expectation, Scenario, TimedAction};
use crate::timeline::World;
use crate::vocab::vocab;
use raft::NodeId;
use serde::Serialize;
use std::fmt;

/// How often the run is sampled for goals about the whole run (`leaders_at_once`,
/// `becomes_leader`, `no_leader_until`) and for the moment a goal became met: every virtual
/// millisecond. A state shorter than that between two samples can be missed.
pub const GOAL_SAMPLE_US: u64 = 1_000;
/// The most goals an exercise may hold.
pub const GOALS_MAX: usize = 32;

vocab! {
    /// What an exercise asks: reach the goal (`exercise`), or reach it with as few actions
    /// as possible (`challenge`: the grade's `score` counts them).
    #[derive(Default, Serialize)]
    pub enum ExerciseKind {
        /// Reach the goal within the constraints.
        #[default]
        Exercise = "exercise",
        /// Reach the goal; fewer actions score better.
        Challenge = "challenge",
    }
}

/// What the learner must make happen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Goal {
    /// At some sampled moment at least `count_min` live nodes believe they lead (split
    /// brain: 2).
    LeadersAtOnce {
        /// How many leaders at once.
        count_min: u32,
    },
    /// At some sampled moment node `node` is leader ("elect node 3").
    BecomesLeader {
        /// The node.
        node: u32,
    },
    /// No live node is leader at any sampled moment up to `at_us` (elections keep failing).
    NoLeaderUntil {
        /// Until when, virtual µs.
        at_us: u64,
    },
    /// A scenario expectation, judged as `raftlab run` judges it.
    #[serde(untagged)]
    Expect(Expectation),
}

/// The exercise-only goal types (the expectation types are accepted too).
pub const GOAL_TYPES: &[&str] = &["leaders_at_once", "becomes_leader", "no_leader_until"];

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Goal::LeadersAtOnce { count_min } => {
                write!(f, "at least {count_min} leaders at the same time")
            }
            Goal::BecomesLeader { node } => write!(f, "n{node} becomes leader"),
            Goal::NoLeaderUntil { at_us } => write!(f, "no leader until {at_us}us"),
            Goal::Expect(e) => e.fmt(f),
        }
    }
}

/// Limits on what the learner may do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// The action types the learner may use (`["drop_next", "drop_message"]`: only message
    /// drops); none: any.
    pub actions_allowed: Option<Vec<String>>,
    /// At most this many learner actions.
    pub actions_max: Option<u32>,
    /// At most this many nodes crashed or paused at the same time.
    pub nodes_down_max: Option<u32>,
}

/// An exercise: a world, a goal and the rules of the game. The learner's texts are the
/// page's (`title`, `hints`, `success`, `goal_text`, `rule_text`: language maps); the grader
/// ignores them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// For instructors: what the exercise asks.
    pub description: String,
    /// Exercise or challenge.
    pub kind: ExerciseKind,
    /// The world the learner starts from (its actions are scheduled, not the learner's).
    pub scenario: Scenario,
    /// Every goal must be met.
    pub goal: Vec<Goal>,
    /// What the learner may do.
    pub constraints: Constraints,
}

/// What the learner hands in: their recorded action log. A share link's state or an export
/// fits (their other fields are ignored, but a seed or config that differs from the
/// exercise's is refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Submission {
    /// The world's seed, if the submission names it.
    pub seed: Option<u64>,
    /// The world's initial config, if the submission names it.
    pub config: Option<SimConfig>,
    /// The action log (the exercise's own scheduled actions may be included).
    pub actions: Vec<TimedAction>,
}

/// One goal's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// The goal, one line.
    pub goal: String,
    /// Met.
    pub ok: bool,
    /// What was observed.
    pub observed: String,
    /// The virtual time from which the goal counts as met (a page shows success once its
    /// world reaches it); none when not met.
    pub met_at_us: Option<u64>,
}

/// One constraint's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConstraintResult {
    /// The constraint, one line.
    pub constraint: String,
    /// Kept.
    pub ok: bool,
    /// What the submission did.
    pub observed: String,
}

/// A challenge's score (given for every grade).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Learner actions used (fewer is better).
    pub actions: u32,
    /// When the last goal became met (earlier is better), if all were.
    pub met_at_us: Option<u64>,
}

/// The grader's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// Every goal met, every constraint kept, every action applied.
    pub passed: bool,
    /// Exercise or challenge.
    pub kind: ExerciseKind,
    /// Each goal, in the exercise's order.
    pub goals: Vec<GoalResult>,
    /// Each constraint the exercise sets.
    pub constraints: Vec<ConstraintResult>,
    /// Why it did not pass, one English line each (empty when it passed): `failures[i]`
    /// written out.
    pub reasons: Vec<String>,
    /// The same reasons as data, in the same order: a code and its parameters.
    pub failures: Vec<Reason>,
    /// The score.
    pub score: Score,
}

/// Grades a submission against an exercise. Never panics on a parsed exercise and
/// submission: a submission that does not fit the world is a failed grade with its reason.
pub fn grade(ex: &Exercise, sub: &Submission) -> Grade {
    let learner = learner_actions(&ex.scenario.actions, &sub.actions);
    let checked = check_constraints(ex, &learner);
    let mut failures: Vec<Reason> = (checked.iter())
        .filter(|(c, _)| !c.ok)
        .map(|(_, r)| r.clone())
        .collect();
    let constraints: Vec<ConstraintResult> = checked.into_iter().map(|(c, _)| c).collect();
    let finish = |failures: Vec<Reason>, goals, constraints, met_at_us| Grade {
        passed: failures.is_empty(),
        kind: ex.kind,
        goals,
        constraints,
        reasons: failures.iter().map(Reason::to_string).collect(),
        failures,
        score: Score {
            actions: learner.len() as u32,
            met_at_us,
        },
    };
    let unjudged_goals = || ex.goal.iter().map(unjudged).collect();
    // A submission for another world, or one whose actions do not fit it, is not run.
    let before = failures.len();
    if let Some(seed) = sub.seed.filter(|&s| s != ex.scenario.seed) {
        failures.push(Reason {
            seed: Some(seed),
            exercise_seed: Some(ex.scenario.seed),
            ..Reason::new(ReasonCode::SeedMismatch)
        });
    }
    if sub
        .config
        .as_ref()
        .is_some_and(|c| *c != ex.scenario.config)
    {
        failures.push(Reason::new(ReasonCode::ConfigMismatch));
    }
    let mut run = ex.scenario.clone();
    run.expect = Vec::new();
    run.actions.extend(learner.iter().cloned());
    if let Err(e) = run.validate() {
        failures.push(Reason {
            observed: Some(e.to_string()),
            ..Reason::new(ReasonCode::SubmissionUnfit)
        });
    }
    if failures.len() > before {
        return finish(failures, unjudged_goals(), constraints, None);
    }
    let goals = match judge(&run, &ex.goal) {
        Ok((goals, skipped)) => {
            for s in skipped {
                failures.push(Reason {
                    index: Some(s.0),
                    at_us: Some(s.1),
                    observed: Some(s.2),
                    ..Reason::new(ReasonCode::ActionRefused)
                });
            }
            goals
        }
        Err(e) => {
            let why = Reason {
                observed: Some(e),
                ..Reason::new(ReasonCode::WorldInvalid)
            };
            return finish(vec![why], unjudged_goals(), constraints, None);
        }
    };
    for (i, g) in goals.iter().enumerate().filter(|(_, g)| !g.ok) {
        failures.push(Reason {
            index: Some(i as u32),
            text: Some(g.goal.clone()),
            observed: Some(g.observed.clone()),
            ..Reason::new(ReasonCode::GoalNotMet)
        });
    }
    let met_at_us = goals
        .iter()
        .map(|g| g.met_at_us)
        .try_fold(0, |m, t| t.map(|t| m.max(t)));
    finish(failures, goals, constraints, met_at_us)
}

fn unjudged(g: &Goal) -> GoalResult {
    GoalResult {
        goal: g.to_string(),
        ok: false,
        observed: "not judged".into(),
        met_at_us: None,
    }
}

/// The submission's actions that are not the exercise's own: each scheduled action removes
/// one equal action (same time, same action) from the submission.
pub fn learner_actions(scheduled: &[TimedAction], submitted: &[TimedAction]) -> Vec<TimedAction> {
    let mut used = vec![false; submitted.len()];
    for s in scheduled {
        if let Some(i) = (0..submitted.len()).find(|&i| !used[i] && submitted[i] == *s) {
            used[i] = true;
        }
    }
    (submitted.iter().zip(used))
        .filter(|(_, u)| !u)
        .map(|(a, _)| a.clone())
        .collect()
}

/// The `type` of an action (`"drop_next"`).
fn action_type(a: &Action) -> String {
    let text = json::to_string(a).unwrap_or_default();
    let v = json::parse(&text).ok();
    let name = v
        .as_ref()
        .and_then(|v| v.as_object()?.get("type")?.as_str());
    name.unwrap_or("").to_string()
}

/// Each constraint's verdict with the reason it gives when broken.
fn check_constraints(ex: &Exercise, learner: &[TimedAction]) -> Vec<(ConstraintResult, Reason)> {
    let c = &ex.constraints;
    let mut out = Vec::new();
    if let Some(allowed) = &c.actions_allowed {
        let other: Vec<String> = (learner.iter())
            .map(|a| action_type(&a.action))
            .filter(|t| !allowed.contains(t))
            .collect();
        let text = allowed.join(", ");
        out.push((
            ConstraintResult {
                constraint: format!("only {text}"),
                ok: other.is_empty(),
                observed: match other.first() {
                    None => "no other used".into(),
                    Some(t) => format!("used {t}"),
                },
            },
            Reason {
                text: Some(text),
                observed: other.first().cloned(),
                ..Reason::new(ReasonCode::ActionNotAllowed)
            },
        ));
    }
    if let Some(max) = c.actions_max {
        let n = learner.len() as u32;
        out.push((
            ConstraintResult {
                constraint: format!("at most {max} {}", plural(max, "action")),
                ok: n <= max,
                observed: format!("{n} {} used", plural(n, "action")),
            },
            Reason {
                max: Some(max),
                count: Some(n),
                ..Reason::new(ReasonCode::TooManyActions)
            },
        ));
    }
    if let Some(max) = c.nodes_down_max {
        let worst = nodes_down_most(&ex.scenario.actions, learner);
        out.push((
            ConstraintResult {
                constraint: format!("at most {max} nodes down at a time"),
                ok: worst <= max,
                observed: format!("{worst} down at most"),
            },
            Reason {
                max: Some(max),
                count: Some(worst),
                ..Reason::new(ReasonCode::TooManyNodesDown)
            },
        ));
    }
    out
}

/// The most nodes crashed or paused at once over the combined action log, in time order.
fn nodes_down_most(scheduled: &[TimedAction], learner: &[TimedAction]) -> u32 {
    let all: Vec<&TimedAction> = scheduled.iter().chain(learner).collect();
    // In time order, ties in log order, as the world replays them: the pairs (time, index)
    // are distinct, so an unstable sort of them is the stable sort by time.
    let mut order: Vec<(u64, u32)> = (all.iter().enumerate())
        .map(|(i, a)| (a.at_us, i as u32))
        .collect();
    util::sort::sort(&mut order);
    let mut down: Vec<NodeId> = Vec::new();
    let mut worst = 0;
    for (_, i) in order {
        match all[i as usize].action {
            Action::Crash { node } | Action::Pause { node } if !down.contains(&node) => {
                down.push(node)
            }
            Action::Restart { node } | Action::Resume { node } => down.retain(|&n| n != node),
            _ => {}
        }
        worst = worst.max(down.len() as u32);
    }
    worst
}

/// Per goal while the run goes: met at some sample (whole-run goals), met from some sample
/// on (state expectations judged at the end), or judged once.
struct Tracker {
    ok: bool,
    observed: String,
    met_at_us: Option<u64>,
}

/// Runs the world of `run` to its end, sampling every [`GOAL_SAMPLE_US`], and judges each
/// goal. Returns the goals' results and the skipped actions (index, time, error).
#[allow(clippy::type_complexity)]
fn judge(
    run: &Scenario,
    goals: &[Goal],
) -> Result<(Vec<GoalResult>, Vec<(u32, u64, String)>), String> {
    let mut w =
        World::from_scenario(run).map_err(|e| format!("config.{}: {}", e.field, e.problem))?;
    w.set_checked(cfg!(debug_assertions));
    w.set_checkpointing(false);
    let end = run.duration_us;
    let mut tr: Vec<Tracker> = goals
        .iter()
        .map(|g| Tracker {
            ok: matches!(g, Goal::NoLeaderUntil { .. }),
            observed: match g {
                Goal::NoLeaderUntil { .. } => "no leader seen".into(),
                _ => "not seen".into(),
            },
            met_at_us: None,
        })
        .collect();
    let mut lin = None;
    let mut t = 0;
    loop {
        // The next stop: the next sample, or an expectation's own time if sooner.
        let mut next = (t + GOAL_SAMPLE_US).min(end);
        for g in goals {
            if let Goal::Expect(e) = g {
                if let Some(at) = e.at().filter(|&at| at > t) {
                    next = next.min(at);
                }
            }
        }
        w.run_until(next);
        t = next;
        let leaders = w.leaders();
        for (g, k) in goals.iter().zip(tr.iter_mut()) {
            match g {
                Goal::LeadersAtOnce { count_min } => {
                    if k.met_at_us.is_none() && leaders.len() as u32 >= *count_min {
                        k.ok = true;
                        k.met_at_us = Some(t);
                        k.observed = leader_list(&leaders, t);
                    }
                }
                Goal::BecomesLeader { node } => {
                    if k.met_at_us.is_none() && leaders.iter().any(|l| l.node.get() == *node) {
                        k.ok = true;
                        k.met_at_us = Some(t);
                        k.observed = leader_list(&leaders, t);
                    }
                }
                Goal::NoLeaderUntil { at_us } => {
                    if t <= *at_us && k.ok && !leaders.is_empty() {
                        k.ok = false;
                        k.observed = leader_list(&leaders, t);
                    }
                    if t >= *at_us && k.ok && k.met_at_us.is_none() {
                        k.met_at_us = Some(*at_us);
                    }
                }
                Goal::Expect(e) => match e.at() {
                    Some(at) if at == t => {
                        let (ok, observed) = evaluate(&w, e, &mut lin);
                        *k = Tracker {
                            ok,
                            observed,
                            met_at_us: ok.then_some(t),
                        };
                    }
                    Some(_) => {}
                    // A state judged at the end: met from the first sample after which it
                    // stays met (cheap ones only; the others count from the end).
                    None if sampled(e) => {
                        let (ok, _) = evaluate(&w, e, &mut lin);
                        match (ok, k.met_at_us) {
                            (true, None) => k.met_at_us = Some(t),
                            (false, Some(_)) => k.met_at_us = None,
                            _ => {}
                        }
                    }
                    None => {}
                },
            }
        }
        if t >= end {
            break;
        }
    }
    let history_lin = (goals.iter()).any(|g| {
        matches!(
            g,
            Goal::Expect(Expectation::Linearizable | Expectation::NotLinearizable)
        )
    });
    if history_lin {
        lin = Some(linearizability(&w.history()));
    }
    for (g, k) in goals.iter().zip(tr.iter_mut()) {
        if let Goal::Expect(e) = g {
            if e.at().is_none() {
                let (ok, observed) = evaluate(&w, e, &mut lin);
                let met = match e {
                    Expectation::MonitorViolated { monitor } => w.monitors()[*monitor as usize]
                        .first
                        .as_ref()
                        .map(|v| v.time_us),
                    _ if sampled(e) => k.met_at_us,
                    _ => Some(end),
                };
                *k = Tracker {
                    ok,
                    observed,
                    met_at_us: if ok { met.or(Some(end)) } else { None },
                };
            }
        }
        if !k.ok {
            k.met_at_us = None;
        }
    }
    let skipped = (w.skipped_actions().iter())
        .map(|s| (s.index as u32, s.at_us, s.error.to_string()))
        .collect();
    let results = goals
        .iter()
        .zip(tr)
        .map(|(g, k)| GoalResult {
            goal: g.to_string(),
            ok: k.ok,
            observed: k.observed,
            met_at_us: k.met_at_us,
        })
        .collect();
    Ok((results, skipped))
}

/// Expectations of something reached (not of something avoided), cheap enough to evaluate
/// at every sample: met from the sample after which they stay met. The others (a bound
/// such as `commit_at_most`, a history verdict) count as met only at the end.
fn sampled(e: &Expectation) -> bool {
    matches!(
        e,
        Expectation::Committed { .. } | Expectation::Converged { .. }
    )
}

fn leader_list(leaders: &[crate::timeline::Leader], t: u64) -> String {
    let items: Vec<String> = leaders
        .iter()
        .map(|l| format!("{} (term {})", l.node, l.term.0))
        .collect();
    format!("at {t}us leaders {}", items.join(", "))
}

/// Parses both documents and grades; errors name the document and the field
/// (`exercise.goal[1].type: ...`).
pub fn grade_json(exercise: &str, submission: &str) -> Result<Grade, String> {
    // Bounded before parsing: the parser allocates as it goes.
    for (what, text) in [("exercise", exercise), ("submission", submission)] {
        crate::limits::check_text(
            what,
            text.len(),
            crate::limits::SCENARIO_JSON_BYTES_MAX,
            "SCENARIO_JSON_BYTES_MAX",
        )?;
    }
    let ex: Exercise = json::from_json_named("exercise", exercise)?;
    ex.validate().map_err(|e| format!("exercise.{e}"))?;
    let sub: Submission = json::from_json_named("submission", submission)?;
    Ok(grade(&ex, &sub))
}

impl Exercise {
    /// Checks what the types cannot: the scenario, goal node ids and times, constraint
    /// action names. Errors are `path: problem` below the exercise.
    pub fn validate(&self) -> Result<(), String> {
        self.scenario
            .validate()
            .map_err(|e| format!("scenario.{e}"))?;
        if self.goal.is_empty() || self.goal.len() > GOALS_MAX {
            return Err(format!("goal: needs 1..={GOALS_MAX} goals"));
        }
        let n = self.scenario.config.node_count;
        for (i, g) in self.goal.iter().enumerate() {
            match g {
                Goal::BecomesLeader { node } if *node == 0 || *node > n => {
                    return Err(format!("goal[{i}].node: no node {node} (nodes are 1..{n})"));
                }
                Goal::NoLeaderUntil { at_us } if *at_us > self.scenario.duration_us => {
                    return Err(format!("goal[{i}].at_us: is after scenario.duration_us"));
                }
                _ => {}
            }
        }
        // The expectation goals are checked as a scenario's expectations: one scenario
        // holding them all, its `expect[k]` errors named by their goal index.
        let at: Vec<usize> = (0..self.goal.len())
            .filter(|&i| matches!(self.goal[i], Goal::Expect(_)))
            .collect();
        let mut s = self.scenario.clone();
        s.expect = (self.goal.iter())
            .filter_map(|g| match g {
                Goal::Expect(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        if let Err(e) = s.validate() {
            let text = e.to_string();
            for (k, i) in at.iter().enumerate() {
                if let Some(rest) = text.strip_prefix(&format!("expect[{k}]")) {
                    return Err(format!("goal[{i}]{rest}"));
                }
            }
            return Err(format!("goal: {text}"));
        }
        Ok(())
    }
}

mod read;
mod reason;

use reason::plural;
pub use reason::{Reason, ReasonCode};
