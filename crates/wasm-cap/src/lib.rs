//! The CAP page's Wasm module (`www/cap.html`): Raft and the AP store in lock step
//! (`sim::side_by_side`) behind a thin wasm-bindgen layer. Built apart from the
//! playground's module, in a cargo invocation of its own: it turns on the simulator's `ap`
//! feature, which would otherwise reach every module built with it.
//!
//! ```text
//!  cap page ── CapWorlds(scenario) ── advance(dt) / apply(action) / seek(t)
//!                    │                        │
//!          SideBySide::from_scenario     views() {raft, ap} · report() · lag()
//! ```
//!
//! Every entry point returns `Result<_, JsError>`: bad input throws a JS `Error` naming
//! the field, and the worlds are left unchanged.

#![forbid(unsafe_code)]
// A panic here would kill the page: every failure is a JS Error instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

use sim::side_by_side::SideBySide;
use wasm_args::{js_err, json_text, to_js, uint_arg};
use wasm_bindgen::prelude::*;

/// Virtual time one `advance` call may cover at most, µs: a call's work stays bounded.
pub const ADVANCE_US_MAX: u64 = 60_000_000;

/// Points one `lag` call returns at most.
pub const LAG_POINTS_MAX: usize = 10_000;

/// Steps each of the report's searches may take (linearizability, sequential and causal
/// consistency): the page asks for a report twice a second, so a search that would take
/// longer says `unknown` instead.
pub const REPORT_STEPS_MAX: u64 = 1_000_000;

fn report_options() -> check::Options {
    check::Options {
        linearizability_steps_max: REPORT_STEPS_MAX,
        sequential_steps_max: REPORT_STEPS_MAX,
        causal_steps_max: REPORT_STEPS_MAX,
        ..check::Options::default()
    }
}

/// Raft and the AP store side by side.
#[wasm_bindgen]
pub struct CapWorlds {
    pair: SideBySide,
    /// The scenario's end, µs (the page stops there).
    duration_us: u64,
}

/// [`CapWorlds::new`]'s work, testable natively.
pub fn from_scenario_text(text: &str) -> Result<(SideBySide, u64), String> {
    let s = sim::Scenario::from_json(text).map_err(|e| format!("scenario: {e}"))?;
    let pair = SideBySide::from_scenario(&s).map_err(|e| format!("scenario: config.{e}"))?;
    Ok((pair, s.duration_us))
}

