//! The JS-facing API of Raftlab: a thin wasm-bindgen layer over the simulator and the
//! checkers.
//!
//! ```text
//!  JS (page, element, Node grader)
//!    │  plain objects / JSON text in            views, events, reports out
//!    ▼                                                         ▲
//!  Playground ── validate (args.rs) ──▶ sim::World ── serde ───┘
//!                                         └─ check::check_history
//! ```
//!
//! The crate holds no logic of its own: it validates what arrives from JS (numbers are
//! non-negative integers below 2^53; objects are parsed by `sim::json`, whose errors name
//! the path of the bad field), calls the simulator, and returns plain serde views. Every entry point returns
//! `Result<_, JsError>`: bad input throws a JS `Error` and leaves the world unchanged.
//! A page needs three calls per frame: `advance`, `events`, `view`.

#![forbid(unsafe_code)]
// A panic here would kill the page: every failure is a JS Error instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

pub mod args;
pub mod live;
mod tester;

use serde::Serialize;
use sim::{Action, Scenario, SimConfig, World};
use wasm_bindgen::prelude::*;

/// Trace lines returned by one `events()` call at most.
const EVENTS_PER_CALL_MAX: usize = sim::timeline::DRAIN_EVENTS_MAX;

fn js_err(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

/// Serializes a view for JS through JSON text and the engine's `JSON.parse`: one boundary
/// crossing instead of one per field (several times faster for a 9-node view), and one
/// small serializer in the module (`sim::json::to_string`). Every number the simulator reports is
/// below 2^53, so JSON numbers are exact.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let text = sim::json::to_string(value)
        .map_err(|e| js_err(format!("internal: could not convert a view for JS: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| js_err("internal: the view is not valid JSON"))
}

/// The JSON text of a JS argument: a string is taken as JSON text, anything else is
/// stringified. `what` names the argument in errors. Text longer than
/// `sim::limits::JSON_TEXT_BYTES_MAX` is refused before it is copied into the module.
fn json_text(what: &str, value: &JsValue) -> Result<String, JsError> {
    json_text_max(
        what,
        value,
        sim::limits::JSON_TEXT_BYTES_MAX,
        "JSON_TEXT_BYTES_MAX",
    )
}

/// As [`json_text`], for a scenario (`SCENARIO_JSON_BYTES_MAX`).
fn scenario_text(value: &JsValue) -> Result<String, JsError> {
    json_text_max(
        "scenario",
        value,
        sim::limits::SCENARIO_JSON_BYTES_MAX,
        "SCENARIO_JSON_BYTES_MAX",
    )
}

fn json_text_max(
    what: &str,
    value: &JsValue,
    max_bytes: usize,
    limit: &str,
) -> Result<String, JsError> {
    // Named here, as JS names them, not through `JsValue`'s `Debug`, which would bring the
    // glue's whole debug-string function for these two values.
    if value.is_undefined() {
        return Err(js_err(format!("{what}: expected an object, got undefined")));
    }
    if value.is_null() {
        return Err(js_err(format!("{what}: expected an object, got null")));
    }
    let text: js_sys::JsString = if value.is_string() {
        value.clone().into()
    } else {
        js_sys::JSON::stringify(value).map_err(|_| {
            js_err(format!(
                "{what}: not convertible to JSON (cycle, BigInt or too deep?)"
            ))
        })?
    };
    // Measured in the JS heap first: each UTF-16 unit is at least one UTF-8 byte.
    let units = text.length() as usize;
    if units > max_bytes {
        return Err(js_err(format!(
            "{what}: JSON text of at least {units} bytes, at most {max_bytes} ({limit})"
        )));
    }
    let text = text
        .as_string()
        .ok_or_else(|| js_err(format!("{what}: expected an object")))?;
    sim::limits::check_text(what, text.len(), max_bytes, limit).map_err(js_err)?;
    Ok(text)
}

/// A non-negative integer below 2^53 from a JS value that must be a number.
fn uint_arg(name: &str, value: &JsValue) -> Result<u64, JsError> {
    let n = args::number(
        name,
        value.as_f64(),
        &value.js_typeof().as_string().unwrap_or_default(),
    )
    .map_err(js_err)?;
    args::uint(name, n).map_err(js_err)
}

/// An events budget: an integer from 1 to 2^53 - 1.
fn events_arg(value: &JsValue) -> Result<u64, JsError> {
    match uint_arg("events_max", value)? {
        0 => Err(js_err("events_max: must be at least 1")),
        n => Ok(n),
    }
}

fn seed_arg(seed: &JsValue) -> Result<u64, JsError> {
    match seed.is_undefined() || seed.is_null() {
        false => uint_arg("seed", seed),
        true => {
            // Unseeded runs draw from the platform and show the seed they drew.
            let raw = getrandom::u64().map_err(|e| js_err(format!("seed: no randomness: {e}")))?;
            Ok(raw & args::JS_SAFE_INT_MAX)
        }
    }
}

/// A simulated Raft cluster with clients, its timeline and its checkers.
#[wasm_bindgen]
pub struct Playground {
    world: World,
    /// The live verdict's checker, made on the first `check_incremental()`.
    live: Option<Box<live::LiveCheck>>,
}

#[wasm_bindgen]
impl Playground {
    /// A new world from a (partial) config object or JSON text and a seed. Fields left out
    /// take the playground preset; without a seed one is drawn (read it from `seed()`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "object | string | undefined")] config: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] seed: JsValue,
    ) -> Result<Playground, JsError> {
        let config: SimConfig = if config.is_undefined() || config.is_null() {
            SimConfig::default()
        } else {
            sim::json::from_json_named("config", &json_text("config", &config)?).map_err(js_err)?
        };
        let seed = seed_arg(&seed)?;
        let world = World::new(config, seed).map_err(|e| js_err(format!("config.{e}")))?;
        Ok(Playground { world, live: None })
    }

    /// A world from a scenario (object or JSON text): its config, seed and timed actions,
    /// which are applied as virtual time reaches them.
    pub fn from_scenario(
        #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    ) -> Result<Playground, JsError> {
        let text = scenario_text(&scenario)?;
        let s = Scenario::from_json(&text).map_err(|e| js_err(format!("scenario: {e}")))?;
        let world = World::from_scenario(&s).map_err(|e| js_err(format!("scenario.config.{e}")))?;
        Ok(Playground { world, live: None })
    }

    /// Runs a scenario (object or JSON text) to its end and returns the same summary as
    /// `raftlab run --json`: leaders per term, commits, monitors, client outcomes, the
    /// linearizability verdict, each expectation's result, and the trace hash. This is the
    /// grader's entry point.
    pub fn run_scenario(
        #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    ) -> Result<JsValue, JsError> {
        let text = scenario_text(&scenario)?;
        let s = Scenario::from_json(&text).map_err(|e| js_err(format!("scenario: {e}")))?;
        let (_, summary) = sim::run_scenario(&s).map_err(|e| js_err(format!("scenario: {e}")))?;
        to_js(&summary)
    }

    /// Grades a submission (the learner's recorded action log: a share link's state, an
    /// export, or `{ actions }`) against an exercise (scenario, goal, constraints): `{ passed,
    /// goals, constraints, reasons, score }`, the same as `raftlab grade`. Bad documents
    /// throw an Error naming the field.
    pub fn grade(
        #[wasm_bindgen(unchecked_param_type = "object | string")] exercise: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] submission: JsValue,
    ) -> Result<JsValue, JsError> {
        let ex = json_text_max(
            "exercise",
            &exercise,
            sim::limits::SCENARIO_JSON_BYTES_MAX,
            "SCENARIO_JSON_BYTES_MAX",
        )?;
        let sub = json_text_max(
            "submission",
            &submission,
            sim::limits::SCENARIO_JSON_BYTES_MAX,
            "SCENARIO_JSON_BYTES_MAX",
        )?;
        to_js(&sim::grade::grade_json(&ex, &sub).map_err(js_err)?)
    }

    /// The seed (below 2^53).
    pub fn seed(&self) -> f64 {
        self.world.seed() as f64
    }

    /// The current configuration (actions may have changed it since the start).
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(self.world.config())
    }

    /// Current virtual time, µs.
    pub fn now_us(&self) -> f64 {
        self.world.now_us() as f64
    }

    /// Runs the world forward by `us` microseconds of virtual time. Refused past
    /// `VIRTUAL_TIME_US_MAX` (24 virtual hours), the world unchanged.
    pub fn advance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] us: JsValue,
    ) -> Result<(), JsError> {
        let us = uint_arg("us", &us)?;
        self.world
            .try_advance(us)
            .map_err(|e| js_err(format!("us: {e}")))
    }

    /// As `advance`, stopping after about `events_max` events: returns `{ now_us,
    /// target_us, events, done }`. To go on with the same advance, call `seek_budgeted`
    /// with `target_us` until `done`: the world is the same as after one `advance`.
    pub fn advance_budgeted(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] us: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] events_max: JsValue,
    ) -> Result<JsValue, JsError> {
        let us = uint_arg("us", &us)?;
        let events_max = events_arg(&events_max)?;
        let progress = self
            .world
            .advance_budgeted(us, events_max)
            .map_err(|e| js_err(format!("us: {e}")))?;
        to_js(&progress)
    }

    /// The time of the latest event before `t_us` (for stepping back one event), or
    /// `undefined` when there is none or the kept trace no longer reaches back that far.
    pub fn prev_event_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] t_us: JsValue,
    ) -> Result<Option<f64>, JsError> {
        let t = uint_arg("t_us", &t_us)?;
        Ok(self.world.prev_event_at(t).map(|t| t as f64))
    }

    /// Processes exactly the next event (or scheduled action); false when nothing is
    /// pending.
    pub fn step(&mut self) -> bool {
        self.world.step()
    }

    /// With `true`, running no longer pauses to copy the world at each checkpoint time;
    /// call `checkpoint()` when there is time to spare (the page does, between frames).
    pub fn defer_checkpoints(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsError> {
        let on = on.as_bool().ok_or_else(|| {
            js_err(format!(
                "on: expected a boolean, got {}",
                on.js_typeof().as_string().unwrap_or_default()
            ))
        })?;
        self.world.set_checkpoints_deferred(on);
        Ok(())
    }

    /// A checkpoint is due (see `defer_checkpoints`).
    pub fn checkpoint_due(&self) -> bool {
        self.world.checkpoint_due()
    }

    /// Takes the checkpoint that is due, if one is; true when it did.
    pub fn checkpoint(&mut self) -> bool {
        self.world.checkpoint_now()
    }

    /// Moves to virtual time `t_us`: backward restores a checkpoint and replays the action
    /// log; forward runs. Refused past `VIRTUAL_TIME_US_MAX`, the world unchanged.
    pub fn seek(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] t_us: JsValue,
    ) -> Result<(), JsError> {
        let t = uint_arg("t_us", &t_us)?;
        self.world
            .try_seek(t)
            .map_err(|e| js_err(format!("t_us: {e}")))
    }

    /// As `seek`, processing at most about `events_max` events per call: returns `{ now_us,
    /// target_us, events, done }`; call again with the same `t_us` until `done` (a long
    /// seek spread over frames, with progress; stopping early leaves a consistent world at
    /// `now_us`).
    pub fn seek_budgeted(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] t_us: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] events_max: JsValue,
    ) -> Result<JsValue, JsError> {
        let t = uint_arg("t_us", &t_us)?;
        let events_max = events_arg(&events_max)?;
        let progress = self
            .world
            .seek_budgeted(t, events_max)
            .map_err(|e| js_err(format!("t_us: {e}")))?;
        to_js(&progress)
    }

    /// The whole world for one frame: nodes, messages in flight, network, clients,
    /// monitors, trace hash. `options` (`{log_tail, kv}`) trims it: only the last
    /// `log_tail` entries of each log, no state machines — what a page drawing at 60 fps
    /// asks for. Without options, everything.
    pub fn view(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ log_tail?: number, kv?: boolean, summaries?: boolean } | undefined"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        if options.is_undefined() || options.is_null() {
            return to_js(&self.world.view());
        }
        let options: sim::view::ViewOptions =
            sim::json::from_json_named("options", &json_text("options", &options)?)
                .map_err(js_err)?;
        to_js(&self.world.view_with(&options))
    }

    /// One message in flight with its summary (what a message menu shows), or `null` when
    /// it is no longer in flight: opening a menu needs this one, not a whole view.
    pub fn message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<JsValue, JsError> {
        let id = uint_arg("id", &id)?;
        to_js(&self.world.message(id))
    }

    /// Why entry `index` of node `node` is (or is not) committed: `{ node, index, term,
    /// state, replicas, quorum, why }`, or `null` when there is no such entry.
    pub fn entry_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] index: JsValue,
    ) -> Result<JsValue, JsError> {
        let node = u32::try_from(uint_arg("node", &node)?)
            .map(sim::NodeId)
            .map_err(|_| js_err("node: expected a node id"))?;
        let index = sim::LogIndex(uint_arg("index", &index)?);
        to_js(&self.world.entry_status(node, index))
    }

    /// Trace events since the last call (bounded; `missed` counts lines that fell out of
    /// the bounded trace before being fetched). `{ text: "markers" }` leaves the text out of
    /// lines without a timeline marker: the page's per-frame call.
    pub fn events(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "{ text?: \"all\" | \"markers\" } | undefined")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options: sim::timeline::EventsOptions = if options.is_undefined() || options.is_null() {
            Default::default()
        } else {
            sim::json::from_json_named("options", &json_text("options", &options)?)
                .map_err(js_err)?
        };
        to_js(&self.world.drain_events_with(EVENTS_PER_CALL_MAX, &options))
    }

    /// Applies a user action (object or JSON text) now. Bad input throws an Error naming
    /// the field; the world is then unchanged.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] action: JsValue,
    ) -> Result<(), JsError> {
        let action: Action =
            sim::json::from_json_named("action", &json_text("action", &action)?).map_err(js_err)?;
        self.world
            .apply(action)
            .map_err(|e| js_err(format!("action.{e}")))
    }

    /// Why `apply` would refuse this action now (its error message, `action.<field>: ...`),
    /// or `null` when it would be applied; the world is unchanged either way. Malformed
    /// input throws, as in `apply`.
    pub fn refusal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] action: JsValue,
    ) -> Result<Option<String>, JsError> {
        let action: Action =
            sim::json::from_json_named("action", &json_text("action", &action)?).map_err(js_err)?;
        Ok(self
            .world
            .check_action(&action)
            .err()
            .map(|e| format!("action.{e}")))
    }

    /// The client history so far, in the documented JSON form.
    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(&sim::history::HistoryJson(&self.world.history()))
    }

    /// The operations invoked at or after `from_us` (the latest `ops_max`, at most 2,000),
    /// with the whole history's counts: `{ operations_total, operations_completed,
    /// operations }`. What a page drawing only the recent history fetches.
    pub fn history_window(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] from_us: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] ops_max: JsValue,
    ) -> Result<JsValue, JsError> {
        let from_us = uint_arg("from_us", &from_us)?;
        let ops_max = usize::try_from(uint_arg("ops_max", &ops_max)?).unwrap_or(usize::MAX);
        to_js(&self.world.history_window(from_us, ops_max))
    }

    /// Runs the checkers on the history so far: linearizability (with the explanation of
    /// a violation), sequential consistency, session guarantees, convergence, and the
    /// ladder of models; causal consistency is `unknown` ("not checked here").
    pub fn check(&self) -> Result<JsValue, JsError> {
        let history = self.world.history();
        sim::history::validate(&history)
            .map_err(|e| js_err(format!("internal: the recorded history is malformed: {e}")))?;
        // Without the causal search: this module is over its size budget; the history
        // playground (lab module) runs it.
        to_js(&check::check_history_without_causal(
            &history,
            &check::Options::default(),
        ))
    }

    /// The live linearizability verdict: the operations settled since the last call are fed
    /// to an incremental checker (cost about the new operations, not the history's
    /// length). `options.steps_max` (1..=50,000,000, default 5,000,000) bounds this call's
    /// search. The report says what it covers: `covered_through_us` (every settled
    /// operation invoked before it), `ops_covered`, `ops_open`, `ops_pending`, and per key
    /// its cut and verdict. `violated` is final; the whole `check()` explains it.
    pub fn check_incremental(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "{ steps_max?: number } | undefined")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let mut steps_max = live::LIVE_STEPS_MAX_DEFAULT;
        if !options.is_undefined() && !options.is_null() {
            if !options.is_object() || js_sys::Array::is_array(&options) {
                return Err(js_err(format!(
                    "options: expected an object, got {}",
                    options.js_typeof().as_string().unwrap_or_default()
                )));
            }
            for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
                let key = key.as_string().unwrap_or_default();
                if key != "steps_max" {
                    return Err(js_err(format!(
                        "options.{key}: unknown field (known: steps_max)"
                    )));
                }
            }
            let v = js_sys::Reflect::get(&options, &JsValue::from_str("steps_max"))
                .map_err(|_| js_err("options.steps_max: could not be read"))?;
            if !v.is_undefined() {
                let n = uint_arg("options.steps_max", &v)?;
                if n == 0 || n > live::LIVE_STEPS_MAX {
                    return Err(js_err(format!(
                        "options.steps_max: {n} is out of range (1..={})",
                        live::LIVE_STEPS_MAX
                    )));
                }
                steps_max = n;
            }
        }
        let report = self
            .live
            .get_or_insert_with(Default::default)
            .update(&self.world, steps_max);
        to_js(&report)
    }

    /// Config + seed + the action log so far, as a scenario object (replays to this run).
    pub fn export_scenario(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] description: JsValue,
    ) -> Result<JsValue, JsError> {
        let description = if description.is_undefined() || description.is_null() {
            "exported from the playground".to_string()
        } else if description.is_string() {
            // Measured before it is copied into the module.
            let units = js_sys::JsString::from(description.clone()).length() as usize;
            let max = sim::limits::DESCRIPTION_BYTES_MAX;
            if units > max {
                return Err(js_err(format!(
                    "description: at least {units} bytes, at most {max} (DESCRIPTION_BYTES_MAX)"
                )));
            }
            description.as_string().unwrap_or_default()
        } else {
            return Err(js_err(format!(
                "description: expected a string, got {}",
                description.js_typeof().as_string().unwrap_or_default()
            )));
        };
        sim::limits::check_text(
            "description",
            description.len(),
            sim::limits::DESCRIPTION_BYTES_MAX,
            "DESCRIPTION_BYTES_MAX",
        )
        .map_err(js_err)?;
        to_js(&self.world.export_scenario(&description))
    }

    /// 16 hex digits: a stable hash of the whole trace so far.
    pub fn trace_hash(&self) -> String {
        self.world.trace_hash()
    }

    /// The last `limit` trace lines kept in memory, oldest first, as text.
    pub fn trace(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] limit: JsValue,
    ) -> Result<Vec<String>, JsError> {
        let limit = uint_arg("limit", &limit)? as usize;
        let records = self.world.trace();
        let skip = records.len().saturating_sub(limit);
        Ok(records.skip(skip).map(|r| r.line().text).collect())
    }
}
