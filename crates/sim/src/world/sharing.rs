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
