//! Vocabularies: the closed sets of names that cross the JSON boundary (message kinds,
//! monitors, read paths, outcomes, drop reasons, toggles, trace markers, ...). Each is
//! declared once, with [`vocab!`]; everything else that lists it derives from that
//! declaration: the enum's [`ALL`](crate::config::ReadPath::ALL) and `NAMES`, its
//! `name()` and `label()`, its JSON reader, and (where asked) `Display` and `Serialize`
//! as the name. `raftlab schema` prints the page's TypeScript unions and option lists
//! from the same lists (`web/src/vocab.js`, checked in and kept fresh by a test).
//!
//! ```
//! use sim::config::ReadPath;
//! assert_eq!(ReadPath::Lease.name(), "lease");
//! assert_eq!(ReadPath::Lease.label(), "leader lease");
//! assert_eq!(ReadPath::from_name("stale"), Some(ReadPath::Stale));
//! assert_eq!(ReadPath::NAMES, ["log", "read_index", "lease", "stale"]);
//! ```

/// Declares a unit-only enum once: each variant with its JSON name and, optionally, a
/// human label (`Variant = "name" / "label"`; without one the label is the name).
///
/// Emits the enum (deriving `Clone, Copy, Debug, PartialEq, Eq` besides the attributes
/// given), `ALL` and `NAMES` (declaration order), `name()`, `label()`, `from_name()`, and
/// `FromJson` (serde's error texts: ``unknown variant `x`, expected one of ...``). After
/// the enum, `impl Display;` writes the name and `impl Serialize;` serializes it as the name
/// (a string, as serde's derive writes a unit variant).
///
/// Non-generic on purpose: `name()` reads `NAMES`, `label()` is a match, the reader is one
/// call of [`crate::json::unit_index`] with `NAMES`, so a vocabulary costs the Wasm module
/// no more than the hand-written code did (measured: slightly less).
macro_rules! vocab {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vattr:meta])*
                $variant:ident = $text:literal $(/ $label:literal)?
            ),+ $(,)?
        }
        $(impl $tr:ident;)*
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vattr])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The JSON name of each variant, indexed like `ALL`.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The JSON name (from `NAMES`: one table in the Wasm module, not two).
            pub const fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }

            /// The human label (the page's option text); the name when none is declared.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $crate::vocab::vocab!(@label $text $($label)?),)+
                }
            }

            /// The variant named `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                let i = Self::NAMES.iter().position(|n| *n == name)?;
                Self::ALL.get(i).copied()
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(v: &$crate::json::Value) -> $crate::json::JsonResult<Self> {
                let i = $crate::json::unit_index(v, Self::NAMES)?;
                Ok(Self::ALL[i])
            }
        }

        $($crate::vocab::vocab!(@impl $tr $name);)*
    };
    (@label $text:literal) => { $text };
    (@label $text:literal $label:literal) => { $label };
    (@impl Display $name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
    (@impl Serialize $name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

pub(crate) use vocab;

/// The JSON reader of an internally tagged enum (`{"type": "crash", "node": 1}`), one line
/// per variant: its `type`, the variant, and each field with how it is read (`req`:
/// required; `opt`: absent or `null` is `None`). Field names are the JSON names. Emits the
/// list of types (`pub const $types`, declaration order), `type_name()`, and the `FromJson`
/// impl, with serde's error texts and exact paths (``unknown field `x`, expected ...``,
/// ``missing field `node` ``).
///
/// Every variant's name, fields and reader sit together, so there is no list to keep in
/// step with numbered match arms.
macro_rules! tagged_reader {
    (
        $(#[$attr:meta])*
        $enum:ident, $expected:literal, $types:ident;
        $($tag:literal => $variant:ident { $($field:ident: $how:ident),* $(,)? }),+ $(,)?
    ) => {
        $(#[$attr])*
        pub const $types: &[&str] = &[$($tag),+];

        impl $enum {
            /// This value's `type` (one of the type list).
            pub fn type_name(&self) -> &'static str {
                match self {
                    $($enum::$variant { .. } => $tag,)+
                }
            }
        }

        impl $crate::json::FromJson for $enum {
            fn from_json(v: &$crate::json::Value) -> $crate::json::JsonResult<Self> {
                // The variant by position in the type list, without numbered arms.
                enum Tag {
                    $($variant,)+
                }
                const TAGS: &[Tag] = &[$(Tag::$variant),+];
                // One call of `known` for all variants, not one per arm (Wasm size).
                const FIELDS: &[&[&str]] = &[$(&[$(stringify!($field)),*]),+];
                let (i, t) = $crate::json::Obj::tagged(v, "type", $expected, $types)?;
                let o = t.known(FIELDS[i])?;
                Ok(match TAGS[i] {
                    $(Tag::$variant => $enum::$variant {
                        $($field: o.$how(stringify!($field))?),*
                    },)+
                })
            }
        }
    };
}

pub(crate) use tagged_reader;

#[cfg(test)]
mod tests {
    vocab! {
        /// A test vocabulary.
        #[derive(Default)]
        pub enum Colour {
            /// The default.
            #[default]
            Red = "red",
            DarkBlue = "dark_blue" / "dark blue",
        }
        impl Display;
        impl Serialize;
    }

    #[test]
    fn names_labels_and_lists_follow_the_declaration() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::NAMES, ["red", "dark_blue"]);
        assert_eq!(Colour::DarkBlue.name(), "dark_blue");
        assert_eq!(Colour::DarkBlue.label(), "dark blue");
        assert_eq!(Colour::Red.label(), "red");
        assert_eq!(Colour::default(), Colour::Red);
        assert_eq!(Colour::from_name("dark_blue"), Some(Colour::DarkBlue));
        assert_eq!(Colour::from_name("blue"), None);
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        for (i, c) in Colour::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
    }

    #[test]
    fn the_reader_speaks_serde() {
        use crate::json::from_json_named;
        assert_eq!(
            from_json_named::<Colour>("c", "\"dark_blue\""),
            Ok(Colour::DarkBlue)
        );
        assert_eq!(
            from_json_named::<Colour>("c", "\"blue\""),
            Err("c: unknown variant `blue`, expected `red` or `dark_blue`".to_string())
        );
        assert_eq!(
            from_json_named::<Colour>("c", "3"),
            Err("c: invalid type: integer `3`, expected `red` or `dark_blue`".to_string())
        );
    }
}
