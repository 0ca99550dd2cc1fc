//! Views over a worksheet that both the window and the CLI need: the counts a list of FMEAs
//! shows, and the filter that narrows the worksheet to the rows a review is about.

use serde::{Deserialize, Serialize};

use super::action::ActionStatus;
use super::ap::ActionPriority;
use super::failure::FailureChain;
use super::header::FmeaKind;
use super::ids::{ElementId, FmeaId};
use super::worksheet::Fmea;

/// The line an FMEA gets in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FmeaSummary {
    /// Its id.
    pub id: FmeaId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: FmeaKind,
    /// Failure chains (worksheet rows).
    pub chains: usize,
    /// Chains of action priority high.
    pub high: usize,
    /// Chains of action priority medium.
    pub medium: usize,
    /// Chains of action priority low.
    pub low: usize,
    /// Chains not fully rated yet.
    pub unrated: usize,
    /// Actions still open, pending a decision or pending implementation.
    pub pending_actions: usize,
}

impl Fmea {
    /// The counts of this FMEA for a list.
    pub fn summary(&self) -> FmeaSummary {
        let count = |ap| {
            self.chains
                .iter()
                .filter(|c| c.action_priority() == Some(ap))
                .count()
        };
        FmeaSummary {
            id: self.id,
            name: self.header.name.clone(),
            kind: self.kind(),
            chains: self.chains.len(),
            high: count(ActionPriority::High),
            medium: count(ActionPriority::Medium),
            low: count(ActionPriority::Low),
            unrated: self
                .chains
                .iter()
                .filter(|c| c.action_priority().is_none())
                .count(),
            pending_actions: self
                .actions
                .iter()
                .filter(|a| a.status.is_pending())
                .count(),
        }
    }

    /// The chains `filter` admits, in worksheet order.
    pub fn filter_chains<'a>(
        &'a self,
        filter: &'a ChainFilter,
    ) -> impl Iterator<Item = &'a FailureChain> {
        self.chains.iter().filter(move |c| filter.admits(self, c))
    }
}

/// Which worksheet rows to show. Every criterion that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainFilter {
    /// Only chains of at least this priority (unrated chains are left out when set).
    pub min_priority: Option<ActionPriority>,
    /// Only chains that are not fully rated yet.
    pub unrated_only: bool,
    /// Only chains with a special characteristic mark.
    pub special_only: bool,
    /// Only chains with this filter code (exact, any case).
    pub filter_code: Option<String>,
    /// Only chains having an action in this status.
    pub action_status: Option<ActionStatus>,
    /// Only chains whose failure mode belongs to this focus element.
    pub focus_element: Option<ElementId>,
    /// Only chains where this text appears in the effect, mode, cause or controls (any case).
    pub text: Option<String>,
}

impl ChainFilter {
    /// Whether `chain` (of `fmea`) passes.
    pub fn admits(&self, fmea: &Fmea, chain: &FailureChain) -> bool {
        let ap = chain.action_priority();
        let mode = fmea.failure_mode(chain.failure_mode);
        if let Some(min) = self.min_priority {
            if ap.is_none_or(|ap| ap < min) {
                return false;
            }
        }
        if self.unrated_only && ap.is_some() {
            return false;
        }
        if self.special_only && chain.special_characteristic.is_none() {
            return false;
        }
        if let Some(code) = &self.filter_code {
            if !chain.filter_code.trim().eq_ignore_ascii_case(code.trim()) {
                return false;
            }
        }
        if let Some(status) = self.action_status {
            if !fmea
                .actions
                .iter()
                .any(|a| a.chain == chain.id && a.status == status)
            {
                return false;
            }
        }
        if let Some(focus) = self.focus_element {
            let element = mode
                .and_then(|m| fmea.function(m.function))
                .map(|f| f.element);
            if element != Some(focus) {
                return false;
            }
        }
        if let Some(text) = self.text.as_deref().map(str::to_lowercase) {
            let mode_text = mode.map_or("", |m| m.description.as_str());
            let haystack = [
                chain.effect.as_str(),
                mode_text,
                chain.cause.as_str(),
                chain.prevention_controls.as_str(),
                chain.detection_controls.as_str(),
            ];
            if !haystack.iter().any(|h| h.to_lowercase().contains(&text)) {
                return false;
            }
        }
        true
    }
}
