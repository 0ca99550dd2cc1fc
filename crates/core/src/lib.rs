//! Vigil's domain: the types every layer speaks and the calculations whose numbers users decide
//! on. Nothing here does I/O, so the same code runs in the engine and in the WebAssembly UI, and a
//! number is computed by one piece of code everywhere.
//!
//! ```
//! use vigil_core::timeline::{EventKind, Milestones, TimelineEntry};
//! use chrono::{TimeZone, Utc};
//!
//! let at = |m| Utc.with_ymd_and_hms(2026, 3, 1, 10, m, 0).unwrap();
//! let entries = [
//!     TimelineEntry::new(at(0), EventKind::Triggered),
//!     TimelineEntry::new(at(4), EventKind::Acknowledged),
//!     TimelineEntry::new(at(30), EventKind::Resolved),
//! ];
//! let m = Milestones::from_timeline(&entries);
//! assert_eq!(m.first_acknowledged_at, Some(at(4)));
//! assert_eq!(m.resolved_at, Some(at(30)));
//! ```

pub mod alerting;
pub mod api;
pub mod fmea;
pub mod ids;
pub mod incident;
pub mod metrics;
pub mod postmortem;
pub mod source;
pub mod spc;
pub mod time;
pub mod timeline;

pub use ids::{IncidentId, SourceId};
pub use incident::{Incident, IncidentStatus, Urgency};
pub use source::SourceKind;
pub use timeline::{EventKind, Milestones, TimelineEntry};
