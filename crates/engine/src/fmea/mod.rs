//! FMEAs in the engine: the store's FMEA operations live in `store::fmea*`; this module holds
//! what moves FMEAs in and out (xlsx in the AIAG-VDA layout, CSV, JSON bundles and their merge)
//! and the errors of both. The rules themselves (action priority, validation, diff, merge) are
//! in `vigil_core::fmea`, so the window applies the same ones.
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
