//! "Why isn't this committed?": one log entry's state on one node, explained in a sentence,
//! and one in-flight message's summary, both for a page that asks about one thing at a time
//! (a hovered log cell, an opened message menu) instead of fetching a whole view.
//!
//! The reasons, checked in this order (the first that holds is the answer):
//!
//! | state | when | sentence |
//! |---|---|---|
//! | `applied` | index <= the node's applied index | committed and applied |
//! | `committed` | index <= the node's commit index | committed, not yet applied |
//! | `overwritten` | [`crate::view::EntryInfo::overwritten`]'s rule | conflicts with the leader's entry |
//! | `committed_elsewhere` | the leader has it at its commit index or below | the node learns it next |
//! | `no_leader` | no live leader | nothing commits without one |
//! | `needs_replicas` | fewer than a majority of the voters in force hold it (leader's match indexes; joint: of either configuration) | on k of n; needs q |
//! | `old_term` | a majority holds it, but it is from an older term | §5.4.2 |
//! | `committing` | a majority holds it, in the leader's term | commits at the leader's next step |

use crate::monitor::Params;
use crate::timeline::World;
use crate::view::{message_info, MessageInfo, ViewOptions};
use crate::world::Sim;
pub use case::{OnCase, WhyCase};
use raft::{LogIndex, NodeId, Term};
use serde::Serialize;

mod case;

/// One entry's state on one node, with the sentence that explains it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryStatus {
    /// The node whose log was asked about.
    pub node: NodeId,
    /// Index.
    pub index: LogIndex,
    /// The entry's term.
    pub term: Term,
    /// One of the states in the module's table (`applied`, `committed`, `overwritten`,
    /// `committed_elsewhere`, `no_leader`, `needs_replicas`, `old_term`, `committing`).
    pub state: &'static str,
    /// Voters of the configuration in force (the incoming one when joint) whose log holds
    /// this entry (same index and term); counted from the current leader's match indexes
    /// when there is a leader, else from the logs.
    pub replicas: u32,
    /// Voters needed to commit (a majority of the configuration in force, the incoming
    /// one when joint; `why` names the outgoing one's too).
    pub quorum: u32,
    /// The sentence, in English, e.g. `not committed: on 2 of 5 nodes; needs 3`: `case`'s
    /// label with its `{on}` hole from `on` and the others from `params`.
    pub why: String,
    /// Which sentence `why` is (the page words it in the reader's language).
    pub case: WhyCase,
    /// Which sentence fills `case`'s `{on}` hole.
    pub on: OnCase,
    /// The values of the holes of `case` and `on`, by name (an object in JSON).
    #[serde(serialize_with = "case::params_as_object")]
    pub params: Params,
}

impl Sim {
    /// The term of entry `index` in node `n`'s log: Raft's log when up, the disk's when
    /// crashed. An index a snapshot compacted answers from the monitors' digests of that
    /// node's log, which keep the compacted prefix.
    fn term_at(&self, n: NodeId, index: LogIndex) -> Option<Term> {
        let node = self.nodes.get(n.0 as usize - 1)?;
        let (log, at) = match node.raft.as_ref() {
            Some(r) => {
                let v = r.view();
                (v.log, v.snapshot.map_or(0, |s| s.last_included.index.0))
            }
            None => (&node.disk.log, node.disk.snapshot_index().0),
        };
        match index.0.checked_sub(at + 1) {
            Some(pos) => log.get(pos as usize).map(|e| e.id.term),
            None => node.chain.get(index.0 as usize - 1).map(|d| d.term),
        }
    }

