//! JSON parsing whose errors name the path of the bad field, even inside internally tagged
//! enums (`#[serde(tag = "type")]`), where serde loses it.
//!
//! `serde_path_to_error` tracks the path while the document is walked, but an internally
//! tagged enum buffers its object first, so an error inside it is reported at the enum
//! (`actions[2].action: invalid value: integer -1, expected u32`). The probe then finds the
//! field: at the deepest object the reported path reaches, it removes one field at a time
//! and parses again; the field whose removal changes the error is the culprit
//! (`actions[2].action.node`). A bad value fails while the object's fields are walked, before
//! any "missing field" check at its end, so removing an innocent field leaves the error as
//! it was. Tag fields (`type`, `op`) are tried last: removing one always changes the error.
//!
//! ```
//! #[derive(serde::Deserialize, Debug)]
//! #[serde(tag = "type", rename_all = "snake_case")]
//! enum Action { Crash { node: u32 } }
//! #[derive(serde::Deserialize, Debug)]
//! struct Doc { actions: Vec<Action> }
//! let e = sim::json::from_json_named::<Doc>(
//!     "scenario",
//!     r#"{"actions": [{"type": "crash", "node": 1}, {"type": "crash", "node": -1}]}"#,
//! )
//! .unwrap_err();
//! assert!(e.starts_with("scenario.actions[1].node: invalid value: integer `-1`"), "{e}");
//! ```

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Fields tried last by the probe: removing an enum's tag always changes the error.
const TAG_FIELDS: [&str; 2] = ["type", "op"];

/// Where and what: `path` as `a.b[2].c` (empty for the document itself) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Path of the bad field; empty for the whole document.
    pub path: String,
    /// What is wrong (serde's message, with its line and column).
    pub problem: String,
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    Opaque,
}

fn render(steps: &[Step]) -> String {
    let mut s = String::new();
    for st in steps {
        match st {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
            Step::Opaque => s.push_str(if s.is_empty() { "?" } else { ".?" }),
        }
    }
    s
}

fn parse_steps<T: DeserializeOwned>(text: &str) -> Result<T, (Vec<Step>, String)> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let steps = e
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Step::Index(*index),
                serde_path_to_error::Segment::Map { key } => Step::Key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Step::Key(variant.clone()),
                serde_path_to_error::Segment::Unknown => Step::Opaque,
            })
            .collect();
        (steps, e.into_inner().to_string())
    })
}

/// The problem without serde_json's position suffix (the same failure moves when a field
/// is removed).
fn strip_position(m: &str) -> &str {
    m.split(" at line ").next().unwrap_or(m)
}

/// The value at `steps`, if the document has it.
fn at_mut<'a>(mut v: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    for st in steps {
        v = match (st, v) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// The field inside the object at `steps` that the error is about, by removing one field
/// at a time from a copy of the document.
fn culprit<T: DeserializeOwned>(doc: &Value, steps: &[Step], problem: &str) -> Option<String> {
    let mut at = doc;
    for st in steps {
        at = match (st, at) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    let Value::Object(map) = at else {
        return None;
    };
    let keys: Vec<String> = {
        let (tags, plain): (Vec<&String>, Vec<&String>) =
            map.keys().partition(|k| TAG_FIELDS.contains(&k.as_str()));
        plain.into_iter().chain(tags).cloned().collect()
    };
    let original = strip_position(problem).to_string();
    keys.into_iter().find(|key| {
        let mut without = doc.clone();
        if let Some(Value::Object(m)) = at_mut(&mut without, steps) {
            m.remove(key);
        }
        match parse_steps::<T>(&without.to_string()) {
            Err((s, p)) => s != steps || strip_position(&p) != original,
            Ok(_) => true,
        }
    })
}

/// Parses `text`; on error, the path of the bad field (probing inside tagged enums).
/// Never panics.
pub fn from_json_path<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let (mut steps, problem) = match parse_steps::<T>(text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    // An unknown trailing step (a syntax error) says nothing about where.
    while steps.last() == Some(&Step::Opaque) {
        steps.pop();
    }
    let mut path = render(&steps);
    // Only a document that is valid JSON can be probed (a syntax error has its position),
    // and a missing field is about the object, not about any field it has.
    let about_a_field = !problem.starts_with("missing field");
    if let (true, Ok(doc)) = (about_a_field, serde_json::from_str::<Value>(text)) {
        if let Some(key) = culprit::<T>(&doc, &steps, &problem) {
            path = render(&[steps, vec![Step::Key(key)]].concat());
        }
    }
    Err(JsonError { path, problem })
}

/// Parses `text` as `what`; errors read `what.path: problem` (`what[0]...` for a path
/// starting with an index, `what: problem` for the document itself). Never panics.
pub fn from_json_named<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, String> {
    from_json_path(text).map_err(|JsonError { path, problem }| {
        if path.is_empty() {
            format!("{what}: {problem}")
        } else if path.starts_with('[') {
            format!("{what}{path}: {problem}")
        } else {
            format!("{what}.{path}: {problem}")
        }
    })
}
