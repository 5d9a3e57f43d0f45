//! The voter's side of elections: RequestVote and PreVote (§5.2, §5.4.1, §9.6), and the
//! "heard from a leader recently" rule that disregards them (§4.2.3).

use crate::core::Core;
use crate::event::Event;
use crate::message::{Message, RequestVote, RequestVoteResponse};
use crate::reason::VoteRejection;
use crate::types::NodeId;

impl<C: Clone> Core<C> {
    /// RequestVote and PreVote (§5.2, §5.4.1, §9.6). The term rule has run: for a real vote
    /// `rv.term == self.term`.
    pub(crate) fn handle_vote(&mut self, from: NodeId, rv: &RequestVote) {
        let free = self.vote == Some(from) || (self.vote.is_none() && self.leader.is_none());
        let can_vote = free || (rv.pre_vote && rv.term > self.term);
        let up_to_date = self.config.toggles.vote_without_log_check
            || self.log.candidate_is_up_to_date(rv.last_log);
        let refusal = if !can_vote {
            Some(match (self.vote, self.leader) {
                (Some(voted_for), _) => VoteRejection::AlreadyVoted {
                    voted_for,
                    term: self.term,
                },
                (None, Some(leader)) => VoteRejection::AlreadyFollowing { leader },
                (None, None) => VoteRejection::StaleTerm,
            })
        } else if !up_to_date {
            Some(VoteRejection::LogNotUpToDate {
                candidate_last: rv.last_log,
                voter_last: self.log.last_id(),
            })
        } else {
            None
        };
        let (term, granted) = match refusal {
            None => {
                self.event(Event::VoteGranted {
                    candidate: from,
                    term: rv.term,
                    pre_vote: rv.pre_vote,
                });
                if !rv.pre_vote {
                    self.vote = Some(from);
                    self.reset_election_timer();
                }
                (rv.term, true)
            }
            Some(reason) => {
                self.event(Event::VoteRejected {
                    candidate: from,
                    term: rv.term,
                    pre_vote: rv.pre_vote,
                    reason,
                });
                (self.term, false)
            }
        };
        let reply = RequestVoteResponse {
            term,
            granted,
            pre_vote: rv.pre_vote,
        };
        self.send(from, Message::RequestVoteResponse(reply));
    }

    /// With CheckQuorum or PreVote, a node that heard from a current leader within the
    /// minimum election timeout (or is the leader) disregards vote requests (§4.2.3).
    pub(crate) fn in_leader_lease(&self, is_leader: bool) -> bool {
        if !(self.config.check_quorum || self.config.pre_vote) {
            return false;
        }
        if is_leader {
            return true;
        }
        match (self.leader, self.leader_contact_us) {
            (Some(_), Some(t)) => {
                self.now_us < t.saturating_add(self.config.election_timeout_us_min)
            }
            _ => false,
        }
    }
}
