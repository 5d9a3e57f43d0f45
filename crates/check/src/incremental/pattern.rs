//! The symbolic state the incremental checker carries: a key's value with *holes* where
//! carried unknown-outcome operations may or may not have taken effect, resolved only when
//! an operation observes the value.
//!
//! A [`Pattern`] `base H0 l0 H1 l1 … H(n-1) l(n-1) Hn` is the value `base` followed by the
//! literals `l0 … l(n-1)` (the appends placed since the value was last known), where each
//! hole `Hj` may hold any carried unknown operations whose index is below the hole's
//! eligibility (those invoked before the segment that made the hole): appends insert their
//! value there; a put (or a cas whose expected value the prefix equals) replaces everything
//! before it. The last hole is the *trailing* one; its eligibility is the caller's (every
//! operation carried into the segment being replayed).
//!
//! Why this is exact (the soundness argument; agreement with the whole-history checker is
//! tested in `tests/incremental.rs`): a carried unknown operation was invoked before the
//! cut, so it has no real-time constraint against anything after it and may take effect
//! anywhere there, or never. Placed between two operations of a linearization, it changes
//! only the value at that point, and nothing distinguishes *where* between two successive
//! appends it went except the value's text. So a linearization that places carried
//! operations is a fill of the holes, and every fill is a linearization; a fill is decided
//! only when an operation observes the value ([`Matcher::fills`] for a get's value or a
//! cas's expected value: exactly the fills that make the value equal the target), or
//! dropped when an ok put overwrites it (not using the operations then leaves them
//! available, which allows every future the fill allowed). What this saves: the old
//! representation enumerated every subset and order of the carried appends between reads,
//! each a distinct concrete value.

use crate::model::{KvCall, KvInput, KvOutput, Operation};
use std::sync::Arc;

pub(super) type State = Option<Arc<str>>;
pub(super) type KvOp = Operation<KvInput, KvOutput>;

/// See the module comment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Pattern {
    /// The value known before the first hole.
    pub base: State,
    /// Per hole: its eligibility (carried operations with a lower index may fill it) and
    /// the literal after it.
    pub items: Vec<(u32, Arc<str>)>,
}

impl Pattern {
    /// A known value (only the trailing hole).
    pub fn known(state: State) -> Self {
        Pattern {
            base: state,
            items: Vec::new(),
        }
    }
}

/// The search budget ran out, or too many fills came out.
#[derive(Debug)]
pub(super) struct Overflow;

/// Resolves holes against the carried operations.
pub(super) struct Matcher<'a> {
    /// The partition's carried unknown operations.
    pub carried: &'a [KvOp],
    /// Per carried index: still available in the configuration being replayed.
    pub usable: &'a [bool],
    /// Steps spent (each node of the fill search).
    pub steps: u64,
    /// Budget for `steps`.
    pub steps_max: u64,
    /// The most results one call returns before giving up ([`Overflow`]).
    pub out_max: usize,
}