    /// Explains entry `index` of node `n`; `None` when there is no such node or entry.
    pub(crate) fn entry_status(&self, n: NodeId, index: LogIndex) -> Option<EntryStatus> {
        if n.0 < 1 || n.0 > self.node_count() || index.0 < 1 {
            return None;
        }
        let term = self.term_at(n, index)?;
        let node = &self.nodes[n.0 as usize - 1];
        let (commit, applied) = node.raft.as_ref().map_or((LogIndex(0), LogIndex(0)), |r| {
            (r.view().commit, r.view().applied)
        });
        let leader = self.current_leader();
        let leader_view =
            leader.and_then(|l| self.nodes[l.0 as usize - 1].raft.as_ref().map(|r| r.view()));
        // The configuration in force: the leader's, else the node's own, else (crashed) the
        // one it booted with. Joint: both majorities count.
        let conf = match (&leader_view, node.raft.as_ref()) {
            (Some(lv), _) => lv.configuration.clone(),
            (None, Some(r)) => r.view().configuration.clone(),
            (None, None) => self.bootstrap_configuration(n),
        };
        // Replicas: from the leader's knowledge when its log has this very entry, else from
        // the logs themselves.
        let leader_has = leader.is_some_and(|l| self.term_at(l, index) == Some(term));
        let holds = |m: NodeId| match (&leader_view, leader) {
            (Some(lv), Some(l)) if leader_has => {
                m == l
                    || lv
                        .progress
                        .iter()
                        .any(|p| p.node == m && p.match_index >= index)
            }
            _ => self.term_at(m, index) == Some(term),
        };
        let tally = |voters: &[NodeId]| {
            let k = voters.iter().filter(|&&m| holds(m)).count() as u32;
            (k, voters.len() as u32, voters.len() as u32 / 2 + 1)
        };
        let (replicas, count, quorum) = tally(conf.voters());
        let outgoing = conf.is_joint().then(|| tally(conf.outgoing()));
        let short = replicas < quorum || outgoing.is_some_and(|(k, _, q)| k < q);
        let on = if outgoing.is_some() {
            OnCase::Joint
        } else {
            OnCase::Simple
        };
        let (out_k, out_c, out_q) = outgoing.unwrap_or((0, 0, 0));
        let mut params: Params = vec![
            ("node", n.to_string()),
            ("index", index.0.to_string()),
            ("term", term.0.to_string()),
            ("replicas", replicas.to_string()),
            ("count", count.to_string()),
            ("quorum", quorum.to_string()),
        ];
        if outgoing.is_some() {
            params.push(("outgoing_replicas", out_k.to_string()));
            params.push(("outgoing_count", out_c.to_string()));
            params.push(("outgoing_quorum", out_q.to_string()));
        }
        let status = |state: &'static str, case: WhyCase, mut params: Params, extra: Params| {
            params.extend(extra);
            EntryStatus {
                node: n,
                index,
                term,
                state,
                replicas,
                quorum,
                why: case.sentence(on, &params),
                case,
                on,
                params,
            }
        };
        if index <= applied {
            return Some(status("applied", WhyCase::Applied, params, vec![]));
        }
        if index <= commit {
            let extra = vec![("applied", applied.0.to_string())];
            return Some(status("committed", WhyCase::Committed, params, extra));
        }
        let (Some(l), Some(lv)) = (leader, leader_view) else {
            let case = if node.raft.is_none() {
                WhyCase::NoLeaderCrashed
            } else {
                WhyCase::NoLeader
            };
            return Some(status("no_leader", case, params, vec![]));
        };
        params.push(("leader", l.to_string()));
        params.push(("leader_term", lv.term.0.to_string()));
        if l != n {
            let leader_last =
                lv.snapshot.map_or(0, |s| s.last_included.index.0) + lv.log.len() as u64;
            let conflict = match self.term_at(l, index) {
                // The leader's entry's term, in place of its current term.
                Some(t) if t != term => Some((WhyCase::OverwrittenConflict, t.0)),
                None if term < lv.term => Some((WhyCase::OverwrittenShorter, lv.term.0)),
                _ => None,
            };
            if let Some((case, leader_term)) = conflict {
                params.retain(|(k, _)| *k != "leader_term");
                let extra = vec![
                    ("leader_term", leader_term.to_string()),
                    ("leader_last", leader_last.to_string()),
                ];
                return Some(status("overwritten", case, params, extra));
            }
            if index <= lv.commit {
                let extra = vec![("commit", commit.0.to_string())];
                return Some(status(
                    "committed_elsewhere",
                    WhyCase::CommittedElsewhere,
                    params,
                    extra,
                ));
            }
        }
        if short {
            let case = if outgoing.is_some() {
                WhyCase::NeedsReplicasJoint
            } else {
                WhyCase::NeedsReplicas
            };
            return Some(status("needs_replicas", case, params, vec![]));
        }
        if term < lv.term {
            return Some(status("old_term", WhyCase::OldTerm, params, vec![]));
        }
        Some(status("committing", WhyCase::Committing, params, vec![]))
    }
}

