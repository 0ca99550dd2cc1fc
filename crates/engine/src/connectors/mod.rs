//! Connectors: one module per vendor, each turning the vendor's API into Vigil's incidents and
//! timeline entries. The sync engine ([`crate::sync`]) runs them; they fetch, map, and hand
//! pages to [`SyncRun::write_page`], which stores a page and the connector's cursor together.
//!
//! The design calls this abstraction the `Source` trait. It is named [`Connector`] here because
//! a *source* already means a configured instance in the store ([`crate::store::SourceRecord`]:
//! one PagerDuty account with its base URL and token), and one name for two things would
//! mislead every reader of the sync code.

pub mod alertmanager;
pub mod api;
pub mod grafana;
pub mod incidentio;
pub mod opsgenie;
pub mod pagerduty;
pub mod statuspage;

use vigil_core::SourceKind;

use crate::error::Result;
use crate::sync::SyncRun;

/// A vendor's API, as the sync engine drives it.
///
/// A connector keeps its own cursor (JSON it writes with each page and reads back from
/// [`SyncRun::source`]), so it decides what "resume" and "what changed since last time" mean
/// for its vendor. It must write every page through [`SyncRun::write_page`] and make every
/// request through [`SyncRun::http`].
pub trait Connector {
    /// The kind of source it serves.
    fn kind(&self) -> SourceKind;

    /// Fetches what is new or changed since the cursor and writes it, page by page. An error
    /// leaves the pages written so far, and the cursor after the last of them, in place.
    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()>;
}
