//! Learners: non-voting members that receive the log, and the rule that says when one has
//! caught up enough to be promoted (§4.2.1 of the dissertation).
//!
//! A new server added straight as a voter with an empty log can stall commitment: the
//! cluster's quorum now needs it, and it has everything to fetch. So it joins as a learner
//! (counted in no quorum, never campaigning), and is promoted once it is *caught up*:
//!
//! > its match index was within `Config::learner_caught_up_lag_entries_max` entries of the
//! > leader's last index at each of the last `Config::learner_caught_up_rounds_min`
//! > heartbeat rounds (sampled when each round goes out).
//!
//! Rounds, not one sample: a learner that is close at one instant may be falling behind a
//! busy leader; a sustained closeness shows it keeps up. The meter a page draws is
//! `min(caught_up_rounds, rounds_min) / rounds_min` with the lag `last - match` beside it
//! ([`crate::Progress::caught_up_rounds`], [`crate::NodeView::progress`]).
//! [`crate::Node::propose_membership`] refuses to promote a learner that is not caught up.

use crate::config::Config;
use crate::progress::Progress;

/// Whether the follower behind `p` satisfies the caught-up rule (module docs).
pub(crate) fn is_caught_up(p: &Progress, config: &Config) -> bool {
    p.caught_up_rounds() >= config.learner_caught_up_rounds_min
}
