//! Explanations as data: a [`Words`] is a [`WordCase`] and the values of its holes, in the
//! order its label names them; a value is text, another `Words`, or a list of them. The
//! English text (CLI, JSON `plain`, goldens) is its `Display`: the label filled in. The
//! page words the same case and holes in the reader's language (`plain_<case>` in its
//! label tables, whose English must equal the label), so an explanation is written once,
//! here, and translated there.
//!
//! The values themselves are in no language: client and operation names (`c2`, `#4`,
//! `put(x, 2)`), values (`nil`), times (`4.2 ms`).

use serde::Serialize;
use std::fmt;

/// Declares [`WordCase`]: each case with its JSON name and English label.
macro_rules! word_cases {
    ($($(#[$doc:meta])* $case:ident = $name:literal / $label:literal,)+) => {
        /// What an explanation (or a part of one) says. Each label is the English text,
        /// with `{hole}`s filled, in order, from the [`Words`]' `params`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum WordCase {
            $($(#[$doc])* $case,)+
        }

        impl WordCase {
            /// Every case, in declaration order.
            pub const ALL: &'static [WordCase] = &[$(WordCase::$case),+];
            /// The JSON name of each case, indexed like `ALL`.
            pub const NAMES: &'static [&'static str] = &[$($name),+];
            /// The English label of each case, indexed like `ALL`.
            const LABELS: &'static [&'static str] = &[$($label),+];

            /// The JSON name.
            pub const fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }

            /// The English text with its `{hole}`s.
            pub const fn label(self) -> &'static str {
                Self::LABELS[self as usize]
            }
        }
    };
}

word_cases! {
    /// An operation with its client: `c2's get(x) #4`.
    Who = "who" / "c{client}'s {call} #{id}",
    /// Exactly one operation.
    OperationsOne = "operations_one" / "1 operation",
    /// A count of operations.
    Operations = "operations" / "{n} operations",
    /// A get's answer.
    Returned = "returned" / "returned {value}",
    /// What a swapped cas found.
    Found = "found" / "found {value}",
    /// A read of a value nothing wrote.
    ReadUnwritten = "read_unwritten" / "{who} at {at} {answer}, but no operation wrote {value}.",
    /// A read of a value overwritten before the read was asked.
    ReadOverwritten = "read_overwritten"
        / "{who} at {at} {answer}, but {writer} completed at {written_at}, before c{client} asked, {after}.",
    /// Why the read's absent value cannot come back.
    NothingDeletes = "nothing_deletes" / "and nothing deletes a key",
    /// Why the read's value cannot come back.
    NothingRewrote = "nothing_rewrote" / "and nothing wrote {value} after it",
    /// The register (a history of the register model).
    TheRegister = "the_register" / "the register",
    /// A key of a KV history.
    Key = "key" / "key {key}",
    /// The longest order the linearizability search found.
    LinLongest = "lin_longest"
        / "The longest order of {what}'s operations that fits real time places {placed}, ending with {who} (invoked at {at}) and the value {value}.",
    /// The linearizability search could place nothing.
    LinNoneFirst = "lin_none_first" / "No operation of {what} can take effect first (value {value}).",
    /// The operation that had to come next and could not, with why.
    LinDeadlineWhy = "lin_deadline_why"
        / "{before} Then {who} completed at {at}, so it had to take effect before everything invoked later, and it cannot come next ({why}).",
    /// The operation that had to come next and could not.
    LinDeadline = "lin_deadline"
        / "{before} Then {who} completed at {at}, so it had to take effect before everything invoked later, and it cannot come next.",
    /// No order keeps every client's program order.
    SeqLongest = "seq_longest"
        / "No single order that keeps each client's operations in the order it issued them explains every answer. The longest such order places {placed}; then none of the next ones fits: {next}.",
    /// An operation that cannot come next in the sequential order, and why.
    SeqNext = "seq_next" / "{who} at {at} ({why})",
    /// Nothing is left to place.
    NoneLeft = "none_left" / "none is left",
    /// One client's own order cannot hold.
    SeqClient = "seq_client"
        / "{who} at {at}{answer}{after}; no interleaving of the other clients' operations can give that answer there ({why}).",
    /// A get's answer, after the operation.
    AnswerReturned = "answer_returned" / " returned {value}",
    /// A cas that swapped.
    AnswerSwapped = "answer_swapped" / " swapped",
    /// A cas that did not swap.
    AnswerNotSwapped = "answer_not_swapped" / " did not swap",
    /// The client's operation before the one that cannot hold.
    AfterOwn = "after_own" / ", after its own {call} at {at}",
    /// The relaxation's reason, at the start of the history.
    Relaxed = "relaxed"
        / "whatever the other clients' operations do in between, after client {client}'s earlier operations the state can only be {states}; {why}",
    /// The relaxation's reason, after the longest order.
    RelaxedAfterOrder = "relaxed_after_order"
        / "after the longest order, whatever the other clients' remaining operations do in between, after client {client}'s earlier operations the state can only be {states}; {why}",
    /// A get whose answer is not the state.
    GetNotState = "get_not_state" / "get {key} returned {value} but the state is {state}",
    /// A swapped cas whose expected value is not the state.
    CasSwappedNotState = "cas_swapped_not_state"
        / "cas {key} swapped, so {key2} was {expected}, but the state is {state}",
    /// A cas that did not swap although the state is its expected value.
    CasNotSwappedState = "cas_not_swapped_state"
        / "cas {key} did not swap, so {key2} was not {expected}, but the state is {state}",
    /// Any other answer the model cannot give.
    AnswerDoesNotFit = "answer_does_not_fit" / "the answer {answer} does not fit {call}",
    /// An operation the model accepts but after which nothing else fits.
    NoOrderContinues = "no_order_continues"
        / "it could take effect (state {state}) but no order of the rest continues from there",
    /// Between the items of a list.
    ListSep = "list_sep" / "; ",
    /// Between alternatives (`1 or 2`).
    Or = "or" / " or ",
}

