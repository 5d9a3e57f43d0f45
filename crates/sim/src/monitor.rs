//! Safety monitors, evaluated incrementally after every event.
//!
//! Every node's persisted log carries a parallel vector of *chain digests*:
//! `chain[i] = H(chain[i-1], term[i], command[i])`, so two logs agree on a whole prefix iff
//! their digests at its last index agree (up to 64-bit collisions). With it each check is
//! O(log n) per appended, committed or applied entry — never a scan of a log.
//!
//! | monitor | checked when | rule |
//! | --- | --- | --- |
//! | `election_safety` | a node becomes leader | at most one leader per term |
//! | `leader_append_only` | a leader's log is truncated | a leader never removes entries |
//! | `log_matching` | an entry is appended | same (index, term) ⇒ same prefix digest |
//! | `leader_completeness` | a node becomes leader | its log holds every entry committed in an earlier term |
//! | `state_machine_safety` | an entry is committed or applied | one entry per index, cluster-wide |
//! | `committed_entry_lost` | a log is truncated | a node in the commit's term or later never removes a committed entry |
//! | `exactly_once` | a retried command is applied again | a client request takes effect once |
//! | `disjoint_quorums` | a node becomes leader | no two leaders of one term elected by disjoint quorums of overlapping configurations ([`quorums`]) |
//!
//! Log compaction does not shorten the digests: a node's digests cover its compacted
//! prefix through the snapshot's last included entry (`on_snapshot`), so every rule above
//! still counts the entries a snapshot replaced.

pub mod case;
pub mod quorums;

use crate::vocab::vocab;
pub use case::{Params, ViolationCase};
use quorums::{Election, Elections};
use raft::{ChunkVec, Configuration, LogIndex, NodeId, Term};
use serde::Serialize;
use std::fmt;
use util::SmallMap;

vocab! {
    /// The monitors, in report order.
    #[derive(PartialOrd, Ord)]
    pub enum MonitorId {
        /// At most one leader per term.
        ElectionSafety = "election_safety",
        /// A leader never overwrites or deletes its entries.
        LeaderAppendOnly = "leader_append_only",
        /// Same index and term ⇒ identical logs up to there.
        LogMatching = "log_matching",
        /// A leader holds every entry committed in an earlier term.
        LeaderCompleteness = "leader_completeness",
        /// No two nodes commit or apply different entries at one index.
        StateMachineSafety = "state_machine_safety",
        /// A committed entry was truncated from the log of a node whose term had reached the
        /// term of the commit (one that may be counted in the majority holding it).
        CommittedEntryLost = "committed_entry_lost",
        /// A retried client command took effect twice.
        ExactlyOnce = "exactly_once",
        /// Two leaders of one term, each elected by a vote quorum of the configuration it
        /// held, by disjoint sets of voters, the configurations sharing a voter (the
        /// single-server change bug; see [`quorums`]).
        DisjointQuorums = "disjoint_quorums",
    }
    impl Display;
    impl Serialize;
}

/// Every monitor, in report order.
pub const MONITORS: &[MonitorId] = MonitorId::ALL;

/// The evidence of a violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Which monitor.
    pub monitor: MonitorId,
    /// When, virtual µs.
    pub time_us: u64,
    /// Nodes involved.
    pub nodes: Vec<NodeId>,
    /// Terms involved.
    pub terms: Vec<Term>,
    /// Log indexes involved.
    pub indexes: Vec<LogIndex>,
    /// How it was broken, and the values of that case's holes (the page words these in
    /// the reader's language).
    pub case: ViolationCase,
    /// The holes of `case`, by name (an object in JSON).
    #[serde(serialize_with = "params_as_object")]
    pub params: Params,
    /// One line, in English: `case`'s sentence with `params` filled in.
    pub description: String,
    /// The two elections, for `disjoint_quorums` (empty, and left out of JSON, otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elections: Vec<Election>,
}

