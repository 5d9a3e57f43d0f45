//! Reading exercises and submissions from JSON (see `json.rs`): unknown fields refused, errors
//! at the path of the bad field.

use super::*;
use crate::json::{name_index, FromJson, JsonResult, Obj, Value};
use crate::scenario::EXPECTATION_TYPES;

impl FromJson for Goal {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let ty = v.as_object().and_then(|m| m.get("type")?.as_str());
        match ty.and_then(|t| GOAL_TYPES.iter().position(|g| *g == t)) {
            Some(0) => {
                let o = Obj::new(v, "struct Goal", &["type", "count_min"])?;
                Ok(Goal::LeadersAtOnce {
                    count_min: o.req("count_min")?,
                })
            }
            Some(1) => {
                let o = Obj::new(v, "struct Goal", &["type", "node"])?;
                Ok(Goal::BecomesLeader {
                    node: o.req("node")?,
                })
            }
            Some(_) => {
                let o = Obj::new(v, "struct Goal", &["type", "at_us"])?;
                Ok(Goal::NoLeaderUntil {
                    at_us: o.req("at_us")?,
                })
            }
            None => Expectation::from_json(v).map(Goal::Expect),
        }
        .map_err(|e| {
            // An unknown type names both lists.
            if e.path == "type" && e.problem.starts_with("unknown variant") {
                let mut all: Vec<&str> = GOAL_TYPES.to_vec();
                all.extend_from_slice(EXPECTATION_TYPES);
                let t = ty.unwrap_or("");
                return json::JsonError::new(format!(
                    "unknown goal type `{t}`, expected one of {}",
                    all.join(", ")
                ))
                .in_field("type");
            }
            e
        })
    }
}

impl FromJson for Constraints {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct Constraints",
            &["actions_allowed", "actions_max", "nodes_down_max"],
        )?;
        let allowed: Option<Vec<String>> = o.opt("actions_allowed")?;
        for (i, a) in allowed.iter().flatten().enumerate() {
            name_index(a, ACTION_TYPES).map_err(|e| e.in_item(i).in_field("actions_allowed"))?;
        }
        Ok(Constraints {
            actions_allowed: allowed,
            actions_max: o.opt("actions_max")?,
            nodes_down_max: o.opt("nodes_down_max")?,
        })
    }
}

impl FromJson for Exercise {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct Exercise",
            &[
                "description",
                "kind",
                "scenario",
                "goal",
                "constraints",
                "title",
                "hints",
                "success",
                "goal_text",
                "rule_text",
            ],
        )?;
        Ok(Exercise {
            description: o.or("description", String::new())?,
            kind: o.or("kind", ExerciseKind::Exercise)?,
            scenario: o.req("scenario")?,
            goal: o.req("goal")?,
            constraints: o.or("constraints", Constraints::default())?,
        })
    }
}

impl FromJson for Submission {
    fn from_json(v: &Value) -> JsonResult<Self> {
        // A share link's state (v, t_us) and an export (description, duration_us, expect)
        // carry more than the grader reads.
        let o = Obj::new(
            v,
            "struct Submission",
            &[
                "actions",
                "seed",
                "config",
                "v",
                "t_us",
                "description",
                "duration_us",
                "expect",
            ],
        )?;
        Ok(Submission {
            seed: o.opt("seed")?,
            config: o.opt("config")?,
            actions: o.req("actions")?,
        })
    }
}
