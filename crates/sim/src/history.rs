//! The client history, in exactly the JSON form of `docs/history-format.md`.

use crate::kv::{ClientId, KvOp, KvOutput};
use crate::small_map::SmallMap;
use crate::vocab::vocab;
use serde::Serialize;

vocab! {
    /// How an operation ended.
    #[derive(PartialOrd, Ord)]
    pub enum Outcome {
        /// Took effect once, with `output`.
        Ok = "ok",
        /// Certainly did not take effect.
        Failed = "failed",
        /// The client gave up or the run ended first: it may or may not have taken effect.
        Unknown = "unknown",
    }
    impl Serialize;
}

/// An operation's output: a read value (`null` = absent) or a cas verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OpOutput {
    /// `cas`.
    Swapped(bool),
    /// `get`.
    Value(Option<String>),
}

/// One logical client request (its retries folded in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Operation {
    /// Unique within the history.
    pub id: u64,
    /// The client session.
    pub client: ClientId,
    /// `put`, `get`, `append` or `cas`.
    pub op: String,
    /// The key.
    pub key: String,
    /// Argument of put, append and cas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `cas` only: the required value, `null` for absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Option<String>>,
    /// First invocation, virtual µs.
    pub invoke_us: u64,
    /// Accepted answer, virtual µs; `null` when unknown.
    pub complete_us: Option<u64>,
    /// ok, failed or unknown.
    pub outcome: Outcome,
    /// get: value read; cas: swapped; omitted otherwise (and when not ok).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<OpOutput>,
    /// The node that served it: the one whose answer completed it, or, while pending and
    /// when failed or unknown, the last node the client sent it to. Optional in the
    /// format (absent in histories from elsewhere); the checkers ignore it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<u32>,
}

impl Operation {
    /// A pending operation as invoked.
    pub fn invoked(id: u64, client: ClientId, op: &KvOp, invoke_us: u64) -> Self {
        let (value, expected) = match op {
            KvOp::Put { value, .. } | KvOp::Append { value, .. } => (Some(value.clone()), None),
            KvOp::Get { .. } => (None, None),
            KvOp::Cas {
                expected, value, ..
            } => (Some(value.clone()), Some(expected.clone())),
        };
        Operation {
            id,
            client,
            op: op.name().to_string(),
            key: op.key().to_string(),
            value,
            expected,
            invoke_us,
            complete_us: None,
            outcome: Outcome::Unknown,
            output: None,
            node: None,
        }
    }

    /// Records the accepted answer.
    pub fn complete_ok(&mut self, at_us: u64, out: &KvOutput) {
        self.complete_us = Some(at_us);
        self.outcome = Outcome::Ok;
        self.output = match out {
            KvOutput::Done => None,
            KvOutput::Value(v) => Some(OpOutput::Value(v.clone())),
            KvOutput::Swapped(b) => Some(OpOutput::Swapped(*b)),
        };
    }
}

/// A recorded history (`version` 1, `model` `kv`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct History {
    /// Format version, 1.
    pub version: u32,
    /// `kv`.
    pub model: String,
    /// Operations in invocation order.
    pub operations: Vec<Operation>,
    /// Per node id, the replica's map (live nodes only; a crashed node has no state
    /// machine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_states: Option<SmallMap<String, SmallMap<String, String>>>,
    /// Per node id, the index of the last entry its state machine applied (the nodes of
    /// `final_states`): the convergence check compares replicas only once these agree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_applied: Option<SmallMap<String, u64>>,
}

impl Default for History {
    fn default() -> Self {
        History {
            version: 1,
            model: "kv".to_string(),
            operations: Vec::new(),
            final_states: None,
            final_applied: None,
        }
    }
}

impl History {
    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("history serializes")
    }

    /// The checkers' form, validated: what `check::parse_history(&self.to_json())` gives,
    /// without the JSON round trip (whose parser the Wasm module then need not carry).
    pub fn to_check(&self) -> Result<check::History, check::HistoryError> {
        let operations = self.operations.iter().map(Operation::to_check).collect();
        let history = check::History {
            version: u64::from(self.version),
            model: check::ModelKind::Kv,
            operations,
            final_states: self.final_states.clone(),
            final_applied: self.final_applied.clone(),
        };
        let errors = history.validate();
        match errors.is_empty() {
            true => Ok(history),
            false => Err(check::HistoryError { errors }),
        }
    }
}

impl Operation {
    fn to_check(&self) -> check::Op {
        let value = self.value.clone().unwrap_or_default();
        let call = match self.op.as_str() {
            "put" => check::Call::Put { value },
            "append" => check::Call::Append { value },
            "cas" => check::Call::Cas {
                expected: self.expected.clone().flatten(),
                value,
            },
            _ => check::Call::Get,
        };
        check::Op {
            id: self.id,
            client: u64::from(self.client),
            key: self.key.clone(),
            call,
            invoke_us: self.invoke_us,
            complete_us: self.complete_us,
            outcome: match self.outcome {
                Outcome::Ok => check::Outcome::Ok,
                Outcome::Failed => check::Outcome::Failed,
                Outcome::Unknown => check::Outcome::Unknown,
            },
            output: self.output.as_ref().map(|o| match o {
                OpOutput::Swapped(b) => check::Output::Swapped(*b),
                OpOutput::Value(v) => check::Output::Value(v.clone()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_exactly_like_the_documented_example() {
        let mut put = Operation::invoked(
            0,
            1,
            &KvOp::Put {
                key: "x".into(),
                value: "1".into(),
            },
            1000,
        );
        put.complete_ok(4200, &KvOutput::Done);
        let mut get = Operation::invoked(1, 2, &KvOp::Get { key: "x".into() }, 1500);
        get.complete_ok(5000, &KvOutput::Value(Some("1".into())));
        let app = Operation::invoked(
            2,
            3,
            &KvOp::Append {
                key: "x".into(),
                value: "ab".into(),
            },
            1600,
        );
        let mut cas = Operation::invoked(
            3,
            1,
            &KvOp::Cas {
                key: "x".into(),
                expected: None,
                value: "2".into(),
            },
            6000,
        );
        cas.complete_ok(9000, &KvOutput::Swapped(true));
        let h = History {
            operations: vec![put, get, app, cas],
            ..History::default()
        };
        let v: serde_json::Value = serde_json::to_value(&h).unwrap();
        assert_eq!(
            v["operations"][0],
            serde_json::json!({"id":0,"client":1,"op":"put","key":"x","value":"1","invoke_us":1000,"complete_us":4200,"outcome":"ok"})
        );
        assert_eq!(v["operations"][1]["output"], serde_json::json!("1"));
        assert_eq!(v["operations"][2]["complete_us"], serde_json::Value::Null);
        assert_eq!(v["operations"][2]["outcome"], "unknown");
        assert_eq!(v["operations"][3]["expected"], serde_json::Value::Null);
        assert_eq!(v["operations"][3]["output"], serde_json::json!(true));
        // The checker reads it back (its parser defines the documented form), and the
        // direct conversion agrees with it.
        let back = check::parse_history(&h.to_json()).unwrap();
        assert_eq!(back.operations.len(), 4);
        assert_eq!(h.to_check().unwrap(), back);
    }
}
