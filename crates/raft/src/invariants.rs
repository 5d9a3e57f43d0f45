//! The node's invariants, checked after every input in debug builds (style habit 9).
//!
//! | invariant | where |
//! | --- | --- |
//! | `applied <= commit <= last index`; last log term <= term | here |
//! | the term and role last reported to the driver are the current ones | here |
//! | the log starts after the snapshot, whose configuration is the base of the configuration history; snapshot index <= applied | here |
//! | peers are the other members (voters of either half, learners), in id order | here |
//! | the configuration in force is the latest configuration entry of the log (or the base); the recorded configuration entries match the log | `ConfigHistory::check` |
//! | a leader names itself leader, voted for itself, has no election timer | here |
//! | one progress per peer, in peer order; `match < next <= last + 1` | `Progress::check` |
//! | `1 <= window <= inflight_msgs_max`, a held window is 1, in flight <= window, nothing in flight while probing, in-flight messages ordered between match and next | `Progress::check` |
//! | ReadIndex rounds: `quorum_round <= round`, pending reads ordered, above `quorum_round` | `Reads::check` |
//! | a transfer targets a voter | here |
//! | other roles have an election timer and do not name themselves leader; a candidate voted for itself | here |
//! | a tally starts with the node's own granted vote, each voter once, voters only | here |

use crate::node::{Node, RoleState, Tally};

impl<C: Clone> Node<C> {
    /// Checks the node's invariants (see [`Node`]); `Err` describes the first one broken.
    /// Runs after every input in debug builds; drivers may call it after every step too.
    pub fn check_invariants(&self) -> Result<(), String> {
        let c = &self.core;
        let last = c.log.last_id();
        if !(c.applied <= c.commit && c.commit <= last.index) {
            return Err(format!(
                "{}: applied {} <= commit {} <= last {} broken",
                c.id, c.applied, c.commit, last.index
            ));
        }
        if last.term > c.term {
            return Err(format!(
                "{}: last log term {} > term {}",
                c.id, last.term, c.term
            ));
        }
        if c.persisted_hard_state.term != c.term
            || c.reported_soft_state.term != c.term
            || c.reported_soft_state.role != self.role()
            || c.reported_soft_state.leader != c.leader
        {
            return Err(format!("{}: term or role changed but not reported", c.id));
        }
        let conf = c.configuration();
        if c.peers != crate::core::peers_of(conf, c.id) {
            return Err(format!(
                "{}: peers are not the other members in order",
                c.id
            ));
        }
        c.configs
            .check(&c.log)
            .map_err(|e| format!("{}: {e}", c.id))?;
        let snapshot_id = c.log.snapshot_id();
        let consistent = match &c.snapshot {
            Some(s) => {
                s.last_included == snapshot_id
                    && c.configs.base() == (&s.configuration, snapshot_id.index)
            }
            None => snapshot_id == crate::types::EntryId::default(),
        };
        if !consistent || snapshot_id.index > c.applied {
            return Err(format!(
                "{}: snapshot through {snapshot_id} out of step (applied {})",
                c.id, c.applied
            ));
        }
        match &self.role {
            RoleState::Leader(ls) => {
                if c.leader != Some(c.id) || c.vote != Some(c.id) {
                    return Err(format!("{}: leader without self as leader and vote", c.id));
                }
                if c.election_deadline_us.is_some() {
                    return Err(format!("{}: leader with an election timer", c.id));
                }
                ls.check(c).map_err(|e| format!("{}: {e}", c.id))?;
                if let Some(t) = ls.transfer.target() {
                    if !c.peers.contains(&t) || !conf.is_voter(t) {
                        return Err(format!("{}: transfer to {t}, not a voter", c.id));
                    }
                }
            }
            other => {
                if c.election_deadline_us.is_none() {
                    return Err(format!("{}: no election timer outside leadership", c.id));
                }
                if c.leader == Some(c.id) {
                    return Err(format!("{}: non-leader names itself leader", c.id));
                }
                if matches!(other, RoleState::Candidate(_)) && c.vote != Some(c.id) {
                    return Err(format!("{}: candidate has not voted for itself", c.id));
                }
                if let RoleState::PreCandidate(t) | RoleState::Candidate(t) = other {
                    check_tally(t, c.id, conf).map_err(|e| format!("{}: {e}", c.id))?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn debug_check(&self) {
        if cfg!(debug_assertions) {
            if let Err(e) = self.check_invariants() {
                panic!("invariant broken: {e}");
            }
        }
    }
}

fn check_tally(
    t: &Tally,
    id: crate::types::NodeId,
    conf: &crate::membership::Configuration,
) -> Result<(), String> {
    if t.votes.first() != Some(&(id, true)) {
        return Err("tally does not start with its own vote".into());
    }
    for (k, &(v, _)) in t.votes.iter().enumerate() {
        // The node's own vote comes first even when it campaigns from outside the
        // configuration in force (`Core::may_campaign`); it then counts for nothing.
        let voter = conf.is_voter(v) || k == 0;
        if !voter || t.votes[..k].iter().any(|&(w, _)| w == v) {
            return Err(format!("tally counts {v} twice or as a non-voter"));
        }
    }
    Ok(())
}
