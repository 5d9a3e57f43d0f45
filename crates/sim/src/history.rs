//! The client history. The simulator records the checkers' own type ([`check::History`],
//! one [`check::Op`] per logical request, its retries folded in) and writes it in exactly
//! the JSON form of `docs/history-format.md` ([`HistoryJson`], [`to_json`]).

use crate::json::{unit_index, FromJson, JsonResult, Value};
use crate::kv::{ClientId, KvOp, KvOutput};
pub use check::{Call, History, HistoryError, ModelKind, Op, Outcome, Output};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// `ok`, `failed` or `unknown`, as the history format writes it.
pub fn outcome_name(o: Outcome) -> &'static str {
    o.name()
}

/// A pending operation as invoked: outcome `unknown` until an answer is accepted.
pub fn invoked(id: u64, client: ClientId, op: &KvOp, invoke_us: u64) -> Op {
    let call = match op {
        KvOp::Put { value, .. } => Call::Put {
            value: value.clone(),
        },
        KvOp::Append { value, .. } => Call::Append {
            value: value.clone(),
        },
        KvOp::Get { .. } => Call::Get,
        KvOp::Cas {
            expected, value, ..
        } => Call::Cas {
            expected: expected.clone(),
            value: value.clone(),
        },
    };
    Op {
        id,
        client: u64::from(client),
        key: op.key().to_string(),
        call,
        invoke_us,
        complete_us: None,
        outcome: Outcome::Unknown,
        output: None,
        node: None,
    }
}

/// Records the accepted answer of `op`.
pub fn complete_ok(op: &mut Op, at_us: u64, out: &KvOutput) {
    op.complete_us = Some(at_us);
    op.outcome = Outcome::Ok;
    op.output = match out {
        KvOutput::Done => None,
        KvOutput::Value(v) => Some(Output::Value(v.clone())),
        KvOutput::Swapped(b) => Some(Output::Swapped(*b)),
    };
}

/// A history as the simulator records it: `version` 1, `model` `kv`, no final states yet.
pub fn empty() -> History {
    History {
        version: 1,
        model: ModelKind::Kv,
        operations: Vec::new(),
        final_states: None,
        final_applied: None,
    }
}

/// The checkers' validation of a recorded history (what `check::parse_history` would
/// refuse of its JSON); `Ok` for every history the simulator records.
pub fn validate(h: &History) -> Result<(), HistoryError> {
    let errors = h.validate();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(HistoryError { errors }),
    }
}

/// The JSON text (pretty), in the documented form.
pub fn to_json(h: &History) -> String {
    serde_json::to_string_pretty(&HistoryJson(h)).expect("history serializes")
}

/// A history in its documented JSON form: `version`, `model`, `operations`, then
/// `final_states` and `final_applied` when present.
pub struct HistoryJson<'a>(pub &'a History);

impl Serialize for HistoryJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.0;
        let mut st = s.serialize_struct("History", 5)?;
        st.serialize_field("version", &h.version)?;
        st.serialize_field("model", &h.model)?;
        let ops: Vec<OpJson<'_>> = h.operations.iter().map(OpJson).collect();
        st.serialize_field("operations", &ops)?;
        match &h.final_states {
            Some(f) => st.serialize_field("final_states", f)?,
            None => st.skip_field("final_states")?,
        }
        match &h.final_applied {
            Some(f) => st.serialize_field("final_applied", f)?,
            None => st.skip_field("final_applied")?,
        }
        st.end()
    }
}

/// One operation: `id`, `client`, `op`, `key`, `value` (put, append, cas), `expected`
/// (cas), `invoke_us`, `complete_us`, `outcome`, `output` (when there is one).
struct OpJson<'a>(&'a Op);

/// Operations that serialize in the documented JSON form, one object per operation (a
/// window of the history; see [`crate::history_window`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpList(pub Vec<Op>);

impl Serialize for OpList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(OpJson))
    }
}

impl Serialize for OpJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let op = self.0;
        let mut st = s.serialize_struct("Operation", 11)?;
        st.serialize_field("id", &op.id)?;
        st.serialize_field("client", &op.client)?;
        st.serialize_field("op", op.call.name())?;
        st.serialize_field("key", &op.key)?;
        match &op.call {
            Call::Put { value } | Call::Append { value } => {
                st.serialize_field("value", value)?;
                st.skip_field("expected")?;
            }
            Call::Get => {
                st.skip_field("value")?;
                st.skip_field("expected")?;
            }
            Call::Cas { expected, value } => {
                st.serialize_field("value", value)?;
                st.serialize_field("expected", expected)?;
            }
        }
        st.serialize_field("invoke_us", &op.invoke_us)?;
        st.serialize_field("complete_us", &op.complete_us)?;
        st.serialize_field("outcome", outcome_name(op.outcome))?;
        match &op.output {
            Some(Output::Swapped(b)) => st.serialize_field("output", b)?,
            Some(Output::Value(v)) => st.serialize_field("output", v)?,
            None => st.skip_field("output")?,
        }
        match op.node {
            Some(n) => st.serialize_field("node", &n)?,
            None => st.skip_field("node")?,
        }
        st.end()
    }
}

// ---- read from JSON (scenario expectations name an outcome) ----

impl FromJson for Outcome {
    fn from_json(v: &Value) -> JsonResult<Self> {
        Ok(Outcome::ALL[unit_index(v, Outcome::NAMES)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_exactly_like_the_documented_example() {
        let mut put = invoked(
            0,
            1,
            &KvOp::Put {
                key: "x".into(),
                value: "1".into(),
            },
            1000,
        );
        complete_ok(&mut put, 4200, &KvOutput::Done);
        let mut get = invoked(1, 2, &KvOp::Get { key: "x".into() }, 1500);
        complete_ok(&mut get, 5000, &KvOutput::Value(Some("1".into())));
        let app = invoked(
            2,
            3,
            &KvOp::Append {
                key: "x".into(),
                value: "ab".into(),
            },
            1600,
        );
        let mut cas = invoked(
            3,
            1,
            &KvOp::Cas {
                key: "x".into(),
                expected: None,
                value: "2".into(),
            },
            6000,
        );
        complete_ok(&mut cas, 9000, &KvOutput::Swapped(true));
        let h = History {
            operations: vec![put, get, app, cas],
            ..empty()
        };
        let v: serde_json::Value = serde_json::to_value(HistoryJson(&h)).unwrap();
        assert_eq!(
            v["operations"][0],
            serde_json::json!({"id":0,"client":1,"op":"put","key":"x","value":"1","invoke_us":1000,"complete_us":4200,"outcome":"ok"})
        );
        assert_eq!(v["operations"][1]["output"], serde_json::json!("1"));
        assert_eq!(v["operations"][2]["complete_us"], serde_json::Value::Null);
        assert_eq!(v["operations"][2]["outcome"], "unknown");
        assert_eq!(v["operations"][3]["expected"], serde_json::Value::Null);
        assert_eq!(v["operations"][3]["output"], serde_json::json!(true));
        // The checker reads it back (its parser defines the documented form) as the
        // history recorded.
        let back = check::parse_history(&to_json(&h)).unwrap();
        assert_eq!(back, h);
        assert_eq!(validate(&h), Ok(()));
    }
}
