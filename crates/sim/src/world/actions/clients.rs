//! Client operations (put, get, append, cas) and the workload settings.

use crate::action::ActionError;
use crate::config::{OpMix, SimConfig};
use crate::world::Sim;

impl Sim {
    pub(super) fn check_client_op(
        &self,
        client: u32,
        node: Option<raft::NodeId>,
    ) -> Result<(), ActionError> {
        self.check_client(client)?;
        if let Some(n) = node {
            self.check_node("node", n)?;
        }
        Ok(())
    }

    fn check_client(&self, client: u32) -> Result<(), ActionError> {
        if client == 0 || client > self.config.clients.count {
            return Err(ActionError::new(
                "client",
                if self.config.clients.count == 0 {
                    format!("no client {client} (the world has no clients)")
                } else {
                    format!(
                        "no client {client} (clients are 1..{})",
                        self.config.clients.count
                    )
                },
            ));
        }
        let cl = &self.clients[client as usize - 1];
        if cl.current.is_some() && cl.queue.len() >= self.config.clients.queued_ops_max as usize {
            return Err(ActionError::new(
                "client",
                format!(
                    "client {client} already has {} operations queued (queued_ops_max)",
                    cl.queue.len()
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn check_set_workload(
        &self,
        enabled: Option<bool>,
        rate_ops_per_s: Option<u32>,
        key_count: Option<u32>,
        mix: Option<OpMix>,
    ) -> Result<(), ActionError> {
        let mut w = self.config.workload;
        w.enabled = enabled.unwrap_or(w.enabled);
        w.rate_ops_per_s = rate_ops_per_s.unwrap_or(w.rate_ops_per_s);
        w.key_count = key_count.unwrap_or(w.key_count);
        w.mix = mix.unwrap_or(w.mix);
        let cfg = SimConfig {
            workload: w,
            ..self.config.clone()
        };
        // `strip_prefix`, not `trim_start_matches`: a `&str` pattern search would
        // bring the two-way string searcher (~1.5 KB) into the Wasm for this line.
        cfg.validate().map_err(|e| {
            let field = e.field.strip_prefix("workload.").unwrap_or(&e.field);
            ActionError::new(field, e.problem)
        })
    }

    pub(super) fn set_workload(
        &mut self,
        enabled: Option<bool>,
        rate_ops_per_s: Option<u32>,
        key_count: Option<u32>,
        mix: Option<OpMix>,
    ) {
        let w = &mut self.config.workload;
        w.enabled = enabled.unwrap_or(w.enabled);
        w.rate_ops_per_s = rate_ops_per_s.unwrap_or(w.rate_ops_per_s);
        w.key_count = key_count.unwrap_or(w.key_count);
        w.mix = mix.unwrap_or(w.mix);
        if w.enabled {
            for c in 1..=self.config.clients.count {
                self.schedule_next_op(c);
            }
        }
    }
}
