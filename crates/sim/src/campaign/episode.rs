//! The fault patterns of the toggles whose bugs the generic schedule rarely exposes:
//! Figure 8, a split vote around a restart, a lease held on a slow clock, two
//! single-server changes from two leaders.

use super::draw::Draw;
use super::schedule::workload;
use super::CampaignToggle;
use crate::action::Action;
use crate::config::{RaftToggle, SimConfig};
use crate::wire::{Endpoint, MsgKind};
use raft::{MessageKind, NodeId};

/// A toggle's fault pattern (see [`super::campaign_scenario`]): the generic random schedule
/// rarely lines up the few events these bugs need, so a toggle campaign repeats the
/// pattern, with the nodes' roles, the timings and the network drawn from the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Episode {
    /// Figure 8 (§5.4.2, 5 or more nodes): A leads and replicates an entry only to B; A
    /// crashes; C is elected by the other side, takes an entry of its newer term alone and
    /// crashes; A's side comes back and re-replicates the old entry to a majority (which
    /// the toggle counts as committed) while C is down; then A and B crash and C, restarted
    /// with its newer last term, wins and overwrites the "committed" entry.
    Figure8,
    /// Two candidates in one term, and a voter that crashes and restarts between their
    /// vote requests (slow, jittery links spread them out); without a persisted vote it
    /// votes twice in one term.
    SplitVoteRestart,
    /// A leader whose clock runs slow (drift far beyond the bound) holds its lease in
    /// real time well past the moment fast-clocked followers elect a new leader; it is
    /// cut off while clients keep reading from it and writing through the new leader.
    LeaseDrift,
    /// The 2015 single-server change bug on an even number `2k` of nodes (§4.2.3 of the
    /// dissertation, erratum): leader A adds a new server X, and its appends reach X
    /// only, so A counts in C+X; the other side elects B, whose appends reach k−1 others
    /// (S) only, so its no-op does not commit in C; B removes Y (not in S), and the removal
    /// commits in C−Y by B and S; then B's side elects a node of S by B and S (a majority
    /// of C−Y), and A, with the rest and X (a majority of C+X), wins the same term. Once:
    /// the configuration changes for good.
    SingleServerChange,
}

impl Episode {
    /// The pattern for toggle `t` on `n` nodes, if it has one.
    pub(super) fn for_toggle(t: CampaignToggle, n: u32) -> Option<Episode> {
        match t {
            CampaignToggle::Rule(RaftToggle::CommitOldTermsByCounting) if n >= 5 => {
                Some(Episode::Figure8)
            }
            CampaignToggle::Rule(RaftToggle::ForgetVoteOnRestart) if n >= 3 => {
                Some(Episode::SplitVoteRestart)
            }
            CampaignToggle::LeaseDrift if n >= 3 => Some(Episode::LeaseDrift),
            CampaignToggle::Rule(RaftToggle::ChangeMembershipBeforeOwnTermCommit)
                if n >= 4 && n % 2 == 0 && n < crate::config::NODES_MAX =>
            {
                Some(Episode::SingleServerChange)
            }
            _ => None,
        }
    }

    /// Settings the pattern needs.
    pub(super) fn tune(self, config: &mut SimConfig, r: &mut Draw) {
        match self {
            Episode::Figure8 => {
                // Client writes are placed by hand: a stream of new-term entries would
                // commit legitimately and hide the bug.
                config.workload.enabled = false;
                config.clients.count = config.clients.count.max(2);
            }
            Episode::SplitVoteRestart => {
                config.network.latency_us_min = 500;
                config.network.latency_us_max = r.range(15_000, 30_000);
            }
            Episode::LeaseDrift => {
                config.workload.key_count = 1;
                config.workload.rate_ops_per_s = r.range(80, 150) as u32;
                config.clients.count = r.range(3, 5) as u32;
                config.clients.timeout_us = r.range(20_000, 60_000);
                config.check_quorum = false;
                // The slow-clocked node is made leader by a forced election.
                config.pre_vote = false;
                // Fast-clocked followers time out soon after the leader is cut off.
                config.election_timeout_us_max = config.election_timeout_us_min + 20_000;
            }
            Episode::SingleServerChange => {
                // Elections are forced: followers cut off from appends (heartbeats still
                // pass) must not time out in between.
                config.election_timeout_us_min = 300_000;
                config.election_timeout_us_max = 600_000;
            }
        }
    }

