//! Why a grade did not pass, as data: a [`ReasonCode`] and its parameters. The page words each
//! reason in the reader's language from them (`web/src/i18n.js`, `reason_<code>`); `Display`
//! is the English line of the grade's `reasons`, the text `raftlab grade` prints.

use crate::vocab::vocab;
use serde::Serialize;
use std::fmt;

vocab! {
    /// Why a grade did not pass (a [`Reason`]'s `code`); each names the parameters it sets.
    pub enum ReasonCode {
        /// An action type outside `constraints.actions_allowed` was used (`text`: the
        /// allowed types, `observed`: the first other type used).
        ActionNotAllowed = "action_not_allowed",
        /// More learner actions than `constraints.actions_max` (`max`, `count`).
        TooManyActions = "too_many_actions",
        /// More nodes down at once than `constraints.nodes_down_max` (`max`, `count`).
        TooManyNodesDown = "too_many_nodes_down",
        /// The submission is for another seed (`seed`, `exercise_seed`).
        SeedMismatch = "seed_mismatch",
        /// The submission's world has another config than the exercise's.
        ConfigMismatch = "config_mismatch",
        /// The submission's actions do not fit the exercise's world (`observed`: why).
        SubmissionUnfit = "submission_unfit",
        /// The exercise's world could not be built (`observed`: the field and problem).
        WorldInvalid = "world_invalid",
        /// The world refused a learner action (`index` in the run's action log, `at_us`,
        /// `observed`: the world's error).
        ActionRefused = "action_refused",
        /// A goal was not met (`index`: the goal's, `text`: the goal, `observed`).
        GoalNotMet = "goal_not_met",
    }
    impl Serialize;
}

/// One reason a grade did not pass. Only the parameters its code names are set (and
/// written to JSON); texts are English (the goal's line, what the run showed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// What went wrong.
    pub code: ReasonCode,
    /// The goal's index in the exercise, or the refused action's in the run's action log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// When the refused action was due, virtual µs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_us: Option<u64>,
    /// A constraint's bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// What the submission reached against that bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The submission's seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The exercise's seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise_seed: Option<u64>,
    /// The goal's line, or the allowed action types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// What the run showed, or the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

impl Reason {
    /// A reason with no parameters yet.
    pub fn new(code: ReasonCode) -> Self {
        Reason {
            code,
            index: None,
            at_us: None,
            max: None,
            count: None,
            seed: None,
            exercise_seed: None,
            text: None,
            observed: None,
        }
    }
}

/// `action` or `actions`.
pub(super) fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text.as_deref().unwrap_or("");
        let observed = self.observed.as_deref().unwrap_or("");
        let max = self.max.unwrap_or(0);
        let count = self.count.unwrap_or(0);
        match self.code {
            ReasonCode::ActionNotAllowed => {
                write!(f, "constraint broken: only {text} (used {observed})")
            }
            ReasonCode::TooManyActions => write!(
                f,
                "constraint broken: at most {max} {} ({count} {} used)",
                plural(max, "action"),
                plural(count, "action")
            ),
            ReasonCode::TooManyNodesDown => write!(
                f,
                "constraint broken: at most {max} nodes down at a time ({count} down at most)"
            ),
            ReasonCode::SeedMismatch => write!(
                f,
                "the submission is for seed {}, the exercise's world has seed {}",
                self.seed.unwrap_or(0),
                self.exercise_seed.unwrap_or(0)
            ),
            ReasonCode::ConfigMismatch => {
                f.write_str("the submission's world has another config than the exercise's")
            }
            ReasonCode::SubmissionUnfit => write!(
                f,
                "the submission does not fit the exercise's world: {observed}"
            ),
            ReasonCode::WorldInvalid => f.write_str(observed),
            ReasonCode::ActionRefused => write!(
                f,
                "action {} at {}us was refused: {observed}",
                self.index.unwrap_or(0),
                self.at_us.unwrap_or(0)
            ),
            ReasonCode::GoalNotMet => write!(f, "goal not met: {text} ({observed})"),
        }
    }
}
