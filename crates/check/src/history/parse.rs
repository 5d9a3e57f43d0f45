//! Reading a history from its JSON form (`docs/history-format.md`): every problem is
//! reported at the path of the offending field.

use super::*;
use serde_json::{Map, Value};

pub(super) fn err(path: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        path: path.to_string(),
        message: message.into(),
    }
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn get_int(
    obj: &Map<String, Value>,
    path: &str,
    field: &str,
) -> Result<u64, FieldError> {
    let p = format!("{path}.{field}");
    match obj.get(field) {
        None => Err(err(&p, "missing")),
        Some(v) => as_int(v, &p),
    }
}

pub(super) fn as_int(v: &Value, p: &str) -> Result<u64, FieldError> {
    match v.as_u64() {
        Some(n) if n <= JSON_INT_MAX => Ok(n),
        _ => Err(err(
            p,
            format!("expected an integer in 0..=2^53-1, got {}", short(v)),
        )),
    }
}

pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        let t: String = s.chars().take(37).collect();
        format!("{t}...")
    } else {
        s
    }
}

pub(super) fn get_str(
    obj: &Map<String, Value>,
    path: &str,
    field: &str,
) -> Result<String, FieldError> {
    let p = format!("{path}.{field}");
    match obj.get(field) {
        None => Err(err(&p, "missing")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(err(&p, format!("expected a string, got {}", type_name(v)))),
    }
}

/// Parses and validates a history. Never panics; errors name the field.
///
/// ```
/// let e = check::parse_history(r#"{"version":1,"model":"kv","operations":[
///   {"id":0,"client":1,"op":"get","key":"x","invoke_us":1,"complete_us":2,"outcome":"done"}]}"#)
///   .unwrap_err();
/// assert_eq!(e.to_string(), "operations[0].outcome: expected one of ok, failed, unknown, got \"done\"");
/// ```
pub fn parse_history(text: &str) -> Result<History, HistoryError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(
            "",
            format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let history = history_from_value(&value)?;
    let errors = history.validate();
    if errors.is_empty() {
        Ok(history)
    } else {
        Err(HistoryError { errors })
    }
}

/// Builds the typed history from a JSON value (structure and types only; see
/// [`History::validate`] for the cross-field rules).
pub fn history_from_value(value: &Value) -> Result<History, FieldError> {
    let Value::Object(root) = value else {
        return Err(err(
            "",
            format!("expected an object, got {}", type_name(value)),
        ));
    };
    let version = match root.get("version") {
        None => return Err(err("version", "missing")),
        Some(v) => as_int(v, "version")?,
    };
    if version != 1 {
        return Err(err(
            "version",
            format!("unsupported version {version}, expected 1"),
        ));
    }
    let model = match root.get("model") {
        None => return Err(err("model", "missing")),
        Some(Value::String(s)) if s == "kv" => ModelKind::Kv,
        Some(Value::String(s)) if s == "register" => ModelKind::Register,
        Some(v) => {
            return Err(err(
                "model",
                format!("expected one of kv, register, got {}", short(v)),
            ))
        }
    };
    let ops_value = match root.get("operations") {
        None => return Err(err("operations", "missing")),
        Some(Value::Array(a)) => a,
        Some(v) => {
            return Err(err(
                "operations",
                format!("expected an array, got {}", type_name(v)),
            ))
        }
    };
    let mut operations = Vec::with_capacity(ops_value.len());
    for (i, v) in ops_value.iter().enumerate() {
        operations.push(op_from_value(v, &format!("operations[{i}]"), model)?);
    }
    let final_states = match root.get("final_states") {
        None | Some(Value::Null) => None,
        Some(Value::Object(nodes)) => {
            let mut out = SmallMap::default();
            for (node, state) in nodes {
                let p = format!("final_states.{node}");
                let Value::Object(kvs) = state else {
                    return Err(err(
                        &p,
                        format!("expected an object, got {}", type_name(state)),
                    ));
                };
                let mut m = SmallMap::default();
                for (k, v) in kvs {
                    match v {
                        Value::String(s) => {
                            m.insert(k.clone(), s.clone());
                        }
                        _ => {
                            return Err(err(
                                &format!("{p}.{k}"),
                                format!("expected a string, got {}", type_name(v)),
                            ))
                        }
                    }
                }
                out.insert(node.clone(), m);
            }
            Some(out)
        }
        Some(v) => {
            return Err(err(
                "final_states",
                format!("expected an object, got {}", type_name(v)),
            ))
        }
    };
    let final_applied = match root.get("final_applied") {
        None | Some(Value::Null) => None,
        Some(Value::Object(nodes)) => {
            let mut out = SmallMap::default();
            for (node, v) in nodes {
                out.insert(node.clone(), as_int(v, &format!("final_applied.{node}"))?);
            }
            Some(out)
        }
        Some(v) => {
            return Err(err(
                "final_applied",
                format!("expected an object, got {}", type_name(v)),
            ))
        }
    };
    Ok(History {
        version,
        model,
        operations,
        final_states,
        final_applied,
    })
}

pub(super) fn op_from_value(v: &Value, path: &str, model: ModelKind) -> Result<Op, FieldError> {
    let Value::Object(o) = v else {
        return Err(err(
            path,
            format!("expected an object, got {}", type_name(v)),
        ));
    };
    let id = get_int(o, path, "id")?;
    let client = get_int(o, path, "client")?;
    let op_name = get_str(o, path, "op")?;
    let key = match (model, o.get("key")) {
        (_, Some(Value::String(s))) => s.clone(),
        (ModelKind::Register, None | Some(Value::Null)) => String::new(),
        (ModelKind::Kv, None) => return Err(err(&format!("{path}.key"), "missing")),
        (_, Some(v)) => {
            return Err(err(
                &format!("{path}.key"),
                format!("expected a string, got {}", type_name(v)),
            ))
        }
    };
    let call = match op_name.as_str() {
        "put" => Call::Put {
            value: get_str(o, path, "value")?,
        },
        "get" => Call::Get,
        "append" => Call::Append {
            value: get_str(o, path, "value")?,
        },
        "cas" => {
            let p = format!("{path}.expected");
            let expected = match o.get("expected") {
                None => return Err(err(&p, "missing (use null for \"key absent\")")),
                Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(v) => {
                    return Err(err(
                        &p,
                        format!("expected a string or null, got {}", type_name(v)),
                    ))
                }
            };
            Call::Cas {
                expected,
                value: get_str(o, path, "value")?,
            }
        }
        other => {
            return Err(err(
                &format!("{path}.op"),
                format!("expected one of put, get, append, cas, got {other:?}"),
            ))
        }
    };
    if model == ModelKind::Register && matches!(call, Call::Append { .. }) {
        return Err(err(
            &format!("{path}.op"),
            "append is not an operation of model register (use get, put, cas)",
        ));
    }
    let invoke_us = get_int(o, path, "invoke_us")?;
    let p = format!("{path}.complete_us");
    let complete_us = match o.get("complete_us") {
        None => return Err(err(&p, "missing (use null when the outcome is unknown)")),
        Some(Value::Null) => None,
        Some(v) => Some(as_int(v, &p)?),
    };
    let p = format!("{path}.outcome");
    let outcome = match o.get("outcome") {
        None => return Err(err(&p, "missing")),
        Some(Value::String(s)) if s == "ok" => Outcome::Ok,
        Some(Value::String(s)) if s == "failed" => Outcome::Failed,
        Some(Value::String(s)) if s == "unknown" => Outcome::Unknown,
        Some(v) => {
            return Err(err(
                &p,
                format!("expected one of ok, failed, unknown, got {}", short(v)),
            ))
        }
    };
    let p = format!("{path}.output");
    let raw = o.get("output");
    let output = match (outcome, &call) {
        (Outcome::Ok, Call::Get) => match raw {
            None => {
                return Err(err(
                    &p,
                    "missing (a get that is ok has the value read, or null)",
                ))
            }
            Some(Value::Null) => Some(Output::Value(None)),
            Some(Value::String(s)) => Some(Output::Value(Some(s.clone()))),
            Some(v) => {
                return Err(err(
                    &p,
                    format!("expected a string or null for get, got {}", type_name(v)),
                ))
            }
        },
        (Outcome::Ok, Call::Cas { .. }) => match raw {
            None => {
                return Err(err(
                    &p,
                    "missing (a cas that is ok says whether it swapped)",
                ))
            }
            Some(Value::Bool(b)) => Some(Output::Swapped(*b)),
            Some(v) => {
                return Err(err(
                    &p,
                    format!("expected a boolean for cas, got {}", type_name(v)),
                ))
            }
        },
        (Outcome::Ok, _) => match raw {
            None | Some(Value::Null) => None,
            Some(v) => {
                return Err(err(
                    &p,
                    format!("must be omitted for {op_name}, got {}", type_name(v)),
                ))
            }
        },
        (_, _) => match raw {
            None | Some(Value::Null) => None,
            Some(v) => {
                return Err(err(
                    &p,
                    format!(
                        "must be omitted when the outcome is not ok, got {}",
                        type_name(v)
                    ),
                ))
            }
        },
    };
    let p = format!("{path}.node");
    let node = match o.get("node") {
        None | Some(Value::Null) => None,
        Some(v) => match as_int(v, &p)? {
            n @ 1..=0xFFFF_FFFF => Some(n as u32),
            _ => return Err(err(&p, "expected a node id of at least 1")),
        },
    };
    Ok(Op {
        id,
        client,
        key,
        call,
        invoke_us,
        complete_us,
        outcome,
        output,
        node,
    })
}
