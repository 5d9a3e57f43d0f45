//! Sequential specifications: the [`Model`] trait, the KV model and the register model.

use crate::history::{show_value, Call, History, ModelKind, Op, Outcome, Output};
use crate::words::{words, Words};
use foldhash::fast::FixedState;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

/// One operation as the searches see it (failed operations are already dropped).
///
/// Invariant: `output.is_none() == complete_us.is_none()` (unknown outcome: no answer, no
/// completion time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation<I, O> {
    /// The history's id (explanations refer to it).
    pub id: u64,
    /// The client (session).
    pub client: u64,
    /// What was asked.
    pub input: I,
    /// What was answered; `None`: unknown outcome.
    pub output: Option<O>,
    /// Invocation time, microseconds.
    pub invoke_us: u64,
    /// Completion time; `None`: unknown outcome (the completion is at +infinity).
    pub complete_us: Option<u64>,
}

/// An independent part of a history (for the KV model: one key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// A name for reports (the key).
    pub name: String,
    /// Indexes into the operation slice, in slice order.
    pub ops: Vec<usize>,
    /// Unknown-outcome operations left out of `ops` because no answer in the history can
    /// depend on them (see [`without_unobservable_writes`]).
    pub set_aside: usize,
}

/// A sequential specification: a deterministic state machine over typed inputs and outputs.
///
/// `step` is the hot path of the searches: it returns the next state when `input` applied
/// to `state` may answer `output`, and `None` (a rejection) otherwise. `output == None`
/// means the answer is unknown: any answer the model gives is acceptable.
pub trait Model {
    /// The state; hashed and compared by the memo cache.
    type State: Clone + Eq + Hash + Debug;
    /// An operation's arguments.
    type Input: Clone + PartialEq + Debug;
    /// An operation's answer.
    type Output: Clone + PartialEq + Debug;

    /// The initial state.
    fn init(&self) -> Self::State;

    /// The next state, or `None` if the model cannot answer `output` from `state`.
    fn step(
        &self,
        state: &Self::State,
        input: &Self::Input,
        output: Option<&Self::Output>,
    ) -> Option<Self::State>;

    /// True when every step this operation can take leaves the state unchanged (a read, a
    /// cas that did not swap). The linearizability search places such operations as soon
    /// as the model accepts them, without trying alternatives. The default, `false`, is
    /// always correct.
    fn preserves_state(&self, input: &Self::Input, output: Option<&Self::Output>) -> bool {
        let _ = (input, output);
        false
    }

    /// Splits a history into independent parts whose linearizability implies the whole's
    /// (P-compositionality). The default: one part holding everything.
    fn partition(&self, ops: &[Operation<Self::Input, Self::Output>]) -> Vec<Partition> {
        vec![Partition {
            name: String::new(),
            ops: (0..ops.len()).collect(),
            set_aside: 0,
        }]
    }

    /// One line for an operation: `get x -> 1`.
    fn describe_operation(&self, input: &Self::Input, output: Option<&Self::Output>) -> String;

    /// One line for a state.
    fn describe_state(&self, state: &Self::State) -> String;

    /// Why `step` rejects (called only when it does): `get x returned 1 but the state is 2`.
    fn why_rejected(
        &self,
        state: &Self::State,
        input: &Self::Input,
        output: Option<&Self::Output>,
    ) -> Words;
}

/// A KV call with shared strings (cheap to clone in the searches).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvCall {
    /// `key := value`.
    Put(Arc<str>),
    /// Read.
    Get,
    /// `key := key ++ value`.
    Append(Arc<str>),
    /// Compare-and-swap: expected (`None`: absent), new value.
    Cas(Option<Arc<str>>, Arc<str>),
}

/// Input of the KV and register models.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KvInput {
    /// The key (ignored by the register model).
    pub key: Arc<str>,
    /// The call.
    pub call: KvCall,
}

/// Output of the KV and register models.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvOutput {
    /// A put or append was acknowledged.
    Ack,
    /// A get read this (`None`: absent).
    Value(Option<Arc<str>>),
    /// A cas swapped or not.
    Swapped(bool),
}

/// Sorts indexes into `ops` by invocation (then id). Generic over the operation types only,
/// which the models share: one copy of the sort, not one per model.
pub(crate) fn sort_by_invocation<I, O>(ops: &[Operation<I, O>], idx: &mut [usize]) {
    util::sort::sort_by_key(idx, |&i| (ops[i].invoke_us, ops[i].id));
}