fn params_as_object<S: serde::Serializer>(p: &Params, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(p.len()))?;
    for (k, v) in p {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}us: {}",
            self.monitor, self.time_us, self.description
        )
    }
}

/// One monitor's state, for views and reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonitorState {
    /// Which monitor.
    pub monitor: MonitorId,
    /// Violated at least once.
    pub violated: bool,
    /// How many times it fired.
    pub violations: u64,
    /// The first violation's evidence.
    pub first: Option<Violation>,
}

/// An entry's identity in the monitors: term and prefix digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Digest {
    /// Term.
    pub term: Term,
    /// Chain digest of the prefix ending here.
    pub chain: u64,
}

/// The first node seen holding an entry: its term and prefix digest, and the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Appended {
    term: Term,
    chain: u64,
    node: NodeId,
}

/// Who first reported an index committed, and that node's term then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CommittedBy {
    node: NodeId,
    term: Term,
}

/// The monitors' incremental state.
#[derive(Clone, Debug, Default)]
pub struct Monitors {
    leaders: SmallMap<Term, NodeId>,
    /// Per index (from 1): the first entry seen appended there — the common case, a plain
    /// vector lookup — and the node that appended it. Digests apart from nodes, so that
    /// these chunks, like `committed` and `applied`, can share the nodes' chain chunks
    /// ([`Monitors::share_digest_chunks`]).
    entries: ChunkVec<Digest>,
    entries_by: ChunkVec<NodeId>,
    /// Further terms seen at an index: (index, term) → the first holder. Only entries
    /// that conflict with an earlier one land here (a few per leader change), so a sorted
    /// vector is enough, and it spares the module a `BTreeMap` instantiation.
    entries_other: SmallMap<(LogIndex, Term), Appended>,
    committed: ChunkVec<Digest>,
    /// Per committed index: the first node that reported it committed, and that node's
    /// term then (the term in which the entry became committed, or later).
    committed_by: ChunkVec<CommittedBy>,
    applied: ChunkVec<Digest>,
    applied_by: ChunkVec<NodeId>,
    first: [Option<Violation>; MonitorId::ALL.len()],
    counts: [u64; MonitorId::ALL.len()],
    fresh: Vec<MonitorId>,
    elections: Elections,
}

impl Monitors {
    fn fire(
        &mut self,
        monitor: MonitorId,
        time_us: u64,
        nodes: Vec<NodeId>,
        terms: Vec<Term>,
        indexes: Vec<LogIndex>,
        (case, params): (ViolationCase, impl FnOnce() -> Params),
    ) {
        let i = monitor as usize;
        self.counts[i] += 1;
        if self.first[i].is_none() {
            let params = params();
            self.first[i] = Some(Violation {
                monitor,
                time_us,
                nodes,
                terms,
                indexes,
                description: case.sentence(&params),
                case,
                params,
                elections: Vec::new(),
            });
            self.fresh.push(monitor);
        }
    }

    /// Monitors that fired for the first time since the last call.
    pub fn take_fresh(&mut self) -> Vec<MonitorId> {
        std::mem::take(&mut self.fresh)
    }

    /// The highest index known committed anywhere.
    pub fn committed_len(&self) -> LogIndex {
        LogIndex(self.committed.len() as u64)
    }

