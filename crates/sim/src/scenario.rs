//! Scenarios: config + seed + timed actions + expectations, as JSON (see `SCENARIOS.md`),
//! and the runner that checks the expectations and summarises a run.

use crate::action::Action;
use crate::api::{SkippedAction, World};
use crate::config::SimConfig;
use crate::history::{History, Outcome};
use crate::monitor::{MonitorId, MonitorState, MONITORS};
use crate::small_map::SmallMap;
use serde::Serialize;
use std::fmt;

/// An action at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedAction {
    /// Virtual µs.
    pub at_us: u64,
    /// The action.
    pub action: Action,
}

/// Something a grader checks about a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Expectation {
    /// At `at_us` some live node is leader (optionally: this node; optionally: exactly one
    /// leader in the highest term).
    LeaderExists {
        /// When.
        at_us: u64,
        /// Which node, if it matters.
        node: Option<u32>,
    },
    /// At `at_us` exactly `count` live nodes believe they are leader (split brain: 2).
    LeadersAt {
        /// When.
        at_us: u64,
        /// How many.
        count: u32,
    },
    /// Entry `index` is committed on at least `nodes_min` nodes (at `at_us`, default: the
    /// end).
    Committed {
        /// Log index.
        index: u64,
        /// How many nodes.
        nodes_min: u32,
        /// When.
        at_us: Option<u64>,
    },
    /// Node `node`'s commit index is at most `index` (at `at_us`, default: the end).
    CommitAtMost {
        /// Node.
        node: u32,
        /// Bound.
        index: u64,
        /// When.
        at_us: Option<u64>,
    },
    /// At the end, `key` has `value` (`null`: absent) on at least `nodes_min` live nodes
    /// (default: all live nodes).
    KeyValue {
        /// Key.
        key: String,
        /// Value.
        value: Option<String>,
        /// How many nodes.
        nodes_min: Option<u32>,
    },
    /// Operation `op` (history id) ended with `outcome`.
    OpOutcome {
        /// History id.
        op: u64,
        /// Outcome.
        outcome: Outcome,
    },
    /// The client history is linearizable.
    Linearizable,
    /// The client history is not linearizable.
    NotLinearizable,
    /// The monitor fired.
    MonitorViolated {
        /// Which.
        monitor: MonitorId,
    },
    /// No monitor fired.
    NoViolation,
    /// At `at_us` (default: the end) every live node applied the highest committed index
    /// and the replicas agree.
    Converged {
        /// When.
        at_us: Option<u64>,
    },
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |a: &Option<u64>| a.map_or("at the end".to_string(), |t| format!("at {t}us"));
        match self {
            Expectation::LeaderExists { at_us, node } => match node {
                Some(n) => write!(f, "n{n} is leader at {at_us}us"),
                None => write!(f, "a leader exists at {at_us}us"),
            },
            Expectation::LeadersAt { at_us, count } => {
                write!(f, "{count} nodes believe they lead at {at_us}us")
            }
            Expectation::Committed {
                index,
                nodes_min,
                at_us,
            } => write!(
                f,
                "entry {index} committed on >= {nodes_min} nodes {}",
                at(at_us)
            ),
            Expectation::CommitAtMost { node, index, at_us } => {
                write!(f, "n{node} commit index <= {index} {}", at(at_us))
            }
            Expectation::KeyValue {
                key,
                value,
                nodes_min,
            } => write!(
                f,
                "{key} = {} on {} nodes",
                value
                    .as_deref()
                    .map_or("absent".to_string(), |v| format!("{v:?}")),
                nodes_min.map_or("all live".to_string(), |n| format!(">= {n}"))
            ),
            Expectation::OpOutcome { op, outcome } => {
                write!(f, "op {op} is {}", outcome.as_str())
            }
            Expectation::Linearizable => write!(f, "history linearizable"),
            Expectation::NotLinearizable => write!(f, "history not linearizable"),
            Expectation::MonitorViolated { monitor } => write!(f, "monitor {monitor} violated"),
            Expectation::NoViolation => write!(f, "no monitor violated"),
            Expectation::Converged { at_us } => write!(f, "replicas converged {}", at(at_us)),
        }
    }
}

