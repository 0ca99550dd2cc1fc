//! What `vigil spc` reports, as one serialisable value: the `--json` output is this value, and
//! the table ([`super::text`]) is drawn from it, so the two never disagree.
//!
//! Points are named by their sample label (the subgroup's value, or the row's position among
//! the data rows), never by a position in an internal slice: a script reading the JSON matches
//! them with its own data by that label.

use serde::Serialize;
use vigil_core::spc::{Capability, ControlChart, ControlLimits, Rule, RuleReport, SpecLimits};

/// The whole analysis of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The chart asked for, as on the command line (`xbar-r`, `imr`, `p`, ...).
    pub chart: String,
    /// The file read.
    pub input: String,
    /// The columns used.
    pub columns: ColumnNames,
    /// The rule set applied to the location chart (`nelson` or `western-electric`).
    pub rules: String,
    /// Samples (rows or subgroups) in phase I, which set the limits.
    pub baseline_samples: usize,
    /// Samples in phase II, judged against the frozen limits.
    pub later_samples: usize,
    /// The frozen limits' estimates, in the shape the app stores them.
    pub limits: ControlLimits,
    /// The location chart first, then the spread chart for variables data.
    pub charts: Vec<ChartReport>,
    /// Present when `--usl` or `--lsl` was given; computed from the phase I samples.
    pub capability: Option<CapabilityReport>,
}

/// The header names the options chose.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnNames {
    /// The measured value, count or number of defects.
    pub value: String,
    /// The subgroup key, for Xbar charts.
    pub subgroup: Option<String>,
    /// The sample size or number of units, for p, np and u charts.
    pub size: Option<String>,
    /// The phase I flag, if any.
    pub phase1: Option<String>,
}

/// A capability study with the specification it was made against.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityReport {
    /// The specification limits given.
    pub spec: SpecLimits,
    /// The indices.
    #[serde(flatten)]
    pub figures: Capability,
}

/// Which phase a point or violation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Phase {
    /// The baseline, charted against its own limits.
    #[serde(rename = "I")]
    One,
    /// Later data, charted against the baseline's frozen limits.
    #[serde(rename = "II")]
    Two,
}

/// One chart of the pair (or the only chart of an attributes chart).
#[derive(Debug, Clone, Serialize)]
pub struct ChartReport {
    /// The statistic plotted: I, MR, Xbar, R, S, p, np, c or u.
    pub statistic: String,
    /// The centre line.
    pub centre: f64,
    /// The lower control limit; `null` when it varies with the sample size (see the points).
    pub lcl: Option<f64>,
    /// The upper control limit; `null` when it varies.
    pub ucl: Option<f64>,
    /// One standard error of a point; `null` when it varies.
    pub sigma: Option<f64>,
    /// The rules evaluated on this chart (the spread chart gets only `beyond_limits`, since the
    /// zone rules assume a symmetric statistic).
    pub rules: Vec<Rule>,
    /// Every point, phase I first.
    pub points: Vec<PointReport>,
    /// The rules broken, per phase; the phases are evaluated apart, so a run never spans the
    /// moment the limits were frozen.
    pub violations: Vec<ViolationReport>,
}

/// One plotted point.
#[derive(Debug, Clone, Serialize)]
pub struct PointReport {
    /// The sample's label.
    pub sample: String,
    /// Its phase.
    pub phase: Phase,
    /// The plotted statistic.
    pub value: f64,
    /// The centre line.
    pub centre: f64,
    /// The lower control limit for this point.
    pub lcl: f64,
    /// The upper control limit for this point.
    pub ucl: f64,
    /// One standard error of this point.
    pub sigma: f64,
}

/// One rule broken in one phase, with the samples that complete its pattern.
#[derive(Debug, Clone, Serialize)]
pub struct ViolationReport {
    /// The rule.
    pub rule: Rule,
    /// Its number among Nelson's eight, if it is one of them.
    pub nelson: Option<u8>,
    /// Its number among the Western Electric zone rules, if it is one of them.
    pub western_electric: Option<u8>,
    /// What it looks for.
    pub description: &'static str,
    /// The phase the points are in.
    pub phase: Phase,
    /// The labels of the flagged samples.
    pub samples: Vec<String>,
}

/// A chart's phase I and phase II halves with their sample labels.
#[derive(Debug, Clone, Copy)]
pub struct PhaseCharts<'a> {
    /// The baseline against its own limits.
    pub baseline: &'a ControlChart,
    /// Labels of the samples the baseline chart indexes.
    pub baseline_labels: &'a [String],
    /// Later samples against the frozen limits.
    pub later: &'a ControlChart,
    /// Their labels.
    pub later_labels: &'a [String],
}

impl ChartReport {
    /// Evaluates `rules` on each phase and gathers the points.
    pub fn new(charts: PhaseCharts<'_>, rules: &[Rule]) -> Self {
        let halves = [
            (Phase::One, charts.baseline, charts.baseline_labels),
            (Phase::Two, charts.later, charts.later_labels),
        ];
        let mut points = Vec::new();
        let mut violations = Vec::new();
        for (phase, chart, labels) in halves {
            let label = |position: usize| {
                let sample = chart.points[position].sample;
                labels.get(sample).cloned().unwrap_or_default()
            };
            points.extend(chart.points.iter().enumerate().map(|(i, p)| PointReport {
                sample: label(i),
                phase,
                value: p.value,
                centre: p.centre,
                lcl: p.lcl,
                ucl: p.ucl,
                sigma: p.sigma,
            }));
            let RuleReport { violations: found } = vigil_core::spc::evaluate_rules(chart, rules);
            violations.extend(found.into_iter().map(|v| ViolationReport {
                rule: v.rule,
                nelson: v.rule.nelson_number(),
                western_electric: v.rule.western_electric_number(),
                description: v.rule.description(),
                phase,
                samples: v.points.into_iter().map(label).collect(),
            }));
        }

        let constant = |field: fn(&PointReport) -> f64| {
            let first = points.first().map(field)?;
            points.iter().all(|p| field(p) == first).then_some(first)
        };
        ChartReport {
            statistic: charts.baseline.kind.to_string(),
            centre: points.first().map_or(f64::NAN, |p| p.centre),
            lcl: constant(|p| p.lcl),
            ucl: constant(|p| p.ucl),
            sigma: constant(|p| p.sigma),
            rules: rules.to_vec(),
            points,
            violations,
        }
    }
}