    /// `node` became leader of `term`; `log` is its persisted log's digests.
    pub fn on_leader(&mut self, time_us: u64, node: NodeId, term: Term, log: &ChunkVec<Digest>) {
        match self.leaders.get(&term) {
            Some(&other) if other != node => self.fire(
                MonitorId::ElectionSafety,
                time_us,
                vec![other, node],
                vec![term],
                vec![],
                (ViolationCase::TwoLeaders, || {
                    vec![
                        ("term", term.0.to_string()),
                        ("a", other.to_string()),
                        ("b", node.to_string()),
                    ]
                }),
            ),
            Some(_) => {}
            None => {
                self.leaders.insert(term, node);
            }
        }
        // Raft requires of a leader of `term` the entries committed in earlier terms only: a
        // candidate whose votes were cast in an older term (their replies waited while it was
        // paused) may win that term after a later term has committed more. Commit terms do
        // not decrease along the log (once a term commits, no older leader finds a majority
        // in its own term), so the entries committed before `term` are a prefix.
        let c = (self.committed_by).partition_point(usize::MAX, |c| c.term < term);
        if c > 0 {
            let ok = log.len() >= c && log[c - 1] == self.committed[c - 1];
            if !ok {
                let last = self.committed[c - 1].term;
                let len = log.len();
                self.fire(
                    MonitorId::LeaderCompleteness,
                    time_us,
                    vec![node],
                    vec![term, last],
                    vec![LogIndex(c as u64)],
                    (ViolationCase::LeaderMissingCommitted, || {
                        vec![
                            ("node", node.to_string()),
                            ("term", term.0.to_string()),
                            ("entry", format!("{}/{c}", last.0)),
                            ("len", len.to_string()),
                        ]
                    }),
                );
            }
        }
    }

    /// `voter` granted `candidate` its vote of `term` (not a PreVote).
    pub fn on_vote_granted(&mut self, voter: NodeId, candidate: NodeId, term: Term) {
        self.elections.on_vote_granted(voter, candidate, term);
    }

    /// `node` became leader of `term` holding `configuration` (the `disjoint_quorums`
    /// check; [`Monitors::on_leader`] does the rest).
    pub fn on_elected(
        &mut self,
        time_us: u64,
        node: NodeId,
        term: Term,
        configuration: &Configuration,
    ) {
        let Some((a, b)) = self
            .elections
            .on_elected(time_us, node, term, configuration)
        else {
            return;
        };
        let params = [("a", &a), ("b", &b)]
            .into_iter()
            .flat_map(|(k, e)| quorums::params(k, e))
            .collect::<Vec<_>>();
        let nodes = vec![a.leader, b.leader];
        let fresh = self.first[MonitorId::DisjointQuorums as usize].is_none();
        self.fire(
            MonitorId::DisjointQuorums,
            time_us,
            nodes,
            vec![term],
            vec![],
            (ViolationCase::DisjointQuorums, || {
                [vec![("term", term.0.to_string())], params].concat()
            }),
        );
        if fresh {
            if let Some(v) = &mut self.first[MonitorId::DisjointQuorums as usize] {
                v.elections = vec![a, b];
            }
        }
    }

    /// `node` truncates its log from index `from` (`log` = digests before truncation);
    /// `is_leader` tells whether it currently leads (`term`).
    pub fn on_truncate(
        &mut self,
        time_us: u64,
        node: NodeId,
        term: Term,
        is_leader: bool,
        from: LogIndex,
        log: &ChunkVec<Digest>,
    ) {
        if from.0 == 0 || from.0 as usize > log.len() {
            return;
        }
        if is_leader {
            self.fire(
                MonitorId::LeaderAppendOnly,
                time_us,
                vec![node],
                vec![term],
                vec![from],
                (ViolationCase::LeaderTruncated, || {
                    vec![
                        ("node", node.to_string()),
                        ("term", term.0.to_string()),
                        ("index", from.to_string()),
                    ]
                }),
            );
        }
        // Only a node whose term has reached the term of the commit can be one of the
        // majority that holds the entry: a node still in an older term (it missed the
        // election that led to the commit) may take a leader of its own term's entries over
        // its stale copy, and the majority still holds the committed one (Raft §5.4.2).
        let i = from.0 as usize - 1;
        if i < self.committed.len()
            && log[i] == self.committed[i]
            && term >= self.committed_by[i].term
        {
            let lost = self.committed[i];
            let by = self.committed_by[i].node;
            self.fire(
                MonitorId::CommittedEntryLost,
                time_us,
                vec![node, by],
                vec![lost.term],
                vec![from],
                (ViolationCase::CommittedTruncated, || {
                    vec![
                        ("node", node.to_string()),
                        ("entry", format!("{}/{from}", lost.term.0)),
                        ("by", by.to_string()),
                    ]
                }),
            );
        }
    }

