//! Storage shared across nodes: the nodes' logs and digest chains agree on a long common
//! prefix, so before a checkpoint each node's equal chunks are pointed at one copy.
//!
//! Without it, every node and every disk kept its own copy of every committed entry: with
//! five nodes, ten copies of each (about 400 bytes per committed operation, most of an hour's
//! memory). Sharing changes storage only; contents, and so the trace, are unchanged.

use super::Sim;

impl Sim {
    /// Points each node's log, disk log and digest chain chunks, and the monitors' digest
    /// arrays, that equal the longest disk log's (and its chain's) at the same positions to
    /// that one copy.
    pub(crate) fn share_log_chunks(&mut self) {
        let Some(longest) = self.nodes.iter().max_by_key(|n| n.disk.log.len()) else {
            return;
        };
        // Clones share chunks: these copy a few pointers, not the logs.
        let log = longest.disk.log.clone();
        let chain = longest.chain.clone();
        self.monitors.share_digest_chunks(&chain);
        for node in &mut self.nodes {
            node.disk.log.share_chunks_with(&log);
            node.chain.share_chunks_with(&chain);
            if let Some(raft) = &mut node.raft {
                raft.share_log_chunks_with(&node.disk.log);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use raft::chunked::CHUNK_LEN;

    #[test]
    fn after_a_pass_every_node_holds_one_shared_copy_of_the_common_prefix() {
        let mut config = SimConfig::default();
        config.workload.enabled = true;
        config.workload.rate_ops_per_s = 200;
        let mut sim = Sim::new(config, 3).expect("valid");
        sim.run_until(10_000_000);
        let chunks = sim.nodes[0].disk.log.chunk_count();
        assert!(chunks >= 3, "a long enough log: {chunks} chunks");
        let shared = |sim: &Sim, c: usize| {
            let first = &sim.nodes[0].disk.log;
            sim.nodes.iter().all(|n| {
                n.disk.log.shares_chunk_with(first, c)
                    && n.raft
                        .as_ref()
                        .is_some_and(|r| r.view().log.shares_chunk_with(first, c))
            })
        };
        assert!(!shared(&sim, 0), "nodes built their logs apart");
        let mut unshared = sim.clone();
        let logs: Vec<_> = sim.nodes.iter().map(|n| n.disk.log.to_vec()).collect();
        sim.share_log_chunks();
        for c in 0..chunks - 1 {
            assert!(
                shared(&sim, c),
                "chunk {c} of {chunks} (of {CHUNK_LEN} entries)"
            );
        }
        assert!(sim.nodes[1].chain.shares_chunk_with(&sim.nodes[0].chain, 0));
        let after: Vec<_> = sim.nodes.iter().map(|n| n.disk.log.to_vec()).collect();
        assert_eq!(logs, after, "sharing changes no log");
        sim.run_until(12_000_000);
        unshared.run_until(12_000_000);
        assert_eq!(sim.check_invariants(), Ok(()));
        assert_eq!(
            sim.trace.hash(),
            unshared.trace.hash(),
            "nor what happens next"
        );
    }
}
