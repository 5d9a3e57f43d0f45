//! The `disjoint_quorums` monitor: two leaders of one term elected by disjoint quorums of
//! overlapping configurations — the signature of the single-server change bug (2015).
//!
//! **Rule.** It fires when a node `B` becomes leader of term `T` while another node `A`
//! already became leader of `T`, and
//!
//! 1. each one's *vote set* — the voters that granted it a vote of `T` (its own vote
//!    included) by the moment it became leader — holds a vote quorum of the configuration
//!    it held then (joint: a majority of each half);
//! 2. the two vote sets are disjoint;
//! 3. the two configurations overlap: they share at least one voter (they are versions of
//!    one cluster, not two clusters).
//!
//! Election Safety fires for every second leader of a term; this monitor says *why* it
//! could happen. Majorities of one configuration always intersect, so disjoint quorums
//! mean two configurations whose quorums need not intersect were in force at once: two
//! single-server changes from different leaders (one uncommitted, §4.2.3 of the
//! dissertation and its 2015 erratum), or a configuration change that skipped joint
//! consensus. A second leader from a voter voting twice in one term (a vote forgotten on
//! restart) shares that voter: Election Safety only.
//!
//! **Vote sets** come from the voters' side: each [`raft::Event::VoteGranted`] (not
//! PreVote) is recorded when the voter persists its vote, before the answer is sent. A
//! vote set therefore also holds votes still in flight when the candidate won; with one
//! vote per voter per term, that only makes sets larger, so it never invents a disjoint
//! pair.
//!
//! **Bound.** Votes and elections are kept for the latest [`ELECTION_TERMS_KEPT_MAX`]
//! terms seen; a leader of an older term is no longer checked by this monitor (Election
//! Safety still checks it).

use raft::{Configuration, NodeId, Term};
use serde::Serialize;
use util::SmallMap;

/// How many of the latest terms the monitor keeps votes and elections for.
pub const ELECTION_TERMS_KEPT_MAX: u64 = 1_024;

/// One election, as the evidence of a `disjoint_quorums` violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Election {
    /// The leader.
    pub leader: NodeId,
    /// Its term.
    pub term: Term,
    /// The configuration it held when it became leader.
    pub configuration: Configuration,
    /// The voters that granted it a vote of `term` by then, its own included, sorted.
    pub votes: Vec<NodeId>,
    /// When it became leader, virtual µs.
    pub at_us: u64,
}

impl Election {
    fn is_quorum(&self) -> bool {
        self.configuration
            .has_quorum(|v| self.votes.binary_search(&v).is_ok())
    }
}

/// The votes granted and the elections seen, per term.
#[derive(Clone, Debug, Default)]
pub(super) struct Elections {
    /// (term, candidate) → the voters that granted it a vote, sorted.
    granted: SmallMap<(Term, NodeId), Vec<NodeId>>,
    /// (term, leader) → its election.
    won: SmallMap<(Term, NodeId), Election>,
    /// The latest term seen.
    term_max: Term,
}

impl Elections {
    /// `voter` granted `candidate` its vote of `term`.
    pub(super) fn on_vote_granted(&mut self, voter: NodeId, candidate: NodeId, term: Term) {
        self.see(term);
        if term.0 + ELECTION_TERMS_KEPT_MAX <= self.term_max.0 {
            return;
        }
        let v = self.granted.get_or_insert_with((term, candidate), Vec::new);
        if let Err(at) = v.binary_search(&voter) {
            v.insert(at, voter);
        }
    }

    /// `leader` became leader of `term` holding `configuration`: the earlier leader of
    /// `term` whose election, with this one, breaks the rule (see the module docs).
    pub(super) fn on_elected(
        &mut self,
        at_us: u64,
        leader: NodeId,
        term: Term,
        configuration: &Configuration,
    ) -> Option<(Election, Election)> {
        self.see(term);
        if term.0 + ELECTION_TERMS_KEPT_MAX <= self.term_max.0
            || self.won.get(&(term, leader)).is_some()
        {
            return None;
        }
        let mut votes = self
            .granted
            .get(&(term, leader))
            .cloned()
            .unwrap_or_default();
        if let Err(at) = votes.binary_search(&leader) {
            votes.insert(at, leader);
        }
        let e = Election {
            leader,
            term,
            configuration: configuration.clone(),
            votes,
            at_us,
        };
        let clash = self
            .won
            .iter()
            .filter(|((t, _), _)| *t == term)
            .map(|(_, a)| a)
            .find(|a| breaks_rule(a, &e))
            .cloned();
        self.won.insert((term, leader), e.clone());
        clash.map(|a| (a, e))
    }

    /// Notes `term` and forgets what is past the bound.
    fn see(&mut self, term: Term) {
        if term <= self.term_max {
            return;
        }
        self.term_max = term;
        // Keys are ordered by term first: the old ones lead.
        let stale = |k: &(Term, NodeId)| k.0 .0 + ELECTION_TERMS_KEPT_MAX <= term.0;
        loop {
            let Some(k) = self.granted.keys().next().copied().filter(stale) else {
                break;
            };
            self.granted.remove(&k);
        }
        loop {
            let Some(k) = self.won.keys().next().copied().filter(stale) else {
                break;
            };
            self.won.remove(&k);
        }
    }
}

/// Both quorums of their own configurations, disjoint, of overlapping configurations.
fn breaks_rule(a: &Election, b: &Election) -> bool {
    let disjoint = a.votes.iter().all(|v| b.votes.binary_search(v).is_err());
    let overlap = (a.configuration.members().iter())
        .any(|&v| a.configuration.is_voter(v) && b.configuration.is_voter(v));
    a.leader != b.leader && disjoint && overlap && a.is_quorum() && b.is_quorum()
}

/// Election `e`'s holes in the `disjoint_quorums` sentence, as leader `k` (`a` or `b`): its
/// leader, configuration and votes (`{1,4,5}`).
pub(super) fn params(k: &'static str, e: &Election) -> [(&'static str, String); 3] {
    let votes: Vec<String> = e.votes.iter().map(|v| v.0.to_string()).collect();
    let (configuration, votes_key) = match k {
        "a" => ("a_configuration", "a_votes"),
        _ => ("b_configuration", "b_votes"),
    };
    [
        (k, e.leader.to_string()),
        (configuration, e.configuration.to_string()),
        (votes_key, format!("{{{}}}", votes.join(","))),
    ]
}

#[cfg(test)]
impl Elections {
    /// How many elections are kept (tests of the bound).
    pub(super) fn won_terms(&self) -> usize {
        self.won.len()
    }
}