    /// Points the digest arrays' chunks that equal a node's chain chunks at the same
    /// positions to that copy (storage only: what the monitors know is unchanged).
    pub fn share_digest_chunks(&mut self, chain: &ChunkVec<Digest>) {
        self.entries.share_chunks_with(chain);
        self.committed.share_chunks_with(chain);
        self.applied.share_chunks_with(chain);
    }

    /// `node` appended an entry at `index`.
    pub fn on_append(&mut self, time_us: u64, node: NodeId, index: LogIndex, d: Digest) {
        let i = index.0 as usize - 1;
        let first = match self.entries.get(i) {
            Some(&a) if a.term == d.term => Some(Appended {
                term: a.term,
                chain: a.chain,
                node: self.entries_by[i],
            }),
            Some(_) => self.entries_other.get(&(index, d.term)).copied(),
            None if i == self.entries.len()
                && self.entries_other.get(&(index, d.term)).is_none() =>
            {
                self.entries.push(d);
                self.entries_by.push(node);
                return;
            }
            None => self.entries_other.get(&(index, d.term)).copied(),
        };
        match first {
            Some(Appended {
                chain, node: other, ..
            }) if chain != d.chain => self.fire(
                MonitorId::LogMatching,
                time_us,
                vec![other, node],
                vec![d.term],
                vec![index],
                (ViolationCase::LogsDiffer, || {
                    vec![
                        ("a", other.to_string()),
                        ("b", node.to_string()),
                        ("entry", format!("{}/{index}", d.term.0)),
                    ]
                }),
            ),
            Some(_) => {}
            None => {
                self.entries_other.insert(
                    (index, d.term),
                    Appended {
                        term: d.term,
                        chain: d.chain,
                        node,
                    },
                );
            }
        }
    }

    /// `node`, in `term`, reached commit index `commit`; `log` is its persisted log's
    /// digests.
    pub fn on_commit(
        &mut self,
        time_us: u64,
        node: NodeId,
        term: Term,
        commit: LogIndex,
        log: &ChunkVec<Digest>,
    ) {
        let commit = (commit.0 as usize).min(log.len());
        let known = self.committed.len();
        let probe = commit.min(known);
        if probe > 0 && log[probe - 1] != self.committed[probe - 1] {
            let (mine, theirs) = (log[probe - 1], self.committed[probe - 1]);
            let by = self.committed_by[probe - 1].node;
            self.fire(
                MonitorId::StateMachineSafety,
                time_us,
                vec![node, by],
                vec![mine.term, theirs.term],
                vec![LogIndex(probe as u64)],
                (ViolationCase::CommittedDiffer, || {
                    vec![
                        ("node", node.to_string()),
                        ("mine", format!("{}/{probe}", mine.term.0)),
                        ("by", by.to_string()),
                        ("theirs", format!("{}/{probe}", theirs.term.0)),
                    ]
                }),
            );
            return;
        }
        for d in log.range(known.min(commit), commit) {
            self.committed.push(*d);
            self.committed_by.push(CommittedBy { node, term });
        }
    }

