//! Failure mode and effects analysis (FMEA) in the AIAG-VDA form: the document (header, structure,
//! functions, failure chains, actions), the rules that keep it whole, the action priority table,
//! rating scales and templates, and the operations the worksheet needs on any part (edit one
//! field, diff two revisions, merge a workshop's copy back). Pure, so the window computes an
//! action priority or checks an edit without asking the engine.
//!
//! ```
//! use vigil_core::fmea::{ActionPriority, Rating};
//!
//! let r = |n| Rating::new(n).unwrap();
//! assert_eq!(ActionPriority::of(r(9), r(4), r(1)), ActionPriority::Medium);
//! assert_eq!(vigil_core::fmea::rpn(r(9), r(4), r(1)), 36);
//! ```

mod action;
mod ap;
mod diff;
mod entity;
mod failure;
mod header;
mod ids;
mod merge;
mod occurrence;
mod rating;
mod scale;
mod structure;
mod template;
mod validate;
mod view;
mod worksheet;

pub use action::{Action, ActionKind, ActionStatus};
pub use ap::{rpn, ActionPriority};
pub use diff::{diff, Change};
pub use entity::{Entity, EntityKind, EntityRef, FieldError};
pub use failure::{FailureChain, FailureMode, SpecialCharacteristic};
pub use header::{FmeaHeader, FmeaKind};
pub use ids::{ActionId, ChainId, ElementId, FailureModeId, FmeaId, FunctionId, RevisionId};
pub use merge::{merge, prune_dangling, Conflict, MergeOutcome, Picks, Side, WHOLE_PART};
pub use occurrence::{suggest_occurrence, OccurrenceSuggestion};
pub use rating::{Rating, RatingError, RatingKind};
pub use scale::{RatingScale, RatingScales, ScaleError, ScaleLevel};
pub use structure::{Function, StructureElement, StructureLevel, WorkElementType};
pub use template::{Template, TemplateError};
pub use validate::Problem;
pub use view::{ChainFilter, FmeaSummary};
pub use worksheet::{FieldChange, Fmea};

#[cfg(test)]
mod tests;
