//! The generic part of a campaign's fault schedule: random faults through the safety
//! phase, and the lifting of every fault when the liveness phase starts.

use super::draw::Draw;
use crate::action::Action;
use crate::wire::{Endpoint, MsgKind};
use raft::{MessageKind, NodeId};

/// The faults still standing: the nodes crashed and paused, which restarts and resumes are
/// drawn from and which the liveness phase brings back.
#[derive(Debug, Default)]
pub(super) struct Standing {
    pub(super) crashed: Vec<NodeId>,
    pub(super) paused: Vec<NodeId>,
}

/// Pushes random faults from `t` until `safety_us`, one every 20–250 ms: crashes,
/// restarts, partitions, isolation, one-way cuts, heals, link settings, pauses, resumes,
/// clock drift within `drift_max` ppm, dropped messages and forced elections.
pub(super) fn random_faults(
    r: &mut Draw,
    all: &[NodeId],
    mut t: u64,
    safety_us: u64,
    drift_max: i64,
    standing: &mut Standing,
    push: &mut impl FnMut(u64, Action),
) {
    let n = all.len() as u32;
    let Standing { crashed, paused } = standing;
    while t < safety_us {
        let live: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|x| !crashed.contains(x))
            .collect();
        let choice = r.below(100);
        match choice {
            0..=14 if !live.is_empty() => {
                let v = r.pick(&live);
                crashed.push(v);
                paused.retain(|&p| p != v);
                push(t, Action::Crash { node: v });
            }
            15..=29 if !crashed.is_empty() => {
                let v = r.pick(crashed);
                crashed.retain(|&c| c != v);
                push(t, Action::Restart { node: v });
            }
            30..=37 => {
                let groups_n = r.range(2, 3);
                let mut groups = vec![Vec::new(); groups_n as usize];
                for &v in all {
                    let g = r.below(groups_n) as usize;
                    groups[g].push(v);
                }
                groups.retain(|g| !g.is_empty());
                push(t, Action::Partition { groups });
            }
            38..=41 => push(t, Action::Isolate { node: r.pick(all) }),
            42..=49 if n > 1 => {
                let a = r.pick(all);
                let mut b = r.pick(all);
                if a == b {
                    b = NodeId(a.0 % n + 1);
                }
                push(t, Action::Cut { from: a, to: b });
            }
            50..=59 => push(t, Action::Heal),
            60..=66 => push(
                t,
                Action::SetLink {
                    from: None,
                    to: None,
                    latency_us_min: Some(r.range(100, 2_000)),
                    latency_us_max: Some(r.range(2_000, 40_000)),
                    loss_ppm: Some(if r.ppm(500_000) {
                        0
                    } else {
                        r.range(0, 200_000) as u32
                    }),
                    duplicate_ppm: Some(if r.ppm(500_000) {
                        0
                    } else {
                        r.range(0, 100_000) as u32
                    }),
                },
            ),
            67..=72 => {
                let candidates: Vec<NodeId> = live
                    .iter()
                    .copied()
                    .filter(|x| !paused.contains(x))
                    .collect();
                if !candidates.is_empty() {
                    let v = r.pick(&candidates);
                    paused.push(v);
                    push(t, Action::Pause { node: v });
                }
            }
            73..=79 if !paused.is_empty() => {
                let v = r.pick(paused);
                paused.retain(|&p| p != v);
                push(t, Action::Resume { node: v });
            }
            80..=84 => push(
                t,
                Action::SetDrift {
                    node: r.pick(all),
                    drift_ppm: (r.range(0, 2 * drift_max as u64) as i64 - drift_max) as i32,
                },
            ),
            85..=91 => {
                let kinds = [
                    MsgKind::Raft(MessageKind::Append),
                    MsgKind::Raft(MessageKind::AppendResponse),
                    MsgKind::Raft(MessageKind::Vote),
                    MsgKind::Raft(MessageKind::VoteResponse),
                    MsgKind::Raft(MessageKind::Heartbeat),
                    MsgKind::ClientResponse,
                ];
                let kind = kinds[r.below(kinds.len() as u64) as usize];
                push(
                    t,
                    Action::DropNext {
                        from: if r.ppm(500_000) {
                            Some(Endpoint::Node(r.pick(all)))
                        } else {
                            None
                        },
                        to: None,
                        kind: Some(kind),
                        count: r.range(1, 5) as u32,
                    },
                );
            }
            92..=99 if !live.is_empty() => {
                let candidates: Vec<NodeId> = live
                    .iter()
                    .copied()
                    .filter(|x| !paused.contains(x))
                    .collect();
                if !candidates.is_empty() {
                    push(
                        t,
                        Action::Campaign {
                            node: r.pick(&candidates),
                        },
                    );
                }
            }
            _ => {}
        }
        t += r.range(20_000, 250_000);
    }
}

/// Lifts every fault at `t0`: heal, clean links, no rules, nothing held, the workload off,
/// the crashed nodes restarted and the paused ones resumed (in id order).
pub(super) fn lift_faults(t0: u64, mut standing: Standing, push: &mut impl FnMut(u64, Action)) {
    push(t0, Action::Heal);
    push(t0, clean_links());
    push(t0, Action::ClearRules);
    push(t0, Action::ReleaseAll);
    push(t0, workload(false));
    standing.crashed.sort();
    for v in standing.crashed {
        push(t0, Action::Restart { node: v });
    }
    standing.paused.sort();
    for v in standing.paused {
        push(t0, Action::Resume { node: v });
    }
}

/// Every link back to 500–5,000 µs with no loss and no duplication.
pub(super) fn clean_links() -> Action {
    Action::SetLink {
        from: None,
        to: None,
        latency_us_min: Some(500),
        latency_us_max: Some(5_000),
        loss_ppm: Some(0),
        duplicate_ppm: Some(0),
    }
}

/// Switches the automatic workload on or off, its other settings unchanged.
pub(super) fn workload(on: bool) -> Action {
    Action::SetWorkload {
        enabled: Some(on),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    }
}
