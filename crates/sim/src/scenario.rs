//! Scenarios: config + seed + timed actions + expectations, as JSON (see `SCENARIOS.md`).
//! Running one is `runner.rs`.

use crate::action::Action;
use crate::config::SimConfig;
use crate::history::Outcome;
use crate::json::{FromJson, JsonResult, Obj, Value};
use crate::monitor::{MonitorId, MONITORS};
use crate::vocab::tagged_reader;
use raft::{LogIndex, NodeId};
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
        node: Option<NodeId>,
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
        index: LogIndex,
        /// How many nodes.
        nodes_min: u32,
        /// When.
        at_us: Option<u64>,
    },
    /// Node `node`'s commit index is at most `index` (at `at_us`, default: the end).
    CommitAtMost {
        /// Node.
        node: NodeId,
        /// Bound.
        index: LogIndex,
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
                Some(n) => write!(f, "{n} is leader at {at_us}us"),
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
                write!(f, "{node} commit index <= {index} {}", at(at_us))
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
                write!(f, "op {op} is {}", crate::history::outcome_name(*outcome))
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
    pub(crate) fn at(&self) -> Option<u64> {
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

/// The longest scenario duration accepted: the world's time limit, 24 virtual hours.
pub const SCENARIO_DURATION_US_MAX: u64 = crate::limits::VIRTUAL_TIME_US_MAX;
/// The most actions a scenario may hold.
pub const SCENARIO_ACTIONS_MAX: usize = 100_000;

pub(crate) fn err(path: impl Into<String>, problem: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        problem: problem.into(),
    }
}

impl Scenario {
    /// Parses and validates a scenario. Never panics; errors name the field's path.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        // Bounded before parsing: the parser allocates as it goes.
        crate::limits::check_text(
            "scenario",
            text.len(),
            crate::limits::SCENARIO_JSON_BYTES_MAX,
            "SCENARIO_JSON_BYTES_MAX",
        )
        .map_err(|e| err("", e))?;
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
                format!(
                    "{} µs, must be 1..={SCENARIO_DURATION_US_MAX} (VIRTUAL_TIME_US_MAX, 24 h)",
                    self.duration_us
                ),
            ));
        }
        crate::limits::check_text(
            "description",
            self.description.len(),
            crate::limits::DESCRIPTION_BYTES_MAX,
            "DESCRIPTION_BYTES_MAX",
        )
        .map_err(|e| err("description", e.trim_start_matches("description: ")))?;
        if self.actions.len() > SCENARIO_ACTIONS_MAX {
            return Err(err(
                "actions",
                format!("at most {SCENARIO_ACTIONS_MAX} actions"),
            ));
        }
        // Servers added by membership actions take the ids after the initial ones (up to
        // `NODES_MAX`; whether each addition is possible is checked when it runs).
        let added = self
            .actions
            .iter()
            .flat_map(|ta| match &ta.action {
                Action::AddNode { node, .. } => vec![*node],
                Action::ChangeMembership {
                    voters, learners, ..
                } => voters.iter().chain(learners).copied().collect(),
                _ => vec![],
            })
            .filter(|v| v.0 <= crate::config::NODES_MAX)
            .map(|v| v.0)
            .max()
            .unwrap_or(0);
        let n = self.config.node_count.max(added);
        let c = self.config.clients.count;
        let node_ok = |path: String, v: NodeId| {
            if v.0 == 0 || v.0 > n {
                Err(err(path, format!("no node {} (nodes are 1..{n})", v.0)))
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
            crate::action_sizes::check_action_sizes(&ta.action)
                .map_err(|e| err(format!("{p}.{}", e.field), e.problem))?;
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
                    let mut seen: Vec<NodeId> = Vec::new();
                    for (g, group) in groups.iter().enumerate() {
                        for (k, &v) in group.iter().enumerate() {
                            let path = format!("{p}.groups[{g}][{k}]");
                            node_ok(path.clone(), v)?;
                            if seen.contains(&v) {
                                return Err(err(path, format!("node {} is in two groups", v.0)));
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
                            Some(crate::wire::Endpoint::Node(v)) => {
                                node_ok(format!("{p}.{name}.node"), *v)?
                            }
                            Some(crate::wire::Endpoint::Client(v)) => {
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
                Action::AddNode { node, leader, .. }
                | Action::RemoveNode { node, leader }
                | Action::PromoteLearner { node, leader } => {
                    node_ok(format!("{p}.node"), *node)?;
                    if let Some(v) = leader {
                        node_ok(format!("{p}.leader"), *v)?;
                    }
                }
                Action::ChangeMembership {
                    voters,
                    learners,
                    leader,
                } => {
                    for (name, ids) in [("voters", voters), ("learners", learners)] {
                        for (k, &v) in ids.iter().enumerate() {
                            node_ok(format!("{p}.{name}[{k}]"), v)?;
                        }
                    }
                    if let Some(v) = leader {
                        node_ok(format!("{p}.leader"), *v)?;
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

/// Every monitor name, for help texts.
pub fn monitor_names() -> Vec<&'static str> {
    MONITORS.iter().map(|m| m.name()).collect()
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

tagged_reader! {
    /// The `type` of each [`Expectation`] variant, in declaration order.
    Expectation, "internally tagged enum Expectation", EXPECTATION_TYPES;
    "leader_exists" => LeaderExists { at_us: req, node: opt },
    "leaders_at" => LeadersAt { at_us: req, count: req },
    "committed" => Committed { index: req, nodes_min: req, at_us: opt },
    "commit_at_most" => CommitAtMost { node: req, index: req, at_us: opt },
    "key_value" => KeyValue { key: req, value: opt, nodes_min: opt },
    "op_outcome" => OpOutcome { op: req, outcome: req },
    "linearizable" => Linearizable {},
    "not_linearizable" => NotLinearizable {},
    "monitor_violated" => MonitorViolated { monitor: req },
    "no_violation" => NoViolation {},
    "converged" => Converged { at_us: opt },
}

impl FromJson for TimedAction {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct TimedAction", &["at_us", "action"])?;
        Ok(TimedAction {
            at_us: o.req("at_us")?,
            action: o.req("action")?,
        })
    }
}

impl FromJson for Scenario {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct Scenario",
            &[
                "description",
                "seed",
                "config",
                "duration_us",
                "actions",
                "expect",
            ],
        )?;
        Ok(Scenario {
            description: o.or("description", String::new())?,
            seed: o.or("seed", 0)?,
            config: o.or("config", SimConfig::default())?,
            duration_us: o.req("duration_us")?,
            actions: o.or("actions", Vec::new())?,
            expect: o.or("expect", Vec::new())?,
        })
    }
}
