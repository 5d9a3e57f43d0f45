//! The lying node: the ways one node can be made Byzantine (the `set_byzantine` action).
//!
//! Raft tolerates `f` crashed nodes out of `2f + 1`: a node that stops, loses messages or
//! comes back late. It does not tolerate a node that lies. A lie here is told by the
//! simulator's host, never by the protocol: the lying node's Raft core stays honest, and
//! the host rewrites the messages it sends (`world/byzantine.rs`), so its own log, vote
//! and commit index are what an honest node would hold. Every rewritten message leaves a
//! `lie` record in the trace beside its `send` line.
//!
//! | mode | what the host rewrites | the monitor that sees it |
//! | --- | --- | --- |
//! | `equivocate` | AppendEntries to followers with an even id: every write's value gets a `'` (a different entry at the same index and term) | `log_matching` (two nodes hold the same index/term with different logs), then `state_machine_safety` once both sides commit |
//! | `double_vote` | every refused RequestVote reply becomes a grant, so the node votes for every candidate of a term | `election_safety` (two leaders in one term); in campaigns more often `leader_completeness`, since a grant also skips the up-to-date check and can elect a candidate missing committed entries |
//! | `false_commit` | the commit index in its AppendEntries and heartbeats becomes its own last log index, as if a quorum held all of it | `leader_completeness` when the next leader lacks the falsely committed entry (and `state_machine_safety` if that leader commits another entry there) |
//!
//! No monitor sees a false commit at the instant it is told: the monitors record, per
//! index, the first entry seen there and what was committed, not how many nodes hold it.
//! A "committed on a quorum" check would need each index's holders in the configuration
//! in force; the damage shows one election later, which is also how a real cluster would
//! find out.
//!
//! ```
//! use sim::byzantine::ByzantineMode;
//! assert_eq!(ByzantineMode::DoubleVote.name(), "double_vote");
//! assert_eq!(ByzantineMode::from_name("equivocate"), Some(ByzantineMode::Equivocate));
//! ```

use crate::vocab::vocab;

vocab! {
    /// How a lying node lies (see the module table).
    pub enum ByzantineMode {
        /// Send different entries for the same index and term to different followers.
        Equivocate = "equivocate" / "equivocating AppendEntries",
        /// Grant every vote asked for: two candidates of one term.
        DoubleVote = "double_vote" / "votes twice in a term",
        /// Claim every entry of its log committed.
        FalseCommit = "false_commit" / "claims a commit it lacks",
    }
    impl Display;
    impl Serialize;
}
