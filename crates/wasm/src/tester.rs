//! The tester's calls (6.824-style tests from Node): `start` a command at a node, read a
//! range of any node's log, message counts by kind, and skip the events backlog. Each
//! validates as the rest of the API does: a bad argument throws an Error naming it and
//! leaves the world unchanged.

use super::{js_err, to_js, uint_arg, Playground};
use sim::NodeId;
use wasm_bindgen::prelude::*;

/// A node id argument.
fn node_arg(value: &JsValue) -> Result<NodeId, JsError> {
    u32::try_from(uint_arg("node", value)?)
        .map(NodeId)
        .map_err(|_| js_err("node: expected a node id"))
}

/// A string argument of at most `max` bytes, measured before it is copied into the module.
fn str_arg(name: &str, value: &JsValue, max: usize, limit: &str) -> Result<String, JsError> {
    if !value.is_string() {
        return Err(js_err(format!(
            "{name}: expected a string, got {}",
            value.js_typeof().as_string().unwrap_or_default()
        )));
    }
    let units = js_sys::JsString::from(value.clone()).length() as usize;
    if units > max {
        return Err(js_err(format!(
            "{name}: at least {units} bytes, at most {max} ({limit})"
        )));
    }
    Ok(value.as_string().unwrap_or_default())
}

#[wasm_bindgen]
impl Playground {
    /// Proposes `key := value` straight to node `node`'s Raft, without a client (6.824's
    /// `Start()`): `{ index, term, is_leader }`. Logged as a `start` action, so it replays
    /// and exports. A node that is not a live leader takes nothing (`is_leader: false`,
    /// `index: 0`).
    pub fn start(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<JsValue, JsError> {
        let node = node_arg(&node)?;
        let key = str_arg("key", &key, sim::limits::KEY_BYTES_MAX, "KEY_BYTES_MAX")?;
        let value = str_arg(
            "value",
            &value,
            sim::limits::VALUE_BYTES_MAX,
            "VALUE_BYTES_MAX",
        )?;
        let reply = self
            .world
            .start(node, key, value)
            .map_err(|e| js_err(e.to_string()))?;
        to_js(&reply)
    }

    /// Entries `from..=to` of node `node`'s log (at most `LOG_RANGE_ENTRIES_MAX`, 1,000, per
    /// call; page on from the last index returned): `{ node, first_index, last_index,
    /// entries }`. Indexes past the log are left out; a crashed node shows its disk.
    pub fn log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] to: JsValue,
    ) -> Result<JsValue, JsError> {
        let node = node_arg(&node)?;
        let from = uint_arg("from", &from)?;
        let to = uint_arg("to", &to)?;
        let range = self
            .world
            .log_range(node, from, to)
            .map_err(|e| js_err(e.to_string()))?;
        to_js(&range)
    }

    /// Messages by kind since time 0: `{ kinds: [{ kind, sent, bytes_sent, delivered,
    /// dropped, duplicated }], sent, bytes_sent, delivered, dropped }`. Bytes are the
    /// simulator's estimate (docs/testing-guide.md).
    pub fn msg_counts(&self) -> Result<JsValue, JsError> {
        to_js(&self.world.msg_counts())
    }

    /// Moves the `events()` cursor to now, so the next call returns only what happens from
    /// here on (the backlog is neither returned nor counted as missed). Returns how many
    /// lines were skipped.
    pub fn skip_events(&mut self) -> f64 {
        self.world.skip_events() as f64
    }
}
