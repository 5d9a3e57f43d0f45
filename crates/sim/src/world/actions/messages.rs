//! Messages in flight and message rules: drop, delay, duplicate, hold and release a
//! message; `drop_next` / `hold_next` rules; release every held message.

use crate::action::ActionError;
use crate::config::TIME_US_MAX;
use crate::trace::{DropReason, TraceKind};
use crate::wire::{Endpoint, MsgKind};
use crate::world::network::MsgRule;
use crate::world::queue::Ev;
use crate::world::Sim;

/// At most this many message rules at once.
const RULES_MAX: usize = 64;

impl Sim {
    pub(super) fn drop_message(&mut self, id: u64) {
        let slot = self.inflight.slot_of(id).expect("validated");
        self.drop_msg(slot, DropReason::User)
    }

    pub(super) fn check_delay_message(&self, id: u64, delay_us: u64) -> Result<(), ActionError> {
        self.check_msg(id)?;
        if delay_us > TIME_US_MAX {
            return Err(ActionError::new("delay_us", "too large"));
        }
        Ok(())
    }

    pub(super) fn delay_message(&mut self, id: u64, delay_us: u64) {
        let slot = self.inflight.slot_of(id).expect("validated");
        let m = self.inflight.get(slot).expect("validated");
        let at = m.deliver_at_us.max(self.now_us) + delay_us;
        let (held, waiting) = (m.held, m.waiting);
        if waiting {
            // Already at a paused node: take it back onto the wire.
            if let Endpoint::Node(n) = m.to {
                self.nodes[n.0 as usize - 1].inbox.retain(|&x| x != slot);
            }
        }
        let qseq = if held {
            0
        } else {
            self.schedule(at, Ev::Deliver(slot))
        };
        let m = self.inflight.get_mut(slot).expect("validated");
        m.deliver_at_us = at;
        m.waiting = false;
        m.qseq = qseq;
    }

    pub(super) fn duplicate_message(&mut self, id: u64) {
        let m = self.inflight.by_id(id).expect("validated").clone();
        let copy = self.next_msg_id;
        self.next_msg_id += 1;
        self.trace
            .push(self.now_us, TraceKind::Duplicate { id, copy });
        let link = match (m.from, m.to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => Some(self.link_index(a, b)),
            _ => None,
        };
        let latency = m.deliver_at_us.saturating_sub(self.now_us);
        self.enqueue(copy, m.from, m.to, m.payload, latency, m.held, link);
    }

    pub(super) fn check_hold_message(&self, id: u64) -> Result<(), ActionError> {
        let m = self.check_msg(id)?;
        if m.held {
            return Err(ActionError::new(
                "id",
                format!("message #{id} is already held"),
            ));
        }
        if m.waiting {
            return Err(ActionError::new(
                "id",
                format!("message #{id} already arrived at a paused node"),
            ));
        }
        Ok(())
    }

    pub(super) fn hold_message(&mut self, id: u64) {
        let slot = self.inflight.slot_of(id).expect("validated");
        let m = self.inflight.get_mut(slot).expect("validated");
        m.held = true;
        m.qseq = 0;
    }

    pub(super) fn check_release_message(&self, id: u64) -> Result<(), ActionError> {
        if !self.check_msg(id)?.held {
            return Err(ActionError::new("id", format!("message #{id} is not held")));
        }
        Ok(())
    }

    pub(super) fn release_message(&mut self, id: u64) {
        let slot = self.inflight.slot_of(id).expect("validated");
        self.release(slot)
    }

    pub(super) fn release_all(&mut self) {
        for slot in self.inflight.slots_where(|m| m.held) {
            self.release(slot);
        }
    }

    /// `drop_next` and `hold_next`.
    pub(super) fn check_rule(
        &self,
        from: &Option<Endpoint>,
        to: &Option<Endpoint>,
        count: u32,
    ) -> Result<(), ActionError> {
        self.check_endpoint("from", from)?;
        self.check_endpoint("to", to)?;
        if count == 0 {
            return Err(ActionError::new("count", "must be at least 1"));
        }
        if self.rules.len() >= RULES_MAX {
            return Err(ActionError::new(
                "count",
                "at most 64 message rules at once",
            ));
        }
        Ok(())
    }

    pub(super) fn add_rule(
        &mut self,
        hold: bool,
        from: Option<Endpoint>,
        to: Option<Endpoint>,
        kind: Option<MsgKind>,
        count: u32,
    ) {
        self.rules.push(MsgRule {
            hold,
            from,
            to,
            kind,
            remaining: count,
        });
    }
}