#[wasm_bindgen]
impl CapWorlds {
    /// Both worlds of a scenario (object or JSON text: config, seed, timed actions; the
    /// config's `ap` settings, or the defaults, for the AP side). Errors name the field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    ) -> Result<CapWorlds, JsError> {
        let (pair, duration_us) =
            from_scenario_text(&json_text("scenario", &scenario)?).map_err(js_err)?;
        Ok(CapWorlds { pair, duration_us })
    }

    /// Virtual µs now.
    pub fn now_us(&self) -> f64 {
        self.pair.raft().now_us() as f64
    }

    /// The scenario's end, µs.
    pub fn duration_us(&self) -> f64 {
        self.duration_us as f64
    }

    /// Runs both worlds `dt_us` further (at most [`ADVANCE_US_MAX`]).
    pub fn advance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] dt_us: JsValue,
    ) -> Result<(), JsError> {
        let dt = uint_arg("dt_us", &dt_us)?;
        if dt > ADVANCE_US_MAX {
            return Err(js_err(format!(
                "dt_us: at most {ADVANCE_US_MAX} (ADVANCE_US_MAX) per call, got {dt}"
            )));
        }
        let t = self.pair.raft().now_us().saturating_add(dt);
        self.pair.run_until(t);
        Ok(())
    }

    /// Moves both worlds to `t_us` (replaying their action logs).
    pub fn seek(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] t_us: JsValue,
    ) -> Result<(), JsError> {
        let t = uint_arg("t_us", &t_us)?;
        self.pair.seek(t);
        Ok(())
    }

    /// Applies an action (object or JSON text, crates/sim/SCENARIOS.md) to both worlds,
    /// or to neither: one either refuses (an action only Raft has, a crashed node, ...)
    /// throws an `Error` naming the field.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "object | string")] action: JsValue,
    ) -> Result<(), JsError> {
        let text = json_text("action", &action)?;
        let a: sim::Action = sim::json::from_json_named("action", &text).map_err(js_err)?;
        self.pair
            .apply(a)
            .map_err(|e| js_err(format!("action.{}: {}", e.field, e.problem)))
    }

    /// Both worlds' views: `{ raft, ap }`, each a playground `WorldView` without log
    /// entries or message summaries (this page draws neither; a view per frame stays cheap).
    pub fn views(&self) -> Result<JsValue, JsError> {
        let o = sim::ViewOptions {
            log_tail: 0,
            kv: true,
            summaries: false,
        };
        to_js(&Views {
            raft: self.pair.raft().view_with(&o),
            ap: self.pair.ap().view_with(&o),
        })
    }

    /// Both sides' reports (checks both histories, each search within
    /// [`REPORT_STEPS_MAX`] steps; see `sim::side_by_side::SideReport`).
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js(&self.pair.report(&report_options()))
    }

    /// The lag samples (`{ at_us, raft, ap }`, one per 20 ms of virtual time), oldest first,
    /// in at most `points_max` buckets (each its first time and largest lag per side); at
    /// most [`LAG_POINTS_MAX`].
    pub fn lag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] points_max: JsValue,
    ) -> Result<JsValue, JsError> {
        let n = uint_arg("points_max", &points_max)?;
        if n == 0 || n > LAG_POINTS_MAX as u64 {
            return Err(js_err(format!(
                "points_max: must be 1..={LAG_POINTS_MAX} (LAG_POINTS_MAX), got {n}"
            )));
        }
        to_js(&self.pair.lag_buckets(n as usize))
    }

    /// Whether the AP side's read and write quorums overlap (`W + R > N`).
    pub fn ap_quorums_overlap(&self) -> bool {
        let c = self.pair.ap().config();
        c.ap.is_some_and(|a| a.quorums_overlap(c.node_count))
    }

    /// The scenario's timed actions refused when due: `{ index, field, problem }`.
    pub fn skipped(&self) -> Result<JsValue, JsError> {
        let v: Vec<Skipped> = self
            .pair
            .skipped()
            .iter()
            .map(|(index, e)| Skipped {
                index: *index,
                field: e.field.clone(),
                problem: e.problem.clone(),
            })
            .collect();
        to_js(&v)
    }
}

/// Runs one scenario to its end in one world, Raft or (with `config.ap`) the AP store, and
/// returns its summary: the same as `raftlab run --json` prints and the playground
/// module's `Playground.run_scenario` returns for a Raft scenario.
#[wasm_bindgen]
pub fn run_scenario(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    let text = json_text("scenario", &scenario)?;
    let s = sim::Scenario::from_json(&text).map_err(|e| js_err(format!("scenario: {e}")))?;
    let (_, summary) = sim::run_scenario(&s).map_err(|e| js_err(format!("scenario: {e}")))?;
    to_js(&summary)
}

#[derive(serde::Serialize)]
struct Views {
    raft: sim::view::WorldView,
    ap: sim::view::WorldView,
}

#[derive(serde::Serialize)]
struct Skipped {
    index: usize,
    field: String,
    problem: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_scenarios_are_errors_naming_the_field() {
        let e = from_scenario_text(r#"{"seed": 1, "duration_us": 1, "config": {"node_count": 0}}"#)
            .unwrap_err();
        assert!(e.starts_with("scenario: config.node_count"), "{e}");
        let e = from_scenario_text(
            r#"{"seed": 1, "duration_us": 1, "config": {"ap": {"read_quorum": 9}}}"#,
        )
        .unwrap_err();
        assert!(e.contains("ap.read_quorum"), "{e}");
        let e = from_scenario_text(r#"{"seed": 1}"#).unwrap_err();
        assert_eq!(e, "scenario: missing field `duration_us`");
        let e = from_scenario_text("[").unwrap_err();
        assert!(e.starts_with("scenario:"), "{e}");
    }

    #[test]
    fn the_cap_scenario_runs_with_both_sides() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/cap_partition_raft.json"
        ))
        .unwrap();
        let (mut pair, end) = from_scenario_text(&text).unwrap();
        pair.run_until(end);
        let r = pair.report(&check::Options::default());
        assert_eq!(
            (r.raft.linearizability, r.ap.linearizability),
            ("ok", "violated")
        );
        assert!(pair.skipped().is_empty());
    }
}