    /// Whether the pattern changes the configuration (it is then played once, and the
    /// liveness phase makes every server a voter again).
    pub(super) fn changes_membership(self) -> bool {
        self == Episode::SingleServerChange
    }

    /// How long one episode lasts at most.
    pub(super) fn length_us(self) -> u64 {
        match self {
            Episode::Figure8 => 1_000_000,
            Episode::SplitVoteRestart => 200_000,
            Episode::LeaseDrift => 750_000,
            Episode::SingleServerChange => 800_000,
        }
    }

    /// Pushes one episode starting at `t`; returns its end. Every node is up, unpaused and
    /// connected at the end.
    pub(super) fn schedule(
        self,
        t: u64,
        all: &[NodeId],
        r: &mut Draw,
        push: &mut impl FnMut(u64, Action),
    ) -> u64 {
        let mut nodes = all.to_vec();
        for i in (1..nodes.len()).rev() {
            let j = r.below(i as u64 + 1) as usize;
            nodes.swap(i, j);
        }
        match self {
            Episode::Figure8 => {
                let (a, b, c) = (nodes[0], nodes[1], nodes[nodes.len() - 1]);
                let others: Vec<NodeId> = nodes[2..].to_vec();
                let mut t = t;
                push(t, Action::Campaign { node: a });
                t += r.range(40_000, 80_000);
                push(
                    t,
                    Action::Partition {
                        groups: vec![vec![a, b], others.clone()],
                    },
                );
                push(t + 1, put(1, a, t));
                t += r.range(20_000, 40_000);
                push(t, Action::Crash { node: a });
                t += r.range(1_000, 10_000);
                push(t, Action::Campaign { node: c });
                t += r.range(40_000, 80_000);
                push(t, Action::Isolate { node: c });
                push(t + 1, put(2, c, t));
                t += r.range(10_000, 30_000);
                push(t, Action::Crash { node: c });
                t += 1_000;
                push(t, Action::Heal);
                push(t, Action::Restart { node: a });
                for _ in 0..3 {
                    t += r.range(20_000, 60_000);
                    push(t, Action::Campaign { node: a });
                }
                t += r.range(60_000, 200_000);
                push(t, Action::Crash { node: a });
                push(t, Action::Crash { node: b });
                t += r.range(1_000, 10_000);
                push(t, Action::Restart { node: c });
                for _ in 0..3 {
                    t += r.range(20_000, 60_000);
                    push(t, Action::Campaign { node: c });
                }
                t += 200_000;
                push(t, Action::Restart { node: a });
                push(t, Action::Restart { node: b });
                t
            }
            Episode::SplitVoteRestart => {
                let (a, b, v) = (nodes[0], nodes[1], nodes[2]);
                push(t, Action::Campaign { node: a });
                push(t, Action::Campaign { node: b });
                let crash = t + r.range(1_000, 15_000);
                let restart = crash + r.range(100, 5_000);
                push(crash, Action::Crash { node: v });
                push(restart, Action::Restart { node: v });
                restart + r.range(100_000, 150_000)
            }
            Episode::LeaseDrift => {
                let (l, rest) = (nodes[0], &nodes[1..]);
                // A quiet moment so that the logs agree and L wins its forced election.
                push(t, workload(false));
                let t = t + 40_000;
                push(t + 30_000, workload(true));
                push(
                    t,
                    Action::SetDrift {
                        node: l,
                        drift_ppm: -450_000,
                    },
                );
                for &f in rest {
                    push(
                        t,
                        Action::SetDrift {
                            node: f,
                            drift_ppm: 450_000,
                        },
                    );
                }
                push(t + 1, Action::Campaign { node: l });
                let cut = t + r.range(150_000, 300_000);
                push(cut, Action::Isolate { node: l });
                // While L is cut off: writes through a follower (it redirects to the new
                // leader once there is one) and reads sent to L.
                // (The workload stops just before, so that these clients are idle.)
                push(cut - 30_000, workload(false));
                let f = rest[r.below(rest.len() as u64) as usize];
                for k in 0..3u64 {
                    let at = cut + 100_000 + k * 40_000 + r.range(0, 20_000);
                    push(
                        at,
                        Action::Put {
                            client: 1,
                            key: "k0".to_string(),
                            value: format!("w{at}"),
                            node: Some(f),
                        },
                    );
                }
                for k in 0..6u64 {
                    let at = cut + 110_000 + k * 25_000 + r.range(0, 15_000);
                    push(
                        at,
                        Action::Get {
                            client: 2 + (k % 2) as u32,
                            key: "k0".to_string(),
                            node: Some(l),
                        },
                    );
                }
                let heal = cut + r.range(300_000, 400_000);
                push(heal, Action::Heal);
                push(heal, workload(true));
                heal + r.range(50_000, 100_000)
            }
            Episode::SingleServerChange => single_server_change(t, &nodes, r, push),
        }
    }
}

