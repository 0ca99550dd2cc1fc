//! FMEAs in the engine: what moves them in and out (xlsx in the AIAG-VDA layout, CSV, JSON
//! bundles and their merge) and the errors of every FMEA operation. The rules themselves (action
//! priority, validation, diff, merge, filters) are in `vigil_core::fmea`, so the window applies
//! the same ones.
//!
//! What a worksheet calls, all on [`crate::Store`]:
//! - `list_fmeas` for the list, `load_fmea` for one whole FMEA in one call (then
//!   `vigil_core::fmea::ChainFilter` narrows its rows without a round trip);
//! - `edit_fmea_field` for a cell (with its audit entry), `add_fmea_part` and
//!   `remove_fmea_part` for rows and structure, `modify_fmea` for anything larger;
//! - `fmea_audit_entries` for the History panel, `freeze_fmea_revision` and
//!   `diff_fmea_versions` for baselines;
//! - `link_incident`, `linked_incidents` and `suggest_occurrence` for the evidence behind an
//!   occurrence rating;
//! - `new_fmea`, `import_fmea`, `export_fmea`, `preview_bundle_merge` and `merge_bundle`.
//!
//! HTML and PDF reports are not here yet: they belong to the shared reports module that the
//! postmortem and DMAIC work also needs; `vigil fmea export` refuses them with a message.

mod bundle;
mod csv;
mod error;
mod exchange;
mod form;
mod form_chain;
mod form_header;
mod form_read;
mod form_structure;
mod form_write;
mod xlsx;

pub use bundle::{read_bundle, Bundle, BUNDLE_FORMAT, BUNDLE_VERSION};
pub use csv::{read_csv, write_csv};
pub use error::{FmeaError, FmeaResult, ImportProblem, ImportReport};
pub use exchange::Format;
pub use form::{Cell, Column, FormRow};
pub use form_write::form_rows;
pub use xlsx::{read_xlsx, write_xlsx};
