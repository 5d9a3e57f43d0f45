//! The JSON document model the readers walk, and its parser.
//!
//! Why not `serde_json::Value` and `serde_json::from_str`: serde_json's parser, its
//! `Value` visitor and the `BTreeMap` behind its objects were about 10 KB of the gzipped
//! Wasm module. This parser accepts and refuses what serde_json does, with the same
//! messages, lines and columns (`expected value at line 1 column 1`), and reads integers
//! the same way (`u64`, negative `i64`); the tests compare the two on arbitrary text. Any
//! other number (a fraction, an exponent, `-0`, an integer beyond 64 bits) is kept as its
//! text, not converted: no field takes one, and the error that refuses it quotes it as
//! written. (So a number beyond `f64`'s range, which serde_json refuses as out of range,
//! parses here, and is refused where it is read.) Objects keep their keys sorted and unique,
//! the last duplicate winning, as serde_json's map does.

use std::fmt;

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number: an integer as serde_json reads it, or the text of any other number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// Any other number, as written (`2.5`, `1e6`, `-0`, `18446744073709551616`): what
    /// serde_json would read as a float. Never converted; an error quotes it.
    Other(String),
}

impl Number {
    /// The number as a `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Number::PosInt(n) => Some(*n),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::PosInt(n) => i64::try_from(*n).ok(),
            Number::NegInt(n) => Some(*n),
            Number::Other(_) => None,
        }
    }

    /// True for a number that is not a 64-bit integer ([`Number::Other`]): one that serde
    /// calls a floating point.
    pub fn is_f64(&self) -> bool {
        matches!(self, Number::Other(_))
    }
}

/// Integers in decimal; any other number as written.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            Number::Other(text) => f.write_str(text),
        }
    }
}

/// The members of an object, sorted by key, keys unique.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True without members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The members in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.find(&key) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
}

impl Value {
    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// What went wrong, in serde_json's words.
#[derive(Clone, Copy)]
enum Code {
    EofList,
    EofObject,
    EofString,
    EofValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedIdent,
    ExpectedValue,
    InvalidEscape,
    InvalidNumber,
    ControlCharacter,
    KeyMustBeAString,
    LoneSurrogate,
    TrailingComma,
    TrailingCharacters,
    EndOfHexEscape,
    RecursionLimit,
}

impl Code {
    fn text(self) -> &'static str {
        match self {
            Code::EofList => "EOF while parsing a list",
            Code::EofObject => "EOF while parsing an object",
            Code::EofString => "EOF while parsing a string",
            Code::EofValue => "EOF while parsing a value",
            Code::ExpectedColon => "expected `:`",
            Code::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Code::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Code::ExpectedIdent => "expected ident",
            Code::ExpectedValue => "expected value",
            Code::InvalidEscape => "invalid escape",
            Code::InvalidNumber => "invalid number",
            Code::ControlCharacter => {
                "control character (\\u0000-\\u001F) found while parsing a string"
            }
            Code::KeyMustBeAString => "key must be a string",
            Code::LoneSurrogate => "lone leading surrogate in hex escape",
            Code::TrailingComma => "trailing comma",
            Code::TrailingCharacters => "trailing characters",
            Code::EndOfHexEscape => "unexpected end of hex escape",
            Code::RecursionLimit => "recursion limit exceeded",
        }
    }
}

/// Nesting deeper than this is refused (serde_json's limit).
const DEPTH_MAX: u32 = 127;

/// Parses `text` as one JSON value (whitespace around it allowed). The error reads as
/// serde_json's does: `<problem> at line L column C`.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.value().map_err(|(code, at)| p.message(code, at))?;
    match p.skip_ws() {
        Some(_) => Err(p.message(Code::TrailingCharacters, p.peek_at())),
        None => Ok(v),
    }
}

