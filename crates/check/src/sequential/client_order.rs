//! A quick refutation of sequential consistency: one client's own order that no
//! interleaving of the other clients can explain.
//!
//! Relaxation: follow one client's remaining ok operations in program order, tracking the
//! set of states the model may be in, and between two of them let every state-changing
//! step of any *other* client's remaining operation (and the client's own unknown-outcome
//! operations, which may take effect anywhere or never) happen any number of times. Every
//! sequentially consistent order is such a walk for each client, so when a client's
//! operation fits no reachable state the history is not sequentially consistent. Example:
//! a client writes 2, then reads nil; nothing removes a value, so no interleaving explains
//! the read.
//!
//! The search runs it once on the whole history (a refutation with its evidence), then at
//! every node on what is left to place, from the node's state (pruning nodes whose
//! completion is impossible for the same reason).
//!
//! Cost: the states reachable from the initial one (at most [`RELAX_STATES_MAX`], else
//! the relaxation is skipped) times the operations, once, to table the transitions; then
//! bit-set reachability per client.

use crate::model::{Model, Operation};

/// The most model states the relaxation tracks (one bit each); with more it gives no
/// answer and the search decides alone.
pub const RELAX_STATES_MAX: usize = 64;

/// A client's operation that no state reachable by the relaxation accepts.
pub(crate) struct Stuck {
    /// The client.
    pub client: u64,
    /// The operation (index into the sorted operations).
    pub op: usize,
    /// The states (table indexes, one bit each) the model may be in when it comes.
    pub possible: u64,
}

/// The transitions of every operation between the states reachable from the initial one.
pub(crate) struct Table<S> {
    /// The states, in discovery order (the initial one first).
    pub states: Vec<S>,
    /// Per operation, every (from, to) step the model accepts, self-loops included.
    moves: Vec<Vec<(u8, u8)>>,
    /// Per client, its ok operations in program order.
    chains: Vec<(u64, Vec<usize>)>,
    /// Per operation, its client's index in `chains`.
    client_of: Vec<usize>,
    /// Per operation, whether its outcome is ok.
    ok: Vec<bool>,
}

impl<S: Clone + Eq> Table<S> {
    /// Tables the transitions of `ops` (sorted by invocation); `None` when more than
    /// [`RELAX_STATES_MAX`] states are reachable. Adds the model steps spent to `spent`.
    pub fn new<M: Model<State = S>>(
        model: &M,
        ops: &[&Operation<M::Input, M::Output>],
        spent: &mut u64,
    ) -> Option<Self> {
        let mut states: Vec<S> = vec![model.init()];
        let mut moves: Vec<Vec<(u8, u8)>> = vec![Vec::new(); ops.len()];
        let mut k = 0;
        while k < states.len() {
            for (i, o) in ops.iter().enumerate() {
                *spent += 1;
                let Some(next) = model.step(&states[k], &o.input, o.output.as_ref()) else {
                    continue;
                };
                let to = match states.iter().position(|s| *s == next) {
                    Some(t) => t,
                    None if states.len() < RELAX_STATES_MAX => {
                        states.push(next);
                        states.len() - 1
                    }
                    None => return None,
                };
                moves[i].push((k as u8, to as u8));
            }
            k += 1;
        }
        let mut chains: Vec<(u64, Vec<usize>)> = Vec::new();
        let mut client_of = Vec::with_capacity(ops.len());
        for (i, o) in ops.iter().enumerate() {
            let c = match chains.iter().position(|(c, _)| *c == o.client) {
                Some(c) => c,
                None => {
                    chains.push((o.client, Vec::new()));
                    chains.len() - 1
                }
            };
            if o.output.is_some() {
                chains[c].1.push(i);
            }
            client_of.push(c);
        }
        Some(Table {
            states,
            moves,
            chains,
            client_of,
            ok: ops.iter().map(|o| o.output.is_some()).collect(),
        })
    }

    /// The table index of a state (every state the search meets is tabled).
    pub fn index(&self, state: &S) -> Option<usize> {
        self.states.iter().position(|s| s == state)
    }

    /// The first client (in first-appearance order) whose remaining ok operations cannot
    /// follow from state `from` with the remaining (not `placed`) operations of the others.
    pub fn first_stuck(&self, from: usize, placed: &[u64]) -> Option<Stuck> {
        let k = self.states.len();
        let is_placed = |i: usize| placed[i / 64] & (1 << (i % 64)) != 0;
        // adj[f]: the states the remaining operations can move f to; sole[f * k + t]: the
        // client index when only that client's remaining ok operations make the move f->t
        // (then that client itself cannot use it between its own operations).
        const NOBODY: usize = usize::MAX;
        const SEVERAL: usize = usize::MAX - 1;
        let mut adj = [0u64; RELAX_STATES_MAX];
        let mut sole = vec![NOBODY; k * k];
        for (i, m) in self.moves.iter().enumerate() {
            if is_placed(i) {
                continue;
            }
            let c = self.client_of[i];
            let by = if self.ok[i] { c } else { SEVERAL };
            for &(f, t) in m {
                if f != t {
                    adj[f as usize] |= 1 << t;
                    let e = &mut sole[f as usize * k + t as usize];
                    if *e == NOBODY {
                        *e = by;
                    } else if *e != by {
                        *e = SEVERAL;
                    }
                }
            }
        }
        for (c, (client, chain)) in self.chains.iter().enumerate() {
            let start = chain.partition_point(|&i| is_placed(i));
            if start == chain.len() {
                continue;
            }
            let mut adj = adj;
            for (e, _) in sole.iter().enumerate().filter(|(_, &b)| b == c) {
                adj[e / k] &= !(1 << (e % k));
            }
            let adj = &adj[..k];
            let closure = |mut set: u64| -> u64 {
                loop {
                    let mut next = set;
                    for (f, a) in adj.iter().enumerate() {
                        if set & (1 << f) != 0 {
                            next |= a;
                        }
                    }
                    if next == set {
                        return set;
                    }
                    set = next;
                }
            };
            let mut set = closure(1 << from);
            for &i in &chain[start..] {
                let mut after = 0u64;
                for &(f, t) in &self.moves[i] {
                    if set & (1 << f) != 0 {
                        after |= 1 << t;
                    }
                }
                if after == 0 {
                    return Some(Stuck {
                        client: *client,
                        op: i,
                        possible: set,
                    });
                }
                set = closure(after);
            }
        }
        None
    }

    /// The client's ok operations before `op` (program order).
    pub fn earlier(&self, op: usize) -> &[usize] {
        let chain = &self.chains[self.client_of[op]].1;
        &chain[..chain.partition_point(|&i| i < op)]
    }
}
