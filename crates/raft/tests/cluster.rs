//! Multi-node scenarios on the deterministic in-memory harness.

mod common;
use common::*;
use raft::{Config, Term};

#[test]
fn initial_election_elects_the_first_node_to_time_out() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(500_000);
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    for id in 1..=3 {
        assert_eq!(c.node(id).view().leader, Some(n(1)));
        assert_eq!(
            c.node(id).view().commit.0,
            1,
            "the no-op commits everywhere"
        );
    }
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}
