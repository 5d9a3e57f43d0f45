//! What a scenario expectation observed, as data: a case ([`ObservedCase`], declared once;
//! each label is the English sentence) and the values of its holes in order, so the page
//! words it in the reader's language; the CLI and the golden files print the label filled
//! in ([`Observed::text`]), and a test checks that this is the text they always printed.

use crate::monitor::Violation;
use crate::trace::fill_line as fill;
use crate::vocab::vocab;

vocab! {
    /// How an expectation's observation is worded (the page: `obs_<case>`).
    pub enum ObservedCase {
        /// The live leaders with their terms, `n1 (t2), n3 (t4)`.
        Leaders = "leaders" / "leaders: {leaders}",
        /// How many live nodes committed the index.
        CommittedOn = "committed_on" / "committed on {count} nodes",
        /// A node's commit index.
        CommitOf = "commit_of" / "{node} commit {commit}",
        /// Each live node's value of the key (`n1=v, n2=nil`: the checker's value words).
        Values = "values" / "{values}",
        /// An operation's outcome (`{outcome}`: a history outcome's name).
        OpOutcome = "op_outcome" / "op {op} {outcome}",
        /// No operation has that id.
        NoOp = "no_op" / "no op {op}",
        /// The history checker's verdict (`{verdict}`: ok, violated or unknown).
        Linearizability = "linearizability" / "linearizability {verdict}",
        /// The monitor did not fire.
        NotViolated = "not_violated" / "not violated",
        /// No monitor fired.
        NoneFired = "none_fired" / "none",
        /// A monitor fired: the violation (worded by its own case).
        Violation = "violation" / "{violation}",
        /// The AP store's replicas behind the newest versions.
        ReplicasBehind = "replicas_behind"
            / "{behind} of {live} live replicas behind the newest versions",
        /// Raft's highest commit and each node's applied index.
        Applied = "applied" / "committed max {committed}; applied [{applied}]",
    }
    impl Serialize;
}

/// An observation: its case, its holes in its label's order, and for
/// [`ObservedCase::Violation`] the violation (which the page words by its own case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observed {
    /// The case.
    pub case: ObservedCase,
    /// The holes, in the label's order.
    pub params: Vec<String>,
    /// The violation, for [`ObservedCase::Violation`].
    pub violation: Option<Violation>,
}

impl Observed {
    /// An observation without a violation.
    pub fn new(case: ObservedCase, params: Vec<String>) -> Observed {
        Observed {
            case,
            params,
            violation: None,
        }
    }

    /// The English text: the label with the holes filled in.
    pub fn text(&self) -> String {
        fill(self.case.label(), &self.params)
    }
}
