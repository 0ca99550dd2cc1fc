//! Incident KPIs: counts per period, time to acknowledge, detect, mitigate and resolve, time
//! between failures, on-call load, and their change against the previous period.
//!
//! They live in the core rather than in SQL so that the engine's reports, the CLI and the
//! WebAssembly UI compute a number with the same code and agree to the second. The engine maps
//! its rows into [`IncidentFacts`]; everything here is a pure function of those facts and of a
//! named time zone, and never of the clock: a resolved incident's durations are frozen, and an
//! open one has none, so the same facts give the same KPIs tomorrow.
//!
//! The rules every KPI follows (see [`Kpi::definition`] for the one-line version shown in the
//! UI):
//!
//! - merged-away incidents are left out of every count and duration;
//! - an incident belongs to the period it was created in, with days, ISO weeks (Monday first)
//!   and months taken in a chosen IANA zone, so a 23-hour or 25-hour day is one day;
//! - a reopened incident is one incident, resolved at its last resolution;
//! - open incidents have no time to resolve and are counted apart, never-acknowledged ones have
//!   no time to acknowledge and are counted apart;
//! - every duration is summarised as n, mean, median and p90 by nearest rank ([`Summary`]).
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use uuid::Uuid;
//! use vigil_core::metrics::{mttr, IncidentFacts};
//! use vigil_core::{IncidentId, Urgency};
//!
//! let created = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let incident = IncidentFacts {
//!     id: IncidentId(Uuid::from_u128(1)),
//!     source: "pagerduty".into(),
//!     service: Some("checkout".into()),
//!     team: None,
//!     urgency: Urgency::High,
//!     created_at: created,
//!     first_acknowledged_at: Some(created + Duration::minutes(3)),
//!     impact_started_at: None,
//!     first_mitigated_at: None,
//!     resolved_at: Some(created + Duration::minutes(40)),
//!     merged: false,
//!     reopen_count: 0,
//!     responders: Vec::new(),
//! };
//! let summary = mttr([&incident]);
//! assert_eq!((summary.n, summary.median), (1, Some(40 * 60)));
//! ```

mod change;
mod counts;
mod definitions;
mod durations;
mod facts;
mod kpis;
mod mtbf;
mod oncall;
mod period;
mod report;
mod series;
mod summary;
mod window;

#[cfg(test)]
mod fixture;

pub use change::{Change, KpiChanges, KpiComparison};
pub use counts::{tally, Dimension, IncidentCounts, Tally};
pub use definitions::Kpi;
pub use durations::{mtta, mttd, mttm, mttr};
pub use facts::{IncidentFacts, Interruption, InterruptionKind, Responder};
pub use kpis::IncidentKpis;
pub use mtbf::{mtbf, mtbf_by_service, ServiceMtbf};
pub use oncall::{is_business_hours, on_call_load, OnCallLoad};
pub use period::{period_counts, Period, PeriodCount};
pub use report::{
    ChartOutcome, FilterChoices, MetricsFilter, MetricsReport, MetricsRequest, WeeklyControlChart,
    MIN_CHART_WEEKS,
};
pub use series::{weekly_counts, weekly_mttr};
pub use summary::{nearest_rank, Summary};
pub use window::{local_midnight, Window};
