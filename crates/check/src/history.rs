//! The client history (docs/history-format.md): typed form, parser with field paths, and
//! validation.
//!
//! Parsing walks a [`serde_json::Value`] by hand so that every error names the path of the
//! offending field (`operations[3].outcome: expected one of ok, failed, unknown`). Unknown
//! fields are ignored (forward compatibility). [`parse_history`] returns a history that has
//! passed [`History::validate`]; the checkers rely on its invariants.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use util::SmallMap;

/// Largest integer accepted for ids and times: numbers must survive a trip through
/// JavaScript (2^53 - 1).
pub const JSON_INT_MAX: u64 = (1 << 53) - 1;

/// How many validation errors are collected before stopping.
pub const ERRORS_MAX: usize = 20;

/// Which sequential specification the history is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// A map from string keys to string values, partitioned by key.
    Kv,
    /// One register; keys are ignored; ops `get`, `put`, `cas`.
    Register,
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModelKind::Kv => "kv",
            ModelKind::Register => "register",
        })
    }
}

/// What the operation asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Call {
    /// `key := value`.
    Put {
        /// The new value.
        value: String,
    },
    /// Read the key.
    Get,
    /// `key := key ++ value` (absent counts as "").
    Append {
        /// The suffix.
        value: String,
    },
    /// If `key == expected` (`None`: absent) then `key := value`.
    Cas {
        /// The value that must be current; `None` means absent.
        expected: Option<String>,
        /// The new value.
        value: String,
    },
}

impl Call {
    /// The JSON name of the op.
    pub fn name(&self) -> &'static str {
        match self {
            Call::Put { .. } => "put",
            Call::Get => "get",
            Call::Append { .. } => "append",
            Call::Cas { .. } => "cas",
        }
    }

    /// Whether the call can change the state.
    pub fn is_write(&self) -> bool {
        !matches!(self, Call::Get)
    }
}

/// The answer the client accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Output {
    /// `cas`: whether it swapped.
    Swapped(bool),
    /// `get`: the value read (`None`: absent).
    Value(Option<String>),
}

/// How the operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Took effect once, with `output`.
    Ok,
    /// Certainly did not take effect; the checkers ignore it.
    Failed,
    /// The client gave up: it may have taken effect at any time after `invoke_us`, or never.
    Unknown,
}

impl Outcome {
    /// Every outcome, in declaration order.
    pub const ALL: [Outcome; 3] = [Outcome::Ok, Outcome::Failed, Outcome::Unknown];
    /// Their names in the history format, indexed like [`Outcome::ALL`].
    pub const NAMES: &'static [&'static str] = &["ok", "failed", "unknown"];

    /// The name in the history format (`ok`, `failed`, `unknown`).
    pub const fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One logical client request.
///
/// Invariants (checked by [`History::validate`]): `complete_us` is `None` iff `outcome` is
/// `Unknown`; `complete_us >= invoke_us`; `output` is `Some` iff `outcome` is `Ok` and the
/// call is a `get` (a `Value`) or a `cas` (a `Swapped`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    /// Unique within the history.
    pub id: u64,
    /// The client (session) that issued it.
    pub client: u64,
    /// The key (`""` when omitted, e.g. for the register model).
    pub key: String,
    /// What was asked.
    pub call: Call,
    /// Virtual time of the invocation, microseconds.
    pub invoke_us: u64,
    /// Virtual time of the answer; `None` iff the outcome is unknown.
    pub complete_us: Option<u64>,
    /// How it ended.
    pub outcome: Outcome,
    /// The answer (see the invariants).
    pub output: Option<Output>,
    /// The node that served it (the one whose answer completed it, else the last one the
    /// client tried), when the recorder knows; the checkers ignore it.
    pub node: Option<u32>,
}

impl fmt::Display for Op {
    /// One line: `#3 c1 cas x 1->2 = true [6000, 9000] ok`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} c{} {}",
            self.id,
            self.client,
            describe_call(&self.key, &self.call)
        )?;
        match &self.output {
            Some(Output::Value(v)) => write!(f, " -> {}", show_value(v.as_deref()))?,
            Some(Output::Swapped(b)) => write!(f, " -> {b}")?,
            None => {}
        }
        match self.complete_us {
            Some(c) => write!(f, " [{}, {}]", self.invoke_us, c)?,
            None => write!(f, " [{}, ?]", self.invoke_us)?,
        }
        let outcome = match self.outcome {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        };
        write!(f, " {outcome}")
    }
}