impl Expectation {
    fn at(&self) -> Option<u64> {
        match self {
            Expectation::LeaderExists { at_us, .. } | Expectation::LeadersAt { at_us, .. } => {
                Some(*at_us)
            }
            Expectation::Committed { at_us, .. }
            | Expectation::CommitAtMost { at_us, .. }
            | Expectation::Converged { at_us } => *at_us,
            _ => None,
        }
    }
}

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// What it shows (one or two sentences; the lesson picker shows it).
    pub description: String,
    /// The RNG seed.
    pub seed: u64,
    /// The world's configuration (every field optional, defaults as documented).
    pub config: SimConfig,
    /// How long to run, virtual µs.
    pub duration_us: u64,
    /// Timed actions.
    pub actions: Vec<TimedAction>,
    /// Expectations for graders.
    pub expect: Vec<Expectation>,
}

/// A scenario that cannot be used, naming the path of the bad field
/// (`actions[2].action.node: no node 7 (nodes are 1..5)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Path of the field (`actions[2].action.node`), or empty for the document.
    pub path: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The longest scenario duration accepted (about 11.5 virtual days).
pub const SCENARIO_DURATION_US_MAX: u64 = 1_000_000_000_000;
/// The most actions a scenario may hold.
pub const SCENARIO_ACTIONS_MAX: usize = 100_000;

fn err(path: impl Into<String>, problem: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        problem: problem.into(),
    }
}

