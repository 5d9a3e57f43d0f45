//! JSON in and out: a small hand-written reader whose errors name the exact path of the bad
//! field (`actions[2].action.node: invalid value: ...`), and a small writer ([`to_string`]).
//!
//! Text is parsed to a [`Value`] first (`json/value.rs`; a syntax error reads as
//! serde_json's, with its line and column); then [`FromJson`] builds the typed value. Each
//! impl (beside its type: `config.rs`, `action.rs`, `scenario.rs`, ...) reads an object
//! through [`Obj`], which rejects unknown fields, reports missing ones and applies
//! defaults; an error gains its path on the way out, one field or index per level, so
//! paths are exact everywhere, inside internally tagged enums too. The problem texts follow serde's wording (`invalid type: string "x", expected u32`,
//! ``missing field `node` ``, ``unknown field `foo`, expected one of ...``, ``unknown
//! variant `x`, ...``).
//!
//! Why not `serde::Deserialize`: this is the code the Wasm module carries, and serde's
//! derive (internally tagged enums buffer into `Content`, one visitor per type) was about a
//! third of it. The helpers here are non-generic where they can be.
//!
//! ```
//! use sim::json::{from_json_named, FromJson, JsonResult, Obj, Value};
//!
//! #[derive(Debug)]
//! struct Point { x: u32, y: u32 }
//! impl FromJson for Point {
//!     fn from_json(v: &Value) -> JsonResult<Self> {
//!         let o = Obj::new(v, "struct Point", &["x", "y"])?;
//!         Ok(Point { x: o.req("x")?, y: o.or("y", 0)? })
//!     }
//! }
//! let e = from_json_named::<Vec<Point>>("points", r#"[{"x": 1}, {"x": -1}]"#).unwrap_err();
//! assert_eq!(e, "points[1].x: invalid value: integer `-1`, expected u32");
//! let e = from_json_named::<Point>("point", r#"{"x": 1, "z": 2}"#).unwrap_err();
//! assert_eq!(e, "point.z: unknown field `z`, expected `x` or `y`");
//! ```

mod out;
mod value;

pub(crate) use out::push_decimal;
pub use out::{to_string, Unsupported};
pub use value::{parse_value, Map, Number, Value};

/// Where and what: `path` as `a.b[2].c` (empty for the document itself) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Path of the bad field; empty for the whole document.
    pub path: String,
    /// What is wrong (serde's wording; a syntax error has its line and column).
    pub problem: String,
}

/// What the readers return. The error is boxed: a one-word `Err` keeps the code that passes
/// it up, field after field, small.
pub type JsonResult<T> = Result<T, Box<JsonError>>;

impl JsonError {
    /// An error about the value at hand (empty path).
    pub fn new(problem: impl Into<String>) -> Box<Self> {
        Box::new(JsonError {
            path: String::new(),
            problem: problem.into(),
        })
    }

    fn prepend(mut self: Box<Self>, step: String) -> Box<Self> {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, &step);
        self
    }

    /// The same error seen from the object holding field `key`.
    pub fn in_field(self: Box<Self>, key: &str) -> Box<Self> {
        self.prepend(key.to_string())
    }

    /// The same error seen from the array holding it at `index`.
    pub fn in_item(self: Box<Self>, index: usize) -> Box<Self> {
        self.prepend(format!("[{index}]"))
    }
}

/// A type read from a JSON value. Errors carry the path below `v`.
pub trait FromJson: Sized {
    /// Builds the value; never panics.
    fn from_json(v: &Value) -> JsonResult<Self>;
}

/// What a value is, in serde's words: ``integer `5` ``, `string "x"`, `map`, ...
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `invalid type: <what v is>, expected <expected>`.
pub fn invalid_type(v: &Value, expected: &str) -> Box<JsonError> {
    JsonError::new(format!(
        "invalid type: {}, expected {expected}",
        unexpected(v)
    ))
}

