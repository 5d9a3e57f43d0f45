//! Links and partitions: partition, isolate, cut, repair, heal, link settings.

use crate::action::ActionError;
use crate::world::Sim;
use raft::NodeId;

impl Sim {
    pub(super) fn check_partition(&self, groups: &[Vec<NodeId>]) -> Result<(), ActionError> {
        let mut seen = vec![false; self.node_count() as usize + 1];
        for (g, group) in groups.iter().enumerate() {
            for (k, &n) in group.iter().enumerate() {
                let field = format!("groups[{g}][{k}]");
                self.check_node(&field, n)?;
                if seen[n.0 as usize] {
                    return Err(ActionError::new(
                        field,
                        format!("node {} is in two groups", n.0),
                    ));
                }
                seen[n.0 as usize] = true;
            }
        }
        Ok(())
    }

    pub(super) fn partition(&mut self, groups: Vec<Vec<NodeId>>) {
        let n_nodes = self.node_count();
        let mut group_of = vec![usize::MAX; n_nodes as usize + 1];
        for (g, group) in groups.iter().enumerate() {
            for &n in group {
                group_of[n.0 as usize] = g;
            }
        }
        for a in (1..=n_nodes).map(NodeId) {
            for b in (1..=n_nodes).map(NodeId) {
                if a != b {
                    let li = self.link_index(a, b);
                    self.links[li].up = group_of[a.0 as usize] == group_of[b.0 as usize];
                }
            }
        }
        self.partition = Some(groups);
    }

    pub(super) fn isolate(&mut self, node: NodeId) {
        for o in (1..=self.node_count()).map(NodeId) {
            if o != node {
                let (x, y) = (self.link_index(node, o), self.link_index(o, node));
                self.links[x].up = false;
                self.links[y].up = false;
            }
        }
    }

    /// `cut` and `repair`: one directed link.
    pub(super) fn check_link(&self, from: NodeId, to: NodeId) -> Result<(), ActionError> {
        self.check_node("from", from)?;
        self.check_node("to", to)?;
        if from == to {
            return Err(ActionError::new("to", "a node has no link to itself"));
        }
        Ok(())
    }

    pub(super) fn set_link_up(&mut self, from: NodeId, to: NodeId, up: bool) {
        let li = self.link_index(from, to);
        self.links[li].up = up;
    }

    pub(super) fn heal(&mut self) {
        for l in &mut self.links {
            l.up = true;
        }
        self.partition = None;
    }

    pub(super) fn check_set_link(
        &self,
        from: Option<NodeId>,
        to: Option<NodeId>,
        latency_us_min: Option<u64>,
        latency_us_max: Option<u64>,
        loss_ppm: Option<u32>,
        duplicate_ppm: Option<u32>,
    ) -> Result<(), ActionError> {
        if let Some(f) = from {
            self.check_node("from", f)?;
        }
        if let Some(t) = to {
            self.check_node("to", t)?;
        }
        for l in self.links_matching(from, to) {
            let mut c = self.links[l];
            c.latency_us_min = latency_us_min.unwrap_or(c.latency_us_min);
            c.latency_us_max = latency_us_max.unwrap_or(c.latency_us_max);
            c.loss_ppm = loss_ppm.unwrap_or(c.loss_ppm);
            c.duplicate_ppm = duplicate_ppm.unwrap_or(c.duplicate_ppm);
            c.validate("")
                .map_err(|e| ActionError::new(e.field, e.problem))?;
        }
        Ok(())
    }

    pub(super) fn set_link(
        &mut self,
        from: Option<NodeId>,
        to: Option<NodeId>,
        latency_us_min: Option<u64>,
        latency_us_max: Option<u64>,
        loss_ppm: Option<u32>,
        duplicate_ppm: Option<u32>,
    ) {
        for li in self.links_matching(from, to) {
            let c = &mut self.links[li];
            c.latency_us_min = latency_us_min.unwrap_or(c.latency_us_min);
            c.latency_us_max = latency_us_max.unwrap_or(c.latency_us_max);
            c.loss_ppm = loss_ppm.unwrap_or(c.loss_ppm);
            c.duplicate_ppm = duplicate_ppm.unwrap_or(c.duplicate_ppm);
        }
    }
}
