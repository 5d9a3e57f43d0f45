//! Randomized fault schedules on the in-memory harness: invariants are checked after every
//! input (debug builds), and no index may ever be applied with two different entries.

mod common;
use common::*;
use raft::{Config, ReadMode};

/// A fixed-algorithm generator (SplitMix64), so every seed replays identically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn run(seed: u64, config: Config) {
    let mut rng = Rng(seed);
    let mut c = Cluster::new(5, config);
    let mut drop_rng = Rng(seed ^ 0xABCD);
    c.drop_filter = Some(Box::new(move |_| drop_rng.below(10) == 0));
    let mut next_cmd = 0;
    let mut next_read = 0;
    for _ in 0..300 {
        match rng.below(10) {
            0..=3 => c.advance(rng.below(120_000)),
            4 | 5 => {
                if let Some(l) = c.leader() {
                    next_cmd += 1;
                    let _ = c.propose(l, next_cmd);
                }
            }
            6 => {
                let id = rng.below(5) as u32 + 1;
                if rng.below(2) == 0 {
                    c.isolate(id);
                } else {
                    c.heal();
                }
            }
            7 => {
                let id = rng.below(5) as u32 + 1;
                if c.nodes[id as usize - 1].is_some() {
                    c.crash(id);
                } else {
                    c.restart(id);
                }
            }
            8 => {
                if let Some(l) = c.leader() {
                    next_read += 1;
                    let _ = c.read(l, next_read);
                }
            }
            _ => {
                let id = rng.below(5) as u32 + 1;
                if c.nodes[id as usize - 1].is_some() {
                    c.campaign(id);
                }
            }
        }
        assert!(c.violations.is_empty(), "seed {seed}: {:?}", c.violations);
        let mut leaders_by_term = std::collections::BTreeMap::new();
        for (id, term) in c.leaders() {
            if let Some(other) = leaders_by_term.insert(term, id) {
                panic!("seed {seed}: two leaders n{other} and n{id} in {term}");
            }
        }
    }
    // Liveness: heal everything and the cluster converges.
    c.heal();
    c.drop_filter = None;
    for id in 1..=5 {
        if c.nodes[id as usize - 1].is_none() {
            c.restart(id);
        }
    }
    c.advance(3_000_000);
    let l = c.leader().expect("a leader after healing");
    c.propose(l, 1_000_000).unwrap();
    c.advance(500_000);
    let commit = c.commit(l);
    for id in 1..=5 {
        assert_eq!(c.commit(id), commit, "seed {seed}: n{id} caught up");
    }
    assert!(c.violations.is_empty(), "seed {seed}: {:?}", c.violations);
}

#[test]
fn random_faults_never_break_safety_default_config() {
    for seed in 0..40 {
        run(seed, Config::default());
    }
}

#[test]
fn random_faults_never_break_safety_plain_config_and_lease_reads() {
    for seed in 100..140 {
        run(seed, plain_config());
        run(
            seed,
            Config {
                read_mode: ReadMode::Lease,
                entries_per_msg_max: 2,
                inflight_msgs_max: 2,
                ..Config::default()
            },
        );
    }
}