/// An explanation, or a part of one: a case and its holes' values in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Words {
    /// What it says.
    #[serde(serialize_with = "case_name")]
    pub case: WordCase,
    /// The holes' values, in the label's order.
    pub params: Vec<Word>,
}

/// One hole's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Word {
    /// In no language (a name, a value, a time).
    Text(String),
    /// Words of their own.
    Words(Words),
    /// Items joined by [`WordCase::ListSep`].
    List(Vec<Words>),
    /// Alternatives joined by [`WordCase::Or`].
    Either(Vec<String>),
}

fn case_name<S: serde::Serializer>(c: &WordCase, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.name())
}

impl Words {
    /// `case` with `params`.
    pub fn new(case: WordCase, params: Vec<Word>) -> Self {
        Words { case, params }
    }
}

impl From<String> for Word {
    fn from(s: String) -> Self {
        Word::Text(s)
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Self {
        Word::Text(s.to_string())
    }
}

impl From<Words> for Word {
    fn from(w: Words) -> Self {
        Word::Words(w)
    }
}

/// `case` with holes given as anything that becomes a [`Word`].
macro_rules! words {
    ($case:ident $(, $p:expr)* $(,)?) => {
        $crate::words::Words::new($crate::words::WordCase::$case, vec![$($crate::words::Word::from($p)),*])
    };
}
pub(crate) use words;

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Word::Text(s) => f.write_str(s),
            Word::Words(w) => w.fmt(f),
            Word::List(items) => join(f, items, WordCase::ListSep.label()),
            Word::Either(items) => join(f, items, WordCase::Or.label()),
        }
    }
}

fn join<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, w) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        w.fmt(f)?;
    }
    Ok(())
}

impl fmt::Display for Words {
    /// The English label with its holes filled in order (a hole with no value stays
    /// as written).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        util::holes::fill(f, self.case.label(), &self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_fill_in_order_and_nest() {
        let who = words!(Who, "2", "get(x)", "4");
        assert_eq!(who.to_string(), "c2's get(x) #4");
        let next = words!(
            SeqLongest,
            words!(Operations, "3"),
            Word::List(vec![
                words!(SeqNext, who.clone(), "1.0 ms", "why"),
                words!(NoneLeft)
            ])
        );
        assert_eq!(
            next.to_string(),
            "No single order that keeps each client's operations in the order it issued them explains every answer. The longest such order places 3 operations; then none of the next ones fits: c2's get(x) #4 at 1.0 ms (why); none is left."
        );
        assert_eq!(
            Word::Either(vec!["1".into(), "2".into()]).to_string(),
            "1 or 2"
        );
        assert_eq!(words!(Who, "2").to_string(), "c2's {call} #{id}");
    }

    #[test]
    fn names_are_unique_and_labels_name_distinct_holes() {
        for (i, n) in WordCase::NAMES.iter().enumerate() {
            assert!(!WordCase::NAMES[..i].contains(n), "{n} twice");
        }
        for c in WordCase::ALL {
            let holes: Vec<&str> = c
                .label()
                .split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
                .collect();
            for (i, h) in holes.iter().enumerate() {
                assert!(!holes[..i].contains(h), "{}: hole {h} twice", c.name());
            }
        }
    }
}
