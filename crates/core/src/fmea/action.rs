//! Step 6: optimisation actions. Each action belongs to one chain, says whether it prevents the
//! cause or improves its detection, tracks its way to completion, and carries the ratings the
//! team expects (or, once done, measured) afterwards, so the new action priority can be shown
//! beside the old one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ap::{rpn, ActionPriority};
use super::failure::FailureChain;
use super::ids::{ActionId, ChainId};
use super::rating::Rating;

/// Whether an action lowers occurrence or improves detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Removes or weakens the cause (lowers O).
    Preventive,
    /// Catches the cause or mode sooner (lowers D).
    Detective,
}

impl ActionKind {
    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Preventive => "preventive",
            ActionKind::Detective => "detective",
        }
    }

    /// Reads a kind from its stored name, any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "preventive" | "prevention" => Some(ActionKind::Preventive),
            "detective" | "detection" => Some(ActionKind::Detective),
            _ => None,
        }
    }
}

/// Where an action stands, in the AIAG-VDA terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Identified, not yet decided.
    Open,
    /// Defined, waiting for a decision.
    DecisionPending,
    /// Decided, not yet done.
    ImplementationPending,
    /// Done, with evidence.
    Completed,
    /// Decided against; the reason goes in "action taken".
    NotImplemented,
}

impl ActionStatus {
    /// Every status, in the order work moves through them.
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Open,
        ActionStatus::DecisionPending,
        ActionStatus::ImplementationPending,
        ActionStatus::Completed,
        ActionStatus::NotImplemented,
    ];

    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::DecisionPending => "decision_pending",
            ActionStatus::ImplementationPending => "implementation_pending",
            ActionStatus::Completed => "completed",
            ActionStatus::NotImplemented => "not_implemented",
        }
    }

    /// Reads a status from its stored name or its words ("decision pending"), any case.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the action still needs work (it counts as open in summaries).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ActionStatus::Open
                | ActionStatus::DecisionPending
                | ActionStatus::ImplementationPending
        )
    }
}

/// One optimisation action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Its id.
    pub id: ActionId,
    /// The chain whose risk it lowers.
    pub chain: ChainId,
    /// Preventive or detective.
    pub kind: ActionKind,
    /// What will be done.
    pub description: String,
    /// Who does it.
    #[serde(default)]
    pub responsible: String,
    /// When it is due.
    #[serde(default)]
    pub target_date: Option<NaiveDate>,
    /// Where it stands.
    pub status: ActionStatus,
    /// What was actually done (or why not).
    #[serde(default)]
    pub action_taken: String,
    /// Where the proof is (a pull request, a runbook, a test report).
    #[serde(default)]
    pub evidence: String,
    /// When it was finished.
    #[serde(default)]
    pub completion_date: Option<NaiveDate>,
    /// Severity after the action (usually unchanged: actions rarely soften an effect).
    #[serde(default)]
    pub new_severity: Option<Rating>,
    /// Occurrence after the action.
    #[serde(default)]
    pub new_occurrence: Option<Rating>,
    /// Detection after the action.
    #[serde(default)]
    pub new_detection: Option<Rating>,
}

impl Action {
    /// A new open action on `chain`.
    pub fn new(id: ActionId, chain: ChainId, kind: ActionKind, description: &str) -> Self {
        Action {
            id,
            chain,
            kind,
            description: description.to_owned(),
            responsible: String::new(),
            target_date: None,
            status: ActionStatus::Open,
            action_taken: String::new(),
            evidence: String::new(),
            completion_date: None,
            new_severity: None,
            new_occurrence: None,
            new_detection: None,
        }
    }

    /// The ratings after the action: each re-rated value, or the chain's where none was given.
    fn after(&self, chain: &FailureChain) -> Option<(Rating, Rating, Rating)> {
        Some((
            self.new_severity.or(chain.severity)?,
            self.new_occurrence.or(chain.occurrence)?,
            self.new_detection.or(chain.detection)?,
        ))
    }

    /// The action priority expected after the action, once it has been re-rated.
    pub fn new_action_priority(&self, chain: &FailureChain) -> Option<ActionPriority> {
        if self.new_severity.is_none()
            && self.new_occurrence.is_none()
            && self.new_detection.is_none()
        {
            return None;
        }
        let (s, o, d) = self.after(chain)?;
        Some(ActionPriority::of(s, o, d))
    }

    /// The RPN expected after the action, once it has been re-rated.
    pub fn new_rpn(&self, chain: &FailureChain) -> Option<u16> {
        self.new_action_priority(chain)?;
        let (s, o, d) = self.after(chain)?;
        Some(rpn(s, o, d))
    }
}