/// `put x=1`, `get x`, `append x+=ab`, `cas x 1->2` (`nil` for absent).
pub fn describe_call(key: &str, call: &Call) -> String {
    let k = if key.is_empty() { "r" } else { key };
    match call {
        Call::Put { value } => format!("put {k}={}", show_value(Some(value))),
        Call::Get => format!("get {k}"),
        Call::Append { value } => format!("append {k}+={}", show_value(Some(value))),
        Call::Cas { expected, value } => format!(
            "cas {k} {}->{}",
            show_value(expected.as_deref()),
            show_value(Some(value))
        ),
    }
}

/// A value as shown in explanations: `nil` for absent, `""` for empty, the string otherwise
/// (quoted when it contains spaces or would read as `nil`).
pub fn show_value(v: Option<&str>) -> String {
    match v {
        None => "nil".to_string(),
        Some(s) if s.is_empty() || s == "nil" || s.contains(char::is_whitespace) => {
            format!("{s:?}")
        }
        Some(s) => s.to_string(),
    }
}

/// A whole history file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    /// Format version, 1.
    pub version: u64,
    /// The sequential specification.
    pub model: ModelKind,
    /// The operations, in file order.
    pub operations: Vec<Op>,
    /// Per node id, the replica's key -> value map after quiescence.
    pub final_states: Option<SmallMap<String, SmallMap<String, String>>>,
    /// Per node id, the index of the last log entry its state machine applied, for the
    /// nodes in `final_states`: replicas that applied different prefixes are not compared.
    pub final_applied: Option<SmallMap<String, u64>>,
}

/// One thing wrong with the input, at a path such as `operations[3].outcome`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field (`""` for the document itself).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Bad input: at least one [`FieldError`] (at most [`ERRORS_MAX`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryError {
    /// The errors found, in file order.
    pub errors: Vec<FieldError>,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for HistoryError {}

impl From<FieldError> for HistoryError {
    fn from(e: FieldError) -> Self {
        HistoryError { errors: vec![e] }
    }
}

mod parse;
use parse::err;
pub use parse::{history_from_value, parse_history};

