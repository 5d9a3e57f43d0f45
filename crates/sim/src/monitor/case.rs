//! How a monitor was broken, as data: a [`ViolationCase`] and the values of its holes
//! ([`Params`]). The English sentence (a violation's `description`, in the CLI, goldens and
//! reports) is the case's label with the holes filled; the page words the same case and
//! holes in the reader's language (`viol_<case>` in its label tables, whose English must
//! equal the label: `web/test/i18n.test.mjs`).

use crate::vocab::vocab;

vocab! {
    /// Which rule a violation broke, and how. Each label is the English sentence, with
    /// `{hole}`s named by the violation's `params`.
    pub enum ViolationCase {
        /// A second leader of one term (`election_safety`).
        TwoLeaders = "two_leaders" / "two leaders in term {term}: {a} and {b}",
        /// A leader without an entry committed before its term (`leader_completeness`).
        LeaderMissingCommitted = "leader_missing_committed"
            / "{node} became leader of term {term} without committed entry {entry} (its log has {len} entries)",
        /// Two leaders of one term from disjoint quorums (`disjoint_quorums`).
        DisjointQuorums = "disjoint_quorums"
            / "two leaders in term {term} elected by disjoint quorums: {a} (configuration {a_configuration}, votes {a_votes}) and {b} (configuration {b_configuration}, votes {b_votes})",
        /// A leader removed entries of its own log (`leader_append_only`).
        LeaderTruncated = "leader_truncated"
            / "leader {node} of term {term} removed its entries from index {index}",
        /// A node removed a committed entry (`committed_entry_lost`).
        CommittedTruncated = "committed_truncated"
            / "{node} truncated committed entry {entry} (committed by {by})",
        /// Two logs with one entry and different prefixes (`log_matching`).
        LogsDiffer = "logs_differ" / "{a} and {b} both hold {entry} but their logs differ up to it",
        /// Two nodes committed different entries at one index (`state_machine_safety`).
        CommittedDiffer = "committed_differ"
            / "{node} committed {mine} but {by} committed {theirs} (or the logs before it differ)",
        /// A snapshot whose last entry is not the committed one (`state_machine_safety`).
        SnapshotDiffers = "snapshot_differs"
            / "{node} took a snapshot through {snapshot} but {by} committed {theirs}",
        /// A snapshot beyond what is committed (`state_machine_safety`).
        SnapshotUncommitted = "snapshot_uncommitted"
            / "{node} took a snapshot through {snapshot}, which is not committed",
        /// Two nodes applied different entries at one index (`state_machine_safety`).
        AppliedDiffer = "applied_differ" / "{node} applied {mine} but {by} applied {theirs}",
        /// A retried request applied a second time (`exactly_once`).
        AppliedAgain = "applied_again"
            / "{node} applied {request} again at {entry} (de-duplication off)",
    }
    impl Display;
    impl Serialize;
}

/// A violation's holes and their values, in the order the monitor gives them.
pub type Params = Vec<(&'static str, String)>;

impl ViolationCase {
    /// The English sentence: the label with every `{hole}` replaced by its value (a hole
    /// without a value is left as written, which the tests would show).
    pub fn sentence(self, params: &Params) -> String {
        let mut s = self.label().to_string();
        for (k, v) in params {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_fills_every_hole_of_its_label() {
        let p = vec![
            ("term", "3".to_string()),
            ("a", "n1".to_string()),
            ("b", "n2".to_string()),
        ];
        assert_eq!(
            ViolationCase::TwoLeaders.sentence(&p),
            "two leaders in term 3: n1 and n2"
        );
    }
}
