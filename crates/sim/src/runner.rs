//! The scenario runner: runs a [`Scenario`] on a [`World`], checks its expectations and
//! summarises the run ([`RunSummary`], whose text form the golden files hold).

use crate::history::{self, History, Outcome};
use crate::monitor::MonitorState;
use crate::scenario::{err, Expectation, Scenario, ScenarioError};
use crate::timeline::{Leader, NodeProgress, SkippedAction, World};
use raft::{LogIndex, NodeId, Term};
use serde::Serialize;
use util::SmallMap;

mod observed;
pub use observed::{Observed, ObservedCase};

/// One expectation's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationResult {
    /// The expectation, one line.
    pub expectation: String,
    /// Met.
    pub ok: bool,
    /// What was observed, in English (`observed_case`'s sentence, holes filled in).
    pub observed: String,
    /// How the observation is worded ([`ObservedCase`]); the page words it from this.
    pub observed_case: ObservedCase,
    /// The holes of `observed_case`, in its label's order.
    pub observed_params: Vec<String>,
    /// For `observed_case` `violation`: the violation (worded by its own case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation: Option<crate::monitor::Violation>,
}

impl ExpectationResult {
    fn new(expectation: &Expectation, ok: bool, o: Observed) -> ExpectationResult {
        ExpectationResult {
            expectation: expectation.to_string(),
            ok,
            observed: o.text(),
            observed_case: o.case,
            observed_params: o.params,
            violation: o.violation,
        }
    }
}

/// Client outcome counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClientOutcomes {
    /// ok.
    pub ok: u64,
    /// failed.
    pub failed: u64,
    /// unknown.
    pub unknown: u64,
}

/// The result of running a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// The scenario's description.
    pub description: String,
    /// Seed.
    pub seed: u64,
    /// Virtual duration.
    pub duration_us: u64,
    /// Events processed.
    pub events: u64,
    /// Trace records.
    pub trace_records: u64,
    /// The trace hash, 16 hex digits.
    pub trace_hash: String,
    /// Leaders per term (in JSON the term is an object key, so a string).
    pub leaders_by_term: SmallMap<Term, Vec<NodeId>>,
    /// Highest index committed anywhere.
    pub committed_max: LogIndex,
    /// Per node, at the end.
    pub nodes: Vec<NodeProgress>,
    /// Monitors.
    pub monitors: Vec<MonitorState>,
    /// Client outcomes.
    pub clients: ClientOutcomes,
    /// Linearizability verdict of the history: `ok`, `violated` or `unknown`.
    pub linearizability: String,
    /// Expectations.
    pub expectations: Vec<ExpectationResult>,
    /// Scheduled actions that could not be applied.
    pub skipped_actions: Vec<SkippedAction>,
    /// Every expectation met and no action skipped.
    pub passed: bool,
}

/// The checker's linearizability verdict on a history: `ok`, `violated` or `unknown`.
pub fn linearizability(h: &History) -> String {
    match history::validate(h) {
        Ok(()) => {
            let lin = check::check_history_linearizability(h, &check::Options::default());
            match lin.verdict {
                check::Verdict::Ok => "ok",
                check::Verdict::Violated => "violated",
                check::Verdict::Unknown => "unknown",
            }
            .to_string()
        }
        Err(e) => format!("unknown (history rejected: {e})"),
    }
}

/// `n1 (t2), n3 (t4)`: each leader with its term, in no language (`-` for none).
fn leaders_text(leaders: &[Leader]) -> String {
    if leaders.is_empty() {
        return "-".to_string();
    }
    let items: Vec<String> = leaders
        .iter()
        .map(|l| format!("{} (t{})", l.node, l.term.0))
        .collect();
    items.join(", ")
}

/// An expectation's verdict and what was observed, in English ([`evaluate_observed`]).
pub(crate) fn evaluate(w: &World, e: &Expectation, lin: &mut Option<String>) -> (bool, String) {
    let (ok, o) = evaluate_observed(w, e, lin);
    (ok, o.text())
}

