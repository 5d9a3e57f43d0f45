//! The configuration in force, as a function of the log.
//!
//! A server uses the latest configuration in its log, whether or not that entry is
//! committed (§4.1 of the dissertation): a configuration entry takes effect when it is
//! appended, and a truncation that removes it rolls the server back to the previous one.
//! Before any configuration entry, the *base* is in force: the configuration the cluster
//! was bootstrapped with (empty for a server that joins later), or the one recorded in a
//! snapshot.
//!
//! Invariants ([`ConfigHistory::check`]): the recorded entries are in increasing index
//! order, after the base's index, within the log, and each is the configuration entry the
//! log holds at that index. Every append and truncation of the log goes through
//! `Core::append_entry` / `Core::truncate_from`, which keep this history in step; that is
//! how no configuration entry of the log can be missing from it.

use crate::entry::{Entry, EntryPayload};
use crate::log::RaftLog;
use crate::membership::Configuration;
use crate::types::LogIndex;

/// The configuration entries of the log, and what was in force before them.
#[derive(Clone, Debug)]
pub(crate) struct ConfigHistory {
    base: Configuration,
    /// The index the base is in force from (0 for the bootstrap configuration).
    base_index: LogIndex,
    /// The configuration entries in the log, oldest first. Bounded by the log itself:
    /// one per configuration entry it holds.
    in_log: Vec<(LogIndex, Configuration)>,
}

impl ConfigHistory {
    /// The history of `log` over `base` (in force from `base_index`).
    pub(crate) fn new<C>(base: Configuration, base_index: LogIndex, log: &RaftLog<C>) -> Self {
        let mut h = ConfigHistory {
            base,
            base_index,
            in_log: Vec::new(),
        };
        for e in log.entries().iter() {
            h.on_append(e);
        }
        h
    }

    /// The configuration in force.
    pub(crate) fn current(&self) -> &Configuration {
        self.in_log.last().map_or(&self.base, |(_, c)| c)
    }

    /// The index of the entry the configuration in force comes from (the base's index
    /// when it is the base).
    pub(crate) fn current_index(&self) -> LogIndex {
        self.in_log.last().map_or(self.base_index, |&(i, _)| i)
    }

    /// The configuration that was in force before the current one, if the current one
    /// comes from the log.
    pub(crate) fn previous(&self) -> Option<&Configuration> {
        let n = self.in_log.len();
        match n {
            0 => None,
            1 => Some(&self.base),
            _ => Some(&self.in_log[n - 2].1),
        }
    }

    /// The configuration in force at `index` (at or after the base's index).
    pub(crate) fn at(&self, index: LogIndex) -> &Configuration {
        self.in_log
            .iter()
            .rev()
            .find(|&&(i, _)| i <= index)
            .map_or(&self.base, |(_, c)| c)
    }

    /// The base: the configuration in force before the log's configuration entries, and
    /// the index it is in force from.
    pub(crate) fn base(&self) -> (&Configuration, LogIndex) {
        (&self.base, self.base_index)
    }

    /// Records an appended entry; returns whether it changed the configuration in force.
    pub(crate) fn on_append<C>(&mut self, e: &Entry<C>) -> bool {
        if let EntryPayload::Config(c) = &e.payload {
            self.in_log.push((e.id.index, (**c).clone()));
            true
        } else {
            false
        }
    }

    /// The log lost its entries from `from` on; returns whether the configuration in force
    /// changed (rolled back).
    pub(crate) fn on_truncate(&mut self, from: LogIndex) -> bool {
        let before = self.in_log.len();
        while self.in_log.last().is_some_and(|&(i, _)| i >= from) {
            self.in_log.pop();
        }
        self.in_log.len() != before
    }

    /// Checks the invariants in the module docs against the log.
    pub(crate) fn check<C>(&self, log: &RaftLog<C>) -> Result<(), String> {
        let mut after = self.base_index;
        for (index, conf) in &self.in_log {
            if *index <= after || *index > log.last_index() {
                return Err(format!("configuration entry at {index} out of order"));
            }
            match log.range(*index, *index).next().map(|e| &e.payload) {
                Some(EntryPayload::Config(c)) if **c == *conf => {}
                _ => return Err(format!("no configuration entry {conf} at {index}")),
            }
            conf.validate()?;
            after = *index;
        }
        self.base.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{EntryId, NodeId};

    fn conf(v: &[u32]) -> Configuration {
        Configuration::new(v.iter().copied().map(NodeId))
    }

    fn entry(index: u64, c: Option<Configuration>) -> Entry<()> {
        Entry {
            id: EntryId::new(1, index),
            payload: c.map_or(EntryPayload::Noop, |c| EntryPayload::Config(Box::new(c))),
        }
    }

    #[test]
    fn the_latest_entry_is_in_force_and_a_truncation_rolls_back() {
        let mut log = RaftLog::new(EntryId::default(), vec![entry(1, None)]).unwrap();
        let mut h = ConfigHistory::new(conf(&[1, 2, 3]), LogIndex(0), &log);
        assert_eq!(h.current(), &conf(&[1, 2, 3]));
        for (i, c) in [
            (2, Some(conf(&[1, 2, 3, 4]))),
            (3, None),
            (4, Some(conf(&[1, 2]))),
        ] {
            let e = entry(i, c);
            h.on_append(&e);
            log.append(e);
        }
        h.check(&log).unwrap();
        assert_eq!(
            (h.current(), h.current_index()),
            (&conf(&[1, 2]), LogIndex(4))
        );
        log.truncate_from(LogIndex(4));
        assert!(h.on_truncate(LogIndex(4)));
        assert_eq!(h.current(), &conf(&[1, 2, 3, 4]));
        log.truncate_from(LogIndex(3));
        assert!(
            !h.on_truncate(LogIndex(3)),
            "no configuration entry removed"
        );
        log.truncate_from(LogIndex(2));
        assert!(h.on_truncate(LogIndex(2)));
        assert_eq!(
            (h.current(), h.current_index()),
            (&conf(&[1, 2, 3]), LogIndex(0))
        );
        h.check(&log).unwrap();
    }

    #[test]
    fn check_catches_a_history_out_of_step_with_the_log() {
        let log = RaftLog::new(EntryId::default(), vec![entry(1, Some(conf(&[1])))]).unwrap();
        let mut h = ConfigHistory::new(conf(&[1, 2]), LogIndex(0), &log);
        h.check(&log).unwrap();
        h.in_log[0].1 = conf(&[2]);
        assert!(h.check(&log).is_err());
    }
}