impl Matcher<'_> {
    fn spend(&mut self) -> Result<(), Overflow> {
        self.steps += 1;
        if self.steps > self.steps_max {
            return Err(Overflow);
        }
        Ok(())
    }

    fn eligible(&self, u: usize, used: &[u32]) -> bool {
        self.usable.get(u).copied().unwrap_or(false) && !used.contains(&(u as u32))
    }

    fn elig(pat: &Pattern, k: usize, trailing: u32, j: usize) -> u32 {
        if j < k {
            pat.items[j].0
        } else {
            trailing
        }
    }

    /// Every set of carried operations (by index) whose placement in the holes makes the
    /// value equal `target`: the first `k` items of `pat` and the trailing hole
    /// (eligibility `trailing`). Sets may repeat or contain others.
    pub fn fills(
        &mut self,
        pat: &Pattern,
        k: usize,
        trailing: u32,
        target: Option<&str>,
    ) -> Result<Vec<Vec<u32>>, Overflow> {
        let mut out = Vec::new();
        let mut used = Vec::new();
        self.solve(pat, k, trailing, target, &mut used, &mut out)?;
        Ok(out)
    }

    fn solve(
        &mut self,
        pat: &Pattern,
        k: usize,
        trailing: u32,
        target: Option<&str>,
        used: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) -> Result<(), Overflow> {
        let base = pat.base.as_deref();
        self.linear(pat, k, trailing, 0, base, target, used, out)?;
        // A reset writes a value, so the result is absent only without one; and it must
        // begin with the value the reset wrote (checked first: the cas's prefix search is
        // the costly part).
        let Some(t) = target else {
            return Ok(());
        };
        // The last reset (a put, or a cas whose expected value the prefix equals) in hole j:
        // only what follows it is seen.
        for j in 0..=k {
            let elig = Self::elig(pat, k, trailing, j) as usize;
            for u in 0..elig.min(self.carried.len()) {
                if !self.eligible(u, used) {
                    continue;
                }
                match &self.carried[u].input.call {
                    KvCall::Put(v) | KvCall::Cas(_, v) if !t.starts_with(&**v) => {}
                    KvCall::Put(v) => {
                        used.push(u as u32);
                        let r = self.linear(pat, k, trailing, j, Some(v), target, used, out);
                        used.pop();
                        r?;
                    }
                    KvCall::Cas(e, v) => {
                        used.push(u as u32);
                        let mut before = Vec::new();
                        let r = self.solve(pat, j, elig as u32, e.as_deref(), used, &mut before);
                        used.pop();
                        r?;
                        for mut b in before {
                            self.linear(pat, k, trailing, j, Some(v), target, &mut b, out)?;
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Fills without resets from `start` (the value at the beginning of hole `j`).
    #[allow(clippy::too_many_arguments)] // reason: the recursion's state, one caller
    fn linear(
        &mut self,
        pat: &Pattern,
        k: usize,
        trailing: u32,
        j: usize,
        start: Option<&str>,
        target: Option<&str>,
        used: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) -> Result<(), Overflow> {
        self.spend()?;
        let Some(t) = target else {
            // Absent: nothing written, no literal left.
            if start.is_none() && j == k {
                self.push(used, out)?;
            }
            return Ok(());
        };
        if start.is_some_and(|s| !t.starts_with(s)) {
            return Ok(());
        }
        let pos = start.map_or(0, str::len);
        self.walk(pat, k, trailing, j, t, pos, start.is_some(), used, out)
    }

    #[allow(clippy::too_many_arguments)] // reason: the recursion's state
    fn walk(
        &mut self,
        pat: &Pattern,
        k: usize,
        trailing: u32,
        j: usize,
        t: &str,
        pos: usize,
        some: bool,
        used: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) -> Result<(), Overflow> {
        self.spend()?;
        let rest = &t[pos..];
        if j == k {
            if rest.is_empty() && some {
                self.push(used, out)?;
            }
        } else if rest.starts_with(&*pat.items[j].1) {
            let n = pat.items[j].1.len();
            self.walk(pat, k, trailing, j + 1, t, pos + n, true, used, out)?;
        }
        let elig = Self::elig(pat, k, trailing, j) as usize;
        for u in 0..elig.min(self.carried.len()) {
            if !self.eligible(u, used) {
                continue;
            }
            if let KvCall::Append(v) = &self.carried[u].input.call {
                if !v.is_empty() && rest.starts_with(&**v) {
                    used.push(u as u32);
                    let r = self.walk(pat, k, trailing, j, t, pos + v.len(), true, used, out);
                    used.pop();
                    r?;
                }
            }
        }
        Ok(())
    }

    fn push(&self, used: &[u32], out: &mut Vec<Vec<u32>>) -> Result<(), Overflow> {
        let mut u = used.to_vec();
        u.sort_unstable();
        out.push(u);
        if out.len() > self.out_max {
            return Err(Overflow);
        }
        Ok(())
    }

    /// Every value the pattern can take, with the carried operations each one uses (for a
    /// cas that did not swap, which rules out only some fills).
    pub fn expand(
        &mut self,
        pat: &Pattern,
        trailing: u32,
    ) -> Result<Vec<(State, Vec<u32>)>, Overflow> {
        let mut out = Vec::new();
        let mut used = Vec::new();
        let k = pat.items.len();
        self.expand_from(pat, k, trailing, 0, pat.base.clone(), &mut used, &mut out)?;
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)] // reason: the recursion's state
    fn expand_from(
        &mut self,
        pat: &Pattern,
        k: usize,
        trailing: u32,
        j: usize,
        cur: State,
        used: &mut Vec<u32>,
        out: &mut Vec<(State, Vec<u32>)>,
    ) -> Result<(), Overflow> {
        self.spend()?;
        if j == k {
            let mut u = used.clone();
            u.sort_unstable();
            out.push((cur.clone(), u));
            if out.len() > self.out_max {
                return Err(Overflow);
            }
        } else {
            let next = Some(join(cur.as_deref(), &pat.items[j].1));
            self.expand_from(pat, k, trailing, j + 1, next, used, out)?;
        }
        let elig = Self::elig(pat, k, trailing, j) as usize;
        for u in 0..elig.min(self.carried.len()) {
            if !self.eligible(u, used) {
                continue;
            }
            let next = match &self.carried[u].input.call {
                KvCall::Append(v) if !v.is_empty() => Some(join(cur.as_deref(), v)),
                KvCall::Put(v) => Some(v.clone()),
                KvCall::Cas(e, v) if e.as_deref() == cur.as_deref() => Some(v.clone()),
                _ => None,
            };
            if let Some(next) = next {
                used.push(u as u32);
                let r = self.expand_from(pat, k, trailing, j, Some(next), used, out);
                used.pop();
                r?;
            }
        }
        Ok(())
    }
}

fn join(cur: Option<&str>, v: &str) -> Arc<str> {
    let mut s = String::with_capacity(cur.map_or(0, str::len) + v.len());
    s.push_str(cur.unwrap_or(""));
    s.push_str(v);
    Arc::from(s)
}
