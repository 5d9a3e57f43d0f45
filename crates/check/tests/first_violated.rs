//! "Stop at the first violated partition" never changes a verdict: on random multi-key
//! histories, the default search and the full one (`all_partitions`) agree, and every
//! partition the default search decided has the full search's verdict.
//!
//! `CHECK_SEED=<n>` replays from seed n; `CHECK_CASES` sets the count.

mod common;

use check::{check_history, ModelKind, Options, Verdict};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

#[test]
fn stopping_at_the_first_violated_partition_keeps_every_verdict() {
    let seed = env_u64("CHECK_SEED").unwrap_or(0x5eed_0015);
    let cases = env_u64("CHECK_CASES").unwrap_or(3000);
    let (mut stopped, mut violated) = (0, 0);
    for case in 0..cases {
        let case_seed = seed.wrapping_add(case);
        let mut rng = ChaCha8Rng::seed_from_u64(case_seed);
        let h = common::random_history(&mut rng, ModelKind::Kv, 12);
        let fast = check_history(&h, &Options::default());
        let full = check_history(
            &h,
            &Options {
                all_partitions: true,
                ..Options::default()
            },
        );
        let show =
            || format!("case seed {case_seed} (replay: CHECK_SEED={case_seed} CHECK_CASES=1)");
        assert_eq!(
            fast.linearizability.verdict,
            full.linearizability.verdict,
            "{}",
            show()
        );
        assert_eq!(
            fast.sequential.verdict,
            full.sequential.verdict,
            "{}",
            show()
        );
        assert!(full
            .linearizability
            .partitions
            .iter()
            .all(|p| p.verdict != Verdict::Unknown));
        assert!(!full.linearizability.stopped_early);
        for (a, b) in fast
            .linearizability
            .partitions
            .iter()
            .zip(&full.linearizability.partitions)
        {
            assert_eq!(a.name, b.name);
            if a.verdict != Verdict::Unknown {
                assert_eq!(a, b, "{}", show());
            } else {
                assert!(fast.linearizability.stopped_early, "{}", show());
            }
        }
        violated += (full.linearizability.verdict == Verdict::Violated) as u32;
        stopped += fast.linearizability.stopped_early as u32;
    }
    println!("{violated} violated, {stopped} stopped early");
    if cases >= 1000 {
        assert!(
            stopped > 20 && violated > 200,
            "generator lacks variety: {stopped} {violated}"
        );
    }
}