impl World {
    /// Entry `index` of node `n` explained ([`EntryStatus`]); `None` when there is none.
    pub fn entry_status(&self, n: NodeId, index: LogIndex) -> Option<EntryStatus> {
        self.sim().entry_status(n, index)
    }

    /// Message `id` in flight, with its summary; `None` when it is no longer in flight.
    pub fn message(&self, id: u64) -> Option<MessageInfo> {
        self.sim()
            .inflight
            .by_id(id)
            .map(|m| message_info(m, &ViewOptions::default()))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Action, LogIndex, NodeId, SimConfig, World};

    /// A 5-node world run until it has a leader; returns it with the leader.
    fn elected(seed: u64) -> (World, NodeId) {
        let mut w = World::new(SimConfig::default(), seed).unwrap();
        for _ in 0..100 {
            w.advance(50_000);
            if let Some(l) = w.view().leader {
                return (w, l);
            }
        }
        panic!("no leader within 5 s");
    }

    fn put(w: &mut World, node: NodeId, value: &str) {
        w.apply(Action::Put {
            client: 1,
            key: "x".into(),
            value: value.into(),
            node: Some(node),
        })
        .unwrap();
    }

    #[test]
    fn replicated_entry_is_applied_everywhere() {
        let (mut w, l) = elected(3);
        put(&mut w, l, "1");
        w.advance(500_000);
        let last = LogIndex(w.view().nodes[0].log_len);
        for n in (1..=5).map(NodeId) {
            let s = w.entry_status(n, last).unwrap();
            assert_eq!(s.state, "applied", "{}", s.why);
            assert_eq!((s.replicas, s.quorum), (5, 3));
            assert!(s.why.starts_with("committed and applied"), "{}", s.why);
        }
        assert_eq!(w.entry_status(NodeId(1), last.next()), None);
        assert_eq!(w.entry_status(NodeId(6), LogIndex(1)), None);
    }

    #[test]
    fn minority_leader_entry_needs_replicas_then_will_be_overwritten() {
        let (mut w, l) = elected(5);
        let a = if l == NodeId(1) { NodeId(2) } else { NodeId(1) };
        let rest: Vec<NodeId> = (1..=5).map(NodeId).filter(|&n| n != l && n != a).collect();
        w.apply(Action::Partition {
            groups: vec![vec![l, a], rest.clone()],
        })
        .unwrap();
        put(&mut w, l, "minority");
        w.advance(30_000);
        let index = LogIndex(w.view().nodes[l.0 as usize - 1].log_len);
        let s = w.entry_status(l, index).unwrap();
        assert_eq!(s.state, "needs_replicas", "{}", s.why);
        assert_eq!(s.why, "not committed: on 2 of 5 nodes; needs 3");
        // The majority elects a leader of a higher term, whose own entry takes the index.
        for _ in 0..100 {
            w.advance(50_000);
            let v = w.view();
            if v.leader.is_some_and(|x| rest.contains(&x))
                && v.nodes[v.leader.unwrap().0 as usize - 1].log_len >= index.0
            {
                break;
            }
        }
        let v = w.view();
        let l2 = v.leader.unwrap();
        assert!(rest.contains(&l2));
        let s = w.entry_status(l, index).unwrap();
        assert_eq!(s.state, "overwritten", "{}", s.why);
        let t2 = v.nodes[l2.0 as usize - 1]
            .log
            .iter()
            .find(|e| e.index == index)
            .unwrap()
            .term;
        assert_eq!(
            s.why,
            format!(
                "will be overwritten: conflicts with the leader {l2}'s entry {}/{index}",
                t2.0
            )
        );
    }

