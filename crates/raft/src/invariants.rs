//! The node's invariants, checked after every input in debug builds (style habit 9).

use crate::node::{Node, RoleState};

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
        match &self.role {
            RoleState::Leader(ls) => {
                if c.leader != Some(c.id) || c.vote != Some(c.id) {
                    return Err(format!("{}: leader without self as leader and vote", c.id));
                }
                if c.election_deadline_us.is_some() {
                    return Err(format!("{}: leader with an election timer", c.id));
                }
                ls.check(c).map_err(|e| format!("{}: {e}", c.id))?;
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
