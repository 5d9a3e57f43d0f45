//! Why an entry is (not) committed, as data: a [`WhyCase`], the [`OnCase`] of its `{on}`
//! hole (how many voters hold the entry), and the values of their holes. The English `why`
//! (CLI, tests) is the case's label filled in; the page words the same case and holes in
//! the reader's language (`why_<case>` and `why_on_<case>` in its label tables, whose
//! English must equal these labels: `web/test/i18n.test.mjs`).

use crate::monitor::Params;
use crate::vocab::vocab;

vocab! {
    /// The sentence explaining an entry's state. `{on}` is the [`OnCase`] sentence.
    pub enum WhyCase {
        /// Committed and applied on this node (state `applied`).
        Applied = "applied" / "committed and applied to {node}'s state machine ({on})",
        /// Committed, not yet applied (state `committed`).
        Committed = "committed"
            / "committed ({on}); {node} applies it next (applied up to {applied})",
        /// No live leader (state `no_leader`).
        NoLeader = "no_leader"
            / "not committed: no leader; {on}, and only a leader commits (needs {quorum})",
        /// No live leader, and this node is crashed (state `no_leader`).
        NoLeaderCrashed = "no_leader_crashed"
            / "not committed: no leader, and {node} is crashed; {on}, and only a leader commits (needs {quorum})",
        /// The leader has another entry here (state `overwritten`).
        OverwrittenConflict = "overwritten_conflict"
            / "will be overwritten: conflicts with the leader {leader}'s entry {leader_term}/{index}",
        /// The leader's log is shorter and newer (state `overwritten`).
        OverwrittenShorter = "overwritten_shorter"
            / "will be overwritten: the leader {leader}'s log ends at {leader_last}; it writes entries of term {leader_term} here",
        /// The leader committed it; this node has not heard (state `committed_elsewhere`).
        CommittedElsewhere = "committed_elsewhere"
            / "committed by the leader {leader} ({on}); {node} learns it with the leader's next message (its commit index is {commit})",
        /// Too few replicas (state `needs_replicas`).
        NeedsReplicas = "needs_replicas" / "not committed: {on}; needs {quorum}",
        /// Too few replicas in a joint configuration (state `needs_replicas`).
        NeedsReplicasJoint = "needs_replicas_joint"
            / "not committed: {on}; needs {quorum}, and {outgoing_quorum} of the outgoing configuration",
        /// A majority holds it, from an older term (state `old_term`, §5.4.2).
        OldTerm = "old_term"
            / "not committed: from term {term} ({on}); a leader commits older entries only by committing one of its own term {leader_term} (§5.4.2)",
        /// A majority holds it in the leader's term (state `committing`).
        Committing = "committing"
            / "{on}, a majority: the leader {leader} commits it at its next step",
    }
    impl Serialize;
}

vocab! {
    /// How many voters hold the entry: the `{on}` hole of a [`WhyCase`].
    pub enum OnCase {
        /// One configuration.
        Simple = "simple" / "on {replicas} of {count} nodes",
        /// Joint consensus: the incoming configuration, then the outgoing one.
        Joint = "joint"
            / "on {replicas} of {count} nodes (and {outgoing_replicas} of the outgoing configuration's {outgoing_count})",
    }
    impl Serialize;
}

/// `label` with every `{hole}` replaced by its value in `params` (a hole without a value
/// is left as written, which the tests would show).
pub fn fill(label: &str, params: &Params) -> String {
    let mut s = label.to_string();
    for (k, v) in params {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// `params` as a JSON object (hole name -> value), as a violation's are.
pub(crate) fn params_as_object<S: serde::Serializer>(p: &Params, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(p.len()))?;
    for (k, v) in p {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl WhyCase {
    /// The English sentence: the `{on}` hole from `on`, the others from `params`.
    pub fn sentence(self, on: OnCase, params: &Params) -> String {
        let on = fill(on.label(), params);
        fill(&self.label().replace("{on}", &on), params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_on_hole_is_filled_from_its_own_case() {
        let p: Params = vec![
            ("node", "n2".into()),
            ("quorum", "3".into()),
            ("replicas", "2".into()),
            ("count", "5".into()),
            ("outgoing_replicas", "1".into()),
            ("outgoing_count", "3".into()),
            ("outgoing_quorum", "2".into()),
        ];
        assert_eq!(
            WhyCase::NeedsReplicas.sentence(OnCase::Simple, &p),
            "not committed: on 2 of 5 nodes; needs 3"
        );
        assert_eq!(
            WhyCase::NeedsReplicasJoint.sentence(OnCase::Joint, &p),
            "not committed: on 2 of 5 nodes (and 1 of the outgoing configuration's 3); needs 3, and 2 of the outgoing configuration"
        );
    }
}