impl History {
    /// The cross-field rules, as errors (empty when valid): unique ids; `complete_us` null
    /// iff the outcome is unknown; `complete_us >= invoke_us`; outputs typed per op; a
    /// client has at most one operation outstanding: each of its operations is invoked
    /// no earlier than its previous ok/failed operation completed (after an unknown one the client
    /// gave up, so it may go on; that operation may still take effect later).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |e: FieldError| {
            if errors.len() < ERRORS_MAX {
                errors.push(e);
            }
        };
        if self.version != 1 {
            push(err(
                "version",
                format!("unsupported version {}, expected 1", self.version),
            ));
        }
        let ops = &self.operations;
        // Each id's latest operation so far.
        let mut last_with_id: BTreeMap<u64, usize> = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            let p = format!("operations[{i}]");
            if let Some(j) = last_with_id.insert(op.id, i) {
                push(err(
                    &format!("{p}.id"),
                    format!("duplicate id {} (also operations[{j}])", op.id),
                ));
            }
            if op.id > JSON_INT_MAX || op.client > JSON_INT_MAX || op.invoke_us > JSON_INT_MAX {
                push(err(&p, "ids, clients and times must be below 2^53"));
            }
            match (op.outcome, op.complete_us) {
                (Outcome::Unknown, Some(_)) => push(err(
                    &format!("{p}.complete_us"),
                    "must be null when the outcome is unknown",
                )),
                (Outcome::Ok | Outcome::Failed, None) => push(err(
                    &format!("{p}.complete_us"),
                    "null is only allowed when the outcome is unknown",
                )),
                (_, Some(c)) if c < op.invoke_us => push(err(
                    &format!("{p}.complete_us"),
                    format!("{c} is before invoke_us {}", op.invoke_us),
                )),
                (_, Some(c)) if c > JSON_INT_MAX => {
                    push(err(&format!("{p}.complete_us"), "must be below 2^53"))
                }
                _ => {}
            }
            if self.model == ModelKind::Register && matches!(op.call, Call::Append { .. }) {
                push(err(
                    &format!("{p}.op"),
                    "append is not an operation of model register",
                ));
            }
            let typed = matches!(
                (op.outcome, &op.call, &op.output),
                (Outcome::Ok, Call::Get, Some(Output::Value(_)))
                    | (Outcome::Ok, Call::Cas { .. }, Some(Output::Swapped(_)))
                    | (Outcome::Ok, Call::Put { .. } | Call::Append { .. }, None)
                    | (Outcome::Failed | Outcome::Unknown, _, None)
            );
            if !typed {
                push(err(
                    &format!("{p}.output"),
                    format!(
                        "does not fit a {} with outcome {:?}",
                        op.call.name(),
                        op.outcome
                    ),
                ));
            }
        }
        // One outstanding operation per client: each client's operations by invocation.
        let mut by_client: Vec<usize> = (0..ops.len()).collect();
        util::sort::sort_by_key(&mut by_client, |&i| (ops[i].client, ops[i].invoke_us));
        for w in by_client.windows(2) {
            let (a, b) = (&ops[w[0]], &ops[w[1]]);
            if a.client == b.client {
                if let Some(c) = a.complete_us {
                    if b.invoke_us < c && a.outcome != Outcome::Unknown {
                        push(err(
                            &format!("operations[{}].invoke_us", w[1]),
                            format!(
                                "client {} already has operation {} outstanding (invoked {}, completed {c})",
                                a.client, a.id, a.invoke_us
                            ),
                        ));
                    }
                }
            }
        }
        errors
    }

    /// The distinct keys, sorted.
    pub fn keys(&self) -> BTreeSet<&str> {
        self.operations.iter().map(|o| o.key.as_str()).collect()
    }

    /// The history as JSON in the documented format.
    pub fn to_json(&self) -> Value {
        let ops: Vec<Value> = self.operations.iter().map(op_to_json).collect();
        let mut root = Map::new();
        root.insert("version".into(), Value::from(self.version));
        root.insert("model".into(), Value::from(self.model.to_string()));
        root.insert("operations".into(), Value::Array(ops));
        if let Some(fs) = &self.final_states {
            let v = serde_json::to_value(fs).unwrap_or(Value::Null);
            root.insert("final_states".into(), v);
        }
        if let Some(fa) = &self.final_applied {
            let v = serde_json::to_value(fa).unwrap_or(Value::Null);
            root.insert("final_applied".into(), v);
        }
        Value::Object(root)
    }
}

fn op_to_json(op: &Op) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::from(op.id));
    m.insert("client".into(), Value::from(op.client));
    m.insert("op".into(), Value::from(op.call.name()));
    m.insert("key".into(), Value::from(op.key.clone()));
    match &op.call {
        Call::Put { value } | Call::Append { value } => {
            m.insert("value".into(), Value::from(value.clone()));
        }
        Call::Get => {}
        Call::Cas { expected, value } => {
            m.insert(
                "expected".into(),
                expected.clone().map_or(Value::Null, Value::from),
            );
            m.insert("value".into(), Value::from(value.clone()));
        }
    }
    m.insert("invoke_us".into(), Value::from(op.invoke_us));
    m.insert(
        "complete_us".into(),
        op.complete_us.map_or(Value::Null, Value::from),
    );
    let outcome = match op.outcome {
        Outcome::Ok => "ok",
        Outcome::Failed => "failed",
        Outcome::Unknown => "unknown",
    };
    m.insert("outcome".into(), Value::from(outcome));
    match &op.output {
        Some(Output::Value(v)) => {
            m.insert("output".into(), v.clone().map_or(Value::Null, Value::from));
        }
        Some(Output::Swapped(b)) => {
            m.insert("output".into(), Value::from(*b));
        }
        None => {}
    }
    Value::Object(m)
}