/// The KV operations of a history, failed ones dropped, in file order.
pub fn kv_operations<'h>(history: &'h History) -> Vec<Operation<KvInput, KvOutput>> {
    let live: Vec<&'h Op> = history
        .operations
        .iter()
        .filter(|op| op.outcome != Outcome::Failed)
        .collect();
    // The register model has no keys.
    let key = |op: &'h Op| -> &'h str {
        if history.model == ModelKind::Register {
            ""
        } else {
            op.key.as_str()
        }
    };
    // Each distinct string gets one shared copy (a hash map: lookups only, never iterated).
    let mut shared: hashbrown::HashMap<&'h str, Arc<str>, FixedState> =
        hashbrown::HashMap::with_hasher(FixedState::default());
    let mut share = |s: &'h str| shared.entry(s).or_insert_with(|| Arc::from(s)).clone();
    let mut out = Vec::with_capacity(live.len());
    for &op in &live {
        let call = match &op.call {
            Call::Put { value } => KvCall::Put(share(value)),
            Call::Get => KvCall::Get,
            Call::Append { value } => KvCall::Append(share(value)),
            Call::Cas { expected, value } => {
                KvCall::Cas(expected.as_deref().map(&mut share), share(value))
            }
        };
        let output = match (op.outcome, &op.output) {
            (Outcome::Ok, Some(Output::Value(v))) => {
                Some(KvOutput::Value(v.as_deref().map(&mut share)))
            }
            (Outcome::Ok, Some(Output::Swapped(b))) => Some(KvOutput::Swapped(*b)),
            (Outcome::Ok, None) => Some(KvOutput::Ack),
            _ => None,
        };
        out.push(Operation {
            id: op.id,
            client: op.client,
            input: KvInput {
                key: share(key(op)),
                call,
            },
            output,
            invoke_us: op.invoke_us,
            complete_us: op.complete_us,
        });
    }
    out
}

