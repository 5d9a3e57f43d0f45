//! The AP store's replicas on a small in-test network: availability, quorums, read
//! repair, and convergence after heals over random runs (the world's campaign runs the
//! store through the simulator proper).

use super::*;
use crate::kv::{KvOp, KvOutput};
use raft::NodeId;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Replicas, messages in flight `(deliver at, from, to, message)`, a partition side per
/// replica (messages across sides are lost), and every answer given.
struct Net {
    now_us: u64,
    replicas: Vec<Replica>,
    flight: Vec<(u64, NodeId, NodeId, ApMessage)>,
    side: Vec<u8>,
    answers: Vec<(NodeId, Answer)>,
    rng: ChaCha8Rng,
}

impl Net {
    fn new(n: u32, config: ApConfig, seed: u64) -> Net {
        config.validate(n).unwrap();
        Net {
            now_us: 0,
            replicas: (1..=n)
                .map(|i| Replica::new(NodeId(i), n, config, 0))
                .collect(),
            flight: Vec::new(),
            side: vec![0; n as usize],
            answers: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    fn drain(&mut self, i: usize) {
        let mut out = Output::default();
        self.replicas[i].take_output(&mut out);
        let from = NodeId(i as u32 + 1);
        for (to, m) in out.messages {
            let at = self.now_us + 1_000 + self.rng.next_u64() % 9_000;
            self.flight.push((at, from, to, m));
        }
        for a in out.answers {
            self.answers.push((from, a));
        }
    }

    fn request(&mut self, at: u32, client: u32, seq: u64, op: KvOp) {
        let i = at as usize - 1;
        self.replicas[i].client_request(client, seq, &op, self.now_us);
        self.drain(i);
    }

    /// Runs to `until_us` in 1 ms steps: due messages delivered (or lost across the
    /// partition), then every replica ticked.
    fn run_until(&mut self, until_us: u64) {
        while self.now_us < until_us {
            self.now_us += 1_000;
            let now = self.now_us;
            let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.flight)
                .into_iter()
                .partition(|m| m.0 <= now);
            self.flight = later;
            for (_, from, to, m) in due {
                let (f, t) = (from.0 as usize - 1, to.0 as usize - 1);
                if self.side[f] != self.side[t] {
                    continue;
                }
                self.replicas[t].step(from, m, now);
                self.drain(t);
            }
            for i in 0..self.replicas.len() {
                if self.replicas[i]
                    .next_deadline_us()
                    .is_some_and(|d| d <= now)
                {
                    self.replicas[i].tick(now);
                    self.drain(i);
                }
            }
        }
    }

    fn stores(&self) -> Vec<&std::collections::BTreeMap<String, Versioned>> {
        self.replicas.iter().map(|r| &r.durable().store).collect()
    }
}

fn put(key: &str, value: &str) -> KvOp {
    KvOp::Put {
        key: key.into(),
        value: value.into(),
    }
}

fn get(key: &str) -> KvOp {
    KvOp::Get { key: key.into() }
}

#[test]
fn both_sides_of_a_partition_accept_writes_and_the_later_stamp_wins_after_the_heal() {
    let mut net = Net::new(3, ApConfig::default(), 1);
    net.side = vec![0, 0, 1];
    net.request(1, 1, 1, put("x", "a"));
    net.run_until(5_000);
    net.request(3, 2, 1, put("x", "b"));
    assert_eq!(net.answers.len(), 2, "W = 1: both answered at once");
    net.run_until(50_000);
    assert_eq!(net.replicas[0].version("x").unwrap().value, "a");
    assert_eq!(net.replicas[2].version("x").unwrap().value, "b");
    net.side = vec![0; 3];
    net.run_until(1_000_000);
    let stores = net.stores();
    assert!(stores.iter().all(|s| *s == stores[0]), "converged");
    assert_eq!(net.replicas[0].version("x").unwrap().value, "b");
}

#[test]
fn overlapping_quorums_leave_a_cut_off_replica_unable_to_answer() {
    let config = ApConfig {
        write_quorum: 2,
        read_quorum: 2,
        ..ApConfig::default()
    };
    assert!(config.quorums_overlap(3));
    let mut net = Net::new(3, config, 2);
    net.side = vec![0, 0, 1];
    net.request(3, 1, 1, put("x", "lonely"));
    net.request(1, 2, 1, put("x", "majority"));
    net.run_until(200_000);
    let who: Vec<NodeId> = net.answers.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        who,
        vec![NodeId(1)],
        "only the majority side's write is answered"
    );
    assert_eq!(
        net.replicas[2].pending_requests(),
        0,
        "the minority's request expired"
    );
}

