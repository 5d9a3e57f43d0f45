//! JSON text of the views, reports and histories handed to JS: a minimal `serde::Serializer`
//! writing compact JSON into a `String`.
//!
//! Why not `serde_json::to_string`: serde_json's serializer is generic over its writer and
//! formatter and is inlined into every field of every view type; this one keeps each piece
//! (a key, a separator, an integer, an escaped string) in one non-generic function, so the
//! derives stay and the module shrinks. The text is the same as serde_json's compact form
//! for everything the simulator reports (integers, strings, booleans, null, arrays and
//! objects; floats are never serialized, and are refused): the tests compare the two.

use serde::ser::{self, Serialize};
use std::fmt;

/// Why a value could not be written: a float, bytes or a map key that is not a string or an
/// integer (none of which a view holds).
#[derive(Debug)]
pub struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value JSON text cannot hold here")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

/// The compact JSON text of `value`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut w = Writer { out: String::new() };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// Appends `n` in decimal, without the formatting machinery (for the writer, and for the
/// values every generated operation carries).
pub(crate) fn push_decimal(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// The text written so far.
pub struct Writer {
    out: String,
}

impl Writer {
    #[inline(never)]
    fn u64(&mut self, n: u64) {
        push_decimal(&mut self.out, n);
    }

    #[inline(never)]
    fn i64(&mut self, n: i64) {
        if n < 0 {
            self.out.push('-');
        }
        self.u64(n.unsigned_abs());
    }

    /// A JSON string, escaped as serde_json escapes it: `"` and `\`, the short forms of
    /// `\b \f \n \r \t`, other control characters as `\u00XX`; everything else as is.
    #[inline(never)]
    fn str(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if c < ' ' => {
                    let b = c as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[b >> 4]));
                    self.out.push(char::from(HEX[b & 15]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// Opens an array or object: `open` is `[` or `{`.
    #[inline(never)]
    fn open(&mut self, open: char) -> Result<Compound<'_>> {
        self.out.push(open);
        Ok(Compound {
            w: self,
            first: true,
        })
    }

    /// `"key":` of an object (after a comma unless it is the first).
    #[inline(never)]
    fn key(&mut self, first: &mut bool, key: &str) {
        self.comma(first);
        self.str(key);
        self.out.push(':');
    }

    #[inline(never)]
    fn comma(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
    }

    /// `{"variant":` of an externally tagged variant with data.
    #[inline(never)]
    fn variant(&mut self, variant: &str) {
        self.out.push('{');
        self.str(variant);
        self.out.push(':');
    }
}

/// An array or object being written.
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl Compound<'_> {
    fn end(self, close: char) -> Result {
        self.w.out.push(close);
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.w.comma(&mut self.first);
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result {
        self.w.key(&mut self.first, key);
        value.serialize(&mut *self.w)
    }
}

/// `fn serialize_iN(self, v: iN)` methods writing through `Writer::{i64,u64}`.
macro_rules! integers {
    ($($writer:ident: $($method:ident($t:ty)),*;)*) => {$($(
        fn $method(self, v: $t) -> Result {
            self.$writer(v.into());
            Ok(())
        }
    )*)*};
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    // Every integer width goes through the 64-bit writer of its signedness.
    integers! {
        i64: serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64);
        u64: serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64);
    }
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result {
        self.str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>> {
        self.open('[')
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>> {
        self.open('[')
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>> {
        self.open('[')
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        self.variant(variant);
        self.open('[')
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>> {
        self.open('{')
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>> {
        self.open('{')
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        self.variant(variant);
        self.open('{')
    }
}

/// The array-like compounds: each element through [`Compound::element`]; `end` writes
/// `$inner` closers (for a variant, the array's) before the compound's own.
macro_rules! array_like {
    ($trait:ident, $method:ident, [$($inner:literal),*], $close:literal) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
                self.element(value)
            }
            fn end(self) -> Result {
                $(self.w.out.push($inner);)*
                Compound::end(self, $close)
            }
        }
    };
}

array_like!(SerializeSeq, serialize_element, [], ']');
array_like!(SerializeTuple, serialize_element, [], ']');
array_like!(SerializeTupleStruct, serialize_field, [], ']');
// `{"variant":[...]}`: the array, then the object around it.
array_like!(SerializeTupleVariant, serialize_field, [']'], '}');

/// Keys are strings; an integer key is written as a string, as serde_json does.
impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.w.comma(&mut self.first);
        let start = self.w.out.len();
        key.serialize(&mut *self.w)?;
        match self.w.out.as_bytes().get(start) {
            Some(b'"') => {}
            Some(b'0'..=b'9' | b'-') => {
                self.w.out.insert(start, '"');
                self.w.out.push('"');
            }
            _ => return Err(Unsupported),
        }
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        Compound::end(self, '}')
    }
}

/// The struct-like compounds: each field through [`Compound::field`]; `end` writes
/// `$inner` closers (for a variant, the inner object's) before the compound's own.
macro_rules! struct_like {
    ($trait:ident, [$($inner:literal),*]) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result {
                self.field(key, value)
            }
            fn end(self) -> Result {
                $(self.w.out.push($inner);)*
                Compound::end(self, '}')
            }
        }
    };
}

struct_like!(SerializeStruct, []);
// `{"variant":{...}}`: the object, then the one around it.
struct_like!(SerializeStructVariant, ['}']);

#[cfg(test)]
mod tests {
    use super::to_string;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        Unit,
        Fields { a: u32, b: Option<String> },
    }

    #[derive(Serialize)]
    enum External {
        Unit,
        New(i64),
        Tuple(u8, bool),
        Fields { x: Vec<u16> },
    }

    #[derive(Serialize)]
    struct Inner {
        k: &'static str,
    }

    #[derive(Serialize)]
    struct Outer {
        #[serde(flatten)]
        inner: Inner,
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<u8>,
        none: Option<u8>,
        map: BTreeMap<u32, (u64, char)>,
        names: BTreeMap<String, Option<String>>,
        unit: (),
    }

    #[track_caller]
    fn same<T: Serialize>(value: &T) {
        let ours = to_string(value).unwrap();
        assert_eq!(ours, serde_json::to_string(value).unwrap());
    }

    #[test]
    fn writes_what_serde_json_writes() {
        same(&vec![Tagged::Unit, Tagged::Fields { a: 7, b: None }]);
        same(&Tagged::Fields {
            a: u32::MAX,
            b: Some("x".into()),
        });
        same(&[
            External::Unit,
            External::New(i64::MIN),
            External::New(-5),
            External::Tuple(0, true),
            External::Fields { x: vec![] },
            External::Fields {
                x: vec![1, 2, 65535],
            },
        ]);
        let names = [("a".to_string(), None), ("b\"q".into(), Some("v".into()))];
        same(&Outer {
            inner: Inner { k: "v" },
            gone: None,
            none: None,
            map: [(3, (u64::MAX, 'é')), (10, (0, '"'))].into(),
            names: names.into(),
            unit: (),
        });
        same(&Vec::<Vec<u8>>::new());
        let all_chars: String = (0u32..0x300).filter_map(char::from_u32).collect();
        same(&all_chars);
        same(&"emoji 🦀 \u{7f} \u{2028}");
    }

    #[test]
    fn refuses_floats() {
        assert!(to_string(&1.5f64).is_err());
    }
}