/// Applies `call` to the current value of one key; `None`: rejected. The single source of
/// the KV semantics (docs/history-format.md).
pub fn apply_kv(
    cur: Option<&Arc<str>>,
    call: &KvCall,
    output: Option<&KvOutput>,
) -> Option<Option<Arc<str>>> {
    match (call, output) {
        (KvCall::Put(v), None | Some(KvOutput::Ack)) => Some(Some(v.clone())),
        (KvCall::Get, None) => Some(cur.cloned()),
        (KvCall::Get, Some(KvOutput::Value(read))) => {
            if read.as_ref() == cur {
                Some(cur.cloned())
            } else {
                None
            }
        }
        (KvCall::Append(v), None | Some(KvOutput::Ack)) => {
            let mut s = String::with_capacity(cur.map_or(0, |c| c.len()) + v.len());
            if let Some(c) = cur {
                s.push_str(c);
            }
            s.push_str(v);
            Some(Some(Arc::from(s)))
        }
        (KvCall::Cas(expected, new), out) => {
            let matches = expected.as_ref() == cur;
            match out {
                None => Some(if matches {
                    Some(new.clone())
                } else {
                    cur.cloned()
                }),
                Some(KvOutput::Swapped(true)) if matches => Some(Some(new.clone())),
                Some(KvOutput::Swapped(false)) if !matches => Some(cur.cloned()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Byte comparisons one partition may spend looking for unknown writes to set aside (observed
/// bytes times the written value's length, per write); beyond it the remaining ones stay in
/// the search (a bound on the pre-pass, not on correctness).
pub const SET_ASIDE_SCAN_COMPARISONS_MAX: usize = 64 << 20;

/// The partition of one key (or register) holding `part`, without the unknown-outcome
/// writes that no answer could have depended on. Leaving an unknown operation out is always
/// allowed (it may never have taken effect), so this can only shorten the search; it never
/// changes a verdict. An unknown put, append or cas writing `v` is set aside when:
///
/// 1. no ok get's value and no cas's expected value (any outcome) contains `v`; and
/// 2. no ok cas that did not swap completed at or after the write's invocation, except one
///    that expected absence once an ok write had completed before the invocation (values
///    are never deleted, so the key could not be absent then).
///
/// Why: take a linearization that places the write. Until the next put, every state
/// contains `v`, so by (1) no ok get, no swapping cas and no cas expecting such a state lies
/// in between; by (2) no ok cas that did not swap does either, unless it expected absence,
/// which stays false without the write. Removing the write, and the unknown operations in
/// that stretch, leaves only ok appends there: the rest is still a linearization.
pub fn without_unobservable_writes(
    ops: &[Operation<KvInput, KvOutput>],
    name: &str,
    part: &[usize],
) -> Partition {
    let mut observed: Vec<&str> = Vec::new();
    let mut first_write_done: Option<u64> = None;
    // Latest completion of an ok cas that did not swap, expecting a value / absence.
    let (mut unswapped_value, mut unswapped_absent): (Option<u64>, Option<u64>) = (None, None);
    for &i in part {
        let op = &ops[i];
        if let KvCall::Cas(Some(e), _) = &op.input.call {
            observed.push(e);
        }
        let done = op.complete_us;
        match (&op.input.call, &op.output) {
            (KvCall::Get, Some(KvOutput::Value(Some(v)))) => observed.push(v),
            (KvCall::Cas(e, _), Some(KvOutput::Swapped(false))) => {
                let latest = if e.is_some() {
                    &mut unswapped_value
                } else {
                    &mut unswapped_absent
                };
                *latest = (*latest).max(done);
            }
            (KvCall::Put(_) | KvCall::Append(_), Some(KvOutput::Ack))
            | (KvCall::Cas(..), Some(KvOutput::Swapped(true))) => {
                first_write_done = match (first_write_done, done) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            _ => {}
        }
    }
    let observed_bytes: usize = observed.iter().map(|s| s.len()).sum();
    let mut scan_left = SET_ASIDE_SCAN_COMPARISONS_MAX;
    let mut kept = Vec::with_capacity(part.len());
    for &i in part {
        let op = &ops[i];
        let written = match &op.input.call {
            KvCall::Put(v) | KvCall::Append(v) | KvCall::Cas(_, v) if op.output.is_none() => {
                Some(&**v)
            }
            _ => None,
        };
        let invoked = op.invoke_us;
        let set_aside = written.is_some_and(|v| {
            let before = |t: Option<u64>| t.is_none_or(|t| t < invoked);
            let unswapped_ok = before(unswapped_value)
                && (before(unswapped_absent) || first_write_done.is_some_and(|t| t < invoked));
            let cost = observed_bytes.saturating_mul(v.len().max(1));
            if !unswapped_ok || scan_left < cost {
                return false;
            }
            scan_left -= cost;
            !observed.iter().any(|s| s.contains(v))
        });
        if !set_aside {
            kept.push(i);
        }
    }
    Partition {
        name: name.to_string(),
        set_aside: part.len() - kept.len(),
        ops: kept,
    }
}

/// Gets, and cas operations that did not swap, never change the state.
fn kv_preserves_state(input: &KvInput, output: Option<&KvOutput>) -> bool {
    matches!(
        (&input.call, output),
        (KvCall::Get, _) | (KvCall::Cas(..), Some(KvOutput::Swapped(false)))
    )
}

fn describe_kv(key: &str, call: &KvCall, output: Option<&KvOutput>) -> String {
    let k = if key.is_empty() { "r" } else { key };
    let c = match call {
        KvCall::Put(v) => format!("put {k}={}", show_value(Some(v))),
        KvCall::Get => format!("get {k}"),
        KvCall::Append(v) => format!("append {k}+={}", show_value(Some(v))),
        KvCall::Cas(e, v) => {
            format!(
                "cas {k} {}->{}",
                show_value(e.as_deref()),
                show_value(Some(v))
            )
        }
    };
    match output {
        Some(KvOutput::Value(v)) => format!("{c} -> {}", show_value(v.as_deref())),
        Some(KvOutput::Swapped(b)) => format!("{c} -> {b}"),
        Some(KvOutput::Ack) => c,
        None => format!("{c} (outcome unknown)"),
    }
}

fn why_kv(key: &str, cur: Option<&str>, call: &KvCall, output: Option<&KvOutput>) -> Words {
    let k = if key.is_empty() { "r" } else { key };
    let state = show_value(cur);
    match (call, output) {
        (KvCall::Get, Some(KvOutput::Value(read))) => {
            words!(GetNotState, k, show_value(read.as_deref()), state)
        }
        (KvCall::Cas(e, _), Some(KvOutput::Swapped(true))) => {
            words!(CasSwappedNotState, k, k, show_value(e.as_deref()), state)
        }
        (KvCall::Cas(e, _), Some(KvOutput::Swapped(false))) => {
            words!(CasNotSwappedState, k, k, show_value(e.as_deref()), state)
        }
        (_, out) => words!(
            AnswerDoesNotFit,
            format!("{out:?}"),
            describe_kv(key, call, None)
        ),
    }
}

/// The KV model: a map from string keys to string values; partitioned by key.
#[derive(Clone, Copy, Debug, Default)]
pub struct KvModel;

/// A KV state: the present keys with their values, sorted by key.
pub type KvState = Vec<(Arc<str>, Arc<str>)>;

impl Model for KvModel {
    type State = KvState;
    type Input = KvInput;
    type Output = KvOutput;

    fn init(&self) -> KvState {
        Vec::new()
    }

    fn step(&self, state: &KvState, input: &KvInput, output: Option<&KvOutput>) -> Option<KvState> {
        let pos = state.binary_search_by(|(k, _)| (**k).cmp(&*input.key));
        let cur = pos.ok().map(|i| &state[i].1);
        if matches!(input.call, KvCall::Get) {
            apply_kv(cur, &input.call, output)?;
            return Some(state.clone());
        }
        let next = apply_kv(cur, &input.call, output)?;
        let mut s = state.clone();
        match (pos, next) {
            (Ok(i), Some(v)) => s[i].1 = v,
            (Ok(i), None) => {
                s.remove(i);
            }
            (Err(i), Some(v)) => s.insert(i, (input.key.clone(), v)),
            (Err(_), None) => {}
        }
        Some(s)
    }

    fn partition(&self, ops: &[Operation<KvInput, KvOutput>]) -> Vec<Partition> {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            by_key.entry(&op.input.key).or_default().push(i);
        }
        by_key
            .into_iter()
            .map(|(key, part)| without_unobservable_writes(ops, key, &part))
            .collect()
    }

    fn preserves_state(&self, input: &KvInput, output: Option<&KvOutput>) -> bool {
        kv_preserves_state(input, output)
    }

    fn describe_operation(&self, input: &KvInput, output: Option<&KvOutput>) -> String {
        describe_kv(&input.key, &input.call, output)
    }

    fn describe_state(&self, state: &KvState) -> String {
        let parts: Vec<String> = state
            .iter()
            .map(|(k, v)| format!("{k}={}", show_value(Some(v))))
            .collect();
        format!("{{{}}}", parts.join(", "))
    }

    fn why_rejected(&self, state: &KvState, input: &KvInput, output: Option<&KvOutput>) -> Words {
        let cur = state
            .iter()
            .find(|(k, _)| *k == input.key)
            .map(|(_, v)| &**v);
        why_kv(&input.key, cur, &input.call, output)
    }
}

/// The single-register model: one value (initially absent); `get` reads, `put` writes,
/// `cas` compares and swaps. Keys are ignored. (`append` also works, as in the KV model,
/// though the history format admits only get/put/cas for `model: "register"`.)
#[derive(Clone, Copy, Debug, Default)]
pub struct RegisterModel;

impl Model for RegisterModel {
    type State = Option<Arc<str>>;
    type Input = KvInput;
    type Output = KvOutput;

    fn init(&self) -> Self::State {
        None
    }

    fn step(
        &self,
        state: &Self::State,
        input: &KvInput,
        output: Option<&KvOutput>,
    ) -> Option<Self::State> {
        apply_kv(state.as_ref(), &input.call, output)
    }

    fn partition(&self, ops: &[Operation<KvInput, KvOutput>]) -> Vec<Partition> {
        let all: Vec<usize> = (0..ops.len()).collect();
        vec![without_unobservable_writes(ops, "", &all)]
    }

    fn preserves_state(&self, input: &KvInput, output: Option<&KvOutput>) -> bool {
        kv_preserves_state(input, output)
    }

    fn describe_operation(&self, input: &KvInput, output: Option<&KvOutput>) -> String {
        describe_kv("", &input.call, output)
    }

    fn describe_state(&self, state: &Self::State) -> String {
        show_value(state.as_deref())
    }

    fn why_rejected(
        &self,
        state: &Self::State,
        input: &KvInput,
        output: Option<&KvOutput>,
    ) -> Words {
        why_kv("", state.as_deref(), &input.call, output)
    }
}

/// The KV model for one key at a time: what the linearizability check runs on each key's
/// partition (a KV map is a set of independent registers, and linearizability is local).
/// Its state is the key's value only, which makes a search step allocation-free except
/// for appends. Do not use it on a history with several keys without partitioning (the
/// sequential-consistency check, which cannot partition, uses [`KvModel`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct KvKeyModel;

impl Model for KvKeyModel {
    type State = Option<Arc<str>>;
    type Input = KvInput;
    type Output = KvOutput;

    fn init(&self) -> Self::State {
        None
    }

    fn step(
        &self,
        state: &Self::State,
        input: &KvInput,
        output: Option<&KvOutput>,
    ) -> Option<Self::State> {
        apply_kv(state.as_ref(), &input.call, output)
    }

    fn partition(&self, ops: &[Operation<KvInput, KvOutput>]) -> Vec<Partition> {
        KvModel.partition(ops)
    }

    fn preserves_state(&self, input: &KvInput, output: Option<&KvOutput>) -> bool {
        kv_preserves_state(input, output)
    }

    fn describe_operation(&self, input: &KvInput, output: Option<&KvOutput>) -> String {
        describe_kv(&input.key, &input.call, output)
    }

    fn describe_state(&self, state: &Self::State) -> String {
        show_value(state.as_deref())
    }

    fn why_rejected(
        &self,
        state: &Self::State,
        input: &KvInput,
        output: Option<&KvOutput>,
    ) -> Words {
        why_kv(&input.key, state.as_deref(), &input.call, output)
    }
}
