//! Blameless postmortems: the document a team writes after an incident, prefilled from what the
//! cache already knows (dates, services, responders, durations, the timeline), so the writing
//! starts from facts instead of a blank page.
//!
//! Everything here is pure: the engine stores and audits documents, the UI edits them, and both
//! read the same prefill, the same Markdown and the same blameless-language hints.

mod blameless;
mod document;
mod ids;
mod markdown;
mod prefill;
mod record;
mod template;

pub use blameless::{blame_hints, BlameHint};
pub use document::{
    ActionItem, ActionPriority, ActionStatus, KeyMoment, PostmortemStatus, Section, StatusError,
    TimelineItem,
};
pub use ids::{ActionItemId, PostmortemId, TimelineItemId};
pub use markdown::{
    normalise_body, parse_markdown, render_markdown, MarkdownDocument, MarkdownExtras,
};
pub use prefill::{
    IncidentInput, PostmortemFacts, Prefill, PrefillDurations, DURATION_DEFINITIONS,
};
pub use record::{Postmortem, PostmortemSummary};
pub use template::{parse_template, slug, Template, TemplateError, TemplateSection};