/// An error and the byte offset its column counts to.
type Failure = (Code, usize);

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl Parser<'_> {
    /// serde_json's `peek_position`: just past the byte being looked at.
    fn peek_at(&self) -> usize {
        (self.i + 1).min(self.s.len())
    }

    fn peek_err<T>(&self, code: Code) -> Result<T, Failure> {
        Err((code, self.peek_at()))
    }

    fn err<T>(&self, code: Code) -> Result<T, Failure> {
        Err((code, self.i))
    }

    #[cold]
    fn message(&self, code: Code, at: usize) -> String {
        let before = &self.s[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        format!("{} at line {line} column {}", code.text(), at - line_start)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn skip_ws(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> Result<Value, Failure> {
        let Some(b) = self.skip_ws() else {
            return self.peek_err(Code::EofValue);
        };
        match b {
            b'n' => self.ident(b"null", Value::Null),
            b't' => self.ident(b"true", Value::Bool(true)),
            b'f' => self.ident(b"false", Value::Bool(false)),
            b'-' => {
                let start = self.i;
                self.i += 1;
                self.number(start, false).map(Value::Number)
            }
            b'0'..=b'9' => self.number(self.i, true).map(Value::Number),
            b'"' => {
                self.i += 1;
                self.string().map(Value::String)
            }
            b'[' | b'{' => {
                if self.depth == DEPTH_MAX {
                    return self.peek_err(Code::RecursionLimit);
                }
                self.depth += 1;
                self.i += 1;
                let v = if b == b'[' {
                    self.array()
                } else {
                    self.object()
                };
                self.depth -= 1;
                v
            }
            _ => self.peek_err(Code::ExpectedValue),
        }
    }

    /// `word` whose first byte is the one peeked.
    fn ident(&mut self, word: &[u8], v: Value) -> Result<Value, Failure> {
        self.i += 1;
        for &expected in &word[1..] {
            match self.next() {
                None => return self.err(Code::EofValue),
                Some(b) if b != expected => return self.err(Code::ExpectedIdent),
                Some(_) => {}
            }
        }
        Ok(v)
    }

    fn array(&mut self) -> Result<Value, Failure> {
        let mut items = Vec::new();
        loop {
            let Some(b) = self.skip_ws() else {
                return self.peek_err(Code::EofList);
            };
            if b == b']' {
                break;
            }
            if !items.is_empty() {
                if b != b',' {
                    return self.peek_err(Code::ExpectedListCommaOrEnd);
                }
                self.i += 1;
                match self.skip_ws() {
                    Some(b']') => return self.peek_err(Code::TrailingComma),
                    Some(_) => {}
                    None => return self.peek_err(Code::EofValue),
                }
            }
            items.push(self.value()?);
        }
        self.i += 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, Failure> {
        let mut map = Map::default();
        let mut first = true;
        loop {
            let Some(b) = self.skip_ws() else {
                return self.peek_err(Code::EofObject);
            };
            if b == b'}' {
                break;
            }
            if !first {
                if b != b',' {
                    return self.peek_err(Code::ExpectedObjectCommaOrEnd);
                }
                self.i += 1;
                match self.skip_ws() {
                    Some(b'}') => return self.peek_err(Code::TrailingComma),
                    Some(_) => {}
                    None => return self.peek_err(Code::EofValue),
                }
            }
            first = false;
            if self.peek() != Some(b'"') {
                return self.peek_err(Code::KeyMustBeAString);
            }
            self.i += 1;
            let key = self.string()?;
            match self.skip_ws() {
                Some(b':') => self.i += 1,
                Some(_) => return self.peek_err(Code::ExpectedColon),
                None => return self.peek_err(Code::EofObject),
            }
            let v = self.value()?;
            map.insert(key, v);
        }
        self.i += 1;
        Ok(Value::Object(map))
    }

    /// The rest of a string whose opening quote is consumed.
    fn string(&mut self) -> Result<String, Failure> {
        let mut out = Vec::new();
        loop {
            let Some(b) = self.next() else {
                return self.err(Code::EofString);
            };
            match b {
                b'"' => break,
                b'\\' => self.escape(&mut out)?,
                0..0x20 => return self.err(Code::ControlCharacter),
                _ => out.push(b),
            }
        }
        // The text was UTF-8 and escapes push whole characters.
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Failure> {
        let Some(b) = self.next() else {
            return self.err(Code::EofString);
        };
        let c = match b {
            b'"' | b'\\' | b'/' => b,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(out),
            _ => return self.err(Code::InvalidEscape),
        };
        out.push(c);
        Ok(())
    }

    /// After `\u`: four hex digits, and a second `\uXXXX` for a surrogate pair.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Result<(), Failure> {
        let n = self.hex4()?;
        let c = match n {
            0xDC00..=0xDFFF => return self.err(Code::LoneSurrogate),
            0xD800..=0xDBFF => {
                for expected in [b'\\', b'u'] {
                    match self.next() {
                        None => return self.err(Code::EofString),
                        Some(b) if b != expected => return self.err(Code::EndOfHexEscape),
                        Some(_) => {}
                    }
                }
                let n2 = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&n2) {
                    return self.err(Code::LoneSurrogate);
                }
                0x1_0000 + ((n - 0xD800) << 10 | (n2 - 0xDC00))
            }
            _ => n,
        };
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Failure> {
        let Some(digits) = self.s.get(self.i..self.i + 4) else {
            self.i = self.s.len();
            return self.err(Code::EofString);
        };
        self.i += 4;
        let mut n = 0;
        for &d in digits {
            let Some(v) = char::from(d).to_digit(16) else {
                return self.err(Code::InvalidEscape);
            };
            n = n * 16 + v;
        }
        Ok(n)
    }

    /// A number whose text starts at `start` (its `-`, if any), read after its sign: the
    /// syntax and the errors of serde_json's `parse_integer`, `parse_decimal` and
    /// `parse_exponent`. A 64-bit integer becomes `PosInt` or `NegInt`; anything else keeps
    /// its text.
    fn number(&mut self, start: usize, positive: bool) -> Result<Number, Failure> {
        let Some(first) = self.next() else {
            return self.err(Code::EofValue);
        };
        // `None` once the digits overflow a u64.
        let mut integer: Option<u64> = match first {
            b'0' => {
                if self.peek_or_null().is_ascii_digit() {
                    return self.peek_err(Code::InvalidNumber);
                }
                Some(0)
            }
            b'1'..=b'9' => Some(u64::from(first - b'0')),
            _ => return self.err(Code::InvalidNumber),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.i += 1;
            integer = integer
                .and_then(|n| n.checked_mul(10))
                .and_then(|n| n.checked_add(u64::from(c - b'0')));
        }
        match self.peek_or_null() {
            b'.' => {
                self.fraction()?;
                integer = None;
            }
            b'e' | b'E' => {
                self.exponent()?;
                integer = None;
            }
            _ => {}
        }
        Ok(match integer {
            Some(n) if positive => Number::PosInt(n),
            // `-0` and values below i64::MIN are not 64-bit integers.
            Some(n) if (n as i64).wrapping_neg() < 0 => Number::NegInt((n as i64).wrapping_neg()),
            _ => {
                // Only ASCII digits, signs, `.` and `e` were consumed.
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
                Number::Other(text.to_string())
            }
        })
    }

    /// At the `.`: at least one digit, then an exponent part if one follows.
    fn fraction(&mut self) -> Result<(), Failure> {
        self.i += 1;
        let digits_start = self.i;
        while self.peek_or_null().is_ascii_digit() {
            self.i += 1;
        }
        if self.i == digits_start {
            return match self.peek() {
                Some(_) => self.peek_err(Code::InvalidNumber),
                None => self.peek_err(Code::EofValue),
            };
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(),
            _ => Ok(()),
        }
    }

    /// At the `e`: an optional sign, then at least one digit.
    fn exponent(&mut self) -> Result<(), Failure> {
        self.i += 1;
        if let b'+' | b'-' = self.peek_or_null() {
            self.i += 1;
        }
        match self.next() {
            None => return self.err(Code::EofValue),
            Some(b'0'..=b'9') => {}
            Some(_) => return self.err(Code::InvalidNumber),
        }
        while self.peek_or_null().is_ascii_digit() {
            self.i += 1;
        }
        Ok(())
    }
}
