//! Postmortems in the engine: creation from incidents, audited saves, the review cycle, team
//! templates, search and export. The storage half lives in `store/postmortem*.rs` as methods on
//! [`Store`](crate::Store); this module holds what does not touch SQL.

mod error;
pub mod export;
mod import;
pub mod templates;

pub use error::{PostmortemError, PostmortemResult};
pub use export::{export_html, export_markdown};
pub use import::import_markdown;
pub use templates::{builtin_template, builtin_templates, prefilled_sections, DEFAULT_TEMPLATE};

/// The audit log's entity name for postmortems.
pub const ENTITY: &str = "postmortem";