/// serde's list of alternatives: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".into(),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// ``unknown variant `got`, expected ...``.
fn unknown_variant(got: &str, names: &[&str]) -> Box<JsonError> {
    JsonError::new(format!(
        "unknown variant `{got}`, expected {}",
        one_of(names)
    ))
}

/// An integer in `min..=max`; `expected` names the type (`u32`).
fn integer(v: &Value, min: i64, max: u64, expected: &str) -> JsonResult<i128> {
    let (n, number) = match v {
        Value::Number(number) => match number
            .as_u64()
            .map(i128::from)
            .or(number.as_i64().map(i128::from))
        {
            Some(n) => (n, number),
            None => return Err(invalid_type(v, expected)),
        },
        _ => return Err(invalid_type(v, expected)),
    };
    if n < i128::from(min) || n > i128::from(max) {
        // The number as parsed (a u64 or i64, written the same as `n`): formatting the
        // i128 itself would bring 128-bit decimal formatting into the Wasm module.
        return Err(JsonError::new(format!(
            "invalid value: integer `{number}`, expected {expected}"
        )));
    }
    Ok(n)
}

macro_rules! integer_from_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Value) -> JsonResult<Self> {
                integer(v, <$t>::MIN as i64, <$t>::MAX as u64, stringify!($t)).map(|n| n as $t)
            }
        }
    )*};
}

integer_from_json!(u8, u16, u32, u64, i32, usize);

/// The protocol's identifier newtypes read as the plain numbers they serialize to (serde
/// `transparent`); errors name the number type (`expected u32`), as for a bare integer.
macro_rules! newtype_from_json {
    ($($t:ident($inner:ty)),*) => {$(
        impl FromJson for raft::$t {
            fn from_json(v: &Value) -> JsonResult<Self> {
                <$inner>::from_json(v).map(raft::$t)
            }
        }
    )*};
}

newtype_from_json!(NodeId(u32), Term(u64), LogIndex(u64));

impl FromJson for bool {
    fn from_json(v: &Value) -> JsonResult<Self> {
        v.as_bool().ok_or_else(|| invalid_type(v, "a boolean"))
    }
}

impl FromJson for String {
    fn from_json(v: &Value) -> JsonResult<Self> {
        v.as_str()
            .map(String::from)
            .ok_or_else(|| invalid_type(v, "a string"))
    }
}

/// `null` is `None`; anything else must be a `T`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value) -> JsonResult<Self> {
        match v {
            Value::Null => Ok(None),
            _ => T::from_json(v).map(Some),
        }
    }
}

/// The items of an array; ``invalid type: ..., expected a sequence`` otherwise.
pub fn items(v: &Value) -> JsonResult<&[Value]> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| invalid_type(v, "a sequence"))
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let items = items(v)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| e.in_item(i))?);
        }
        Ok(out)
    }
}

/// A unit-only enum's variant from its name: the position of the string `v` in `names`
/// (what [`vocab!`](crate::vocab) readers call; non-generic, one copy for every enum).
pub fn unit_index(v: &Value, names: &[&str]) -> JsonResult<usize> {
    variant_index(v, names)
}

/// The position of the string `v` in `names`.
fn variant_index(v: &Value, names: &[&str]) -> JsonResult<usize> {
    match v.as_str() {
        Some(s) => name_index(s, names),
        None => Err(invalid_type(v, &one_of(names))),
    }
}

/// The position of `s` in `names`.
pub fn name_index(s: &str, names: &[&str]) -> JsonResult<usize> {
    names
        .iter()
        .position(|n| *n == s)
        .ok_or_else(|| unknown_variant(s, names))
}

/// The fields of one JSON object, read by name. Built by [`Obj::new`] (a struct) or
/// [`Obj::tagged`] (a variant of an internally tagged enum); either rejects a field outside
/// the known list, so [`Obj::or`] and friends only ever see known names.
pub struct Obj<'a> {
    map: &'a Map,
}

impl<'a> Obj<'a> {
    /// The object `v` (a struct, named `expected` in a type error) whose fields are all
    /// among `known`.
    pub fn new(v: &'a Value, expected: &str, known: &[&str]) -> JsonResult<Self> {
        let map = v.as_object().ok_or_else(|| invalid_type(v, expected))?;
        Obj::checked(map, "", known)
    }

