//! Statistical process control: control charts, the run rules that read them, and capability.
//!
//! Why here: reliability work charts incident counts, latencies and defect rates, and the UI
//! draws the same charts the engine alerts on, so the limits must come from one piece of code.
//! Everything is pure arithmetic on slices, so it runs natively and in the WebAssembly UI.
//!
//! The workflow is Shewhart's in two phases. In phase I, limits are computed from a baseline and
//! the baseline is charted against them to see whether it was in control ([`xbar_r_chart`] and
//! friends do both at once). Once it is, the limits are frozen as a [`ControlLimits`] value,
//! stored, and new data is charted against them in phase II (`ControlLimits::chart_*`), so a
//! drifting process cannot drag its own limits along.
//!
//! ```
//! use vigil_core::spc::{evaluate_rules, ControlLimits, Rule};
//!
//! // Phase I: five subgroups of four measurements.
//! let baseline = [
//!     [10.1, 9.9, 10.0, 10.2],
//!     [9.8, 10.0, 10.1, 9.9],
//!     [10.0, 10.3, 9.9, 10.0],
//!     [10.2, 10.0, 9.8, 10.1],
//!     [9.9, 10.1, 10.0, 9.7],
//! ];
//! let limits = ControlLimits::xbar_r(&baseline)?;
//!
//! // Phase II: a shifted subgroup falls above the frozen UCL.
//! let chart = limits.chart_subgroups(&[[10.0, 9.9, 10.1, 10.0], [10.6, 10.5, 10.7, 10.6]])?;
//! let report = evaluate_rules(&chart.location, &Rule::WESTERN_ELECTRIC);
//! assert_eq!(report.special_causes(), [1]);
//! # Ok::<(), vigil_core::spc::SpcError>(())
//! ```
//!
//! Limits of this module: the charts assume independent observations (autocorrelated data such
//! as per-minute latencies gives limits that are too narrow; chart residuals or larger
//! aggregation windows instead), and the rules and capability indices assume roughly normal data.

mod attributes;
mod capability;
mod chart;
mod constants;
mod error;
mod normal;
mod rules;
mod sigma_level;
mod variables;

#[cfg(test)]
mod textbook;
#[cfg(test)]
mod textbook_attributes;
#[cfg(test)]
mod textbook_individuals;

pub use attributes::{c_chart, np_chart, p_chart, u_chart, DefectCount, InspectionLot};
pub use capability::{capability, individuals_capability, Capability, SpecLimits, WithinSigma};
pub use chart::{
    ChartKind, ChartPair, ChartPoint, ControlChart, ControlLimits, MIN_BASELINE_POINTS,
    RECOMMENDED_BASELINE_POINTS,
};
pub use constants::{c4, ChartConstants, ConstantsSource, TABLE_MAX_SUBGROUP_SIZE};
pub use error::SpcError;
pub use normal::{normal_cdf, normal_pdf, normal_quantile, normal_sf};
pub use rules::{evaluate_rules, Rule, RuleReport, RuleViolation};
pub use sigma_level::{dpmo, dpmo_at_sigma_level, sigma_level, SigmaShift};
pub use variables::{individuals_chart, xbar_r_chart, xbar_s_chart};