/// An expectation's verdict and what was observed, as data.
pub(crate) fn evaluate_observed(
    w: &World,
    e: &Expectation,
    lin: &mut Option<String>,
) -> (bool, Observed) {
    use ObservedCase as C;
    let leaders = |l: &[Leader]| Observed::new(C::Leaders, vec![leaders_text(l)]);
    match e {
        Expectation::LeaderExists { node, .. } => {
            let l = w.leaders();
            let ok = match node {
                Some(n) => l.iter().any(|x| x.node == *n),
                None => !l.is_empty(),
            };
            (ok, leaders(&l))
        }
        Expectation::LeadersAt { count, .. } => {
            let l = w.leaders();
            (l.len() as u32 == *count, leaders(&l))
        }
        Expectation::Committed {
            index, nodes_min, ..
        } => {
            let n = w
                .progress()
                .iter()
                .filter(|p| !p.crashed && p.commit >= *index)
                .count() as u32;
            (
                n >= *nodes_min,
                Observed::new(C::CommittedOn, vec![n.to_string()]),
            )
        }
        Expectation::CommitAtMost { node, index, .. } => {
            let c = w.progress()[node.0 as usize - 1].commit;
            (
                c <= *index,
                Observed::new(C::CommitOf, vec![node.to_string(), c.to_string()]),
            )
        }
        Expectation::KeyValue {
            key,
            value,
            nodes_min,
        } => {
            let live: Vec<_> = w.nodes().into_iter().filter(|n| !n.crashed).collect();
            let having = live
                .iter()
                .filter(|n| n.kv.get(key) == value.as_ref())
                .count() as u32;
            let need = nodes_min.unwrap_or(live.len() as u32);
            let vals: Vec<String> = live
                .iter()
                .map(|n| {
                    format!(
                        "{}={}",
                        n.id,
                        check::history::show_value(n.kv.get(key).map(|v| &**v))
                    )
                })
                .collect();
            (
                having >= need,
                Observed::new(C::Values, vec![vals.join(", ")]),
            )
        }
        Expectation::OpOutcome { op, outcome } => match w.operations().get(*op as usize) {
            Some(o) => (
                o.outcome == *outcome,
                Observed::new(
                    C::OpOutcome,
                    vec![op.to_string(), history::outcome_name(o.outcome).to_string()],
                ),
            ),
            None => (false, Observed::new(C::NoOp, vec![op.to_string()])),
        },
        Expectation::Linearizable | Expectation::NotLinearizable => {
            let v = lin
                .get_or_insert_with(|| linearizability(&w.history()))
                .clone();
            let want = if matches!(e, Expectation::Linearizable) {
                "ok"
            } else {
                "violated"
            };
            (v == want, Observed::new(C::Linearizability, vec![v]))
        }
        Expectation::MonitorViolated { monitor } => {
            let s = &w.monitors()[*monitor as usize];
            (s.violated, violation_or(s.first.as_ref(), C::NotViolated))
        }
        Expectation::NoViolation => {
            let v = w.violations();
            (v.is_empty(), violation_or(v.first(), C::NoneFired))
        }
        Expectation::Converged { .. } if w.config().ap.is_some() => {
            let live = w.progress().iter().filter(|x| !x.crashed).count();
            (
                w.converged(),
                Observed::new(
                    C::ReplicasBehind,
                    vec![w.stale_replicas().to_string(), live.to_string()],
                ),
            )
        }
        Expectation::Converged { .. } => {
            let applied: Vec<String> = w.progress().iter().map(|x| x.applied.to_string()).collect();
            (
                w.converged(),
                Observed::new(
                    C::Applied,
                    vec![w.committed_max().to_string(), applied.join(", ")],
                ),
            )
        }
    }
}

/// The violation, or `none` when there is none.
fn violation_or(v: Option<&crate::monitor::Violation>, none: ObservedCase) -> Observed {
    match v {
        Some(v) => Observed {
            case: ObservedCase::Violation,
            params: vec![v.to_string()],
            violation: Some(v.clone()),
        },
        None => Observed::new(none, Vec::new()),
    }
}

/// Runs a scenario to its end and checks its expectations (checked mode as the build
/// sets it: on with debug assertions).
pub fn run_scenario(s: &Scenario) -> Result<(World, RunSummary), ScenarioError> {
    run_scenario_with(s, cfg!(debug_assertions))
}