    /// `node` took a snapshot whose last included entry is `id` (its own compaction, an
    /// InstallSnapshot or a restart; `had` is the index of the snapshot it held before),
    /// `log` being its digests. A compacted prefix still counts: the digests stay, so
    /// Log Matching, State Machine Safety and committed-entry-lost go on comparing through
    /// `id`. The snapshot must replace committed entries: one whose last entry is not the
    /// one committed at its index breaks State Machine Safety. Returns the digests the
    /// node's log must take when its own do not end in the committed prefix through `id`
    /// (a snapshot installed from the leader replaces what the node held).
    pub fn on_snapshot(
        &mut self,
        time_us: u64,
        node: NodeId,
        id: raft::EntryId,
        had: LogIndex,
        log: &ChunkVec<Digest>,
    ) -> Option<ChunkVec<Digest>> {
        let i = id.index.0 as usize - 1;
        let committed = self.committed.get(i).copied();
        if let Some(c) = committed.filter(|c| c.term == id.term) {
            if log.get(i) == Some(&c) {
                return None;
            }
            let mut prefix = self.committed.clone();
            prefix.truncate(i + 1);
            return Some(prefix);
        }
        let by = committed.map(|_| self.committed_by[i].node);
        let held = committed.map(|c| c.term.0);
        self.fire(
            MonitorId::StateMachineSafety,
            time_us,
            by.into_iter().chain([node]).collect(),
            vec![id.term],
            vec![id.index],
            (
                if by.is_some() {
                    ViolationCase::SnapshotDiffers
                } else {
                    ViolationCase::SnapshotUncommitted
                },
                || {
                    let mut p = vec![("node", node.to_string()), ("snapshot", id.to_string())];
                    if let (Some(by), Some(t)) = (by, held) {
                        p.push(("by", by.to_string()));
                        p.push(("theirs", format!("{t}/{}", id.index)));
                    }
                    p
                },
            ),
        );
        if log.len() > i && log[i].term == id.term {
            return None;
        }
        // Keep the digests indexed by position; what fills the gap is marked by the
        // snapshot's id (the violation has fired already).
        let mut prefix = log.clone();
        prefix.truncate(i.min(had.0 as usize).min(log.len()));
        let filler = Digest {
            term: id.term,
            chain: id.index.0 ^ (id.term.0 << 32) ^ 0x5a5a_5a5a_5a5a_5a5a,
        };
        while prefix.len() <= i {
            prefix.push(filler);
        }
        Some(prefix)
    }

    /// `node` applied the entry at `index`.
    pub fn on_apply(&mut self, time_us: u64, node: NodeId, index: LogIndex, d: Digest) {
        let i = index.0 as usize - 1;
        if i < self.applied.len() {
            if self.applied[i] != d {
                let other = self.applied[i];
                let by = self.applied_by[i];
                self.fire(
                    MonitorId::StateMachineSafety,
                    time_us,
                    vec![node, by],
                    vec![d.term, other.term],
                    vec![index],
                    (ViolationCase::AppliedDiffer, || {
                        vec![
                            ("node", node.to_string()),
                            ("mine", format!("{}/{index}", d.term.0)),
                            ("by", by.to_string()),
                            ("theirs", format!("{}/{index}", other.term.0)),
                        ]
                    }),
                );
            }
        } else if i == self.applied.len() {
            self.applied.push(d);
            self.applied_by.push(node);
        }
    }

    /// `node` applied client `client`'s request `seq` a second time.
    pub fn on_applied_again(
        &mut self,
        time_us: u64,
        node: NodeId,
        index: LogIndex,
        term: Term,
        client: u32,
        seq: u64,
    ) {
        self.fire(
            MonitorId::ExactlyOnce,
            time_us,
            vec![node],
            vec![term],
            vec![index],
            (ViolationCase::AppliedAgain, || {
                vec![
                    ("node", node.to_string()),
                    ("request", format!("c{client}#{seq}")),
                    ("entry", format!("{}/{index}", term.0)),
                ]
            }),
        );
    }

    /// Every monitor's state.
    pub fn states(&self) -> Vec<MonitorState> {
        MONITORS
            .iter()
            .map(|&m| MonitorState {
                monitor: m,
                violated: self.counts[m as usize] > 0,
                violations: self.counts[m as usize],
                first: self.first[m as usize].clone(),
            })
            .collect()
    }

    /// The first violation of each violated monitor.
    pub fn violations(&self) -> Vec<Violation> {
        self.first.iter().flatten().cloned().collect()
    }

    /// Whether `m` fired.
    pub fn violated(&self, m: MonitorId) -> bool {
        self.counts[m as usize] > 0
    }

    /// Whether any monitor fired.
    pub fn any_violated(&self) -> bool {
        self.counts.iter().any(|&c| c > 0)
    }
}

#[cfg(test)]
mod tests;