    #[test]
    fn old_term_entry_on_a_majority_waits_for_one_of_the_leaders_term() {
        // No no-op on election: the new leader has nothing of its own term to commit, so an
        // entry of the old term stays uncommitted though a majority holds it (§5.4.2).
        let mut c = SimConfig::default();
        c.toggles.skip_noop_on_election = true;
        c.check_quorum = false;
        let mut w = World::new(c, 21).unwrap();
        let mut l = None;
        for _ in 0..100 {
            w.advance(50_000);
            l = w.view().leader;
            if l.is_some() {
                break;
            }
        }
        let l = l.unwrap();
        let others: Vec<NodeId> = (1..=5).map(NodeId).filter(|&n| n != l).collect();
        let (a, b) = (others[0], others[1]);
        // The leader's entry reaches a and b, but no acknowledgement comes back, and the
        // other two never get it.
        for &n in &others {
            w.apply(Action::Cut { from: n, to: l }).unwrap();
        }
        for &n in &others[2..] {
            w.apply(Action::Cut { from: l, to: n }).unwrap();
        }
        put(&mut w, l, "old");
        w.advance(20_000);
        let index = LogIndex(w.view().nodes[l.0 as usize - 1].log_len);
        w.apply(Action::Crash { node: l }).unwrap();
        w.apply(Action::Heal).unwrap();
        // The new leader is a or b (only they are up to date); once its heartbeats are
        // acknowledged it knows three nodes hold the entry.
        for _ in 0..200 {
            w.advance(20_000);
            let v = w.view();
            if let Some(l2) = v.leader {
                let s = w.entry_status(l2, index);
                if s.as_ref().is_some_and(|s| s.state == "old_term") {
                    let s = s.unwrap();
                    assert!(l2 == a || l2 == b);
                    assert_eq!((s.replicas, s.quorum), (3, 3));
                    let t2 = v.nodes[l2.0 as usize - 1].term.0;
                    assert_eq!(
                        s.why,
                        format!(
                            "not committed: from term {} (on 3 of 5 nodes); a leader commits older entries only by committing one of its own term {t2} (§5.4.2)",
                            s.term.0
                        )
                    );
                    // The crashed old leader's copy on disk is the same entry, waiting too.
                    assert_eq!(w.entry_status(l, index).unwrap().state, "old_term");
                    return;
                }
            }
        }
        panic!("the old-term entry never showed as waiting for the leader's term");
    }

    #[test]
    fn follower_learns_a_commit_from_the_leader_after_it() {
        let (mut w, l) = elected(9);
        put(&mut w, l, "1");
        // Step until the leader has committed the entry but some follower has not heard.
        for _ in 0..100_000 {
            let v = w.view();
            let lv = &v.nodes[l.0 as usize - 1];
            let last = lv.log_len;
            if lv.commit.0 == last && last > 1 {
                if let Some(f) = v
                    .nodes
                    .iter()
                    .find(|n| n.id != l && n.log_len >= last && n.commit.0 < last)
                {
                    let s = w.entry_status(f.id, LogIndex(last)).unwrap();
                    assert_eq!(s.state, "committed_elsewhere", "{}", s.why);
                    assert!(s.why.starts_with(&format!("committed by the leader {l}")));
                    return;
                }
            }
            assert!(w.step());
        }
        panic!("no follower behind the leader's commit");
    }

    #[test]
    fn without_a_leader_nothing_commits() {
        let (mut w, l) = elected(13);
        let others: Vec<NodeId> = (1..=5).map(NodeId).filter(|&n| n != l).collect();
        let a = others[0];
        for &n in &others[1..] {
            w.apply(Action::Cut { from: l, to: n }).unwrap();
        }
        put(&mut w, l, "lost?");
        w.advance(40_000);
        let index = LogIndex(w.view().nodes[l.0 as usize - 1].log_len);
        // The leader and two others crash: the two left cannot elect anyone.
        for &n in &[l, others[1], others[2]] {
            w.apply(Action::Crash { node: n }).unwrap();
        }
        w.advance(1_000_000);
        assert_eq!(w.view().leader, None);
        let s = w.entry_status(a, index).unwrap();
        assert_eq!(s.state, "no_leader", "{}", s.why);
        assert_eq!(
            s.why,
            "not committed: no leader; on 2 of 5 nodes, and only a leader commits (needs 3)"
        );
        let s = w.entry_status(l, index).unwrap();
        assert_eq!(
            s.why,
            format!("not committed: no leader, and {l} is crashed; on 2 of 5 nodes, and only a leader commits (needs 3)")
        );
    }

    #[test]
    fn message_is_found_by_id_with_its_summary() {
        let (w, _) = elected(7);
        let v = w.view();
        let Some(m) = v.messages.first() else {
            return;
        };
        let one = w.message(m.id).unwrap();
        assert_eq!(&one, m);
        assert!(!one.summary.is_empty());
        assert_eq!(w.message(u64::MAX), None);
    }
}