/// [`run_scenario`] with checked mode on or off (see [`World::set_checked`]).
pub fn run_scenario_with(
    s: &Scenario,
    checked: bool,
) -> Result<(World, RunSummary), ScenarioError> {
    let mut w =
        World::from_scenario(s).map_err(|e| err(format!("config.{}", e.field), e.problem))?;
    w.set_checked(checked);
    w.set_checkpointing(false);
    // Ties keep the scenario's order: the pairs (time, index) are distinct, so an
    // unstable sort of them is the stable sort by time.
    let mut timed: Vec<(u64, u32)> = s
        .expect
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.at().map(|t| (t, i as u32)))
        .collect();
    util::sort::sort(&mut timed);
    let mut results: Vec<Option<ExpectationResult>> = vec![None; s.expect.len()];
    let mut lin = None;
    for (t, i) in timed {
        let i = i as usize;
        w.run_until(t);
        let (ok, o) = evaluate_observed(&w, &s.expect[i], &mut lin);
        results[i] = Some(ExpectationResult::new(&s.expect[i], ok, o));
    }
    w.run_until(s.duration_us);
    let history = w.history();
    let lin_verdict = linearizability(&history);
    let mut lin = Some(lin_verdict.clone());
    for (i, e) in s.expect.iter().enumerate() {
        if results[i].is_none() {
            let (ok, o) = evaluate_observed(&w, e, &mut lin);
            results[i] = Some(ExpectationResult::new(e, ok, o));
        }
    }
    let expectations: Vec<ExpectationResult> = results.into_iter().flatten().collect();
    let mut clients = ClientOutcomes::default();
    for op in &history.operations {
        match op.outcome {
            Outcome::Ok => clients.ok += 1,
            Outcome::Failed => clients.failed += 1,
            Outcome::Unknown => clients.unknown += 1,
        }
    }
    // Inserted one by one: `collect` into a map would bring a sort of its own.
    let summary = RunSummary {
        description: s.description.clone(),
        seed: s.seed,
        duration_us: s.duration_us,
        events: w.events_processed(),
        trace_records: w.trace_len(),
        trace_hash: w.trace_hash(),
        leaders_by_term: w.leaders_by_term().clone(),
        committed_max: w.committed_max(),
        nodes: w.progress(),
        monitors: w.monitors(),
        clients,
        linearizability: lin_verdict,
        passed: expectations.iter().all(|e| e.ok) && w.skipped_actions().is_empty(),
        skipped_actions: w.skipped_actions().to_vec(),
        expectations,
    };
    Ok((w, summary))
}

impl RunSummary {
    /// The text form (`raftlab run`; the golden files hold it).
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        if !self.description.is_empty() {
            t.push_str(&format!("scenario: {}\n", self.description));
        }
        t.push_str(&format!(
            "seed {}, {} us virtual, {} events, {} trace records\n",
            self.seed, self.duration_us, self.events, self.trace_records
        ));
        t.push_str("leaders per term:");
        if self.leaders_by_term.is_empty() {
            t.push_str(" none");
        }
        for (term, l) in self.leaders_by_term.iter() {
            let names: Vec<String> = l.iter().map(NodeId::to_string).collect();
            t.push_str(&format!(" {term}={}", names.join("+")));
        }
        t.push('\n');
        t.push_str(&format!("committed max: {}\n", self.committed_max));
        for n in &self.nodes {
            t.push_str(&format!(
                "  {}: {}commit {} applied {} log {}\n",
                n.node,
                if n.crashed { "CRASHED " } else { "" },
                n.commit,
                n.applied,
                n.log_len
            ));
        }
        t.push_str("monitors:\n");
        for m in &self.monitors {
            match &m.first {
                Some(v) => t.push_str(&format!(
                    "  {:<22} VIOLATED x{}: {}\n",
                    m.monitor.name(),
                    m.violations,
                    v
                )),
                None => t.push_str(&format!("  {:<22} ok\n", m.monitor.name())),
            }
        }
        t.push_str(&format!(
            "clients: {} ok, {} failed, {} unknown; linearizability: {}\n",
            self.clients.ok, self.clients.failed, self.clients.unknown, self.linearizability
        ));
        for s in &self.skipped_actions {
            t.push_str(&format!(
                "skipped action {} at {}us: {}\n",
                s.index, s.at_us, s.error
            ));
        }
        if !self.expectations.is_empty() {
            t.push_str("expectations:\n");
            for e in &self.expectations {
                t.push_str(&format!(
                    "  [{}] {} ({})\n",
                    if e.ok { "ok" } else { "FAILED" },
                    e.expectation,
                    e.observed
                ));
            }
        }
        t.push_str(&format!("trace hash: {}\n", self.trace_hash));
        t.push_str(if self.passed { "PASSED\n" } else { "FAILED\n" });
        t
    }
}