#[test]
fn a_read_repairs_the_replica_that_answered_with_an_older_version() {
    let config = ApConfig {
        read_quorum: 3,
        anti_entropy_interval_us: 0,
        ..ApConfig::default()
    };
    let mut net = Net::new(3, config, 3);
    net.side = vec![0, 0, 1];
    net.request(1, 1, 1, put("x", "new"));
    net.run_until(50_000);
    assert!(net.replicas[2].version("x").is_none());
    net.side = vec![0; 3];
    net.request(1, 2, 1, get("x"));
    net.run_until(100_000);
    let (_, a) = net.answers.last().unwrap();
    assert_eq!(a.output, KvOutput::Value(Some("new".into())));
    assert_eq!(
        net.replicas[2].version("x").unwrap().value,
        "new",
        "repaired"
    );
}

#[test]
fn without_anti_entropy_or_reads_replicas_stay_apart_after_a_heal() {
    let config = ApConfig {
        anti_entropy_interval_us: 0,
        ..ApConfig::default()
    };
    let mut net = Net::new(3, config, 4);
    net.side = vec![0, 0, 1];
    net.request(1, 1, 1, put("x", "a"));
    net.run_until(50_000);
    net.side = vec![0; 3];
    net.run_until(2_000_000);
    assert!(
        net.replicas[2].version("x").is_none(),
        "nothing carries the write over"
    );
}

#[test]
fn a_lamport_raised_stamp_supersedes_what_the_coordinator_has_seen() {
    let mut r = Replica::new(NodeId(1), 1, ApConfig::default(), 0);
    let far = Versioned {
        value: "from the future".into(),
        stamp: Stamp {
            time_us: 9_000_000,
            node: NodeId(2),
        },
    };
    r.step(
        NodeId(2),
        ApMessage::Repair {
            key: "x".into(),
            version: far,
        },
        10,
    );
    r.client_request(1, 1, &put("x", "now"), 20);
    let v = r.version("x").unwrap();
    assert_eq!(v.value, "now");
    assert_eq!(v.stamp.time_us, 9_000_001);
}

#[test]
fn append_and_cas_use_the_coordinators_copy() {
    let mut r = Replica::new(NodeId(1), 1, ApConfig::default(), 0);
    let mut out = Output::default();
    let append = KvOp::Append {
        key: "x".into(),
        value: "ab".into(),
    };
    r.client_request(1, 1, &append, 1);
    r.client_request(1, 2, &append, 2);
    let cas = |e: &str| KvOp::Cas {
        key: "x".into(),
        expected: Some(e.into()),
        value: "z".into(),
    };
    r.client_request(1, 3, &cas("nope"), 3);
    r.client_request(1, 4, &cas("abab"), 4);
    r.take_output(&mut out);
    let outputs: Vec<&KvOutput> = out.answers.iter().map(|a| &a.output).collect();
    assert_eq!(
        outputs,
        [
            &KvOutput::Done,
            &KvOutput::Done,
            &KvOutput::Swapped(false),
            &KvOutput::Swapped(true)
        ]
    );
    assert_eq!(r.version("x").unwrap().value, "z");
}

#[test]
fn config_errors_name_the_field() {
    let bad = ApConfig {
        write_quorum: 4,
        ..ApConfig::default()
    };
    let mut config = crate::SimConfig {
        node_count: 3,
        ap: Some(bad),
        ..crate::SimConfig::default()
    };
    let e = config.validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "ap.write_quorum: must be 1..=3 (the replicas), got 4"
    );
    config.ap = Some(ApConfig::default());
    assert_eq!(config.validate(), Ok(()));
}

/// Random runs: random writes and reads at random replicas under a random partition,
/// always answered when `W = R = 1`; after the heal every replica holds the same versions.
/// `RAFTLAB_AP_SEEDS` sets the number of seeds (default 300).
#[test]
fn random_runs_are_available_and_converge_after_every_heal() {
    let seeds: u64 = std::env::var("RAFTLAB_AP_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    for seed in 0..seeds {
        let n = [3, 4, 5][seed as usize % 3];
        let mut net = Net::new(n, ApConfig::default(), seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xa9);
        let mut asked = 0;
        for round in 0..4u64 {
            net.side = (0..n).map(|_| (rng.next_u32() % 2) as u8).collect();
            for k in 0..20u64 {
                let at = rng.next_u32() % n + 1;
                let key = ["x", "y", "z"][rng.next_u32() as usize % 3];
                let op = if rng.next_u32() % 2 == 0 {
                    put(key, &format!("{round}.{k}"))
                } else {
                    get(key)
                };
                net.request(at, 1 + rng.next_u32() % 4, round * 100 + k, op);
                asked += 1;
                let t = net.now_us + 2_000;
                net.run_until(t);
            }
            assert_eq!(
                net.answers.len(),
                asked,
                "seed {seed}: every request answered"
            );
            net.side = vec![0; n as usize];
            let t = net.now_us + 2_000_000;
            net.run_until(t);
            let stores = net.stores();
            assert!(
                stores.iter().all(|s| *s == stores[0]),
                "seed {seed}, round {round}: replicas differ after the heal \
                 (replay: RAFTLAB_AP_SEEDS={} and this seed)",
                seed + 1
            );
        }
    }
}