impl Scenario {
    /// Parses and validates a scenario. Never panics; errors name the field's path.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        // serde_json appends " at line L column C"; keep it, it helps.
        let s: Scenario = crate::json::from_json_path(text).map_err(|e| err(e.path, e.problem))?;
        s.validate()?;
        Ok(s)
    }

    /// The JSON text (pretty).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenario serializes")
    }

    /// Checks what the types cannot: config relations, node and client ids in actions and
    /// expectations, times and sizes.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.config
            .validate()
            .map_err(|e| err(format!("config.{}", e.field), e.problem))?;
        if self.duration_us == 0 || self.duration_us > SCENARIO_DURATION_US_MAX {
            return Err(err(
                "duration_us",
                format!("must be 1..={SCENARIO_DURATION_US_MAX}"),
            ));
        }
        if self.actions.len() > SCENARIO_ACTIONS_MAX {
            return Err(err(
                "actions",
                format!("at most {SCENARIO_ACTIONS_MAX} actions"),
            ));
        }
        let n = self.config.node_count;
        let c = self.config.clients.count;
        let node_ok = |path: String, v: u32| {
            if v == 0 || v > n {
                Err(err(path, format!("no node {v} (nodes are 1..{n})")))
            } else {
                Ok(())
            }
        };
        let client_ok = |path: String, v: u32| {
            if v == 0 || v > c {
                Err(err(path, format!("no client {v} (clients are 1..{c})")))
            } else {
                Ok(())
            }
        };
        for (i, ta) in self.actions.iter().enumerate() {
            let p = format!("actions[{i}]");
            if ta.at_us > self.duration_us {
                return Err(err(
                    format!("{p}.at_us"),
                    format!("{} is after duration_us {}", ta.at_us, self.duration_us),
                ));
            }
            let p = format!("{p}.action");
            match &ta.action {
                Action::Crash { node }
                | Action::Restart { node }
                | Action::Pause { node }
                | Action::Resume { node }
                | Action::Isolate { node }
                | Action::Campaign { node } => node_ok(format!("{p}.node"), *node)?,
                Action::SetDrift { node, drift_ppm } => {
                    node_ok(format!("{p}.node"), *node)?;
                    if drift_ppm.unsigned_abs() > crate::config::DRIFT_PPM_MAX as u32 {
                        return Err(err(format!("{p}.drift_ppm"), "must be within ±500000"));
                    }
                }
                Action::Partition { groups } => {
                    // A vector, not a set: at most `NODES_MAX` valid ids get in (a repeat
                    // ends the loop), and a `BTreeSet` type costs kilobytes of Wasm.
                    let mut seen: Vec<u32> = Vec::new();
                    for (g, group) in groups.iter().enumerate() {
                        for (k, &v) in group.iter().enumerate() {
                            let path = format!("{p}.groups[{g}][{k}]");
                            node_ok(path.clone(), v)?;
                            if seen.contains(&v) {
                                return Err(err(path, format!("node {v} is in two groups")));
                            }
                            seen.push(v);
                        }
                    }
                }
                Action::Cut { from, to }
                | Action::Repair { from, to }
                | Action::TransferLeader { from, to } => {
                    node_ok(format!("{p}.from"), *from)?;
                    node_ok(format!("{p}.to"), *to)?;
                    if from == to {
                        return Err(err(format!("{p}.to"), "must differ from `from`"));
                    }
                }
                Action::SetLink { from, to, .. } => {
                    if let Some(f) = from {
                        node_ok(format!("{p}.from"), *f)?;
                    }
                    if let Some(t) = to {
                        node_ok(format!("{p}.to"), *t)?;
                    }
                }
                Action::DropNext {
                    from, to, count, ..
                }
                | Action::HoldNext {
                    from, to, count, ..
                } => {
                    for (name, e) in [("from", from), ("to", to)] {
                        match e {
                            Some(crate::trace::Endpoint::Node(v)) => {
                                node_ok(format!("{p}.{name}.node"), *v)?
                            }
                            Some(crate::trace::Endpoint::Client(v)) => {
                                client_ok(format!("{p}.{name}.client"), *v)?
                            }
                            None => {}
                        }
                    }
                    if *count == 0 {
                        return Err(err(format!("{p}.count"), "must be at least 1"));
                    }
                }
                Action::Put { client, node, .. }
                | Action::Get { client, node, .. }
                | Action::Append { client, node, .. }
                | Action::Cas { client, node, .. } => {
                    client_ok(format!("{p}.client"), *client)?;
                    if let Some(v) = node {
                        node_ok(format!("{p}.node"), *v)?;
                    }
                }
                _ => {}
            }
        }
        for (i, e) in self.expect.iter().enumerate() {
            let p = format!("expect[{i}]");
            if let Some(t) = e.at() {
                if t > self.duration_us {
                    return Err(err(format!("{p}.at_us"), "is after duration_us"));
                }
            }
            match e {
                Expectation::LeaderExists { node: Some(v), .. }
                | Expectation::CommitAtMost { node: v, .. } => node_ok(format!("{p}.node"), *v)?,
                Expectation::Committed { nodes_min, .. } if *nodes_min > n => {
                    return Err(err(format!("{p}.nodes_min"), format!("only {n} nodes")));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// One expectation's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationResult {
    /// The expectation, one line.
    pub expectation: String,
    /// Met.
    pub ok: bool,
    /// What was observed.
    pub observed: String,
}

/// Per node at the end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeSummary {
    /// Node.
    pub node: u32,
    /// Crashed at the end.
    pub crashed: bool,
    /// Commit index.
    pub commit: u64,
    /// Applied index.
    pub applied: u64,
    /// Last log index.
    pub log_len: u64,
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
    pub leaders_by_term: SmallMap<u64, Vec<u32>>,
    /// Highest index committed anywhere.
    pub committed_max: u64,
    /// Per node.
    pub nodes: Vec<NodeSummary>,
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
    match h.to_check() {
        Ok(parsed) => {
            let lin = check::check_history_linearizability(&parsed, &check::Options::default());
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

/// `[(1, 2), (3, 4)]`, as `{:?}` writes the pairs, without the Debug code for them.
fn pairs_text(pairs: &[(u32, u64)]) -> String {
    let items: Vec<String> = pairs.iter().map(|(a, b)| format!("({a}, {b})")).collect();
    format!("[{}]", items.join(", "))
}

fn evaluate(w: &World, e: &Expectation, lin: &mut Option<String>) -> (bool, String) {
    match e {
        Expectation::LeaderExists { node, .. } => {
            let leaders = w.leaders();
            let ok = match node {
                Some(n) => leaders.iter().any(|(l, _)| l == n),
                None => !leaders.is_empty(),
            };
            (ok, format!("leaders {} (node, term)", pairs_text(&leaders)))
        }
        Expectation::LeadersAt { count, .. } => {
            let leaders = w.leaders();
            (
                leaders.len() as u32 == *count,
                format!("leaders {} (node, term)", pairs_text(&leaders)),
            )
        }
        Expectation::Committed {
            index, nodes_min, ..
        } => {
            let n = w
                .progress()
                .iter()
                .filter(|p| !p.1 && p.2 >= *index)
                .count() as u32;
            (n >= *nodes_min, format!("committed on {n} nodes"))
        }
        Expectation::CommitAtMost { node, index, .. } => {
            let c = w.progress()[*node as usize - 1].2;
            (c <= *index, format!("n{node} commit {c}"))
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
                .map(|n| match n.kv.get(key) {
                    Some(v) => format!("n{}=Some({v:?})", n.id),
                    None => format!("n{}=None", n.id),
                })
                .collect();
            (having >= need, vals.join(" "))
        }
        Expectation::OpOutcome { op, outcome } => match w.operations().get(*op as usize) {
            Some(o) => (
                o.outcome == *outcome,
                format!("op {op} {}", o.outcome.as_str()),
            ),
            None => (false, format!("no op {op}")),
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
            (v == want, format!("linearizability {v}"))
        }
        Expectation::MonitorViolated { monitor } => {
            let s = &w.monitors()[*monitor as usize];
            (
                s.violated,
                s.first
                    .as_ref()
                    .map_or("not violated".to_string(), |v| v.to_string()),
            )
        }
        Expectation::NoViolation => {
            let v = w.violations();
            (
                v.is_empty(),
                v.first().map_or("none".to_string(), |v| v.to_string()),
            )
        }
        Expectation::Converged { .. } => {
            let p = w.progress();
            (
                w.converged(),
                format!(
                    "committed max {}; applied [{}]",
                    w.committed_max(),
                    p.iter()
                        .map(|x| x.3.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
    }
}

/// Runs a scenario to its end and checks its expectations.
pub fn run_scenario(s: &Scenario) -> Result<(World, RunSummary), ScenarioError> {
    let mut w =
        World::from_scenario(s).map_err(|e| err(format!("config.{}", e.field), e.problem))?;
    w.set_checkpointing(false);
    // Stable, so ties keep the scenario's order (the sort shared by every caller).
    let mut timed: Vec<(u64, u32)> = s
        .expect
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.at().map(|t| (t, i as u32)))
        .collect();
    check::order::sort_by_u64_key(&mut timed, |p| p.0);
    let mut results: Vec<Option<ExpectationResult>> = vec![None; s.expect.len()];
    let mut lin = None;
    for (t, i) in timed {
        let i = i as usize;
        w.run_until(t);
        let (ok, observed) = evaluate(&w, &s.expect[i], &mut lin);
        results[i] = Some(ExpectationResult {
            expectation: s.expect[i].to_string(),
            ok,
            observed,
        });
    }
    w.run_until(s.duration_us);
    let history = w.history();
    let lin_verdict = linearizability(&history);
    let mut lin = Some(lin_verdict.clone());
    for (i, e) in s.expect.iter().enumerate() {
        if results[i].is_none() {
            let (ok, observed) = evaluate(&w, e, &mut lin);
            results[i] = Some(ExpectationResult {
                expectation: e.to_string(),
                ok,
                observed,
            });
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
        nodes: w
            .progress()
            .into_iter()
            .map(|(node, crashed, commit, applied, log_len)| NodeSummary {
                node,
                crashed,
                commit,
                applied,
                log_len,
            })
            .collect(),
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
            let names: Vec<String> = l.iter().map(|n| format!("n{n}")).collect();
            t.push_str(&format!(" t{term}={}", names.join("+")));
        }
        t.push('\n');
        t.push_str(&format!("committed max: {}\n", self.committed_max));
        for n in &self.nodes {
            t.push_str(&format!(
                "  n{}: {}commit {} applied {} log {}\n",
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
                    m.monitor.as_str(),
                    m.violations,
                    v
                )),
                None => t.push_str(&format!("  {:<22} ok\n", m.monitor.as_str())),
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

/// Every monitor name, for help texts.
pub fn monitor_names() -> Vec<&'static str> {
    MONITORS.iter().map(|m| m.as_str()).collect()
}