    /// An internally tagged enum: the variant named by field `tag` (one of `variants`),
    /// and the object, whose other fields the caller checks with [`Tagged::known`].
    pub fn tagged(
        v: &'a Value,
        tag: &'static str,
        expected: &str,
        variants: &[&str],
    ) -> JsonResult<(usize, Tagged<'a>)> {
        let map = v.as_object().ok_or_else(|| invalid_type(v, expected))?;
        let name = map
            .get(tag)
            .ok_or_else(|| JsonError::new(format!("missing field `{tag}`")))?;
        let i = match name {
            Value::String(_) => variant_index(name, variants),
            _ => Err(invalid_type(name, "variant identifier")),
        }
        .map_err(|e| e.in_field(tag))?;
        Ok((i, Tagged { map, tag }))
    }

    fn checked(map: &'a Map, tag: &str, known: &[&str]) -> JsonResult<Self> {
        if let Some(k) = map
            .keys()
            .find(|k| *k != tag && !known.contains(&k.as_str()))
        {
            let expected = match known {
                [] => "there are no fields".to_string(),
                _ => format!("expected {}", one_of(known)),
            };
            return Err(JsonError::new(format!("unknown field `{k}`, {expected}")).in_field(k));
        }
        Ok(Obj { map })
    }

    /// Field `name` if present (`null` included), read as a `T`.
    pub fn field<T: FromJson>(&self, name: &str) -> JsonResult<Option<T>> {
        match self.map.get(name) {
            None => Ok(None),
            Some(v) => T::from_json(v).map(Some).map_err(|e| e.in_field(name)),
        }
    }

    /// A required field: ``missing field `name` `` when absent.
    pub fn req<T: FromJson>(&self, name: &str) -> JsonResult<T> {
        self.field(name)?
            .ok_or_else(|| JsonError::new(format!("missing field `{name}`")))
    }

    /// A field with a default for when it is absent (`#[serde(default)]`).
    pub fn or<T: FromJson>(&self, name: &str, default: T) -> JsonResult<T> {
        Ok(self.field(name)?.unwrap_or(default))
    }

    /// An optional field: absent or `null` is `None`.
    pub fn opt<T: FromJson>(&self, name: &str) -> JsonResult<Option<T>> {
        Ok(self.field::<Option<T>>(name)?.flatten())
    }
}

/// The object of an internally tagged enum, variant known, fields not yet checked.
pub struct Tagged<'a> {
    map: &'a Map,
    tag: &'static str,
}

impl<'a> Tagged<'a> {
    /// The variant's fields: every field besides the tag must be among `known`.
    pub fn known(&self, known: &[&str]) -> JsonResult<Obj<'a>> {
        Obj::checked(self.map, self.tag, known)
    }
}

/// Parses `text` as a `T`; on error, the path of the bad field. Never panics.
pub fn from_json_path<T: FromJson>(text: &str) -> Result<T, JsonError> {
    parse(text).and_then(|v| T::from_json(&v)).map_err(|e| *e)
}

/// The JSON value of `text`; a syntax error reads as serde_json's, with line and column.
/// Not inlined: one copy of the parser, not one per type read.
#[inline(never)]
pub fn parse(text: &str) -> JsonResult<Value> {
    parse_value(text).map_err(JsonError::new)
}

/// Parses `text` as `what`; errors read `what.path: problem` (`what[0]...` for a path
/// starting with an index, `what: problem` for the document itself). Never panics.
pub fn from_json_named<T: FromJson>(what: &str, text: &str) -> Result<T, String> {
    from_json_path(text).map_err(|e| named(what, e))
}

fn named(what: &str, JsonError { path, problem }: JsonError) -> String {
    if path.is_empty() {
        format!("{what}: {problem}")
    } else if path.starts_with('[') {
        format!("{what}{path}: {problem}")
    } else {
        format!("{what}.{path}: {problem}")
    }
}