/// [`Episode::SingleServerChange`] on the shuffled `nodes`; returns its end.
fn single_server_change(
    t: u64,
    nodes: &[NodeId],
    r: &mut Draw,
    push: &mut impl FnMut(u64, Action),
) -> u64 {
    let k = nodes.len() / 2;
    let x = NodeId(nodes.len() as u32 + 1);
    let (a, b) = (nodes[0], nodes[1]);
    let s: Vec<NodeId> = nodes[2..k + 1].to_vec();
    let rest: Vec<NodeId> = nodes[k + 1..].to_vec();
    let y = rest[r.below(rest.len() as u64) as usize];
    let drop_appends = |from: NodeId, to: NodeId| Action::DropNext {
        from: Some(Endpoint::Node(from)),
        to: Some(Endpoint::Node(to)),
        kind: Some(MsgKind::Raft(MessageKind::Append)),
        count: 1_000_000,
    };
    let mut gap = || r.range(80_000, 110_000);
    let mut t = t;
    push(t, Action::Campaign { node: a });
    t += gap();
    for &f in &nodes[1..] {
        push(t, drop_appends(a, f));
    }
    push(
        t + 10_000,
        Action::AddNode {
            node: x,
            voter: true,
            leader: Some(a),
        },
    );
    t += gap();
    push(
        t,
        Action::Partition {
            groups: vec![vec![a, x], nodes[1..].to_vec()],
        },
    );
    for &f in &rest {
        push(t, drop_appends(b, f));
    }
    push(t + 10_000, Action::Campaign { node: b });
    t += gap();
    push(
        t,
        Action::RemoveNode {
            node: y,
            leader: Some(b),
        },
    );
    t += gap();
    let mut side_b = vec![b];
    side_b.extend(&s);
    let mut side_a = vec![a];
    side_a.extend(&rest);
    side_a.push(x);
    push(
        t,
        Action::Partition {
            groups: vec![side_a, side_b],
        },
    );
    push(t + 10_000, Action::Campaign { node: s[0] });
    t += gap();
    push(t, Action::Campaign { node: a });
    t += gap();
    push(t, Action::ClearRules);
    push(t, Action::Heal);
    t
}

fn put(client: u32, node: NodeId, t: u64) -> Action {
    Action::Put {
        client,
        key: "f8".to_string(),
        value: format!("{client}@{t}"),
        node: Some(node),
    }
}
